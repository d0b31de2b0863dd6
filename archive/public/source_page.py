"""What the source page reads, in one query: the source, its units and repository, every relation it lists, and
its neighbours in its file (delo).

Only the columns the page, its citation and its JSON-LD show are read. The relations come as JSON arrays
(archive.public.relations), the events and commentary through their own published() querysets, so nothing
unpublished is read; the neighbours are the published sources before and after it in the file's order (date, then
identifier), each found by the (unit, date_start, identifier) index whatever the file's size.
"""

from django.db.models import BooleanField, Case, Func, JSONField, OuterRef, Subquery, When
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from archive.models import Commentary, Event, Language, Level, Place, Source, SourceAgent, SourceImage, Subject

from .relations import Related, install_related, instance, with_related

# The source's own columns the page leaves out: the search's, and the curators' bookkeeping.
NOT_SHOWN = {"search_vector", "created_at", "updated_at", "created_by", "updated_by", "version", "fonds"}
# Of each unit up the tree: its number and level (citation, breadcrumbs), its title, link and status (breadcrumbs,
# JSON-LD's isPartOf, which names a published unit only), its parent (the tree), its repository (breadcrumbs).
UNIT_SHOWN = ("level", "number", "title", "title_original", "identifier", "slug", "status", "published_at", "parent")
REPOSITORY_SHOWN = ("code", "abbreviation_original", "name", "name_original", "city", "city_original", "website")

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


def source_page_queryset(queryset, now=None):
    """`queryset` (the sources the visitor may see) narrowed to the page's columns, with its relations and the
    neighbours in the file as columns of the same query (read back by `loaded`); `now` is the time published()
    decides by (default the present)."""
    units = [f"unit__{up}{name}" for up in ("", "parent__", "parent__parent__") for name in UNIT_SHOWN]
    own = [field.name for field in Source._meta.concrete_fields if field.name not in NOT_SHOWN]
    queryset = (
        queryset.select_related("repository", "unit__parent__parent", "unit__repository")
        .only(
            *own,
            *units,
            *(f"repository__{name}" for name in REPOSITORY_SHOWN),
            *(f"unit__repository__{name}" for name in REPOSITORY_SHOWN),
        )
        .annotate(**_neighbours(now))
    )
    return with_related(queryset, RELATIONS, now)


def published_source(slug: str) -> Source | None:
    """The published source of that slug as its page shows it (see `loaded`), or None."""
    now = timezone.now()
    found = source_page_queryset(Source.objects.published(now), now).filter(slug=slug).first()
    return loaded(found) if found else None


def loaded(source: Source) -> Source:
    """The source of `source_page_queryset` with its relations in place, and its neighbours in `neighbours`."""
    install_related(source, RELATIONS)
    found = []
    for name in ("_previous_in_delo", "_next_in_delo"):
        row = source.__dict__.pop(name)
        found.append(None if row is None else instance(Source, NEIGHBOUR_SHOWN, row))
    # A preview of an unpublished source is in no file's published order: it has no neighbours there.
    source.neighbours = tuple(found) if source.is_published else (None, None)
    return source
