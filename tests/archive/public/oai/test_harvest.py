"""A real harvester (Sickle, from PyPI) harvests the repository to its end through the live server, over several
resumption pages: every published record, the withdrawn ones as deleted, never a draft."""

import pytest
from django.utils import timezone
from lxml import etree
from sickle import Sickle

from archive.ead import validate
from archive.models import Level, Status
from tests.factories import SourceFactory, UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)
EAD = "{http://ead3.archivists.org/schema/}"


def oai_id(kind: str, identifier: str) -> str:
    return f"oai:localhost:{kind}:{identifier}"


@pytest.fixture
def harvester(live_server, settings):
    settings.OPIS_OAI_PAGE_SIZE = 3
    settings.OPIS_OAI_REPOSITORY_IDENTIFIER = "localhost"
    return Sickle(live_server.url + "/oai/", max_retries=0)


@pytest.fixture
def collection():
    """A fonds with an inventory and a file, ten published sources, and every kind of unpublished record."""
    fonds = UnitFactory(identifier="RGASPI-558", published=True)
    inventory = UnitFactory(identifier="RGASPI-558-11", parent=fonds, level=Level.SERIES, published=True)
    file = UnitFactory(identifier="RGASPI-558-11-374", parent=inventory, level=Level.FILE, published=True)
    published = [SourceFactory(identifier=f"PUB-{n}", unit=file, published=True) for n in range(10)]
    withdrawn = SourceFactory(identifier="WITHDRAWN", published=True)
    withdrawn.status = Status.WITHDRAWN
    withdrawn.updated_at = timezone.now()
    withdrawn.save()
    hidden = [
        SourceFactory(identifier="DRAFT"),
        SourceFactory(identifier="REVIEW", status=Status.REVIEW),
        SourceFactory(
            identifier="FUTURE", status=Status.PUBLISHED, published_at=timezone.now() + timezone.timedelta(days=3)
        ),
        # scheduled, then withdrawn before its time: never public
        SourceFactory(
            identifier="NEVER-LIVE", status=Status.WITHDRAWN, published_at=timezone.now() + timezone.timedelta(days=3)
        ),
        UnitFactory(identifier="DRAFT-FONDS"),
    ]
    return {
        "live": {oai_id("unit", u.identifier) for u in (fonds, inventory, file)}
        | {oai_id("source", s.identifier) for s in published},
        "deleted": {oai_id("source", "WITHDRAWN")},
        "hidden": {oai_id("unit" if h.__class__.__name__ == "Unit" else "source", h.identifier) for h in hidden},
        "sources": published,
    }


def test_a_harvester_gets_every_published_record_and_no_draft(harvester, collection):
    records = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    live = [r.header.identifier for r in records if not r.header.deleted]
    deleted = [r.header.identifier for r in records if r.header.deleted]
    assert len(live) == len(set(live)) == 13  # five pages of three
    assert set(live) == collection["live"]
    assert set(deleted) == collection["deleted"]
    assert not collection["hidden"] & {r.header.identifier for r in records}
    titles = {r.header.identifier: r.metadata["title"] for r in records if not r.header.deleted}
    assert titles[oai_id("source", "PUB-0")] == [collection["sources"][0].title]


def test_list_identifiers_to_the_end_in_a_set_by_post(harvester, collection):
    by_post = Sickle(harvester.endpoint, http_method="POST", max_retries=0)
    headers = list(by_post.ListIdentifiers(metadataPrefix="oai_dc", set="fonds:RGASPI-558"))
    assert {h.identifier for h in headers} == collection["live"]
    assert all("fonds:RGASPI-558" in h.setSpecs and "repository:RGASPI" in h.setSpecs for h in headers)


def test_records_changed_during_a_harvest_come_exactly_once(harvester, collection):
    sources = collection["sources"]
    old_title = sources[0].title
    records = harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True)
    seen = [next(records) for _ in range(3)]  # the first page: the three units
    first_page = [r.header.identifier for r in seen]
    seen += [next(records) for _ in range(3)]  # the second page: PUB-0 to PUB-2
    for source, title in ((sources[0], "Changed after it was harvested"), (sources[8], "Changed before")):
        source.title = title
        source.updated_at = timezone.now()
        source.save()
    seen += list(records)
    identifiers = [r.header.identifier for r in seen]
    assert first_page == [oai_id("unit", u) for u in ("RGASPI-558", "RGASPI-558-11", "RGASPI-558-11-374")]
    assert sorted(identifiers) == sorted(collection["live"])  # each once, nothing lost
    titles = {r.header.identifier: r.metadata["title"][0] for r in seen}
    assert titles[oai_id("source", "PUB-8")] == "Changed before"
    assert titles[oai_id("source", "PUB-0")] == old_title  # as it was when harvested; the next harvest has the new


def test_a_record_deleted_outright_stays_deleted(harvester, collection):
    public, draft = collection["sources"][0], SourceFactory(identifier="DRAFT-GONE")
    public.delete()
    draft.delete()
    headers = {h.identifier: h for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False)}
    assert headers[oai_id("source", public.identifier)].deleted
    assert "fonds:RGASPI-558" in headers[oai_id("source", public.identifier)].setSpecs
    assert oai_id("source", "DRAFT-GONE") not in headers
    record = harvester.GetRecord(identifier=oai_id("source", public.identifier), metadataPrefix="oai_dc")
    assert record.header.deleted


def test_a_harvester_gets_the_ead3_of_every_published_fonds_to_the_end(harvester, collection, settings):
    settings.OPIS_OAI_EAD3_PAGE_SIZE = 1
    others = [UnitFactory(identifier=f"RGASPI-{n}", published=True) for n in (17, 82)]
    UnitFactory(parent=others[0], identifier="RGASPI-17-1", published=True)  # an inventory: no ead3 record
    withdrawn = UnitFactory(identifier="RGASPI-WITHDRAWN", published=True)
    withdrawn.status, withdrawn.updated_at = Status.WITHDRAWN, timezone.now()
    withdrawn.save()
    records = list(harvester.ListRecords(metadataPrefix="ead3", ignore_deleted=False))  # four pages of one
    live = {r.header.identifier: r for r in records if not r.header.deleted}
    assert list(live) == [oai_id("unit", identifier) for identifier in ("RGASPI-558", "RGASPI-17", "RGASPI-82")]
    assert [r.header.identifier for r in records if r.header.deleted] == [oai_id("unit", "RGASPI-WITHDRAWN")]
    for record in live.values():
        ead = record.xml.find(f".//{EAD}ead")
        assert validate(etree.tostring(ead)) == []
    fonds = live[oai_id("unit", "RGASPI-558")].xml
    items = fonds.iterfind(f".//{EAD}c[@level='item']/{EAD}did/{EAD}unitid[@localtype='identifier']")
    assert sorted(node.text for node in items) == sorted(source.identifier for source in collection["sources"])
