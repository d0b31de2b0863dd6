"""Search over every kind of record: people, places, subjects and units as well as documents, by their name
variants and original-language names, with each authority public only through published records."""

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import Level, Unit
from tests.factories import (
    AgentFactory,
    CommentaryFactory,
    EventFactory,
    PlaceFactory,
    RepositoryFactory,
    SourceFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def _search(client, query: str, **params):
    response = client.get(reverse("archive:search"), {"q": query, **params})
    assert response.status_code == 200
    return response


def _found(client, query: str) -> list[tuple[str, str]]:
    return [(hit.kind.key, hit.object.get_absolute_url()) for hit in _search(client, query).context["hits"]]


@pytest.fixture
def stalin():
    agent = AgentFactory(
        name="Stalin, Joseph", name_original="Сталин И. В.", name_variants="Joseph Stalin\nИосиф Виссарионович Сталин"
    )
    SourceFactory(published=True, title="Letter to Choibalsan").agent_links.create(agent=agent)
    return agent


@pytest.fixture
def khalkhin_gol():
    place = PlaceFactory(name="Khalkhin Gol", name_original="Халхин-Гол", name_variants="Nomonhan\nНомонхан")
    EventFactory(published=True, name="Battles of 1939").places.add(place)
    return place


def test_stalin_lists_the_person(client, stalin):
    assert ("agent", stalin.get_absolute_url()) in _found(client, "Stalin")


@pytest.mark.parametrize("query", ["Сталин", "Stallin", "Иосиф Виссарионович"])
def test_the_person_by_original_name_variant_and_misspelling(client, stalin, query):
    assert ("agent", stalin.get_absolute_url()) in _found(client, query)


@pytest.mark.parametrize("query", ["Номонхан", "Nomonhan", "Халхин-Гол"])
def test_a_name_variant_finds_the_place(client, khalkhin_gol, query):
    assert ("place", khalkhin_gol.get_absolute_url()) in _found(client, query)


def test_an_authority_named_only_by_drafts_is_not_found(client):
    agent = AgentFactory(name="Stalin, Joseph")
    SourceFactory(title="A draft letter").agent_links.create(agent=agent)
    place = PlaceFactory(name="Nomonhan")
    EventFactory(name="A draft event").places.add(place)
    assert _found(client, "Stalin") == []
    assert _found(client, "Nomonhan") == []


def test_subjects_are_found_through_published_records(client):
    subject = SubjectFactory(term="Military cooperation", term_original="Военное сотрудничество")
    SourceFactory(published=True, title="Protocol").subjects.add(subject)
    hidden = SubjectFactory(term="Military intelligence")
    SourceFactory(title="Draft").subjects.add(hidden)
    found = _found(client, "военное сотрудничество")
    assert ("subject", subject.get_absolute_url()) in found
    assert not any(url == hidden.get_absolute_url() for _kind, url in _found(client, "military intelligence"))


def _unit(**fields) -> Unit:
    repository = fields.pop("repository", None) or RepositoryFactory()
    number = fields.pop("number", "558")
    return Unit.objects.create(
        identifier=f"{repository.code}-{number}",
        slug=f"{repository.code.lower()}-{number}",
        repository=repository,
        level=Level.FONDS,
        number=number,
        **fields,
    )


def test_fonds_are_found_and_drafts_are_not(client):
    fonds = _unit(
        title="Stalin's personal fond",
        title_original="Личный фонд И. В. Сталина",
        status="published",
        published_at=timezone.now(),
    )
    draft = _unit(number="17", title="Central Committee of the party", title_original="ЦК ВКП(б)")
    assert ("unit", fonds.get_absolute_url()) in _found(client, "личный фонд")
    assert _found(client, "Central Committee") == []
    assert not draft.is_published


def test_results_are_counted_by_kind(client, stalin):
    EventFactory(published=True, name="Stalin's interview with Roy Howard")
    response = _search(client, "Stalin")
    counts = {kind.key: count for kind, count in response.context["kinds"]}
    assert counts["agent"] == 1 and counts["event"] == 1 and counts["source"] == 0
    only_people = _search(client, "Stalin", type="agent").context["hits"]
    assert [hit.kind.key for hit in only_people] == ["agent"]


def test_commentary_snippets_show_text_not_markdown(client):
    CommentaryFactory(
        status="published",
        published_at=timezone.now(),
        source=SourceFactory(published=True),
        title="On the agreement",
        body="The **gentlemen's agreement** of 1934 was [never published](https://example.org/x) as a `treaty`.",
    )
    response = _search(client, "gentlemen agreement", type="commentary")
    snippet = str(response.context["hits"][0].snippet)
    assert "agreement</mark>" in snippet
    assert "*" not in snippet and "](" not in snippet and "`" not in snippet and "example.org" not in snippet
    assert "never published" in snippet
