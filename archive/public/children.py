"""A unit's published children, the child units first and then its documents, in one sorted, paged list.

Each part is read with ORDER BY … LIMIT … OFFSET on an index that starts with the parent (archive_unit_child_*_idx,
archive_source_unit_*_idx): the database walks the unit's branch of that index in order and stops after the page,
whatever the number of children, instead of sorting all of them. The documents' indexes cover their published rows'
ids, so the rows an OFFSET skips are skipped in the index alone. A page reads only its own rows; the counts are
read once per public generation (archive/public/cache.py), as the source list's are.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F

from archive.models import Source, Unit
from archive.models.sources import FIRST_FOLIO
from archive.models.units import NUMBER_ORDER
from archive.public.cache import cached_count

SORTS = ("number", "title", "date")

# Child units by number (2 before 11), documents by their first folio: the order of the archive's inventory.
UNIT_ORDER = {
    "number": (*NUMBER_ORDER, F("identifier")),
    "title": ("title", "identifier"),
    "date": ("date_start", "identifier"),
}
SOURCE_ORDER = {
    "number": (FIRST_FOLIO, F("identifier")),
    "title": ("title", "identifier"),
    "date": ("date_start", "identifier"),
}

# What a child in the list shows (includes/unit_child.html), not its long texts.
UNIT_COLUMNS = (
    *("slug", "level", "number", "title", "title_original", "extent"),
    *("date_text", "date_edtf", "date_start", "date_end"),
)
SOURCE_COLUMNS = (
    *("slug", "identifier", "title", "title_original", "document_type", "folios"),
    *("date_text", "date_edtf", "date_start", "date_end"),
)


def sort_of(value: str) -> str:
    return value if value in SORTS else SORTS[0]


@dataclass(frozen=True)
class Child:
    record: Unit | Source

    @property
    def is_unit(self) -> bool:
        return isinstance(self.record, Unit)


class Children(Sequence):
    """The published children of `unit` in the `sort` order, as a sequence a Paginator pages through."""

    def __init__(self, unit: Unit, sort: str):
        self.unit = unit
        self.units = Unit.objects.published().filter(parent=unit).only(*UNIT_COLUMNS).order_by(*UNIT_ORDER[sort])
        self.sources = Source.objects.published().filter(unit=unit).only(*SOURCE_COLUMNS).order_by(*SOURCE_ORDER[sort])

    @cached_property
    def unit_count(self) -> int:
        return cached_count(self.units, "unit-child-units", self.unit.pk)

    @cached_property
    def source_count(self) -> int:
        return cached_count(self.sources, "unit-child-sources", self.unit.pk)

    def count(self) -> int:
        return self.unit_count + self.source_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        units = self.unit_count
        found = list(self.units[start:stop]) if start < units else []
        if stop > units:
            found += self.page_of_sources(max(start - units, 0), stop - units)
        return [Child(record) for record in found]

    def page_of_sources(self, start: int, stop: int) -> list[Source]:
        """The documents from `start` to `stop` in order: their ids first, read from the order's covering index
        alone however deep the page (archive_source_unit_*_idx), then those rows only."""
        ids = list(self.sources.values_list("pk", flat=True)[start:stop])
        rows = self.sources.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def documents_under(fonds_ids: list[int]) -> dict[int, int]:
    """The number of published documents anywhere under each of these fonds (in the fonds itself or in a unit
    below it, published or not: a published document shows wherever it sits)."""
    # By the source's own fonds (kept with its unit's), counted from archive_source_fonds_count_idx alone: COUNT(*),
    # as COUNT(id) would read every row's heap page for its id.
    rows = (
        Source.objects.published()
        .filter(fonds__in=fonds_ids)
        .values("fonds")
        .annotate(n=Count("*"))
        .values_list("fonds", "n")
        .order_by()
    )
    return dict(rows)
