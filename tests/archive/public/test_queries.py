"""Every public page runs a constant number of queries, whatever the page size or the number of records."""

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import AgentRole, SourceAgent, Status
from archive.public import facet_index, search
from tests.factories import (
    AgentFactory,
    CommentaryFactory,
    EventFactory,
    LanguageFactory,
    PlaceFactory,
    SourceFactory,
    SubjectFactory,
    unit_path,
)

pytestmark = pytest.mark.django_db


def _collection(size: int):
    language, place, subject, agent = LanguageFactory(), PlaceFactory(), SubjectFactory(), AgentFactory()
    event = EventFactory(published=True, name="Khalkhin event")
    for number in range(size):
        source = SourceFactory(published=True, title=f"Khalkhin report {number}", unit=unit_path("17", "1", "5"))
        source.languages.add(language)
        source.places.add(place)
        source.subjects.add(subject)
        source.events.add(event)
        SourceAgent.objects.create(source=source, agent=agent, role=AgentRole.CREATOR)
        CommentaryFactory(
            source=source, title=f"Khalkhin note {number}", status=Status.PUBLISHED, published_at=timezone.now()
        )
        EventFactory(published=True, parent=event, name=f"Khalkhin phase {number}")
    return source, event, agent, place


@pytest.mark.parametrize("size, per_page", [(3, 10), (40, 10), (40, 100)])
@pytest.mark.parametrize("words", ["", "Khalkhin", "Khalkin"])
def test_source_list_queries_do_not_grow(client, django_assert_max_num_queries, size, per_page, words):
    _collection(size)
    facet_index.current_index()  # built once per process and change to the records, not per page
    # In SQL (with words): count + page + 8 facets, the ids the facets are counted over (the list, and the list
    # without the chosen language, estimated first by the planner), and one more to decide between full text and
    # near spellings. From the facet index (no words): the page and the labels of the values shown (one query per
    # facet whose values are records: repository, fonds, language, event, agent, place, subject).
    with django_assert_max_num_queries(14 if words else 9):
        response = client.get(reverse("archive:source-list"), {"per_page": per_page, "language": "ru", "q": words})
    # The misspelling finds the sources too, through trigram similarity.
    assert len(response.context["sources"]) == min(size, per_page)


@pytest.mark.parametrize("size", [2, 30])
def test_detail_pages_and_timeline_queries_do_not_grow(client, django_assert_max_num_queries, size):
    source, event, agent, place = _collection(size)
    limits = {
        source.get_absolute_url(): 11,  # with the ids of every event it is linked to (the page's tags)
        event.get_absolute_url(): 8,
        agent.get_absolute_url(): 4,
        place.get_absolute_url(): 4,
        reverse("archive:event-list"): 2,
        reverse("archive:home"): 5,
    }
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_search_queries_do_not_grow(client, django_assert_max_num_queries, size):
    _collection(size)
    # One per kind to rank, one per kind on the page, and the public generation (read once per request).
    with django_assert_max_num_queries(2 * len(search.KINDS) + 1):
        response = client.get(reverse("archive:search"), {"q": "Khalkhin"})
    assert len(response.context["hits"]) == min(20, 3 * size + 1)


@pytest.mark.parametrize("size", [3, 40])
def test_sitemap_and_feed_queries_do_not_grow(client, django_assert_max_num_queries, size):
    _collection(size)
    with django_assert_max_num_queries(13):  # two per section but the static pages, and the generation
        client.get(reverse("archive:sitemap"))
    with django_assert_max_num_queries(3):  # the feed's own two, and the public generation
        client.get(reverse("archive:source-feed"))
