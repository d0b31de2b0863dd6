"""What OAI-PMH lists: only what the public may see, with the datestamp of its last public change, by set and by
date, in pages whose cost does not grow with their position."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archive.models import Level, Status
from tests.factories import SourceFactory, UnitFactory

from .oai import NS, error_codes, harvest, identifiers, oai, token

pytestmark = pytest.mark.django_db


def sid(identifier: str) -> str:
    return f"oai:testserver:source:{identifier}"


def uid(identifier: str) -> str:
    return f"oai:testserver:unit:{identifier}"


def listed(client, **params) -> list[str]:
    return [i for page in harvest(client, metadataPrefix="oai_dc", **params) for i in identifiers(page)]


def stamp(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_nothing_unpublished_leaks(client):
    """Drafts, reviews, scheduled records and a withdrawal that never went live: in no list, no record, no set, and
    named by no published record."""
    now = timezone.now()
    draft_fonds = UnitFactory(identifier="DRAFT-FONDS")
    draft_file = UnitFactory(identifier="DRAFT-FILE", parent=draft_fonds, level=Level.FILE, published=True)
    public = SourceFactory(identifier="PUBLIC", unit=draft_file, published=True)
    hidden = [
        SourceFactory(identifier="DRAFT"),
        SourceFactory(identifier="REVIEW", status=Status.REVIEW),
        SourceFactory(identifier="FUTURE", status=Status.PUBLISHED, published_at=now + timedelta(hours=1)),
        SourceFactory(identifier="NEVER-LIVE", status=Status.WITHDRAWN, published_at=now + timedelta(hours=1)),
    ]
    everything = listed(client) + listed(client, verb="ListRecords")
    assert sorted(set(everything)) == [sid("PUBLIC"), uid("DRAFT-FILE")]
    for record in hidden:
        tree = oai(client, verb="GetRecord", identifier=sid(record.identifier), metadataPrefix="oai_dc")
        assert error_codes(tree) == ["idDoesNotExist"]
    assert error_codes(oai(client, verb="GetRecord", identifier=uid("DRAFT-FONDS"), metadataPrefix="oai_dc")) == [
        "idDoesNotExist"
    ]
    sets = [n.text for n in oai(client, verb="ListSets").iterfind(".//oai:setSpec", NS)]
    assert "fonds:DRAFT-FONDS" not in sets
    assert error_codes(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="fonds:DRAFT-FONDS")) == [
        "noRecordsMatch"
    ]
    record = oai(client, verb="GetRecord", identifier=sid(public.identifier), metadataPrefix="oai_dc")
    assert "DRAFT" not in b"".join(n.text.encode() for n in record.iterfind(".//oai:header/oai:setSpec", NS)).decode()
    file_record = oai(client, verb="GetRecord", identifier=uid("DRAFT-FILE"), metadataPrefix="oai_dc")
    assert file_record.find(".//dc:relation", NS) is None  # its fonds is a draft: not named
    assert [n.text for n in record.iterfind(".//dc:relation", NS)] == [uid("DRAFT-FILE")]


def test_withdrawn_and_taken_back_records_are_deleted_for_ever(client):
    source = SourceFactory(identifier="ONCE", published=True)
    source.status, source.updated_at = Status.WITHDRAWN, timezone.now()
    source.save()
    assert listed(client) == [sid("ONCE")]
    source.status, source.updated_at = Status.DRAFT, timezone.now()  # returned to draft: still once public
    source.save()
    page = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert page.find(".//oai:header", NS).get("status") == "deleted"
    source.status, source.published_at, source.updated_at = Status.PUBLISHED, timezone.now(), timezone.now()
    source.save()
    page = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert page.find(".//oai:header", NS).get("status") is None


def test_a_deleted_record_published_again_is_listed_once(client):
    source = SourceFactory(identifier="AGAIN", published=True)
    source.delete()
    SourceFactory(identifier="AGAIN", published=True)
    assert listed(client) == [sid("AGAIN")]
    assert oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").find(".//oai:header", NS).get("status") is None


def test_datestamp_is_the_last_public_change(client):
    now = timezone.now().replace(microsecond=0)
    edited = SourceFactory(identifier="EDITED", status=Status.PUBLISHED, published_at=now - timedelta(days=9))
    edited.updated_at = now - timedelta(days=2)
    edited.save()
    # scheduled a week ago to go live yesterday: new to harvesters yesterday, not when it was last edited
    scheduled = SourceFactory(identifier="SCHEDULED", status=Status.PUBLISHED, published_at=now - timedelta(days=1))
    scheduled.updated_at = now - timedelta(days=7)
    scheduled.save()
    headers = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").iterfind(".//oai:header", NS)
    stamps = {h.findtext("oai:identifier", namespaces=NS): h.findtext("oai:datestamp", namespaces=NS) for h in headers}
    assert stamps == {sid("EDITED"): stamp(now - timedelta(days=2)), sid("SCHEDULED"): stamp(now - timedelta(days=1))}
    since = stamp(now - timedelta(days=1))
    assert listed(client, **{"from": since}) == [sid("SCHEDULED")]
    assert listed(client, until=stamp(now - timedelta(days=1, seconds=1))) == [sid("EDITED")]
    assert listed(client, **{"from": since, "until": since}) == [sid("SCHEDULED")]  # until covers its whole second
    day = (now - timedelta(days=2)).date().isoformat()
    assert sid("EDITED") in listed(client, **{"from": day, "until": day})


def test_a_bounded_list_ends_where_it_began_and_the_next_harvest_has_the_rest(client, settings):
    settings.OPIS_OAI_PAGE_SIZE = 2
    long_ago = timezone.now() - timedelta(days=30)
    # published and last changed long ago: none of them belongs to a list from the first list's responseDate
    sources = [
        SourceFactory(identifier=f"S{n}", status=Status.PUBLISHED, published_at=long_ago + timedelta(minutes=n))
        for n in range(5)
    ]
    for n, source in enumerate(sources):
        source.updated_at = long_ago + timedelta(minutes=n)
        source.save()
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2000-01-01"})
    response_date = first.findtext("oai:responseDate", namespaces=NS)
    sources[4].title, sources[4].updated_at = "changed", timezone.now()
    sources[4].save()
    pages = [first]
    while token(pages[-1]):
        pages.append(oai(client, verb="ListIdentifiers", resumptionToken=token(pages[-1])))
    this_harvest = [i for page in pages for i in identifiers(page)]
    assert this_harvest == [sid(f"S{n}") for n in range(4)]  # S4 changed after the list began
    assert listed(client, **{"from": response_date}) == [sid("S4")]


def test_sets_by_repository_and_by_fonds(client):
    fonds = UnitFactory(identifier="RGASPI-558", published=True)
    other = UnitFactory(identifier="RGASPI-17", published=True)
    file = UnitFactory(identifier="RGASPI-558-1-1", parent=fonds, level=Level.FILE, published=True)
    in_file = SourceFactory(identifier="IN-FILE", unit=file, published=True)
    in_fonds = SourceFactory(identifier="IN-FONDS", unit=fonds, published=True)
    SourceFactory(identifier="ELSEWHERE", unit=other, published=True)
    gaspi = SourceFactory(identifier="GARF", repository__code="GARF", published=True)
    assert sorted(listed(client, set="fonds:RGASPI-558")) == sorted(
        [uid(fonds.identifier), uid(file.identifier), sid(in_file.identifier), sid(in_fonds.identifier)]
    )
    assert listed(client, set="repository:GARF") == [sid(gaspi.identifier)]
    assert len(listed(client, set="fonds")) == 6
    header = oai(client, verb="GetRecord", identifier=sid("IN-FILE"), metadataPrefix="oai_dc").find(".//oai:header", NS)
    assert [n.text for n in header.iterfind("oai:setSpec", NS)] == [
        "repository",
        "repository:RGASPI",
        "fonds",
        "fonds:RGASPI-558",
    ]


def test_pages_cost_the_same_at_any_position_and_never_count_rows(client, settings):
    settings.OPIS_OAI_PAGE_SIZE = 5
    fonds = UnitFactory(identifier="F", published=True)
    for n in range(30):
        SourceFactory(identifier=f"P{n:02}", unit=fonds, published=True)
    for params in ({}, {"from": "2000-01-01"}, {"set": "fonds:F"}):
        counts, statements = [], []
        tree = oai(client, verb="ListRecords", metadataPrefix="oai_dc", **params)
        while token(tree):
            with CaptureQueriesContext(connection) as queries:
                tree = oai(client, verb="ListRecords", resumptionToken=token(tree))
            counts.append(len(queries))
            statements += [query["sql"] for query in queries]
        assert len(counts) == 6 and len(set(counts[:-1])) == 1, counts
        assert not [sql for sql in statements if "OFFSET" in sql.upper() or "COUNT(" in sql.upper()]


def test_the_page_query_walks_the_harvest_index(client):
    from archive.public.oai import formats, records

    SourceFactory(published=True)
    query = records.Query(formats.FORMATS["oai_dc"].scope, None, timezone.now() - timedelta(days=1), timezone.now())
    stage = records.SourceStage()
    queryset = stage.harvested().filter(datestamp__gte=query.lower, datestamp__lte=query.upper).order_by(*query.order)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = queryset[:10].explain()
    assert "archive_source_harvest_idx" in plan
    assert "Sort" not in plan


def test_sources_deleted_before_oai_are_found_in_their_history(client):
    """The backfill of curation's migration 0007, run again over a history with a public and a draft deletion."""
    from importlib import import_module

    from django.db import connection as db

    from archive.models import Tombstone

    public, draft = SourceFactory(identifier="OLD-PUBLIC", published=True), SourceFactory(identifier="OLD-DRAFT")
    public.delete()
    draft.delete()
    Tombstone.objects.all().delete()  # as before OAI-PMH: no tombstones, only the history
    with db.cursor() as cursor:
        cursor.execute(import_module("curation.migrations.0008_oai_deleted_from_history").BACKFILL)
    assert listed(client) == [sid("OLD-PUBLIC")]
    assert (
        oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").find(".//oai:header", NS).get("status")
        == "deleted"
    )
