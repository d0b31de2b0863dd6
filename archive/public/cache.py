"""Caching of what the public sees, invalidated per record (archive/public/changes.py, generation.py).

Pages (PublicPageCacheMiddleware) are stored by host, language and full path, with the generation they were built
at and the tags of what they show, declared by their views (archive/public/dependencies.py; a view that declares
nothing depends on everything). Saving or deleting an archive record, or linking and unlinking records, inserts a
change row in the writer's transaction naming the record, its kind's list, and the records it linked to before
and links to now (their "links" tags: their pages list what links to them). From the moment that transaction
commits, every page naming one of those tags is stale, on every worker and server, whatever cache each one has
(its own memory, or Redis): the check reads PostgreSQL, in the statement that reads the request's generation,
after the cache. Every other page stays cached: editing one source leaves the pages of the other sources of its
event, fonds and repository as they were. A page rendered from the rows as they were before a commit is never
served after it (its generation is lower than the one the change's tags get, or the change is not folded yet).
Writes that skip signals (queryset.update, bulk_create, CSV imports) call `public_changed(tags=…)` themselves, in
their transaction, with `written_tags()` of what they wrote (or no tags: everything).

Figures (`cached_value`, `cached_count`: counts, facets) stay keyed by the generation: any committed change
recomputes them. Scheduled publication (a published_at in the future) is no change to a record: it becomes
visible when the page or figure expires, so PUBLIC_CACHE_SECONDS bounds that delay.
"""

import hashlib
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from archive.db_routing import is_public_read

from .changes import LISTING, kind_tags, links_tag, listing_tag, record_tag, stale
from .dependencies import declared
from .generation import MOST_TAGS, begin, begin_unless_fresh, generation, public_changed, request_scope

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


# The models whose records the public pages show (connect_invalidation): only links to these are tags.
TAGGED: set[type[Model]] = set()


def forward_links(instance: Model) -> set[str]:
    """The links tags of the records `instance` links to by its foreign keys, as it holds them now."""
    linked = ((field, getattr(instance, field.attname)) for field in linked_fields(type(instance)))
    return {links_tag(field.related_model, pk) for field, pk in linked if pk is not None}


def linked_fields(model: type[Model]) -> list:
    """The foreign keys of `model` to the models the public pages show."""
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model in TAGGED]


def many_links(instance: Model) -> set[str]:
    """The links tags of the records `instance` is linked to by its own many-to-many fields, as stored now."""
    tags = set()
    for field in type(instance)._meta.local_many_to_many:
        if field.related_model in TAGGED:
            ids = getattr(instance, field.name).values_list("pk", flat=True)
            tags |= {links_tag(field.related_model, pk) for pk in ids}
    return tags


def written_tags(model: type[Model], ids, using: str = DEFAULT_DB_ALIAS) -> set[str] | None:
    """For a bulk write (no signals): the tags of the records of `model` with these ids, their kind's list and the
    links tags of the records they link to as stored now; None (everything) for more than MOST_TAGS. Read it while
    the links to name are stored: after a bulk insert, before a bulk deletion."""
    ids = list(ids)
    if len(ids) > MOST_TAGS:
        return None
    tags = kind_tags(model) | {record_tag(model, pk) for pk in ids} | {links_tag(model, pk) for pk in ids}
    rows = model._base_manager.using(using).filter(pk__in=ids)
    for field in linked_fields(model):
        targets = rows.exclude(**{f"{field.attname}__isnull": True}).values_list(field.attname, flat=True)
        tags |= {links_tag(field.related_model, pk) for pk in targets.distinct().order_by()}
    for field in model._meta.local_many_to_many:
        if field.related_model in TAGGED:
            through = field.remote_field.through
            links = through._base_manager.using(using).filter(**{f"{field.m2m_field_name()}__in": ids})
            targets = links.values_list(f"{field.m2m_reverse_field_name()}_id", flat=True).distinct().order_by()
            tags |= {links_tag(field.related_model, pk) for pk in targets}
    return None if len(tags) > MOST_TAGS else tags


def own_tags(instance: Model) -> set[str]:
    """A record's own tag, the tag of what links to it (its page lists those) and its kind's list tags."""
    return {record_tag(instance, instance.pk), links_tag(instance, instance.pk)} | kind_tags(instance)


def listing_values(model: type[Model], values) -> tuple:
    """The values of the fields that place a record in its kind's lists (changes.LISTING), as Python values."""
    fields = [model._meta.get_field(name) for name in LISTING[model]]
    return tuple(field.to_python(value) for field, value in zip(fields, values, strict=True))


def links_before_save(sender, instance, using: str = DEFAULT_DB_ALIAS, raw: bool = False, **kwargs) -> None:
    """Before an existing record is saved, in one read of its stored row: the records it linked to, whose pages
    (and counts) show it until now, and where its lists placed it."""
    if instance._state.adding or instance.pk is None:
        return
    fields, listing = linked_fields(sender), LISTING.get(sender, ())
    if not fields and not listing:
        return
    stored = sender._base_manager.using(using).filter(pk=instance.pk)
    row = stored.values_list(*(f.attname for f in fields), *listing).first()
    if row is None:
        return
    links = zip(fields, row[: len(fields)], strict=True)
    instance._opis_links_before = {links_tag(field.related_model, value) for field, value in links if value}
    if listing:
        instance._opis_listing_before = listing_values(sender, row[len(fields) :])


def record_saved(sender, instance, using: str = DEFAULT_DB_ALIAS, created: bool = False, **kwargs) -> None:
    """A record was saved: its own pages and its kind's lists, and the pages listing what links to the records it
    linked to and links to now, are stale once its transaction commits. Which records its kind's lists hold is
    unchanged when the save left its listing fields as they were."""
    before = instance.__dict__.pop("_opis_links_before", set())
    tags = own_tags(instance) | forward_links(instance) | many_links(instance) | before
    listed_before = instance.__dict__.pop("_opis_listing_before", None)
    if not created and listed_before is not None:
        now = listing_values(sender, [getattr(instance, name) for name in LISTING[sender]])
        if now == listed_before:
            tags.discard(listing_tag(instance))
    public_changed(using=using, tags=tags)


def record_deleted(sender, instance, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """A record is being deleted (pre_delete, in the deletion's transaction, while its links are still stored)."""
    public_changed(using=using, tags=own_tags(instance) | forward_links(instance) | many_links(instance))


def links_changed(
    sender, instance, action: str, reverse: bool, model, pk_set, using: str = DEFAULT_DB_ALIAS, **kwargs
) -> None:
    """Records were linked or unlinked: the record holding the many-to-many field changed (its page shows its
    links), the records on both sides are linked to differently, and both kinds' lists (their facets) changed. A
    clear is read before it happens."""
    if action == "pre_clear":
        pk_set = set(linked_ids(sender, instance, model, using))
    elif action not in ("post_add", "post_remove"):
        return
    others = {(model, pk) for pk in pk_set or ()}
    holders = others if reverse else {(type(instance), instance.pk)}
    tags = kind_tags(instance) | kind_tags(model) | {links_tag(instance, instance.pk)}
    tags |= {links_tag(kind, pk) for kind, pk in others} | {record_tag(kind, pk) for kind, pk in holders}
    public_changed(using=using, tags=tags)


def linked_ids(through: type[Model], instance: Model, model: type[Model], using: str):
    """The ids of the `model` records linked to `instance` in the link table `through`."""
    fields = [f for f in through._meta.concrete_fields if f.is_relation]
    own = next(f for f in fields if isinstance(instance, f.related_model))
    other = next(f for f in fields if f is not own and f.related_model is model)
    return through._base_manager.using(using).filter(**{own.attname: instance.pk}).values_list(other.attname, flat=True)


def connect_invalidation(models) -> None:
    """Every save, deletion and relinking of these models' records names what it changed (archive/public/changes.py)."""
    TAGGED.update(models)
    for model in models:
        name = model.__name__
        pre_save.connect(links_before_save, sender=model, dispatch_uid=f"opis-cache-links-{name}")
        post_save.connect(record_saved, sender=model, dispatch_uid=f"opis-cache-save-{name}")
        pre_delete.connect(record_deleted, sender=model, dispatch_uid=f"opis-cache-delete-{name}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"opis-cache-m2m-{through.__name__}")


class PublicGenerationMiddleware:
    """Every request to the public site reads the public generation once, after the user is known and before the
    view reads any record, from the database its records come from; everything it caches is built at that value.
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
    """Whole public pages for cookieless GETs, keyed by host, language and full path, each stored with the
    generation it was built at and the tags of what it shows (archive/public/dependencies.py).

    Placed right after LocaleMiddleware: a hit skips the rest of the stack and the view, if it is fresh: one
    statement, after the cache is read, reads the generation and whether anything the page shows changed since it
    was built (a change committed between the two reads is seen). A miss or a stale page begins the request at the
    generation read then. Only responses that are the same for every such visitor are stored: status 200, no
    cookie set (a page that hands out a CSRF token sets its cookie and is never stored), not marked private or
    no-store (a curator's preview is never-cache, and curators have a session anyway). PUBLIC_CACHE_SECONDS = 0
    turns it off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.respond(request)

    def respond(self, request):
        key = self.key(request)
        if key is not None:
            entry = cache.get(key)
            if isinstance(entry, Page) and begin_unless_fresh(entry.tags, entry.built, entry.seen):
                response = HttpResponse(entry.content, status=entry.status, headers=entry.headers)
                response["X-Opis-Cache"] = "hit"
                return response
            # Without a session the visitor is anonymous: its records are public reads (archive/db_routing.py).
            begin(public=True)  # a stale page has begun at the generation it was checked against: no read here
        response = self.get_response(request)
        if key is not None and self.storable(response):
            headers = {k: v for k, v in response.items() if k.lower() != "set-cookie"}
            built = generation()
            seen = list(getattr(built, "unfolded", ()))
            store(key, Page(response.content, response.status_code, headers, int(built), seen, sorted(declared())))
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
        return page_key(request.get_host(), getattr(request, "LANGUAGE_CODE", ""), request.get_full_path())

    @staticmethod
    def storable(response) -> bool:
        if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        return "private" not in cache_control and "no-store" not in cache_control


class Page(NamedTuple):
    """A stored page: the response, the generation it was built at and the tags of what it shows."""

    content: bytes
    status: int
    headers: dict
    built: int
    seen: list[int]  # the unfolded change rows its generation counted (changes.Generation)
    tags: list[str]


def page_key(host: str, language: str, full_path: str) -> str:
    return f"opis:page:{hashlib.sha256(f'{host}|{language}|{full_path}'.encode()).hexdigest()}"


def store(key: str, page: Page) -> None:
    """Keep a page until PUBLIC_CACHE_SECONDS pass (the bound on scheduled publication) or what it shows changes."""
    cache.set(key, page, timeout())


def fresh(page: Page) -> bool:
    """Whether a stored page may be served: nothing it shows changed since it was built (the check of a hit)."""
    return not stale(page.tags, page.built, page.seen)
