"""The source list: filters combine, facet counts are right, every state is a link."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from archive.models import Source, Status
from archive.public.facets import FACETS, compute_facets
from archive.public.filters import SourceFilter
from tests.factories import EventFactory, LanguageFactory, SourceFactory, SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection():
    ru, mn = LanguageFactory(code="ru", name="Russian"), LanguageFactory(code="mn", name="Mongolian")
    battle = EventFactory(published=True, slug="battles", name="Battles")
    treaty = EventFactory(published=True, slug="treaty", name="Treaty")
    army = SubjectFactory(slug="army", term="Army")
    specs = [
        ("protocol", "1936-03-12", "558", [ru, mn], [treaty], True),
        ("letter", "1934-11-27", "558", [ru], [treaty], True),
        ("report", "1939-07", "17", [ru], [battle], True),
        ("report", "1939-08-20", "17", [mn], [battle], True),
        ("report", "1939-08-21", "17", [ru], [battle], False),  # a draft: never counted
    ]
    for number, (kind, date, fond, languages, events, published) in enumerate(specs):
        source = SourceFactory(
            identifier=f"S-{number}", document_type=kind, date_edtf=date, fond=fond, published=published
        )
        source.languages.set(languages)
        source.events.set(events)
        source.subjects.set([army] if kind == "report" else [])


def _titles(client, query: str) -> list[str]:
    response = client.get(reverse("archive:source-list") + query)
    return sorted(source.identifier for source in response.context["sources"])


def test_filters_combine(client, collection):
    assert _titles(client, "?document_type=report") == ["S-2", "S-3"]
    assert _titles(client, "?document_type=report&language=ru") == ["S-2"]
    assert _titles(client, "?fond=558&event=treaty&language=mn") == ["S-0"]
    assert _titles(client, "?subject=army&date_from=1939-08") == ["S-3"]


def test_date_range_accepts_years_months_and_days(client, collection):
    assert _titles(client, "?date_from=1935&date_to=1936") == ["S-0"]
    assert _titles(client, "?date_to=1936-03-11") == ["S-1"]
    assert _titles(client, "?date_from=1939-07-31&date_to=1939-07-31") == ["S-2"]  # within the month 1939-07


def test_invalid_date_shows_an_error_and_no_results(client, collection):
    response = client.get(reverse("archive:source-list") + "?date_from=spring")
    assert list(response.context["sources"]) == []
    assert "Give a year (1936)" in response.content.decode()


def test_sort_by_date_descending_and_title(client, collection):
    response = client.get(reverse("archive:source-list") + "?sort=-date")
    assert [s.identifier for s in response.context["sources"]] == ["S-3", "S-2", "S-0", "S-1"]


def _counts(data: dict) -> dict[str, dict[str, int]]:
    query = QueryDict(mutable=True)
    query.update(data)
    facets = compute_facets(SourceFilter, query, Source.objects.published())
    return {facet.param: {choice.value: choice.count for choice in facet.choices} for facet in facets}


def test_facet_counts_on_the_whole_collection(collection):
    counts = _counts({})
    assert counts["document_type"] == {"report": 2, "protocol": 1, "letter": 1}
    assert counts["language"] == {"ru": 3, "mn": 2}
    assert counts["event"] == {"battles": 2, "treaty": 2}
    assert counts["fond"] == {"558": 2, "17": 2}
    assert counts["subject"] == {"army": 2}


def test_facet_counts_follow_the_other_filters(collection):
    counts = _counts({"language": "ru"})
    # Other facets are narrowed to Russian-language sources...
    assert counts["document_type"] == {"protocol": 1, "letter": 1, "report": 1}
    # ...while the language facet still offers what choosing Mongolian instead would give.
    assert counts["language"] == {"ru": 3, "mn": 2}


def test_facet_options_show_counts_and_keep_the_selection(client, collection):
    body = client.get(reverse("archive:source-list") + "?document_type=report").content.decode()
    assert '<option value="report" selected>Report (2)</option>' in body
    assert '<option value="protocol">Protocol (1)</option>' in body
    assert "Remove filter" in body


@pytest.fixture
def sql_facets(settings):
    """The facets counted in SQL, as for a list with words or dates (the index serves the others)."""
    settings.OPIS_FACET_INDEX = False


def test_every_facet_is_a_filter_listing_as_many_sources_as_it_counts(client, collection, sql_facets):
    facets = compute_facets(SourceFilter, QueryDict(), Source.objects.published())
    assert [facet.param for facet in facets] == [facet.param for facet in FACETS]
    for facet in facets:
        assert SourceFilter.base_filters[facet.param].label == facet.label
        for choice in facet.choices:
            listed = _titles(client, f"?{facet.param}={choice.value}")
            assert len(listed) == choice.count, (facet.param, choice.value)


def test_facet_queries_are_one_per_facet(collection, sql_facets, django_assert_num_queries):
    # One per facet, plus one fetch of ids per distinct list counted on: the list itself (for the six facets
    # not chosen) and the list without each chosen filter (for that filter's alternatives), each estimated by
    # the planner first.
    with django_assert_num_queries(8 + 3 + 2):
        _counts({"language": "ru", "document_type": "report"})


def test_facets_over_ids_count_as_the_grouped_queries_do(collection, sql_facets, monkeypatch):
    queries = ({}, {"language": "ru"}, {"event": "battles", "fond": "17"})
    counted_over_ids = [_counts(query) for query in queries]
    monkeypatch.setattr("archive.public.facets.FACET_IDS_LIMIT", 0)  # every list "too large": the grouped queries
    assert [_counts(query) for query in queries] == counted_over_ids


def test_a_chosen_value_over_a_large_list_shows_itself_and_how_to_see_the_others(
    client, collection, sql_facets, monkeypatch
):
    # The list without the chosen language (4 sources) is over the limit; the list itself (3 sources) is not.
    monkeypatch.setattr("archive.public.facets.FACET_IDS_LIMIT", 3)
    counts = _counts({"language": "ru"})
    assert counts["language"] == {"ru": 3}
    assert counts["document_type"] == {"protocol": 1, "letter": 1, "report": 1}
    body = client.get(reverse("archive:source-list") + "?language=ru").content.decode()
    assert "Choose “Any” to see the other choices" in body
    assert "Choose “Any”" not in client.get(reverse("archive:source-list")).content.decode()


def test_a_chosen_value_without_results_stays_selected(client, collection):
    body = client.get(reverse("archive:source-list") + "?event=treaty&fond=17").content.decode()
    assert '<option value="treaty" selected>' in body
    assert '<option value="17" selected>' in body


def test_empty_facets_are_not_offered(client, collection):
    body = client.get(reverse("archive:source-list")).content.decode()
    assert 'id="id_agent"' not in body  # no source in the collection names a person
    assert 'id="id_language"' in body


def test_a_person_in_two_roles_counts_the_source_once(client):
    from archive.models import AgentRole, SourceAgent
    from tests.factories import AgentFactory

    agent = AgentFactory(slug="stalin", name="Stalin")
    source = SourceFactory(published=True)
    for role in (AgentRole.CREATOR, AgentRole.SIGNATORY):
        SourceAgent.objects.create(source=source, agent=agent, role=role)
    response = client.get(reverse("archive:source-list") + "?agent=stalin")
    assert list(response.context["sources"]) == [source]
    assert '<option value="stalin" selected>Stalin (1)</option>' in response.content.decode()


def test_a_facet_lists_its_most_frequent_choices_and_keeps_a_rarer_chosen_one(client, monkeypatch):
    monkeypatch.setattr("archive.public.facets.FACET_CHOICES", 1)
    SourceFactory.create_batch(2, published=True, document_type="letter")
    SourceFactory(published=True, document_type="telegram")
    url = reverse("archive:source-list")
    types = lambda query: {  # noqa: E731
        c.value: c.count
        for f in client.get(url, query).context["facets"]
        if f.param == "document_type"
        for c in f.choices
    }
    assert types({}) == {"letter": 2}
    assert types({"document_type": "telegram"}) == {"letter": 2, "telegram": 1}


# --- values naming records with their own visibility (events) ---

HIDDEN_EVENTS = {
    "draft": {},
    "review": {"status": Status.REVIEW},
    "withdrawn": {"status": Status.WITHDRAWN, "published_at": timezone.now() - timedelta(days=1)},
    "scheduled": {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
}


def test_every_facet_whose_values_have_their_own_visibility_is_guarded():
    guarded = {facet.param for facet in FACETS if facet.guarded}
    assert guarded == {
        facet.param for facet in FACETS if facet.target and hasattr(facet.target[0].objects, "published")
    }
    assert "event" in guarded


def _anonymised(response, slug: str) -> tuple[int, str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode().replace(slug, "SLUG")


@pytest.mark.parametrize("index", [True, False], ids=["facet-index", "sql"])
@pytest.mark.parametrize("state", HIDDEN_EVENTS)
@pytest.mark.parametrize("others", ["", "&language=ru&document_type=report&sort=-date", "&q=source"])
def test_an_unpublished_event_filters_exactly_as_an_unknown_one(client, collection, settings, index, state, others):
    settings.OPIS_FACET_INDEX = index
    hidden = EventFactory(slug="hidden-event", name="Hidden event", **HIDDEN_EVENTS[state])
    for source in Source.objects.published():
        source.events.add(hidden)  # cited by every published source
    assert client.get(f"{reverse('archive:source-list')}?{others}").context["paginator"].count > 0
    for name in ("archive:source-list", "archive:source-export"):
        url = reverse(name)
        shown = _anonymised(client.get(f"{url}?event=hidden-event{others}"), "hidden-event")
        unknown = _anonymised(client.get(f"{url}?event=no-such-event{others}"), "no-such-event")
        assert shown == unknown, name
        assert "Hidden event" not in shown[1]
