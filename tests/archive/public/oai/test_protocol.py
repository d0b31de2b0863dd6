"""The six verbs and the protocol's errors, every answer valid against the OAI-PMH and oai_dc schemas."""

import pytest
from django.core import signing

from archive.models import Status
from archive.public.oai import tokens
from tests.factories import SourceFactory, UnitFactory

from .oai import NS, error_codes, identifiers, oai, token

pytestmark = pytest.mark.django_db
ID = "oai:testserver:source:RGASPI-558-11-1"


@pytest.fixture
def source():
    return SourceFactory(identifier="RGASPI-558-11-1", title="Protocol of Mutual Assistance", published=True)


def test_identify(client, source):
    tree = oai(client, verb="Identify")
    identify = tree.find("oai:Identify", NS)
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai/"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == source.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_post_answers_as_get(client, source):
    by_get = oai(client, verb="GetRecord", identifier=ID, metadataPrefix="oai_dc")
    by_post = oai(client, "post", verb="GetRecord", identifier=ID, metadataPrefix="oai_dc")
    assert identifiers(by_get) == identifiers(by_post) == [ID]


def test_list_metadata_formats(client, source):
    tree = oai(client, verb="ListMetadataFormats")
    assert [n.text for n in tree.iterfind(".//oai:metadataPrefix", NS)] == ["oai_dc", "ead3"]
    tree = oai(client, verb="ListMetadataFormats", identifier=ID)  # a source: no EAD3 of its own
    assert [n.text for n in tree.iterfind(".//oai:metadataPrefix", NS)] == ["oai_dc"]
    tree = oai(client, verb="ListMetadataFormats", identifier="oai:testserver:source:nothing")
    assert error_codes(tree) == ["idDoesNotExist"]


def test_get_record_in_dublin_core(client, source):
    tree = oai(client, verb="GetRecord", identifier=ID, metadataPrefix="oai_dc")
    dc = tree.find(".//oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS) == "Protocol of Mutual Assistance"
    assert dc.findtext("dc:date", namespaces=NS) == "1934-11-27"
    assert "http://testserver/sources/" + source.slug + "/" in [n.text for n in dc.iterfind("dc:identifier", NS)]
    assert dc.findtext("dc:publisher", namespaces=NS) == source.repository.name


def test_list_sets(client, source):
    fonds = UnitFactory(identifier="RGASPI-558", title="Stalin", repository=source.repository, published=True)
    UnitFactory(identifier="RGASPI-17", repository=source.repository)  # a draft: no set
    tree = oai(client, verb="ListSets")
    specs = [n.text for n in tree.iterfind(".//oai:setSpec", NS)]
    assert specs == ["repository", "fonds", "repository:RGASPI", f"fonds:{fonds.identifier}"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": ID}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01T00:00:00"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01", "until": "2026-02-01T00:00:00Z"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-01", "until": "2026-01-01"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "identifier": ID, "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "identifier": "oai:elsewhere.org:source:RGASPI-558-11-1", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        ({"verb": "GetRecord", "identifier": "RGASPI-558-11-1", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "fonds:RGASPI-999"}, "noRecordsMatch"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "fonds:"}, "badArgument"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai dc"}, "badArgument"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "subject"}, "noRecordsMatch"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2099-01-01"}, "noRecordsMatch"),
        ({"verb": "ListIdentifiers", "resumptionToken": "garbled"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "garbled"}, "badResumptionToken"),
    ],
)
def test_errors(client, source, params, code):
    tree = oai(client, **params)
    assert error_codes(tree) == [code]
    request = tree.find("oai:request", NS)
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}  # such an answer echoes no arguments (section 3.2)


def test_expired_token(client, source, settings):
    SourceFactory(published=True)
    settings.OPIS_OAI_PAGE_SIZE = 1
    first = token(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    assert first
    settings.OPIS_OAI_TOKEN_SECONDS = -1  # every token is past its lifetime
    assert error_codes(oai(client, verb="ListIdentifiers", resumptionToken=first)) == ["badResumptionToken"]


def test_forged_and_misused_tokens(client, source, settings):
    SourceFactory(published=True)
    settings.OPIS_OAI_PAGE_SIZE = 1
    first = token(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    assert error_codes(oai(client, verb="ListRecords", resumptionToken=first)) == ["badResumptionToken"]
    forged = signing.dumps({"verb": "ListIdentifiers"}, salt="another salt")
    assert error_codes(oai(client, verb="ListIdentifiers", resumptionToken=forged)) == ["badResumptionToken"]
    incomplete = signing.dumps({"verb": "ListIdentifiers"}, salt=tokens.SALT, compress=True)
    assert error_codes(oai(client, verb="ListIdentifiers", resumptionToken=incomplete)) == ["badResumptionToken"]


def test_last_page_has_an_empty_token_with_its_cursor(client, source, settings):
    SourceFactory(published=True)
    settings.OPIS_OAI_PAGE_SIZE = 1
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    last = oai(client, verb="ListIdentifiers", resumptionToken=token(first))
    node = last.find(".//oai:resumptionToken", NS)
    assert node.text is None and node.get("cursor") == "1"
    assert first.find(".//oai:resumptionToken", NS).get("expirationDate")


def test_deleted_record_has_no_metadata(client, source):
    source.status = Status.WITHDRAWN
    source.save()
    tree = oai(client, verb="GetRecord", identifier=ID, metadataPrefix="oai_dc")
    assert tree.find(".//oai:header", NS).get("status") == "deleted"
    assert tree.find(".//oai:metadata", NS) is None
