"""What OAI-PMH lists: units of description, then sources, then records deleted outright, each in the order of
its last public change, paged by keyset on (datestamp, id) over the harvest indexes (archive/models/base.py).

A record is listed when it is published (`published()`, the one visibility rule), and listed as deleted when it is
not published now but was before (withdrawn, or taken back to draft or review: its publication time came before
its last change) or was deleted outright while public (a Tombstone). A draft that was never public is never
listed, not even as deleted. Its datestamp is its last public change: the later of its last edit and its
publication time, so a scheduled publication is new to harvesters when it goes live. A format whose record holds
more than its row gives it the datestamp of that (`fonds_datestamp`: ead3, a fonds' whole published tree).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.db.models.functions import Greatest

from archive.models import HarvestKind, Level, Repository, Source, Status, Tombstone, Unit
from archive.models.base import last_public_change

from .protocol import OaiError


@dataclass(frozen=True)
class SetSpec:
    """A set of this repository: "repository" or "fonds", alone or with a code or a fonds identifier after a colon."""

    family: str
    value: str = ""
    fonds: Unit | None = None

    def __str__(self):
        return f"{self.family}:{self.value}" if self.value else self.family


FAMILIES = ("repository", "fonds")


def parse_set(spec: str) -> SetSpec | None:
    """The set a setSpec names, or None if there is no such (public) set."""
    family, colon, value = spec.partition(":")
    if family not in FAMILIES or (colon and not value):
        return None
    if family == "fonds" and value:
        fonds = visible_fonds().filter(identifier=value).first()
        return SetSpec(family, value, fonds) if fonds else None
    return SetSpec(family, value)


def visible_fonds():
    return Unit.objects.published().fonds()


def listed_repositories():
    """The repositories that hold something public: a published source or event (`public()`), or a published unit."""
    return Repository.objects.filter(
        Q(pk__in=Repository.objects.public()) | Exists(Unit.objects.published().filter(repository=OuterRef("pk")))
    )


@dataclass
class Item:
    """One record as a header shows it, with the row it came from (None for a deleted one)."""

    kind: str
    identifier: str
    datestamp: datetime
    deleted: bool
    key: tuple[datetime, int]
    repository_id: int | None
    fonds_id: int | None
    record: models.Model | None = None
    sets: list[str] = field(default_factory=list)
    tombstone: Tombstone | None = None  # what is kept of a record deleted outright

    @property
    def row(self) -> models.Model:
        """The row a format's scope is a condition on: the record's own, or its tombstone's."""
        return self.record if self.record is not None else self.tombstone


def was_public() -> Q:
    """Not published now, but its publication time came before its last change: withdrawn, or taken back."""
    return ~Q(status=Status.PUBLISHED) & Q(published_at__lte=F("updated_at"))


class LiveStage:
    """The records of one model that are or were public, as rows of their own table: whole, with the rows their
    metadata reads (`related`), or only the columns a header needs (ListIdentifiers), through `unit` for a
    source's fonds."""

    HEADER = ("id", "identifier", "status", "published_at", "updated_at", "repository_id", "level", "fonds_id")

    def __init__(self, kind: str, model: type[models.Model], related: tuple[str, ...], header: tuple[str, ...]):
        self.kind, self.model, self.related, self.header = kind, model, related, header

    def rows(self, queryset, *, headers_only: bool):
        if not headers_only:
            return queryset.select_related(*self.related)
        through = {name.split("__")[0] for name in self.header if "__" in name}
        return (queryset.select_related(*through) if through else queryset).only(*self.header)

    def harvested(self, datestamp=None):
        """The rows that are or were public, with their datestamp: their last public change, unless a format's
        records change with more than their own row (`datestamp`, an expression: records.fonds_datestamp)."""
        manager = self.model.objects
        rows = manager.published() | manager.filter(was_public())
        return rows.annotate(datestamp=datestamp if datestamp is not None else last_public_change())

    def in_set(self, queryset, spec: SetSpec):
        return queryset.filter(self.set_condition(spec))

    def items(self, rows) -> list[Item]:
        return [
            Item(
                kind=self.kind,
                identifier=row.identifier,
                datestamp=row.datestamp,
                deleted=row.status != Status.PUBLISHED,
                key=(row.datestamp, row.pk),
                repository_id=row.repository_id,
                fonds_id=self.fonds_of(row),
                record=row,
            )
            for row in rows
        ]


class UnitStage(LiveStage):
    def __init__(self):
        super().__init__(HarvestKind.UNIT, Unit, ("repository",), self.HEADER)

    def set_condition(self, spec: SetSpec) -> Q:
        if spec.family == "repository":
            return Q(repository__code=spec.value) if spec.value else Q()
        if spec.fonds:
            return Q(pk=spec.fonds.pk) | Q(fonds=spec.fonds)
        return Q(pk__in=visible_fonds()) | Q(fonds__in=visible_fonds())

    @staticmethod
    def fonds_of(unit: Unit) -> int | None:
        return unit.pk if unit.level == Level.FONDS else unit.fonds_id


class SourceStage(LiveStage):
    def __init__(self):
        header = (*self.HEADER[:-2], "unit__level", "unit__fonds_id")
        super().__init__(HarvestKind.SOURCE, Source, ("repository", "unit"), header)

    def set_condition(self, spec: SetSpec) -> Q:
        if spec.family == "repository":
            return Q(repository__code=spec.value) if spec.value else Q(repository__isnull=False)
        if spec.fonds:
            return Q(unit=spec.fonds) | Q(unit__fonds=spec.fonds)
        return Q(unit__in=visible_fonds()) | Q(unit__fonds__in=visible_fonds())

    @staticmethod
    def fonds_of(source: Source) -> int | None:
        if source.unit is None:
            return None
        return UnitStage.fonds_of(source.unit)


class TombstoneStage:
    """Public records deleted outright, unless a row of the same kind and identifier is listed again."""

    kind = None

    def rows(self, queryset, *, headers_only: bool):
        return queryset

    def harvested(self):
        live = Q()
        for stage in LIVE_STAGES:
            again = stage.harvested().filter(identifier=OuterRef("identifier"))
            live |= Q(kind=stage.kind) & Exists(again)
        return Tombstone.objects.exclude(live).annotate(datestamp=F("deleted_at"))

    def in_set(self, queryset, spec: SetSpec):
        if spec.family == "repository":
            return queryset.filter(Q(repository__code=spec.value) if spec.value else Q(repository__isnull=False))
        return queryset.filter(fonds=spec.fonds) if spec.fonds else queryset.filter(fonds__in=visible_fonds())

    def items(self, rows) -> list[Item]:
        return [
            Item(
                kind=row.kind,
                identifier=row.identifier,
                datestamp=row.datestamp,
                deleted=True,
                key=(row.datestamp, row.pk),
                repository_id=row.repository_id,
                fonds_id=row.fonds_id,
                tombstone=row,
            )
            for row in rows
        ]


LIVE_STAGES = (UnitStage(), SourceStage())
STAGES = (*LIVE_STAGES, TombstoneStage())
LIVE = {stage.kind: stage for stage in LIVE_STAGES}


@dataclass(frozen=True)
class Query:
    """What a list request asks for: the records a format covers, in a set, between two instants (inclusive).

    A list without from or until goes through each stage by id: every record comes exactly once, as it is when
    the harvester reaches it, however records change meanwhile. A list bounded in time goes by (datestamp, id),
    up to the end fixed by its first page (`upper`): a record changed after that waits for the next harvest
    from this one's responseDate."""

    scope: dict[str, Q]
    spec: SetSpec | None
    lower: datetime | None
    upper: datetime | None
    datestamps: dict[str, Callable] = field(default_factory=dict)  # kind: its records' datestamp, if not their own

    def datestamp(self, kind: str):
        make = self.datestamps.get(kind)
        return make() if make else None

    @property
    def order(self) -> tuple[str, ...]:
        return ("id",) if self.lower is None and self.upper is None else ("datestamp", "id")

    def key(self, item: Item) -> tuple:
        return item.key[-len(self.order) :]


def tombstone_scope(scope: dict[str, Q]) -> Q:
    """The tombstones of the records a format describes: of its kinds, under each kind's condition (a condition
    names only fields a Tombstone keeps too, such as `level`)."""
    return reduce(or_, (Q(kind=kind) & rows for kind, rows in scope.items()))


def stage_rows(stage, query: Query, after: tuple | None, limit: int, *, headers_only: bool) -> list[Item]:
    """Up to `limit` rows of one stage after the key `after`, in the query's order, from an index."""
    queryset = stage.harvested() if stage.kind is None else stage.harvested(query.datestamp(stage.kind))
    if stage.kind is None:
        queryset = queryset.filter(tombstone_scope(query.scope))
    elif stage.kind not in query.scope:
        return []
    else:
        queryset = queryset.filter(query.scope[stage.kind])
    if query.lower is not None:
        queryset = queryset.filter(datestamp__gte=query.lower)
    if query.upper is not None:
        queryset = queryset.filter(datestamp__lte=query.upper)
    if query.spec is not None:
        queryset = stage.in_set(queryset, query.spec)
    if after is not None and len(after) == 1:
        queryset = queryset.filter(id__gt=after[0])
    elif after is not None:  # a row comparison, which PostgreSQL answers from the two-column index
        queryset = queryset.filter(TupleGreaterThan(Tuple(F("datestamp"), F("id")), tuple(after)))
    return stage.items(stage.rows(queryset, headers_only=headers_only).order_by(*query.order)[:limit])


def page(
    query: Query, stage: int, after: tuple | None, size: int, *, headers_only: bool = False
) -> tuple[list[Item], tuple[int, tuple] | None]:
    """One page of up to `size` items from (stage, after) on, and the position after it if more follow."""
    found: list[tuple[int, Item]] = []
    index = stage
    while index < len(STAGES) and len(found) <= size:
        rows = stage_rows(STAGES[index], query, after, size + 1 - len(found), headers_only=headers_only)
        found += [(index, item) for item in rows]
        index, after = index + 1, None
    items = [item for _, item in found[:size]]
    if len(found) <= size:
        return items, None
    last_stage, last = found[size - 1]
    return items, (last_stage, query.key(last))


def find(kind: str, identifier: str, datestamps: dict[str, Callable] | None = None) -> Item:
    """The one record an OAI identifier names, live or deleted, or idDoesNotExist; with the datestamp a format
    gives its records (`datestamps`, as in Query), if not their own."""
    stage = LIVE.get(kind)
    if stage is not None:
        make = (datestamps or {}).get(kind)
        queryset = stage.harvested(make() if make else None)
        row = stage.rows(queryset, headers_only=False).filter(identifier=identifier).first()
        if row is not None:
            return stage.items([row])[0]
    row = TombstoneStage().harvested().filter(kind=kind, identifier=identifier).first()
    if row is None:
        raise OaiError("idDoesNotExist", "No record has this identifier here.")
    return TombstoneStage().items([row])[0]


def fonds_datestamp():
    """When a fonds' EAD3 last changed: the latest of its own last public change and those of every unit and
    source in it that is or was public, and of its records deleted outright. (PostgreSQL's GREATEST passes over
    the NULL of a part with no rows.)"""

    def latest(queryset, name: str = "datestamp"):
        # Grouped by fonds, read through the fonds index: as ORDER BY … LIMIT 1 (or an ungrouped MAX), PostgreSQL
        # walks the harvest index back from the newest row of the whole table until it meets one of this fonds.
        return Subquery(
            queryset.filter(fonds=OuterRef("pk")).values("fonds").annotate(latest=Max(name)).values("latest")
        )

    units, sources = (LIVE[kind].harvested() for kind in (HarvestKind.UNIT, HarvestKind.SOURCE))
    return Greatest(last_public_change(), latest(units), latest(sources), latest(Tombstone.objects, "deleted_at"))


def attach_sets(items: list[Item]) -> None:
    """Each item's setSpecs: only sets that ListSets shows (a draft fonds is no set, and names none)."""
    repositories = dict(
        listed_repositories()
        .filter(pk__in={item.repository_id for item in items if item.repository_id})
        .values_list("pk", "code")
    )
    fonds = dict(
        visible_fonds()
        .filter(pk__in={item.fonds_id for item in items if item.fonds_id})
        .values_list("pk", "identifier")
    )
    for item in items:
        item.sets = []
        if item.repository_id in repositories:
            item.sets += ["repository", f"repository:{repositories[item.repository_id]}"]
        if item.fonds_id in fonds:
            item.sets += ["fonds", f"fonds:{fonds[item.fonds_id]}"]


def earliest_datestamp() -> datetime | None:
    """The earliest datestamp of anything listed (Identify); each from its index's first entry."""
    firsts = [
        stage.harvested().order_by("datestamp", "id").values_list("datestamp", flat=True).first() for stage in STAGES
    ]
    return min((value for value in firsts if value is not None), default=None)
