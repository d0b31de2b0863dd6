"""The source list: filters combine (several values of one facet: any of them; several facets: all of them), facet
counts are right, a bad value is refused alone, every state is a link."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from archive.models import Source, Status
from archive.public.facets import FACETS, compute_facets
from archive.public.filters import SourceFilter
from tests.archive.public.markup import checkboxes, chips, page_links
from tests.factories import (
    EventFactory,
    LanguageFactory,
    RepositoryFactory,
    SourceFactory,
    SubjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection():
    ru, mn = LanguageFactory(code="ru", name="Russian"), LanguageFactory(code="mn", name="Mongolian")
    battle = EventFactory(published=True, slug="battles", name="Battles")
    treaty = EventFactory(published=True, slug="treaty", name="Treaty")
    army = SubjectFactory(slug="army", term="Army")
    # The fond facet's values are the fonds' slugs: here their numbers.
    fonds = {number: UnitFactory(number=number, slug=number, published=True) for number in ("558", "17")}
    specs = [
        ("protocol", "1936-03-12", "558", [ru, mn], [treaty], True),
        ("letter", "1934-11-27", "558", [ru], [treaty], True),
        ("report", "1939-07", "17", [ru], [battle], True),
        ("report", "1939-08-20", "17", [mn], [battle], True),
        ("report", "1939-08-21", "17", [ru], [battle], False),  # a draft: never counted
    ]
    for number, (kind, date, fond, languages, events, published) in enumerate(specs):
        source = SourceFactory(
            identifier=f"S-{number}", document_type=kind, date_edtf=date, unit=fonds[fond], published=published
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


def test_a_bad_date_is_refused_beside_its_field_and_the_other_filters_still_apply(client, collection):
    response = client.get(reverse("archive:source-list") + "?date_from=spring&date_to=1939&document_type=report")
    assert sorted(source.identifier for source in response.context["sources"]) == ["S-2", "S-3"]
    assert response.context["paginator"].count == 2
    body = response.content.decode()
    date_field = body.split('<label for="id_date_from">', 1)[1].split("</div>", 1)[0]
    assert 'value="spring"' in date_field and 'aria-invalid="true"' in date_field
    assert '<p id="id_date_from_error" class="field-error">Give a year (1936)' in date_field
    assert 'aria-describedby="id_date_from_error date-help"' in date_field
    assert '<a href="#id_date_from">From</a>: Give a year (1936)' in body  # the summary links to the field
    assert checkboxes(body, "document_type")["report"] == ("Report (2)", True)
    assert set(chips(body)) == {"Remove filter To: 1939", "Remove filter Document type: Report"}
    # The CSV of the list shown: its valid filters only.
    export = body.split('<p class="export"><a href="', 1)[1].split('"', 1)[0]
    assert QueryDict(export.split("?", 1)[1].replace("&amp;", "&")) == QueryDict("date_to=1939&document_type=report")


def test_a_bad_date_keeps_every_chosen_value_marked(client, collection):
    url = reverse("archive:source-list") + "?date_from=1939-13&language=ru&language=mn&event=treaty"
    response = client.get(url)
    assert sorted(source.identifier for source in response.context["sources"]) == ["S-0", "S-1"]
    body = response.content.decode()
    assert "“1939-13” is not a real date." in body
    assert {value for value, (_, checked) in checkboxes(body, "language").items() if checked} == {"ru", "mn"}
    assert checkboxes(body, "event")["treaty"] == ("Treaty (2)", True)


def test_sort_by_date_descending_and_title(client, collection):
    response = client.get(reverse("archive:source-list") + "?sort=-date")
    assert [s.identifier for s in response.context["sources"]] == ["S-3", "S-2", "S-0", "S-1"]


def _query(data: dict) -> QueryDict:
    """A query string from {name: value or [values]}."""
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


def _counts(data: dict) -> dict[str, dict[str, int]]:
    facets = compute_facets(SourceFilter, _query(data), Source.objects.published())
    return {facet.param: {choice.value: choice.count for choice in facet.choices} for facet in facets}


def test_several_values_of_one_facet_list_the_sources_having_any_of_them(client, collection):
    assert _titles(client, "?document_type=report&document_type=letter") == ["S-1", "S-2", "S-3"]
    # S-0 is in both languages: listed once.
    assert _titles(client, "?language=ru&language=mn") == ["S-0", "S-1", "S-2", "S-3"]
    assert client.get(reverse("archive:source-list") + "?language=ru&language=mn").context["paginator"].count == 4


def test_values_of_different_facets_must_all_hold(client, collection):
    assert _titles(client, "?document_type=report&document_type=protocol&language=mn") == ["S-0", "S-3"]
    assert _titles(client, "?language=ru&language=mn&event=treaty") == ["S-0", "S-1"]
    assert _titles(client, "?language=ru&language=mn&event=treaty&event=battles&fond=17") == ["S-2", "S-3"]
    assert _titles(client, "?document_type=report&document_type=letter&fond=558&fond=17&date_to=1936") == ["S-1"]


def test_a_facet_counts_with_the_other_facets_values_but_not_its_own(collection):
    counts = _counts({"document_type": ["report", "letter"], "language": "ru"})
    # The types among the Russian sources: what each would give added to the list (or on its own).
    assert counts["document_type"] == {"protocol": 1, "letter": 1, "report": 1}
    # The languages among the reports and letters (S-1, S-2, S-3).
    assert counts["language"] == {"ru": 2, "mn": 1}
    # Every other facet with both: the Russian reports and letters (S-1, S-2).
    assert counts["event"] == {"treaty": 1, "battles": 1}
    assert counts["fond"] == {"558": 1, "17": 1}


def test_every_chosen_value_is_marked_and_removable_on_its_own(client, collection):
    response = client.get(reverse("archive:source-list") + "?document_type=report&document_type=letter&language=ru")
    body = response.content.decode()
    assert checkboxes(body, "document_type") == {
        "letter": ("Letter (1)", True),
        "protocol": ("Protocol (1)", False),
        "report": ("Report (1)", True),
    }
    assert checkboxes(body, "language") == {"ru": ("Russian (2)", True), "mn": ("Mongolian (1)", False)}
    assert chips(body) == {
        "Remove filter Document type: Letter": QueryDict("document_type=report&language=ru"),
        "Remove filter Document type: Report": QueryDict("document_type=letter&language=ru"),
        "Remove filter Language: Russian": QueryDict("document_type=report&document_type=letter"),
    }


def test_the_export_follows_several_values_of_several_facets(client, collection):
    response = client.get(reverse("archive:source-export") + "?document_type=report&document_type=letter&language=ru")
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[1:]
    assert sorted(row.split(",", 1)[0] for row in rows) == ["S-1", "S-2"]


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


def test_facet_choices_show_counts_and_keep_the_selection(client, collection):
    body = client.get(reverse("archive:source-list") + "?document_type=report").content.decode()
    assert checkboxes(body, "document_type")["report"] == ("Report (2)", True)
    assert checkboxes(body, "document_type")["protocol"] == ("Protocol (1)", False)
    assert list(chips(body)) == ["Remove filter Document type: Report"]


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
    assert "Remove this filter to see the other choices" in body
    assert "Remove this filter" not in client.get(reverse("archive:source-list")).content.decode()


def test_a_chosen_value_without_results_stays_selected(client, collection):
    body = client.get(reverse("archive:source-list") + "?event=treaty&fond=17").content.decode()
    assert checkboxes(body, "event")["treaty"] == ("Treaty (0)", True)  # still named: it names a published event
    assert checkboxes(body, "fond")["17"] == ("Ф. 17: Fonds 17 (0)", True)


def test_the_fond_facet_names_published_fonds_by_reference_and_title(client, collection):
    draft = UnitFactory(number="495", slug="495", title="Comintern: a draft title")
    SourceFactory(identifier="S-5", published=True, unit=draft)  # a published source in a draft fonds
    stalin = Source.objects.get(identifier="S-0").unit
    stalin.title, stalin.title_original = "Stalin's personal fond", "Сталин Иосиф Виссарионович"
    stalin.save()
    SourceFactory(identifier="S-6", published=True, unit=UnitFactory(parent=stalin, number="11"))  # deeper down
    body = client.get(reverse("archive:source-list")).content.decode()
    assert checkboxes(body, "fond") == {
        "558": ("Ф. 558: Stalin's personal fond (3)", False),
        "17": ("Ф. 17: Fonds 17 (2)", False),
    }
    assert "draft title" not in body and _titles(client, "?fond=558") == ["S-0", "S-1", "S-6"]
    assert "S-5" in _titles(client, "") and _titles(client, "?fond=495") == []


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
    assert checkboxes(response.content.decode(), "agent") == {"stalin": ("Stalin (1)", True)}


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
    assert types({"document_type": ["telegram", "letter", "memo"]}) == {"letter": 2, "telegram": 1, "memo": 0}


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


@pytest.mark.parametrize("index", [True, False], ids=["facet-index", "sql"])
@pytest.mark.parametrize("state", HIDDEN_EVENTS)
def test_an_unpublished_event_among_published_ones_filters_as_an_unknown_one(
    client, collection, settings, index, state
):
    settings.OPIS_FACET_INDEX = index
    hidden = EventFactory(slug="hidden-event", name="Hidden event", **HIDDEN_EVENTS[state])
    for source in Source.objects.published():
        source.events.add(hidden)  # cited by every published source
    for name in ("archive:source-list", "archive:source-export"):
        url, others = reverse(name), "&language=ru&language=mn"
        shown = _anonymised(client.get(f"{url}?event=battles&event=hidden-event{others}"), "hidden-event")
        unknown = _anonymised(client.get(f"{url}?event=battles&event=no-such-event{others}"), "no-such-event")
        assert shown == unknown, name
        assert "Hidden event" not in shown[1]
    response = client.get(reverse("archive:source-list") + "?event=battles&event=hidden-event")
    assert sorted(source.identifier for source in response.context["sources"]) == ["S-2", "S-3"]
    assert checkboxes(response.content.decode(), "event") == {
        "battles": ("Battles (2)", True),
        "treaty": ("Treaty (2)", False),
        "hidden-event": ("hidden-event (0)", True),  # shown as itself, as an unknown value is
    }


def test_too_many_values_of_one_facet_are_refused_beside_it(client, collection):
    from archive.public.filters import MAX_VALUES

    many = "&".join(f"language=l{number}" for number in range(MAX_VALUES + 1))
    response = client.get(f"{reverse('archive:source-list')}?{many}&document_type=report")
    assert sorted(source.identifier for source in response.context["sources"]) == ["S-2", "S-3"]
    body = response.content.decode()
    message = f"Choose at most {MAX_VALUES} values of one filter."
    assert f'<p id="id_language_error" class="field-error">{message}</p>' in body


# --- pages ---


@pytest.fixture
def hundred_reports():
    """101 published Russian reports in one repository: eleven pages of ten, the last of one."""
    repository, russian = RepositoryFactory(code="RGASPI"), LanguageFactory(code="ru", name="Russian")
    for source in SourceFactory.create_batch(101, published=True, repository=repository, document_type="report"):
        source.languages.add(russian)


def _pages(client, query: str) -> list[tuple[str, int, bool]]:
    response = client.get(reverse("archive:source-list") + query)
    links = page_links(response.content.decode())
    for _, link, _ in links:  # every link keeps the list's filters, its values and its page size
        assert {key: link.getlist(key) for key in link if key != "page"} == {
            "language": ["ru"],
            "document_type": ["report", "letter"],
            "per_page": ["10"],
        }
    return [(text, int(link["page"]), current) for text, link, current in links]


def test_pages_are_numbered_around_the_current_one_with_first_previous_next_and_last(client, hundred_reports):
    filters = "?language=ru&document_type=report&document_type=letter&per_page=10"
    assert _pages(client, filters + "&page=6") == [
        ("First", 1, False),
        ("Previous", 5, False),
        ("Page 1", 1, False),
        ("Page 4", 4, False),
        ("Page 5", 5, False),
        ("Page 6", 6, True),
        ("Page 7", 7, False),
        ("Page 8", 8, False),
        ("Page 11", 11, False),
        ("Next", 7, False),
        ("Last", 11, False),
    ]
    body = client.get(reverse("archive:source-list") + filters + "&page=6").content.decode()
    assert body.count('<li class="pagination__gap" aria-hidden="true">…</li>') == 2
    assert '<nav class="pagination" aria-label="Pages">' in body
    assert _pages(client, filters) == [
        ("Page 1", 1, True),
        ("Page 2", 2, False),
        ("Page 3", 3, False),
        ("Page 11", 11, False),
        ("Next", 2, False),
        ("Last", 11, False),
    ]
    assert _pages(client, filters + "&page=last") == [
        ("First", 1, False),
        ("Previous", 10, False),
        ("Page 1", 1, False),
        ("Page 9", 9, False),
        ("Page 10", 10, False),
        ("Page 11", 11, True),
    ]
