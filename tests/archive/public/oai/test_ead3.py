"""The ead3 format: published fonds only, each record the EAD writer's document for the fonds (the download's),
valid against the official schema, with nothing unpublished in it; a withdrawn or deleted fonds a deleted record."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive.ead import validate
from archive.models import AgentKind, Status, Tombstone
from tests.factories import AgentFactory, SourceFactory, UnitFactory

from .oai import NS, error_codes, harvest, identifiers, oai, token

pytestmark = pytest.mark.django_db
EAD = "http://ead3.archivists.org/schema/"
E = {"e": EAD}
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def uid(identifier: str) -> str:
    return f"oai:testserver:unit:{identifier}"


def sid(identifier: str) -> str:
    return f"oai:testserver:source:{identifier}"


@pytest.fixture
def tree():
    """A published fonds with an inventory, a file and a document in it."""
    fonds = UnitFactory(
        identifier="TA-558",
        number="558",
        title="Personal papers",
        date_edtf="1917/1953",
        extent="1,695 files",
        scope_content="What they are.",
        published=True,
    )
    fonds.creators.add(AgentFactory(name="Stalin, Joseph", kind=AgentKind.PERSON, wikidata="Q855"))
    inventory = UnitFactory(parent=fonds, identifier="TA-558-11", number="11", title="Letters", published=True)
    file = UnitFactory(parent=inventory, identifier="TA-558-11-374", number="374", title="Telegrams", published=True)
    document = SourceFactory(identifier="TA-DOC", unit=file, title="Protocol of Mutual Assistance", published=True)
    return {"fonds": fonds, "inventory": inventory, "file": file, "document": document}


def ead_of(record) -> etree._Element:
    """The one element a record's metadata holds."""
    metadata = record.find(".//oai:metadata", NS)
    assert len(metadata) == 1
    return metadata[0]


def shape(element) -> list[tuple]:
    """Every element under `element` with its attributes and its text, whatever the prefixes and indentation."""
    return [(node.tag, sorted(node.attrib.items()), (node.text or "").strip()) for node in element.iter()]


def prefixes(identifier: str, client) -> list[str]:
    tree = oai(client, verb="ListMetadataFormats", identifier=identifier)
    return [node.text for node in tree.iterfind(".//oai:metadataPrefix", NS)]


def test_the_format_is_listed_with_the_ead3_namespace_and_schema(client, tree):
    formats = oai(client, verb="ListMetadataFormats").iterfind(".//oai:metadataFormat", NS)
    ead3 = [node for node in formats if node.findtext("oai:metadataPrefix", namespaces=NS) == "ead3"]
    assert [node.findtext("oai:metadataNamespace", namespaces=NS) for node in ead3] == [EAD]
    assert ead3[0].findtext("oai:schema", namespaces=NS) == "https://www.loc.gov/ead/ead3.xsd"


def test_a_fonds_record_is_the_download_valid_against_the_shipped_schema(client, tree):
    record = oai(client, verb="GetRecord", identifier=uid("TA-558"), metadataPrefix="ead3")
    ead = ead_of(record)
    assert ead.tag == f"{{{EAD}}}ead"
    assert ead.get(f"{{{XSI}}}schemaLocation") == f"{EAD} https://www.loc.gov/ead/ead3.xsd"
    assert validate(etree.tostring(ead)) == []
    download = etree.fromstring(client.get(reverse("archive:unit-ead", kwargs={"slug": tree["fonds"].slug})).content)
    assert shape(ead.find("e:archdesc", E)) == shape(download.find("e:archdesc", E))
    recordid = ead.find("e:control/e:recordid", E)
    assert recordid.text == "TA-558"
    assert recordid.get("instanceurl") == download.find("e:control/e:recordid", E).get("instanceurl")
    assert [c.get("level") for c in ead.iter(f"{{{EAD}}}c")] == ["series", "file", "item"]
    assert ead.find("e:archdesc/e:did/e:origination/e:persname", E).get("identifier") == "Q855"


def test_only_a_fonds_can_be_disseminated_in_ead3(client, tree):
    assert prefixes(uid("TA-558"), client) == ["oai_dc", "ead3"]
    for identifier in (uid("TA-558-11"), uid("TA-558-11-374"), sid("TA-DOC")):
        assert prefixes(identifier, client) == ["oai_dc"]
        tree = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="ead3")
        assert error_codes(tree) == ["cannotDisseminateFormat"]
    UnitFactory(identifier="DRAFT-FONDS")
    tree = oai(client, verb="GetRecord", identifier=uid("DRAFT-FONDS"), metadataPrefix="ead3")
    assert error_codes(tree) == ["idDoesNotExist"]


def test_nothing_unpublished_inside_the_fonds_comes_through_oai(client, tree):
    fonds, inventory, file = tree["fonds"], tree["inventory"], tree["file"]
    now = timezone.now()
    UnitFactory(parent=fonds, number="12", title="Draft inventory")
    withdrawn = UnitFactory(parent=inventory, number="375", title="Withdrawn file", published=True)
    withdrawn.status, withdrawn.updated_at = Status.WITHDRAWN, now
    withdrawn.save()
    in_review = UnitFactory(parent=fonds, number="13", title="Inventory in review", status=Status.REVIEW)
    UnitFactory(parent=in_review, number="1", title="Published file of a hidden inventory", published=True)
    SourceFactory(unit=withdrawn, title="Document in a withdrawn file", published=True)
    SourceFactory(unit=file, title="Draft document")
    SourceFactory(unit=file, title="Scheduled document", status=Status.PUBLISHED, published_at=now + timedelta(days=1))
    hidden = [
        "Draft inventory",
        "Withdrawn file",
        "Inventory in review",
        "Published file of a hidden inventory",
        "Document in a withdrawn file",
        "Draft document",
        "Scheduled document",
    ]
    for params in (
        {"verb": "GetRecord", "identifier": uid("TA-558")},
        {"verb": "ListRecords"},
        {"verb": "ListRecords", "set": "fonds:TA-558"},
    ):
        response = client.get("/oai/", {**params, "metadataPrefix": "ead3"})
        assert b"Protocol of Mutual Assistance" in response.content
        assert not [title for title in hidden if title.encode() in response.content]
        assert validate(etree.tostring(ead_of(oai(client, **params, metadataPrefix="ead3")))) == []


def test_lists_hold_published_fonds_and_deleted_ones_over_pages(client, tree, settings):
    settings.OPIS_OAI_EAD3_PAGE_SIZE = 1
    other = UnitFactory(identifier="TA-17", repository__code="GARF", published=True)
    withdrawn = UnitFactory(identifier="TA-WITHDRAWN", published=True)
    withdrawn.status, withdrawn.updated_at = Status.WITHDRAWN, timezone.now()
    withdrawn.save()
    UnitFactory(identifier="TA-GONE", published=True).delete()
    UnitFactory(parent=other, identifier="TA-17-1", published=True).delete()  # a file: none of ead3's records
    UnitFactory(identifier="DRAFT-FONDS")
    UnitFactory(identifier="DRAFT-GONE").delete()  # never public: never reported
    everything = [uid("TA-558"), uid("TA-17"), uid("TA-WITHDRAWN"), uid("TA-GONE")]
    pages = harvest(client, verb="ListRecords", metadataPrefix="ead3")
    assert [identifiers(page) for page in pages] == [[identifier] for identifier in everything]  # units, tombstones
    bounded = harvest(client, verb="ListRecords", metadataPrefix="ead3", **{"from": "2000-01-01"})
    assert len(bounded) == 4 and sorted(i for page in bounded for i in identifiers(page)) == sorted(everything)
    for page in (*pages, *bounded):
        header, record = page.find(".//oai:header", NS), page.find(".//oai:record", NS)
        if header.findtext("oai:identifier", namespaces=NS) in (uid("TA-WITHDRAWN"), uid("TA-GONE")):
            assert header.get("status") == "deleted" and record.find("oai:metadata", NS) is None
        else:
            assert header.get("status") is None and validate(etree.tostring(ead_of(record))) == []
    headers = oai(client, verb="ListIdentifiers", metadataPrefix="ead3")  # headers come OPIS_OAI_PAGE_SIZE a page
    assert len(identifiers(headers)) == 4 and token(headers) is None
    assert identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="ead3", set="fonds:TA-558")) == [
        uid("TA-558")
    ]
    assert uid("TA-17-1") in identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    gone = oai(client, verb="GetRecord", identifier=uid("TA-GONE"), metadataPrefix="ead3")
    assert gone.find(".//oai:header", NS).get("status") == "deleted"
    assert prefixes(uid("TA-GONE"), client) == prefixes(uid("TA-WITHDRAWN"), client) == ["oai_dc", "ead3"]
    by_repository = oai(
        client, verb="ListIdentifiers", metadataPrefix="ead3", set=f"repository:{other.repository.code}"
    )
    assert identifiers(by_repository) == [uid("TA-17")]
    assert prefixes(uid("TA-17-1"), client) == ["oai_dc"]
    file_gone = oai(client, verb="GetRecord", identifier=uid("TA-17-1"), metadataPrefix="ead3")
    assert error_codes(file_gone) == ["cannotDisseminateFormat"]


def test_units_deleted_before_tombstones_kept_their_level_get_it_from_their_history(client):
    """The backfill of curation's migration 0011, run again over tombstones without a level."""
    UnitFactory(identifier="OLD-FONDS", published=True).delete()
    kept = UnitFactory(identifier="KEPT", published=True)
    UnitFactory(parent=kept, identifier="OLD-INVENTORY", published=True).delete()
    Tombstone.objects.update(level="")  # as this change found them
    with connection.cursor() as cursor:
        cursor.execute(import_module("curation.migrations.0011_tombstone_level_from_history").BACKFILL)
    levels = dict(Tombstone.objects.values_list("identifier", "level"))
    assert levels == {"OLD-FONDS": "fonds", "OLD-INVENTORY": "series"}
    listed = identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="ead3"))
    assert listed == [uid("KEPT"), uid("OLD-FONDS")]


def stamps(client, prefix: str, **params) -> dict[str, str]:
    tree = oai(client, verb="ListIdentifiers", metadataPrefix=prefix, **params)
    return {
        h.findtext("oai:identifier", namespaces=NS): h.findtext("oai:datestamp", namespaces=NS)
        for h in tree.iterfind(".//oai:header", NS)
    }


def test_a_fonds_is_new_to_ead3_harvesters_when_anything_public_in_it_changes(client, tree):
    """Its EAD3 holds its whole published tree: the record's datestamp is the latest public change in the fonds,
    while its oai_dc record keeps its own."""
    now = timezone.now().replace(microsecond=0)
    long_ago = now - timedelta(days=30)
    for record in tree.values():
        type(record).objects.filter(pk=record.pk).update(published_at=long_ago, updated_at=long_ago)
    UnitFactory(parent=tree["fonds"], title="A draft changed now")  # not in the EAD: no change to it
    fonds, at = uid("TA-558"), lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert stamps(client, "ead3") == {fonds: at(long_ago)}

    type(tree["document"]).objects.filter(pk=tree["document"].pk).update(
        title="Edited", updated_at=now - timedelta(days=2)
    )
    assert stamps(client, "ead3") == {fonds: at(now - timedelta(days=2))}
    assert stamps(client, "oai_dc")[fonds] == at(long_ago)
    since = {"from": at(now - timedelta(days=3))}
    assert list(stamps(client, "ead3", **since)) == [fonds]
    assert list(stamps(client, "oai_dc", **since)) == [sid("TA-DOC")]
    record = oai(client, verb="GetRecord", identifier=fonds, metadataPrefix="ead3")
    assert record.findtext(".//oai:header/oai:datestamp", namespaces=NS) == at(now - timedelta(days=2))

    file = tree["file"]
    type(file).objects.filter(pk=file.pk).update(status=Status.WITHDRAWN, updated_at=now - timedelta(days=1))
    assert stamps(client, "ead3") == {fonds: at(now - timedelta(days=1))}
    tree["document"].delete()
    Tombstone.objects.filter(identifier="TA-DOC").update(deleted_at=now - timedelta(hours=1))
    assert stamps(client, "ead3") == {fonds: at(now - timedelta(hours=1))}
    before = oai(client, verb="ListIdentifiers", metadataPrefix="ead3", until=at(now - timedelta(hours=2)))
    assert error_codes(before) == ["noRecordsMatch"]  # the fonds has moved on: not listed again as it was
