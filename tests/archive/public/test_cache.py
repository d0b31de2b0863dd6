import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from archive.models import Status
from archive.settings.production_parts import with_page_cache
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

# As in production: right after LocaleMiddleware, the generation trusted for a second in this process.
PAGE_CACHE = override_settings(
    MIDDLEWARE=with_page_cache(settings.MIDDLEWARE), PUBLIC_CACHE_SECONDS=300, PUBLIC_GENERATION_MEMO_SECONDS=1
)


def test_a_save_makes_the_public_cache_stale_again_when_it_commits(django_capture_on_commit_callbacks):
    from archive.public.cache import generation

    with django_capture_on_commit_callbacks(execute=True):
        source = SourceFactory(published=True)
        saved = generation()  # what another worker could build a page at before the commit
    assert generation() != saved
    with django_capture_on_commit_callbacks() as callbacks:
        source.save()
    assert callbacks, "the save in a transaction asks for a bump at commit"


def test_home_counts_follow_a_publication(client):
    SourceFactory(published=True)
    assert "1 published source" in client.get(reverse("archive:home")).text
    SourceFactory(published=True)
    assert "2 published sources" in client.get(reverse("archive:home")).text


@PAGE_CACHE
def test_a_public_page_is_served_from_the_cache_until_the_source_is_withdrawn(client):
    source = SourceFactory(published=True, title="Protocol of 12 March 1936")
    first = client.get(source.get_absolute_url())
    second = client.get(source.get_absolute_url())
    assert first["X-Opis-Cache"] == "miss" and second["X-Opis-Cache"] == "hit"
    assert "Protocol of 12 March 1936" in second.text
    source.status = Status.WITHDRAWN
    source.save()
    assert client.get(source.get_absolute_url()).status_code == 404


@PAGE_CACHE
def test_an_edit_to_a_published_source_shows_on_the_next_visit(client):
    source = SourceFactory(published=True, title="Old title")
    client.get(source.get_absolute_url())
    source.title = "New title"
    source.save()
    assert "New title" in client.get(source.get_absolute_url()).text


@PAGE_CACHE
def test_visitors_with_a_session_are_never_served_from_the_cache(client, curator_client):
    source = SourceFactory(published=True)
    client.get(source.get_absolute_url())
    response = curator_client.get(source.get_absolute_url())
    assert "X-Opis-Cache" not in response


@PAGE_CACHE
def test_the_admin_and_missing_pages_are_not_cached(client):
    assert client.get("/sources/no-such-source/").status_code == 404
    assert "X-Opis-Cache" not in client.get("/sources/no-such-source/")
    assert "X-Opis-Cache" not in client.get(reverse("admin:login"))


def test_the_source_list_total_follows_a_publication(client):
    SourceFactory.create_batch(2, published=True)
    assert client.get(reverse("archive:source-list")).context["paginator"].count == 2
    source = SourceFactory(published=True)
    assert client.get(reverse("archive:source-list")).context["paginator"].count == 3
    source.delete()
    assert client.get(reverse("archive:source-list")).context["paginator"].count == 2


@PAGE_CACHE
@pytest.mark.parametrize(
    "name, query",
    [
        ("archive:home", ""),
        ("archive:source-list", "?language=ru"),
        ("archive:event-list", ""),
        ("archive:search", "?q=x"),
    ],
)
def test_public_pages_set_no_cookie_so_the_page_cache_stores_them(client, name, query):
    url = reverse(name) + query
    first = client.get(url)
    assert not first.cookies  # the language switcher hands out no CSRF cookie
    assert first["X-Opis-Cache"] == "miss" and client.get(url)["X-Opis-Cache"] == "hit"


def test_facet_counts_follow_a_publication(client):
    SourceFactory(published=True, document_type="letter")
    url = reverse("archive:source-list")
    letters = lambda: next(  # noqa: E731
        c.count for f in client.get(url).context["facets"] if f.param == "document_type" for c in f.choices
    )
    assert letters() == 1
    SourceFactory(published=True, document_type="letter")
    assert letters() == 2
