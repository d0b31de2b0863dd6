"""Invalidation per record (archive/public/changes.py, cache.py, dependencies.py): a change makes stale the cached
pages that show what it changed, at once when it commits, and leaves every other page cached."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from archive.models import Source
from archive.public.cache import Page, fresh, page_key, store, written_tags
from archive.public.changes import tags_of
from archive.public.dependencies import links_of
from archive.public.generation import CHANGED_TAGS, read
from archive.settings.production_parts import with_page_cache
from curation import services
from curation.roles import EDITOR
from tests.factories import EventFactory, RepositoryFactory, SourceFactory, UnitFactory, unit_path

pytestmark = pytest.mark.django_db

PAGE_CACHE = override_settings(MIDDLEWARE=with_page_cache(settings.MIDDLEWARE), PUBLIC_CACHE_SECONDS=300)
BIG_CACHE = override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20_000}}}
)
PAGES = 10_000


def latest(record):
    return record.history.order_by("-history_date", "-history_id").first()


def source_page_tags(source_id: int, event_id: int, unit_id: int, repository_id: int, agent_id: int) -> list[str]:
    """What a source page declares (archive/public/views/sources.py): itself, what links to it, what it names."""
    return sorted(
        {
            f"source:{source_id}",
            f"links:source:{source_id}",
            f"event:{event_id}",
            f"unit:{unit_id}",
            f"repository:{repository_id}",
            f"agent:{agent_id}",
        }
    )


def fill(built: int, repository_id: int, fonds_id: int) -> list[str]:
    """PAGES source pages of distinct sources, all in one repository and fonds, as the middleware stores them."""
    keys = []
    for n in range(PAGES):
        source_id = 10_000_000 + n  # sources of their own, none of them the one edited
        key = page_key("testserver", "en", f"/sources/other-{n}/")
        tags = source_page_tags(source_id, 20_000_000 + n % 500, fonds_id, repository_id, 30_000_000 + n % 800)
        store(key, Page(b"<html>a page</html>", 200, {}, built, [], tags))
        keys.append(key)
    return keys


@BIG_CACHE
@pytest.mark.django_db(transaction=True)
def test_one_edit_leaves_the_pages_of_unrelated_sources_cached_and_makes_its_own_stale(make_member):
    editor = make_member(EDITOR)
    fonds = unit_path("558")
    event = EventFactory(published=True)
    source = SourceFactory(published=True, title="First title", repository=fonds.repository, unit=fonds)
    source.events.add(event)
    source.save()
    first = latest(source)
    source.title = "Second title"
    source.save()
    built = read()
    keys = fill(built, fonds.repository_id, fonds.pk)
    own = {  # the pages that show the source: its page, its event's, the list
        "source": Page(
            b"", 200, {}, built, [], source_page_tags(source.pk, event.pk, fonds.pk, fonds.repository_id, 1)
        ),
        "event": Page(b"", 200, {}, built, [], sorted({f"event:{event.pk}", f"links:event:{event.pk}"})),
        "list": Page(b"", 200, {}, built, [], ["list:event", "list:source", "list:unit"]),
    }

    services.restore_version(instance=Source.objects.get(pk=source.pk), history_id=first.history_id, user=editor)

    still_fresh = sum(fresh(page) for page in cache.get_many(keys).values())
    assert len(cache.get_many(keys)) == PAGES  # all of them stored, none evicted
    assert still_fresh >= PAGES * 99 // 100
    assert [name for name, page in own.items() if fresh(page)] == []


@PAGE_CACHE
@pytest.mark.django_db(transaction=True)
def test_an_edit_shows_at_once_on_every_page_that_shows_the_source(client, make_member):
    editor = make_member(EDITOR)
    event = EventFactory(published=True)
    source = SourceFactory(published=True, title="Protocol of 12 March")
    source.events.add(event)
    source.save()  # a version with its event: restoring it keeps the link
    first = latest(source)
    source.title = "Protocol of the Politburo"
    source.save()
    pages = [source.get_absolute_url(), event.get_absolute_url(), reverse("archive:source-list")]
    for page in pages:
        client.get(page)
    assert [client.get(page)["X-Opis-Cache"] for page in pages] == ["hit"] * 3

    services.restore_version(instance=Source.objects.get(pk=source.pk), history_id=first.history_id, user=editor)

    responses = [client.get(page) for page in pages]
    assert [response["X-Opis-Cache"] for response in responses] == ["miss"] * 3
    assert ["Protocol of 12 March" in response.text for response in responses] == [True] * 3
    assert not any("Protocol of the Politburo" in response.text for response in responses)


@PAGE_CACHE
def test_a_source_moved_from_one_event_to_another_changes_both_event_pages(client):
    before, after = EventFactory(published=True), EventFactory(published=True)
    source = SourceFactory(published=True, title="The moved protocol")
    source.events.add(before)
    # Each event page shows more sources than it lists, so its count changes too, whichever it shows.
    for other in SourceFactory.create_batch(2, published=True):
        other.events.add(before, after)
    pages = [before.get_absolute_url(), after.get_absolute_url()]
    assert ["The moved protocol" in client.get(page).text for page in pages] == [True, False]
    assert [client.get(page)["X-Opis-Cache"] for page in pages] == ["hit", "hit"]

    with transaction.atomic():
        source.events.set([after])

    assert ["The moved protocol" in client.get(page).text for page in pages] == [False, True]


@PAGE_CACHE
def test_a_new_source_linked_to_an_event_shows_on_its_cached_page(client):
    event = EventFactory(published=True)
    page = event.get_absolute_url()
    client.get(page)
    source = SourceFactory(published=True, title="A protocol found later")
    source.events.add(event)
    response = client.get(page)
    assert response["X-Opis-Cache"] == "miss" and "A protocol found later" in response.text


@PAGE_CACHE
def test_an_edit_of_one_source_keeps_the_page_of_another_in_the_same_fonds_and_event(client):
    fonds = unit_path("17")
    event = EventFactory(published=True)
    edited, other = SourceFactory.create_batch(2, published=True, repository=fonds.repository, unit=fonds)
    edited.events.add(event)
    other.events.add(event)
    client.get(other.get_absolute_url())
    edited.title = "Renamed"
    edited.save()
    assert client.get(other.get_absolute_url())["X-Opis-Cache"] == "hit"


@BIG_CACHE
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_pages_fresh_and_an_unfolded_one_makes_them_stale():
    built = read()
    tags = ["event:1", "source:1"]
    page = Page(b"", 200, {}, built, [], tags)
    other = Page(b"", 200, {}, built, [], ["event:2", "source:2"])
    with pytest.raises(RuntimeError), transaction.atomic():
        source = SourceFactory(published=True)
        with connection.cursor() as cursor:
            cursor.execute(CHANGED_TAGS, [tags])
        raise RuntimeError(f"rolled back with {source}")
    assert fresh(page) and fresh(other)

    with connection.cursor() as cursor:  # committed (autocommit), never folded: its generation is not known
        cursor.execute(CHANGED_TAGS, [["source:1"]])
    assert not fresh(page) and fresh(other)


@PAGE_CACHE
def test_a_page_that_declares_nothing_depends_on_everything(client):
    page = reverse("archive:search")
    client.get(page)
    assert client.get(page)["X-Opis-Cache"] == "hit"
    EventFactory()  # an unpublished event, shown nowhere
    assert client.get(page)["X-Opis-Cache"] == "miss"


@PAGE_CACHE
def test_a_curators_preview_is_never_stored(client, curator_client):
    source = SourceFactory(title="A draft")
    assert curator_client.get(source.get_absolute_url()).status_code == 200
    curator_client.logout()
    client.cookies.clear()
    assert client.get(source.get_absolute_url()).status_code == 404


def test_a_unit_moved_to_another_fonds_makes_stale_what_it_leaves_and_joins_and_what_is_under_it(make_member):
    editor = make_member(EDITOR)
    stalin, central = UnitFactory(number="558"), UnitFactory(number="17")
    moved, kept = UnitFactory(parent=stalin), UnitFactory(parent=stalin)
    file = UnitFactory(parent=moved)
    source = SourceFactory(unit=file, repository=stalin.repository)
    built = read()

    def page(*shown, listing=()):
        return Page(b"", 200, {}, int(built), list(built.unfolded), sorted(tags_of(*shown) | links_of(*listing)))

    pages = {  # each as its view declares it: itself, its crumbs, what links to it
        "fonds 558": page(stalin, listing=[stalin]),
        "fonds 17": page(central, listing=[central]),
        "inventory kept in 558": page(kept, stalin, listing=[kept]),
        "file moved": page(file, moved, stalin, listing=[file]),
        "source moved": page(source, file, moved, stalin, listing=[source]),
    }

    services.unit_move(unit=moved, parent=central, user=editor)

    assert [name for name, shown in pages.items() if fresh(shown)] == ["inventory kept in 558"]


def test_clearing_links_names_both_sides_read_before_the_clear():
    event = EventFactory(published=True)
    source = SourceFactory(published=True)
    source.events.add(event)
    built = read()
    event_page = Page(b"", 200, {}, int(built), list(built.unfolded), sorted(links_of(event)))
    source.events.clear()
    assert not fresh(event_page)


def test_a_bulk_write_names_its_records_and_what_they_link_to():
    fonds = unit_path("558")
    event = EventFactory()
    source = SourceFactory(unit=fonds, repository=fonds.repository)
    source.events.add(event)
    assert written_tags(Source, [source.pk]) == {
        f"source:{source.pk}",
        f"links:source:{source.pk}",
        "list:source",
        "listing:source",
        f"links:event:{event.pk}",
        f"links:unit:{fonds.pk}",
        f"links:repository:{fonds.repository_id}",
    }
    assert written_tags(Source, range(50_001)) is None  # too many: everything


def facet_lists(shown, other) -> dict[str, str]:
    """Source lists: by a facet that holds `shown`, by one that does not, and two whose sources words or titles
    choose and order."""
    url = reverse("archive:source-list")
    return {
        "by its repository": f"{url}?repository={shown.code}",
        "by another repository": f"{url}?repository={other.code}",
        "by another repository, newest first": f"{url}?repository={other.code}&sort=-date",
        "by words": f"{url}?q=protocol",
        "by another repository, by title": f"{url}?repository={other.code}&sort=title",
    }


@pytest.fixture
def two_archives():
    """A source in one repository and another in a second, the second repository, and the lists of both."""
    shown, other = RepositoryFactory(), RepositoryFactory(code="NARA", name="National Archives")
    source = SourceFactory(published=True, title="Protocol of 12 March", repository=shown)
    SourceFactory(published=True, title="Protocol on the border", repository=other)
    return source, other, facet_lists(shown, other)


def cached(client, paths) -> list[str]:
    """Each page visited, then whether the next visit is served from the page cache."""
    for path in paths:
        client.get(path)
    return [client.get(path)["X-Opis-Cache"] for path in paths]


@PAGE_CACHE
@pytest.mark.django_db(transaction=True)
def test_a_title_edited_leaves_cached_the_lists_by_facets_that_do_not_show_the_source(
    client, make_member, two_archives
):
    editor = make_member(EDITOR)
    edited, _, lists = two_archives
    assert cached(client, lists.values()) == ["hit"] * len(lists)

    services.edit_record(instance=edited, user=editor, values={"title": "Protocol of the Politburo"})

    misses = [name for name, path in lists.items() if client.get(path)["X-Opis-Cache"] == "miss"]
    assert misses == ["by its repository", "by words", "by another repository, by title"]
    assert "Protocol of the Politburo" in client.get(lists["by its repository"]).text
    assert "Protocol of the Politburo" in client.get(lists["by words"]).text


@PAGE_CACHE
@pytest.mark.django_db(transaction=True)
def test_a_source_moved_to_another_facet_value_makes_the_lists_by_facets_stale(client, make_member, two_archives):
    editor = make_member(EDITOR)
    moved, other, lists = two_archives
    assert cached(client, lists.values()) == ["hit"] * len(lists)

    services.edit_record(instance=moved, user=editor, values={"repository": other})

    responses = {name: client.get(path) for name, path in lists.items()}
    assert [response["X-Opis-Cache"] for response in responses.values()] == ["miss"] * len(lists)
    assert "Protocol of 12 March" not in responses["by its repository"].text
    assert "Protocol of 12 March" in responses["by another repository, newest first"].text


@PAGE_CACHE
@pytest.mark.django_db(transaction=True)
def test_a_source_withdrawn_leaves_every_list_by_facets(client, make_member):
    shown, other = RepositoryFactory(), RepositoryFactory(code="NARA", name="National Archives")
    withdrawn = SourceFactory(published=True, title="Protocol of 12 March", repository=shown)
    kept = SourceFactory(published=True, title="Protocol of 13 March", repository=shown)
    path = facet_lists(shown, other)["by its repository"] + "&per_page=10&page=1"
    client.get(path)
    assert kept.title in client.get(path).text

    services.apply_transition(instance=withdrawn, name="withdraw", user=make_member(EDITOR), reason="A copy")

    response = client.get(path)
    assert response["X-Opis-Cache"] == "miss"
    assert withdrawn.title not in response.text and kept.title in response.text
