"""What the source page reads, in one query: the source, its units and repository, every relation it lists, and
its neighbours in its file (delo).

Only the columns the page, its citation and its JSON-LD show are read. The relations come as JSON arrays
(archive.public.relations), the events and commentary through their own published() querysets, so nothing
unpublished is read; the neighbours are the published sources before and after it in the file's order (date, then
identifier), each found by the (unit, date_start, identifier) index whatever the file's size.
"""

import functools
import json
from datetime import UTC, datetime

from django.db.models import BooleanField, Case, F, Func, JSONField, OuterRef, Subquery, When
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from archive.models import (
    Commentary,
    Event,
    Language,
    Level,
    Place,
    Repository,
    Source,
    SourceAgent,
    SourceImage,
    Subject,
    Unit,
)

from .relations import Related, install_related, instance, with_related

# The source's own columns the page leaves out: the search's, and the curators' bookkeeping.
NOT_SHOWN = {"search_vector", "created_at", "updated_at", "created_by", "updated_by", "version", "fonds"}
# Of each unit up the tree: its number and level (citation, breadcrumbs), its title, link and status (breadcrumbs,
# JSON-LD's isPartOf, which names a published unit only), its parent (the tree), its repository (breadcrumbs).
UNIT_SHOWN = ("level", "number", "title", "title_original", "identifier", "slug", "status", "published_at", "parent")
REPOSITORY_SHOWN = ("code", "abbreviation_original", "name", "name_original", "city", "city_original", "website")
UNIT_COLUMNS = ("id", *UNIT_SHOWN, "repository")
REPOSITORY_COLUMNS = ("id", *REPOSITORY_SHOWN)

RELATIONS = (
    Related("languages", Language, "sources", ("id", "code", "name"), ("code", "id")),
    Related(
        "places",
        Place,
        "sources",
        ("id", "slug", "name", "name_original", "latitude", "longitude"),
        ("name", "id"),
    ),
    Related("subjects", Subject, "sources", ("id", "slug", "term", "term_original"), ("term", "id")),
    Related(
        "events",
        Event,
        "sources",
        ("id", "slug", "name", "name_original", "date_edtf", "date_start", "date_end"),
        ("date_start", "name", "id"),
        published=True,
    ),
    Related(
        "agent_links",
        SourceAgent,
        "source",
        ("id", "role", "agent"),
        ("role", "agent__name", "id"),
        joined="agent",
        joined_fields=("id", "slug", "name", "name_original", "kind"),
    ),
    Related(
        "images",
        SourceImage,
        "source",
        ("id", "image", "position", "caption", "width", "height", "derivatives"),
        ("position", "id"),
    ),
    Related(
        "commentary",
        Commentary,
        "source",
        ("id", "kind", "title", "body_html", "signature", "references", "published_at"),
        ("-created_at", "-id"),
        published=True,
    ),
)
NEIGHBOUR_SHOWN = ("id", "identifier", "slug", "title", "title_original")


class RowCompare(Func):
    """PostgreSQL's row comparison, (a, b) < (c, d): one range of an index on (a, b), where the same test spelled
    a < c OR (a = c AND b < d) is a filter over every row of the file."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, left: tuple, operator: str, right: tuple):
        super().__init__(*left, *right)
        self.width, self.operator = len(left), operator

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, more = compiler.compile(expression)
            parts.append(sql)
            params.extend(more)
        left, right = ", ".join(parts[: self.width]), ", ".join(parts[self.width :])
        return f"({left}) {self.operator} ({right})", params


def _sibling(now, ordered: tuple[str, ...], *conditions, **filters) -> Subquery:
    """The first published source of the same unit in this order, matching the conditions, as a JSON object."""
    row = Source.objects.published(now).filter(*conditions, unit_id=OuterRef("unit_id"), **filters).order_by(*ordered)
    return Subquery(row.values(json=JSONObject(**{name: name for name in NEIGHBOUR_SHOWN}))[:1])


def _neighbours(now) -> dict:
    """The previous and next published documents of a file, in its order (date_start, identifier) with the undated
    last, as the unit page lists them: four branches, each one step along the index."""
    mine = (OuterRef("date_start"), OuterRef("identifier"))
    key = ("date_start", "identifier")
    before = _sibling(now, ("-date_start", "-identifier"), RowCompare(key, "<", mine))
    after = _sibling(now, key, RowCompare(key, ">", mine))
    first_undated = _sibling(now, ("identifier",), date_start__isnull=True)
    last_dated = _sibling(now, ("-date_start", "-identifier"), date_start__isnull=False)
    undated_before = _sibling(now, ("-identifier",), date_start__isnull=True, identifier__lt=OuterRef("identifier"))
    undated_after = _sibling(now, ("identifier",), date_start__isnull=True, identifier__gt=OuterRef("identifier"))
    in_file, dated = {"unit__level": Level.FILE}, {"date_start__isnull": False}
    return {
        "_previous_in_delo": Case(
            When(**in_file, **dated, then=before),
            When(**in_file, then=Coalesce(undated_before, last_dated)),
            output_field=JSONField(),
        ),
        "_next_in_delo": Case(
            When(**in_file, **dated, then=Coalesce(after, first_undated)),
            When(**in_file, then=undated_after),
            output_field=JSONField(),
        ),
    }


def _columns(prefix: str, names: tuple[str, ...]) -> dict:
    return {name: F(f"{prefix}{name}") for name in names}


def _repository(prefix: str) -> JSONObject:
    return JSONObject(**_columns(f"{prefix}repository__", REPOSITORY_COLUMNS))


def _unit_chain() -> JSONObject:
    """The source's unit, its repository and two parents up (a file's inventory and fonds), as one JSON object."""
    fonds = JSONObject(**_columns("unit__parent__parent__", UNIT_COLUMNS))
    inventory = JSONObject(**_columns("unit__parent__", UNIT_COLUMNS), _parent=fonds)
    return JSONObject(**_columns("unit__", UNIT_COLUMNS), _parent=inventory, _repository=_repository("unit__"))


def source_page_queryset(queryset, now=None):
    """`queryset` (the sources the visitor may see) narrowed to the page's columns, with its repository, units,
    relations and neighbours in the file as JSON columns of the same query (read back by `loaded`); `now` is the
    time published() decides by (default the present)."""
    own = [field.name for field in Source._meta.concrete_fields if field.name not in NOT_SHOWN]
    queryset = queryset.only(*own).annotate(_repository=_repository(""), _unit=_unit_chain(), **_neighbours(now))
    return with_related(queryset, RELATIONS, now)


# Stand-ins for the two values of the published page's query, replaced in its compiled parameters at each request.
SLUG_MARK = "\x00opis:slug"
NOW_MARK = datetime(2999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)


@functools.cache
def _page_query() -> tuple[str, tuple, tuple[int, ...], int]:
    """The published source page's query as SQL, compiled once per process: the SQL, its parameters, where the
    time published() decides by goes in them and where the slug does. Building and compiling the query (a dozen
    subqueries) costs Django more than PostgreSQL takes to run it; its SQL is the same for every slug and time."""
    queryset = source_page_queryset(Source.objects.published(NOW_MARK), NOW_MARK).filter(slug=SLUG_MARK).order_by()
    sql, params = queryset[:1].query.sql_with_params()
    now_at = tuple(i for i, value in enumerate(params) if value == NOW_MARK)
    (slug_at,) = (i for i, value in enumerate(params) if value == SLUG_MARK)
    return sql, params, now_at, slug_at


def published_source(slug: str) -> Source | None:
    """The published source of that slug as its page shows it (see `loaded`), or None: the compiled query run
    through `raw()`, which loads the model's own columns and leaves the JSON columns as attributes."""
    sql, params, now_at, slug_at = _page_query()
    values = list(params)
    now = timezone.now()
    for i in now_at:
        values[i] = now
    values[slug_at] = slug
    found = next(iter(Source.objects.raw(sql, values)), None)
    return loaded(found) if found else None


def _json(value):
    """A JSON column as Python values: the ORM decodes an annotation's, `raw()` leaves PostgreSQL's text."""
    if isinstance(value, str):
        return json.loads(value)
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value


def _repository_from(row: dict | None) -> Repository | None:
    return instance(Repository, REPOSITORY_COLUMNS, row) if row and row["id"] is not None else None


def _unit_from(row: dict | None) -> Unit | None:
    """A unit of the chain, with its parents and (the source's own unit) its repository cached on it."""
    if not row or row["id"] is None:
        return None
    unit = instance(Unit, UNIT_COLUMNS, row)
    for name, made in (
        ("parent", _unit_from(row.get("_parent"))),
        ("repository", _repository_from(row.get("_repository"))),
    ):
        if made is not None:
            Unit._meta.get_field(name).set_cached_value(unit, made)
    return unit


def loaded(source: Source) -> Source:
    """The source of `source_page_queryset` with its repository, units and relations in place, and its neighbours
    in `neighbours`."""
    for relation in RELATIONS:
        source.__dict__[relation.annotation] = _json(source.__dict__[relation.annotation])
    install_related(source, RELATIONS)
    for name, made in (
        ("repository", _repository_from(_json(source.__dict__.pop("_repository")))),
        ("unit", _unit_from(_json(source.__dict__.pop("_unit")))),
    ):
        if made is not None:
            Source._meta.get_field(name).set_cached_value(source, made)
    found = []
    for name in ("_previous_in_delo", "_next_in_delo"):
        row = _json(source.__dict__.pop(name))
        found.append(None if row is None else instance(Source, NEIGHBOUR_SHOWN, row))
    # A preview of an unpublished source is in no file's published order: it has no neighbours there.
    source.neighbours = tuple(found) if source.is_published else (None, None)
    return source
