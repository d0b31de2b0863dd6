"""HTTP caching headers for browsers and for a CDN or reverse proxy in front of the app (docs/deploy.md).

A public page (namespace `archive`) answered to a visitor without a session or CSRF cookie, with status 200 and
no cookie of its own, is `Cache-Control: public, max-age=PUBLIC_HTTP_MAX_AGE, s-maxage=PUBLIC_HTTP_S_MAXAGE`,
`Vary: Accept-Language, Cookie` (the language comes from either, and a curator's session changes the page), and
carries a strong ETag, the hash of its bytes. A conditional GET or HEAD whose If-None-Match names that ETag (weak
comparison, as RFC 9110 asks) is answered `304 Not Modified`: a byte-identical page revalidates however it was
built. The page has no Last-Modified: it is put together from many records, a withdrawal makes a list older
rather than newer, and a scheduled publication changes it with no record saved, so no date would be a true one;
If-Modified-Since alone is therefore answered in full.

Everything a shared cache must never keep is `private, no-store` with neither validator, and never answered 304:
a response to a request carrying a session or CSRF cookie (curators, anyone who has opened the admin's login),
anything that is not a GET or HEAD, a response that sets a cookie or is marked no-store already (curators'
previews of drafts, PublishedMixin), the admin (/curation/), and every error status.
Any other response (a redirect, a page marked private by its view, /iiif/, /oai/) keeps the headers its view gave.
"""

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import split_header_value

from .cache import CACHED_NAMESPACES

SAFE_METHODS = {"GET", "HEAD"}
ADMIN_APP = "admin"


def max_age() -> int:
    """Seconds a browser keeps a public page before it asks again (conditionally)."""
    return getattr(settings, "PUBLIC_HTTP_MAX_AGE", 0)


def s_maxage() -> int:
    """Seconds a shared cache (CDN, reverse proxy) keeps a public page before it asks again: the longest a
    change committed here takes to reach a visitor through it."""
    return getattr(settings, "PUBLIC_HTTP_S_MAXAGE", 0)


def _namespace_and_app(request) -> tuple[str, str] | None:
    """The URL namespace and app of the request; a page cache hit has run no view, so it is resolved here, once."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.namespace, match.app_name
    if not hasattr(request, "_opis_resolved"):
        try:
            found = resolve(request.path_info, getattr(request, "urlconf", None))
            request._opis_resolved = (found.namespace, found.app_name)
        except Resolver404:
            request._opis_resolved = None
    return request._opis_resolved


def _has_private_cookie(request) -> bool:
    cookies = request.COOKIES
    return bool(cookies.get(settings.SESSION_COOKIE_NAME) or cookies.get(settings.CSRF_COOKIE_NAME))


def _cache_control(response) -> str:
    return response.get("Cache-Control", "").lower()


def is_private(request, response) -> bool:
    """A response no cache may keep, nor revalidate: to a curator, from the admin, a preview, an error (see module)."""
    if request.method not in SAFE_METHODS or response.status_code >= 400:
        return True
    if _has_private_cookie(request) or response.cookies or "no-store" in _cache_control(response):
        return True
    resolved = _namespace_and_app(request)
    return resolved is not None and resolved[1] == ADMIN_APP


def is_shared(request, response) -> bool:
    """A response every visitor without a session gets alike, which a shared cache may keep (see module)."""
    if is_private(request, response) or response.status_code != 200:
        return False
    cache_control = _cache_control(response)
    if "private" in cache_control or "no-cache" in cache_control:
        return False
    resolved = _namespace_and_app(request)
    return resolved is not None and resolved[0] in CACHED_NAMESPACES


def never_shared(response) -> None:
    """`private, no-store` (and Django's never-cache companions), no validator, no directive for shared caches."""
    add_never_cache_headers(response)
    directives = split_header_value(response["Cache-Control"])
    response["Cache-Control"] = ", ".join(
        d for d in directives if d.split("=")[0].lower() not in {"public", "s-maxage"}
    )
    for header in ("ETag", "Last-Modified"):
        if header in response:
            del response[header]


class PublicETagMiddleware:
    """Sets the ETag of a shareable public page where the page cache (archive/public/cache.py) stores the page's
    headers with it, so that a cache hit is not hashed again. Placed right after LocaleMiddleware in base settings;
    production's page cache goes between the two. PublicHttpCacheMiddleware hashes any page still without one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_shared(request, response) and not response.has_header("ETag"):
            set_response_etag(response)
        return response


class PublicHttpCacheMiddleware:
    """Cache-Control, Vary, ETag and 304 for public pages; never-cache for the rest (see module).

    Placed before SessionMiddleware, outside the page cache: it sees hits and misses alike, the session and CSRF
    cookies the response sets, and the Vary the session and locale middleware add.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private(request, response):
            never_shared(response)
            return response
        if not is_shared(request, response):
            return response
        patch_cache_control(response, public=True, max_age=max_age(), s_maxage=s_maxage())
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        if "Last-Modified" in response:  # a feed's or sitemap's newest date: not a true one (see module)
            del response["Last-Modified"]
        if not response.has_header("ETag"):
            set_response_etag(response)  # nothing for a streamed response (the CSV export): no 304 for it
        conditional = get_conditional_response(request, etag=response.get("ETag"), response=response)
        if conditional.status_code == 412:  # If-Match with another tag: an error, kept by no cache
            never_shared(conditional)
        return conditional
