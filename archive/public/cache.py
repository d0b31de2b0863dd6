"""Caching of what the public sees, invalidated whenever a record may have changed.

One counter, the public generation, is part of every key. Saving or deleting any archive record (or changing
its relations) bumps it, so every cached page and figure is dropped at once: a publication, a withdrawal or an
edit of a published source is visible on the next request. Writes that skip signals (queryset.update,
bulk_create, CSV imports) must call `public_changed()` themselves. Scheduled publication (a published_at in
the future) becomes visible when the entry expires: PUBLIC_CACHE_SECONDS bounds that delay.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve

GENERATION_KEY = "opis:public-generation"
CACHED_NAMESPACES = {"archive"}


def timeout() -> int:
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 300)


# This process's copy of the counter, trusted for PUBLIC_GENERATION_MEMO_SECONDS (saves a cache round trip
# per request; another server sees a change that much later at most; this process sees its own at once).
_memo = {"value": None, "until": 0.0}


def _new_counter() -> int:
    # Where a counter starts when the cache has none (first use, cleared, restarted, evicted): the clock in
    # nanoseconds, so that it never repeats a generation something was built or cached at before.
    return time.time_ns()


def generation() -> int:
    now = time.monotonic()
    if _memo["value"] is not None and now < _memo["until"]:
        return _memo["value"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        start = _new_counter()
        cache.add(GENERATION_KEY, start, timeout=None)  # another process may have started it meanwhile
        value = cache.get(GENERATION_KEY, start)
    _memo.update(value=value, until=now + getattr(settings, "PUBLIC_GENERATION_MEMO_SECONDS", 0))
    return value


def public_changed(**kwargs) -> None:
    """Everything public cached so far is stale."""
    _memo["value"] = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter (cleared or evicted): a new one differs from every generation in use
        cache.add(GENERATION_KEY, _new_counter(), timeout=None)


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


def record_changed(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """A record was saved, deleted or relinked: stale now, and once more when its transaction commits.

    Between the save and the commit another worker still reads the old rows; a page or a facet index it builds
    then would carry the new generation with the old content. The bump at commit makes that stale too.
    """
    public_changed()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(public_changed, using=using)


def connect_invalidation(models) -> None:
    for model in models:
        post_save.connect(record_changed, sender=model, dispatch_uid=f"opis-cache-save-{model.__name__}")
        post_delete.connect(record_changed, sender=model, dispatch_uid=f"opis-cache-delete-{model.__name__}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(record_changed, sender=through, dispatch_uid=f"opis-cache-m2m-{through.__name__}")


class PublicPageCacheMiddleware:
    """Whole public pages for cookieless GETs, keyed by generation, language, host and full path.

    Placed right after LocaleMiddleware: a hit skips the rest of the stack and the view. Only responses that
    are the same for every such visitor are stored: status 200, no cookie set (a page that hands out a CSRF
    token sets its cookie and is never stored), not marked private or no-store. PUBLIC_CACHE_SECONDS = 0
    turns it off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
        return f"opis:page:{generation()}:{hashlib.sha256(raw.encode()).hexdigest()}"

    @staticmethod
    def storable(response) -> bool:
        if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        return "private" not in cache_control and "no-store" not in cache_control
