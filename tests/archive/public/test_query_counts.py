"""The number of queries a public page makes does not grow with its page size or a record's relations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.public import facet_index
from tests.factories import (
    AgentFactory,
    CommentaryFactory,
    EventFactory,
    PlaceFactory,
    SourceFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def richly_related(source, n: int):
    from archive.models import AgentRole, SourceAgent

    source.places.set(PlaceFactory.create_batch(n))
    source.subjects.set(SubjectFactory.create_batch(n))
    source.events.set(EventFactory.create_batch(n, published=True))
    for agent in AgentFactory.create_batch(n):
        SourceAgent.objects.create(source=source, agent=agent, role=AgentRole.MENTIONED)
    CommentaryFactory.create_batch(n, source=source, status="published", published_at=source.published_at)


def test_source_detail_queries_do_not_grow_with_relations(client):
    lean, rich = SourceFactory(published=True), SourceFactory(published=True)
    richly_related(lean, 1)
    richly_related(rich, 8)
    assert queries(client, rich.get_absolute_url()) == queries(client, lean.get_absolute_url())


def test_event_detail_queries_do_not_grow_with_its_sources(client):
    small, large = EventFactory(published=True), EventFactory(published=True)
    SourceFactory(published=True).events.add(small)
    for source in SourceFactory.create_batch(12, published=True):
        source.events.add(large)
    assert queries(client, large.get_absolute_url()) == queries(client, small.get_absolute_url())


def list_queries(client) -> int:
    """The source list's queries right after a change to the records (nothing cached for it), with the facet
    index (when on) already built: the page's own queries, not the index's."""
    facet_index.current_index()
    return queries(client, reverse("archive:source-list"))


@pytest.mark.parametrize("index", [True, False], ids=["facet index", "SQL"])
def test_source_list_queries_do_not_grow_with_the_page(client, settings, index):
    settings.OPIS_FACET_INDEX = index
    SourceFactory.create_batch(2, published=True)
    few = list_queries(client)
    SourceFactory.create_batch(20, published=True)
    assert list_queries(client) == few


def test_home_queries_do_not_grow_with_the_collection(client):
    SourceFactory.create_batch(2, published=True)
    few = queries(client, reverse("archive:home"))
    SourceFactory.create_batch(10, published=True)
    assert queries(client, reverse("archive:home")) == few


@pytest.mark.parametrize("index", [True, False], ids=["facet index", "SQL"])
def test_source_list_queries_do_not_grow_with_the_values_chosen(client, settings, index):
    """No query per value: three languages and two events cost what one of each does."""
    from tests.factories import LanguageFactory

    settings.OPIS_FACET_INDEX = index
    languages = [LanguageFactory(code=code) for code in ("ru", "mn", "en")]
    events = EventFactory.create_batch(2, published=True)
    for number, source in enumerate(SourceFactory.create_batch(6, published=True)):
        source.languages.add(languages[number % 3])
        source.events.add(events[number % 2])
    url = reverse("archive:source-list")

    def fresh(query: str) -> int:  # with an index just built: the labels it keeps are read again
        facet_index.forget()
        facet_index.current_index()
        return queries(client, f"{url}?{query}")

    one = fresh(f"language={languages[0].code}&event={events[0].slug}")
    several = "&".join([*(f"language={lang.code}" for lang in languages), *(f"event={ev.slug}" for ev in events)])
    assert fresh(several) == one
