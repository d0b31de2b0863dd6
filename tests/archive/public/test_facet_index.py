"""The in-memory facet index (archive.public.facet_index) gives the list, its order and its facet counts exactly as
SQL does, never counts what is not published, and is not used once a change makes it stale."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import numpy as np
import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from archive.models import Language, Source, Status
from archive.public import facet_index
from archive.public.cache import generation
from archive.public.facet_index import FacetIndex, ProcessIndex
from archive.public.facets import compute_facets
from archive.public.filters import SourceFilter
from archive.public.views.sources import IdsInOrder
from tests.factories import (
    AgentFactory,
    EventFactory,
    LanguageFactory,
    PlaceFactory,
    RepositoryFactory,
    SourceFactory,
    SubjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

QUERIES = [
    {},
    {"language": "ru"},
    {"repository": "RGASPI", "subject": "army"},
    {"event": "battles", "fond": "17"},
    {"agent": "zhukov"},
    {"event": "draft-event"},  # an unpublished event filters as an unknown one (to nothing), and is never offered
    {"place": "nowhere"},
    {"document_type": "report", "language": "mn", "place": "khalkhin-gol"},
    {"sort": "-date"},
    {"sort": "title", "language": "ru"},
    # Several values of one facet (any of them), and of several facets (each facet's).
    {"language": ["ru", "mn"]},
    {"event": ["battles", "draft-event"]},  # an unpublished event among published ones: as an unknown one
    {"event": ["draft-event", "no-such-event"], "language": "ru"},
    {"repository": ["RGASPI", "AVPRF"], "document_type": ["report", "letter"], "sort": "-date"},
    {"agent": ["zhukov", "nobody"], "fond": ["17", "558"], "subject": "army"},
    {"language": ["ru", "mn"], "place": ["khalkhin-gol"], "sort": "title"},
    {"fond": ["558", "17"], "language": "mn"},  # a chosen value no source of the list has: counted 0
    {"fond": "avprf-17"},  # a draft fonds filters as an unknown one (to nothing), and is never offered
    {"fond": ["avprf-17", "17"], "language": "mn"},
]


@pytest.fixture
def collection():
    rgaspi, other = RepositoryFactory(code="RGASPI"), RepositoryFactory(code="AVPRF")
    ru, mn = LanguageFactory(code="ru", name="Russian"), LanguageFactory(code="mn", name="Mongolian")
    battles = EventFactory(published=True, slug="battles", name="Battles")
    draft_event = EventFactory(slug="draft-event", name="Not yet published")
    army = SubjectFactory(slug="army", term="Army")
    zhukov = AgentFactory(slug="zhukov", name="G. K. Zhukov")
    khalkhin_gol = PlaceFactory(slug="khalkhin-gol", name="Khalkhin Gol")
    # The fond facet's values are the fonds' slugs; AVPRF's fonds 17 is a draft holding a published source (S-3).
    fonds = {
        (rgaspi, "558"): UnitFactory(repository=rgaspi, number="558", slug="558", published=True),
        (rgaspi, "17"): UnitFactory(repository=rgaspi, number="17", slug="17", published=True),
        (other, "17"): UnitFactory(repository=other, number="17", slug="avprf-17"),
    }
    specs = [
        # identifier, repository, type, date, fond, languages, events, published
        ("S-0", rgaspi, "protocol", "1936-03-12", "558", [ru, mn], [], True),
        ("S-1", rgaspi, "letter", "1934-11-27", "558", [ru], [draft_event], True),
        ("S-2", rgaspi, "report", "1939-07", "17", [ru], [battles], True),
        ("S-3", other, "report", "1939-08-20", "17", [mn], [battles, draft_event], True),
        ("S-4", rgaspi, "report", "", "17", [ru], [battles], True),  # no date: the database's place for it
        ("S-5", rgaspi, "report", "1939-08-21", "17", [ru], [battles], False),  # a draft: never counted
    ]
    for identifier, repository, kind, date, fond, languages, events, published in specs:
        source = SourceFactory(
            identifier=identifier,
            title=f"Title {5 - int(identifier[-1])}",
            repository=repository,
            document_type=kind,
            date_edtf=date,
            # S-0 is in an inventory of its fonds: the facet counts it under the fonds all the same.
            unit=UnitFactory(parent=fonds[repository, fond], number="1")
            if identifier == "S-0"
            else fonds[repository, fond],
            published=published,
        )
        source.languages.set(languages)
        source.events.set(events)
        source.subjects.set([army] if kind == "report" else [])
        source.places.set([khalkhin_gol] if kind == "report" else [])
        # Named twice (two roles) in one source: counted once, as SQL's COUNT(DISTINCT) does.
        for role in ("creator", "signatory") if identifier in {"S-2", "S-5"} else ():
            source.agent_links.create(agent=zhukov, role=role)


def _query(data: dict) -> QueryDict:
    """A query string from {name: value or [values]}."""
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


def _facets(data: dict) -> dict:
    facets = compute_facets(SourceFilter, _query(data), Source.objects.published())
    return {f.param: [(c.value, c.label, c.count, c.selected) for c in f.choices] for f in facets}


def _listed(client, data: dict) -> tuple[list[str], object]:
    response = client.get(reverse("archive:source-list") + "?" + _query(data).urlencode())
    return [source.identifier for source in response.context["sources"]], response.context["paginator"]


def _page(client, data: dict) -> tuple[list[str], int, dict]:
    """What the list page shows: its sources, their number and its facets' choices."""
    response = client.get(reverse("archive:source-list") + "?" + _query(data).urlencode())
    facets = {f.param: [(c.value, c.label, c.count, c.selected) for c in f.choices] for f in response.context["facets"]}
    return [source.identifier for source in response.context["sources"]], response.context["paginator"].count, facets


def test_the_index_lists_orders_and_counts_as_sql_does(client, collection, settings):
    served = {repr(q): (_facets(q), *_listed(client, q)) for q in QUERIES}
    assert facet_index.current_index().size == 5  # the five published sources: the index served them
    assert isinstance(_listed(client, {"language": "ru"})[1].object_list, IdsInOrder)

    settings.OPIS_FACET_INDEX = False
    for query in QUERIES:
        facets, listed, paginator = served[repr(query)]
        sql_listed, sql_paginator = _listed(client, query)
        assert facets == _facets(query), query
        assert (listed, paginator.count) == (sql_listed, sql_paginator.count), query


# What the collection gives for lists with several values chosen, the index and SQL alike: (the list in its order,
# {facet: {value: (count, chosen)}} for the facets named).
EXPECTED = [
    ({"language": ["ru", "mn"]}, ["S-1", "S-0", "S-2", "S-3", "S-4"], {"language": {"ru": (4, True), "mn": (2, True)}}),
    (
        {"event": ["battles", "draft-event"], "language": "mn"},
        ["S-3"],
        {"event": {"battles": (1, True), "draft-event": (0, True)}, "language": {"ru": (2, False), "mn": (1, True)}},
    ),
    (
        {"document_type": ["report", "letter"], "repository": "RGASPI", "sort": "-date"},
        ["S-4", "S-2", "S-1"],  # the undated first, latest first
        {"document_type": {"report": (2, True), "letter": (1, True), "protocol": (1, False)}},
    ),
    (
        {"fond": ["558", "17"], "language": "mn", "date_from": "spring"},  # a bad date: left out, the rest applies
        ["S-0"],  # S-3 is in AVPRF's fonds 17, a draft: never counted nor filtered by
        {"fond": {"558": (1, True), "17": (0, True)}, "language": {"ru": (4, False), "mn": (1, True)}},
    ),
]


@pytest.mark.parametrize("index", [True, False], ids=["facet-index", "sql"])
def test_several_values_are_listed_and_counted_alike_by_the_index_and_sql(client, collection, settings, index):
    settings.OPIS_FACET_INDEX = index
    for query, listed, counts in EXPECTED:
        shown, total, facets = _page(client, query)
        assert (shown, total) == (listed, len(listed)), query
        for param, expected in counts.items():
            assert {value: (count, chosen) for value, _, count, chosen in facets[param]} == expected, (query, param)
    served = facet_index.process_index._index is not None
    assert served == index  # the lists above were served by the index when it was on


def test_pages_with_a_bad_value_are_the_same_from_the_index_and_sql(client, collection, settings):
    queries = [dict(query, date_from="1939-13") for query in QUERIES] + [{"date_to": "x", "language": ["mn", "ru"]}]
    served = [_page(client, query) for query in queries]
    settings.OPIS_FACET_INDEX = False
    assert [_page(client, query) for query in queries] == served


def test_chosen_values_beyond_the_most_frequent_are_counted_alike(client, collection, settings, monkeypatch):
    monkeypatch.setattr("archive.public.facets.FACET_CHOICES", 1)
    queries = [{"language": ["mn"]}, {"document_type": ["letter", "protocol"], "fond": "558"}, {"fond": ["558"]}]
    served = [_page(client, query) for query in queries]
    assert {value: count for value, _, count, _ in served[1][2]["document_type"]} == {
        "protocol": 1,  # the most frequent (by count, then value)
        "letter": 1,
    }
    assert [(value, count) for value, _, count, _ in served[0][2]["language"]] == [("ru", 4), ("mn", 2)]
    settings.OPIS_FACET_INDEX = False
    assert [_page(client, query) for query in queries] == served


def test_drafts_and_unpublished_events_are_never_counted(collection):
    facets = _facets({})
    assert ("battles", "Battles", 3, False) in facets["event"]
    assert [value for value, *_ in facets["event"]] == ["battles"]  # the draft event is not offered
    assert ("zhukov", "G. K. Zhukov", 1, False) in facets["agent"]  # S-5, a draft, names him too
    assert facets["fond"] == [("17", "Ф. 17: Fonds 17", 2, False), ("558", "Ф. 558: Fonds 558", 2, False)]


def test_a_change_is_listed_at_once(client, collection):
    assert "S-5" not in _listed(client, {"repository": "RGASPI"})[0]
    draft = Source.objects.get(identifier="S-5")
    draft.status, draft.published_at = Status.PUBLISHED, timezone.now()
    draft.save()
    assert "S-5" in _listed(client, {"repository": "RGASPI"})[0]

    Source.objects.filter(identifier="S-0").update(status=Status.WITHDRAWN)  # no signal: the page re-checks
    assert "S-0" not in _listed(client, {"repository": "RGASPI"})[0]


def test_a_stale_index_is_not_used_and_the_next_list_builds_a_new_one(client, collection):
    _listed(client, {})
    before = facet_index.current_index()
    draft = Source.objects.get(identifier="S-5")
    draft.status, draft.published_at = Status.PUBLISHED, timezone.now()
    draft.save()

    listed, paginator = _listed(client, {"repository": "RGASPI"})
    assert "S-5" in listed and paginator.count == 5
    assert isinstance(paginator.object_list, IdsInOrder)  # served by the index this list built
    assert facet_index.current_index() is not before


def test_a_scheduled_publication_ends_the_index_when_it_comes(collection, settings):
    settings.OPIS_FACET_INDEX_SECONDS = 24 * 3600
    now = timezone.now()
    due = now + timedelta(hours=2)
    SourceFactory(identifier="S-later", status=Status.PUBLISHED, published_at=due)
    index = facet_index.current_index(now)
    assert (index.size, index.valid_until) == (5, due)
    assert facet_index.current_index(due - timedelta(microseconds=1)) is index
    assert facet_index.current_index(due).size == 6  # listed from then on

    sooner = now + timedelta(hours=1)
    EventFactory(slug="later-event", status=Status.PUBLISHED, published_at=sooner)  # the event facet changes then
    assert facet_index.current_index(now).valid_until == sooner


def test_an_index_serves_until_its_age_limit(collection, settings):
    settings.OPIS_FACET_INDEX_SECONDS = 300
    now = timezone.now()
    index = facet_index.current_index(now)
    assert facet_index.current_index(now + timedelta(seconds=299)) is index
    assert facet_index.current_index(now + timedelta(seconds=300)) is not index


def test_requests_asking_at_once_share_one_build():
    release, built = threading.Event(), []

    def builder(now):
        built.append(now)
        release.wait()
        return FacetIndex(np.zeros(0, dtype=np.int64), {}, {}, generation(), now + timedelta(minutes=5))

    index = ProcessIndex(builder)
    with ThreadPoolExecutor(4) as pool:
        asked = [pool.submit(index.get) for _ in range(4)]
        release.set()
        served = {id(future.result()) for future in asked}
    assert len(built) == 1 and len(served) == 1


def test_lists_with_words_or_dates_are_counted_in_sql(client, collection):
    listed, paginator = _listed(client, {"language": "ru", "date_from": "1936"})
    assert not isinstance(paginator.object_list, IdsInOrder)
    assert listed == ["S-0", "S-2"]


def test_an_archive_with_nothing_published_yet_lists_nothing(client, settings):
    draft = SourceFactory(identifier="S-draft")  # a draft with its links, but nothing published
    draft.languages.set([LanguageFactory(code="ru")])
    listed, paginator = _listed(client, {"language": "ru"})
    assert (listed, paginator.count) == ([], 0)
    assert facet_index.current_index().size == 0
    assert all(choices == [] for choices in _facets({}).values())


def test_the_labels_of_the_values_shown_are_read_once_per_index(client, collection, django_assert_max_num_queries):
    _listed(client, {"language": ["ru", "mn"]})  # builds the index and reads the labels of the values it shows
    with django_assert_max_num_queries(3):  # the generation, the page's rows, the labels of the new values
        _listed(client, {"language": ["ru", "mn"], "event": "battles"})
    russian = Language.objects.get(code="ru")
    russian.name = "Russian language"
    russian.save()  # a change: the next list builds a new index, which reads the labels again
    assert ("ru", "Russian language", 4, True) in _page(client, {"language": "ru"})[2]["language"]
