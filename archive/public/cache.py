"""Caching of what the public sees, keyed by the public generation (archive/public/generation.py).

Every key holds the generation its content was built at. Saving or deleting any archive record (or changing its
relations) adds to the generation in the writer's transaction, so when that transaction commits every cached
page and figure is stale at once, on every worker and server, whatever cache each one has (its own memory, or
Redis): the generation is read from PostgreSQL. A publication, a withdrawal or an edit of a published source
is visible to the first request that starts after the commit. A request reads the generation once, before any
record, and keys everything it stores by that value, so a page rendered from the rows as they were before a
commit is never served after it. Writes that skip signals (queryset.update, bulk_create, CSV imports) must
call `public_changed()` themselves, in their transaction. Scheduled publication (a published_at in the future)
becomes visible when the entry expires: PUBLIC_CACHE_SECONDS bounds that delay.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from archive.db_routing import is_public_read

from .generation import begin, generation, public_changed, request_scope

CACHED_NAMESPACES = {"archive"}


def timeout() -> int:
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 300)


def cached_value(name: str, compute, *parts, seconds: int | None = None):
    """`compute()` once per public generation and key parts, e.g. the facet counts of one filtered list."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"opis:value:{generation()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout() if seconds is None else seconds)
    return value


def cached_count(queryset, name: str, params) -> int:
    """The count of a public list for one set of filters (e.g. sorted query-string pairs without the page)."""
    return cached_value(f"count:{name}", queryset.count, params)


def record_changed(using: str = DEFAULT_DB_ALIAS, action: str = "", **kwargs) -> None:
    """A record was saved, deleted or relinked: everything public is stale once its transaction commits."""
    if action.startswith("pre_"):  # m2m_changed's pre_add (and the like): its post_ follows in the same transaction
        return
    public_changed(using=using)


def connect_invalidation(models) -> None:
    for model in models:
        post_save.connect(record_changed, sender=model, dispatch_uid=f"opis-cache-save-{model.__name__}")
        post_delete.connect(record_changed, sender=model, dispatch_uid=f"opis-cache-delete-{model.__name__}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(record_changed, sender=through, dispatch_uid=f"opis-cache-m2m-{through.__name__}")


class PublicGenerationMiddleware:
    """Every request to the public site reads the public generation once, after the user is known and before the
    view reads any record, from the database its records come from; everything it caches is keyed by that value.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.namespace in CACHED_NAMESPACES:
            begin(public=is_public_read(request))  # a cookieless GET has read it already (the page cache)
        return None


class PublicPageCacheMiddleware:
    """Whole public pages for cookieless GETs, keyed by generation, language, host and full path.

    Placed right after LocaleMiddleware: a hit skips the rest of the stack and the view. The generation of its
    key is the request's own, read here first. Only responses that are the same for every such visitor are
    stored: status 200, no cookie set (a page that hands out a CSRF token sets its cookie and is never stored),
    not marked private or no-store. PUBLIC_CACHE_SECONDS = 0 turns it off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.respond(request)

    def respond(self, request):
        key = self.key(request)
        if key is not None:
            hit = cache.get(key)
            if hit is not None:
                content, status, headers = hit
                response = HttpResponse(content, status=status, headers=headers)
                response["X-Opis-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if key is not None and self.storable(response):
            headers = {k: v for k, v in response.items() if k.lower() != "set-cookie"}
            cache.set(key, (response.content, response.status_code, headers), timeout())
            response["X-Opis-Cache"] = "miss"
        return response

    @staticmethod
    def key(request) -> str | None:
        if request.method != "GET" or timeout() <= 0:
            return None
        # Only visitors without a session or CSRF cookie: they all get the same page (curators never do).
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.COOKIES.get(settings.CSRF_COOKIE_NAME):
            return None
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
        if match.namespace not in CACHED_NAMESPACES:
            return None
        raw = f"{request.get_host()}|{getattr(request, 'LANGUAGE_CODE', '')}|{request.get_full_path()}"
        # Without a session the visitor is anonymous: its records are public reads (archive/db_routing.py).
        return f"opis:page:{begin(public=True)}:{hashlib.sha256(raw.encode()).hexdigest()}"

    @staticmethod
    def storable(response) -> bool:
        if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        return "private" not in cache_control and "no-store" not in cache_control
