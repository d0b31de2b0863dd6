"""HTTP caching for browsers and shared caches (archive/public/http_cache.py): public pages carry Cache-Control,
Vary and a strong ETag and revalidate to 304; nothing private ever does."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from archive.settings.production_parts import with_page_cache
from curation.services import apply_transition, restore_version
from tests.factories import SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["without page cache", "with page cache"])
def page_cache(request):
    """The base middleware, or production's page cache in it too (its hits and misses)."""
    middleware = with_page_cache(settings.MIDDLEWARE) if request.param == "with page cache" else settings.MIDDLEWARE
    seconds = 300 if request.param == "with page cache" else 0
    with override_settings(
        MIDDLEWARE=middleware, PUBLIC_CACHE_SECONDS=seconds, PUBLIC_HTTP_MAX_AGE=60, PUBLIC_HTTP_S_MAXAGE=600
    ):
        yield request.param


def directives(response) -> set[str]:
    return {d.strip().lower() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",")}


def assert_never_shared(response):
    assert {"private", "no-store"} <= directives(response)
    assert "public" not in directives(response) and not any(d.startswith("s-maxage") for d in directives(response))
    assert "ETag" not in response and "Last-Modified" not in response


@pytest.fixture
def source(page_cache):
    """A published source; every test of its page runs with and without the page cache."""
    return SourceFactory(published=True, title="Protocol of 12 March 1936")


def test_a_published_source_page_is_public_with_a_strong_etag(client, source):
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=60", "s-maxage=600"}
    assert {"accept-language", "cookie"} <= vary(response)
    assert response["ETag"].startswith('"') and len(response["ETag"]) > 10  # strong: no W/
    assert "Last-Modified" not in response


def test_the_same_page_requested_with_its_etag_answers_304_without_a_body(client, source):
    first = client.get(source.get_absolute_url())
    again = client.get(source.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert directives(again) == directives(first) and {"accept-language", "cookie"} <= vary(again)


@pytest.mark.parametrize(
    "if_none_match",
    ["W/{tag}", '"other", {tag}', "*"],
    ids=["weak comparison", "one of a list", "any"],
)
def test_if_none_match_is_compared_weakly(client, source, if_none_match):
    tag = client.get(source.get_absolute_url())["ETag"]
    response = client.get(source.get_absolute_url(), headers={"If-None-Match": if_none_match.format(tag=tag)})
    assert response.status_code == 304


def test_if_none_match_wins_over_if_modified_since(client, source):
    client.get(source.get_absolute_url())
    headers = {"If-None-Match": '"another-version"', "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}
    response = client.get(source.get_absolute_url(), headers=headers)
    assert response.status_code == 200 and "Protocol of 12 March 1936" in response.text


def test_if_modified_since_alone_gets_the_page_as_no_date_is_claimed(client, page_cache):
    SourceFactory(published=True)
    # The feed's own Last-Modified is its newest entry's date, which a withdrawal moves back: it is not kept.
    url = reverse("archive:source-feed")
    response = client.get(url, headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert response.status_code == 200 and "Last-Modified" not in response and "ETag" in response


def test_a_page_in_another_language_has_another_etag(client, source):
    english = client.get(source.get_absolute_url())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    russian = client.get(source.get_absolute_url(), headers={"If-None-Match": english["ETag"]})
    assert russian.status_code == 200 and russian["Content-Language"] == "ru"
    assert russian["ETag"] != english["ETag"] and {"accept-language", "cookie"} <= vary(russian)


def test_after_an_edit_through_the_services_the_old_etag_gets_the_new_page(client, source, curator):
    source.title = "Protocol of 13 March 1936"
    source.save()
    url = source.get_absolute_url()
    old = client.get(url)
    assert "Protocol of 13 March 1936" in old.text
    first = source.history.order_by("history_id").first()
    restore_version(instance=source, history_id=first.history_id, user=curator)

    response = client.get(url, headers={"If-None-Match": old["ETag"]})
    assert response.status_code == 200 and "Protocol of 12 March 1936" in response.text
    assert response["ETag"] != old["ETag"]
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_a_withdrawn_source_answers_the_old_etag_with_an_uncacheable_404(client, source, curator):
    old = client.get(source.get_absolute_url())
    apply_transition(instance=source, user=curator, name="withdraw", reason="duplicate")
    response = client.get(source.get_absolute_url(), headers={"If-None-Match": old["ETag"]})
    assert response.status_code == 404
    assert_never_shared(response)


def test_a_curators_preview_of_a_draft_is_never_public_nor_304(curator_client, page_cache):
    draft = SourceFactory(title="Draft protocol")
    response = curator_client.get(draft.get_absolute_url(), headers={"If-None-Match": "*"})
    assert response.status_code == 200 and "Draft protocol" in response.text
    assert_never_shared(response)


def test_a_curators_view_of_a_published_page_is_never_public_nor_304(client, source, curator):
    public = client.get(source.get_absolute_url())
    client.force_login(curator)
    for tag in (public["ETag"], "*"):
        response = client.get(source.get_absolute_url(), headers={"If-None-Match": tag})
        assert response.status_code == 200
        assert_never_shared(response)


def test_a_visitor_with_only_a_csrf_cookie_gets_a_private_page(client, source):
    tag = client.get(source.get_absolute_url())["ETag"]
    assert client.get(reverse("admin:login")).cookies.get(settings.CSRF_COOKIE_NAME)  # the login form sets it
    response = client.get(source.get_absolute_url(), headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert_never_shared(response)


@pytest.mark.parametrize("visitor", ["anonymous", "curator"])
def test_the_admin_is_never_public_nor_304(client, curator, visitor, page_cache):
    if visitor == "curator":
        client.force_login(curator)
    response = client.get(reverse("admin:index"), headers={"If-None-Match": "*"}, follow=False)
    assert response.status_code in {200, 302}
    assert_never_shared(response)


def test_a_missing_page_is_never_public_nor_304(client, page_cache):
    response = client.get("/sources/no-such-source/", headers={"If-None-Match": "*"})
    assert response.status_code == 404
    assert_never_shared(response)


def test_a_post_is_never_public(client, source):
    response = client.post(source.get_absolute_url(), headers={"If-None-Match": "*"})
    assert response.status_code == 405
    assert_never_shared(response)


def test_head_carries_the_same_headers_and_revalidates(client, source):
    get = client.get(source.get_absolute_url())
    head = client.head(source.get_absolute_url())
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"] and directives(head) == directives(get)
    revalidated = client.head(source.get_absolute_url(), headers={"If-None-Match": get["ETag"]})
    assert revalidated.status_code == 304 and revalidated["ETag"] == get["ETag"]


def test_a_failed_if_match_is_an_uncacheable_412(client, source):
    response = client.get(source.get_absolute_url(), headers={"If-Match": '"another-version"'})
    assert response.status_code == 412
    assert_never_shared(response)


@override_settings(MIDDLEWARE=with_page_cache(settings.MIDDLEWARE), PUBLIC_CACHE_SECONDS=300)
def test_the_page_cache_stores_the_etag_with_the_page(client, monkeypatch):
    source = SourceFactory(published=True)
    first = client.get(source.get_absolute_url())
    # A hit is not hashed again: the ETag comes from the stored headers.
    hashed = []
    monkeypatch.setattr("archive.public.http_cache.set_response_etag", lambda response: hashed.append(response))
    hit = client.get(source.get_absolute_url())
    assert first["X-Opis-Cache"] == "miss" and hit["X-Opis-Cache"] == "hit"
    assert hit["ETag"] == first["ETag"] and not hashed
    assert client.get(source.get_absolute_url(), headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_a_user_without_rights_is_still_private(client, source):
    client.force_login(UserFactory())
    assert_never_shared(client.get(source.get_absolute_url()))
