import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from archive.models import Status
from archive.public import generation as public_generation
from archive.public.cache import PublicGenerationMiddleware, PublicPageCacheMiddleware
from archive.public.generation import READ
from archive.settings.production_parts import with_page_cache
from tests.connections import on_another_connection
from tests.factories import SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

# As in production: right after LocaleMiddleware.
PAGE_CACHE = override_settings(MIDDLEWARE=with_page_cache(settings.MIDDLEWARE), PUBLIC_CACHE_SECONDS=300)


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


@PAGE_CACHE
@pytest.mark.parametrize("visitor", ["anonymous", "curator"])
@pytest.mark.parametrize("page", ["list", "detail"])
def test_a_request_reads_the_generation_once_and_before_any_record(client, visitor, page):
    source = SourceFactory(published=True)
    if visitor == "curator":
        client.force_login(UserFactory(is_staff=True))
    url = reverse("archive:source-list") if page == "list" else source.get_absolute_url()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    first_record = next(i for i, statement in enumerate(sql) if '"archive_source"' in statement)
    assert sql.count(READ) == 1 and sql.index(READ) < first_record


@override_settings(PUBLIC_READ_DATABASE="replica", PUBLIC_CACHE_SECONDS=300)
def test_a_request_reads_it_from_where_its_records_are_read(monkeypatch):
    """Every request reads its generation from the primary; an anonymous visitor's request then reads the
    replica's, to decide whether its records may come from there (archive/public/generation.py); a curator's
    request reads the primary only."""
    read_from = []
    monkeypatch.setattr(public_generation, "read", lambda using: read_from.append(using) or 1)

    def visit(user, cookies):
        request = RequestFactory().get("/sources/")
        request.COOKIES.update(cookies)
        request.user, request.resolver_match = user, resolve("/sources/")

        def view_stage(request):
            generation_middleware.process_view(request, None, (), {})
            return HttpResponse("a page")

        generation_middleware = PublicGenerationMiddleware(view_stage)
        PublicPageCacheMiddleware(generation_middleware)(request)

    visit(AnonymousUser(), {})
    visit(AnonymousUser(), {settings.CSRF_COOKIE_NAME: "a token"})
    visit(UserFactory.build(is_staff=True), {settings.SESSION_COOKIE_NAME: "a session"})
    assert read_from == ["default", "replica", "default", "replica", "default"]


@PAGE_CACHE
@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_before_a_withdrawal_commits_is_stored_where_no_later_request_looks(client, monkeypatch):
    """The page is rendered from the published row, the withdrawal commits on another connection, then the page
    is stored: under the generation its request read before the commit, which no later request reads."""
    source = SourceFactory(published=True)
    page = source.get_absolute_url()

    def withdraw():
        source.status = Status.WITHDRAWN
        source.save()

    storable = PublicPageCacheMiddleware.storable

    def withdrawn_before_stored(response):
        on_another_connection(withdraw)
        return storable(response)

    monkeypatch.setattr(PublicPageCacheMiddleware, "storable", staticmethod(withdrawn_before_stored))
    first = client.get(page)
    monkeypatch.undo()
    assert first.status_code == 200 and first["X-Opis-Cache"] == "miss"
    assert [client.get(page).status_code for _ in range(3)] == [404] * 3
