"""An in-memory index of the published sources' facet values, as a search engine keeps for its facets.

Counting eight facets of a broad list in SQL reads tens of thousands of link rows per facet (one to two
seconds at a million sources on a small machine). Here each facet is a pair of numpy arrays (source position,
value id), so filtering is a boolean mask and counting is one `bincount`: milliseconds.

Correctness first: an index is used only while it is current, meaning at the request's public generation
(archive.public.generation), younger than OPIS_FACET_INDEX_SECONDS since it was built, and before the next
scheduled publication. A process keeps one index (`ProcessIndex`). A list that finds it at an older generation
brings it forward from the change log (archive.public.changes): a new index made from the old one and the records
changed since (facet_update.py; milliseconds for a few sources). A list that finds none, or one past its age limit
or a scheduled publication, or changes too many or unnamed, builds a new one (about 3 s at a million sources).
Either happens in that list's own request, which is then served by the result. Nothing is built or updated in the
background: what serves a request depends only on the records, the generation and the time it is given.
Only the categorical filters are served; a list filtered by words or dates is counted in SQL.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.models import Aggregate, BinaryField
from django.utils import timezone

from archive.models import Source, Status

from .changes import changes_since
from .facets import FACETS
from .generation import generation
from .timeout import unlimited

log = logging.getLogger(__name__)

# Every facet of facets.FACETS, by where its values are: a column of the source's own table (param: column)
SINGLE = {f.param: f.source_field.attname for f in FACETS if not f.source_field.many_to_many}
# or a link table (param: (through model, owner column, value column, target model, key field)).
MULTI = {
    f.param: (f.source_field.remote_field.through, f.source_field.m2m_column_name(), f.source_field.m2m_reverse_name())
    + f.target
    for f in FACETS
    if f.source_field.many_to_many
}
# The list's sorts (archive.public.filters.SORTS) whose order the index keeps; "-date" is read backwards.
# The facets whose values are records with their own visibility (events): only published ones are counted or filtered.
GUARDED = [f for f in FACETS if f.guarded]
ORDERS = {"date": ("date_start", "identifier"), "title": ("title", "identifier")}
MASKS_KEPT = 16  # a mask is one byte per published source (0.7 MB at 700,000)


@dataclass
class Values:
    """One facet: (source position, value id) pairs sorted by position; keys map the query-string value to the id."""

    owners: np.ndarray  # int32 positions into FacetIndex.ids
    values: np.ndarray  # int32 value ids
    keys: dict[str, int]  # code or slug -> id
    names: list[str]  # id -> code or slug ("" where none)
    countable: np.ndarray | None = None  # bool per value id: may be named (a guarded facet's published records)
    starts: np.ndarray | None = None  # per position and one more: where its pairs start (set by `indexed`)
    named: np.ndarray | None = None  # bool per value id: has a code or slug (set by `indexed`)

    def indexed(self, size: int) -> "Values":
        # The owners are sorted: each position's pairs start after those of the positions before it.
        self.starts = np.concatenate(([0], np.cumsum(np.bincount(self.owners, minlength=size))))
        self.named = np.fromiter((bool(name) for name in self.names), dtype=bool, count=len(self.names))
        return self

    def of(self, positions: np.ndarray) -> np.ndarray:
        """The value ids of the pairs of the given (sorted) positions: only their pairs are read."""
        starts, ends = self.starts[positions], self.starts[positions + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            return self.values[:0]
        first = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return self.values[first + np.arange(total)]


@dataclass
class FacetIndex:
    ids: np.ndarray  # sorted ids of the published sources
    facets: dict[str, Values]
    orders: dict[str, np.ndarray]  # sort name -> rank of each position in the database's own ordering
    generation: int  # the public generation (archive.public.generation) it was built at
    valid_until: datetime  # the next scheduled publication, or the age limit
    expires: datetime | None = None  # the age limit, OPIS_FACET_INDEX_SECONDS after the build (None: valid_until)
    _masks: dict = field(default_factory=dict, repr=False)
    _masks_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _labels: dict = field(default_factory=dict, repr=False)  # param -> {code or slug: its labels}

    @property
    def size(self) -> int:
        return len(self.ids)

    def current(self, public_generation: int, now: datetime) -> bool:
        """Whether the index may serve a list at this generation and time: no change since it was built, and
        neither its age limit nor a scheduled publication has come."""
        return self.generation == public_generation and now < self.valid_until

    def mask(self, param: str, keys: tuple[str, ...]) -> np.ndarray:
        """The sources having any of these values, kept for the next lists that filter by them (an index never
        changes).

        A value that may not be named (an unpublished event) has none, as a value naming no record has none."""
        found = self._masks.get((param, keys))
        if found is None:
            values = self.facets[param]
            wanted = [values.keys[key] for key in keys if key in values.keys]
            if values.countable is not None:
                wanted = [value_id for value_id in wanted if values.countable[value_id]]
            found = np.zeros(self.size, dtype=bool)
            if wanted:
                found[values.owners[np.isin(values.values, wanted)]] = True
            with self._masks_lock:  # a threaded worker's requests share the index
                if len(self._masks) >= MASKS_KEPT:
                    self._masks.pop(next(iter(self._masks)))
                self._masks[(param, keys)] = found
        return found

    def labels(self, param: str, keys: list[str], read: Callable[[list[str]], dict[str, dict]]) -> dict[str, dict]:
        """The labels of these values, {key: labels}, each read once per index (`read(keys)` gives those of the keys
        that name a record that may be named): a record's labels cannot change while the index is current, as any
        change moves the generation. At most one entry per record; a key naming none is asked again each time."""
        known = self._labels.setdefault(param, {})
        missing = [key for key in keys if key not in known]
        if missing:
            known.update(read(missing))  # one dict update: the requests of a threaded worker may share the index
        return {key: known[key] for key in keys if key in known}

    def selection(self, chosen: dict[str, tuple[str, ...]], leave_out: str | None = None) -> np.ndarray:
        """Positions of the sources having, for every facet chosen (but the left-out one), one of its chosen values;
        sorted."""
        selected = np.ones(self.size, dtype=bool)
        for param, keys in chosen.items():
            if param != leave_out:
                selected &= self.mask(param, tuple(keys))
        return np.flatnonzero(selected)

    def ordered_ids(self, positions: np.ndarray, sort: str) -> np.ndarray | None:
        """The ids at these positions in the list's order, or None for an order the index does not keep."""
        rank = self.orders.get(sort.removeprefix("-"))
        if rank is None or sort == "-title":  # "-title" breaks ties by ascending identifier: not a reversal
            return None
        ordered = positions[np.argsort(rank[positions], kind="stable")]
        return self.ids[ordered[::-1] if sort.startswith("-") else ordered]

    def counts(
        self, param: str, positions: np.ndarray, limit: int, include: tuple[str, ...] = ()
    ) -> list[tuple[str, int]]:
        """The `limit` most frequent values among the selected sources, as (code or slug, count), by count
        then key (the order and cut of the SQL facets), and those of `include` beyond them that some have."""
        values = self.facets[param]
        # Cut to the known values: a link to a record newer than the index (never used then: it is stale).
        counts = np.bincount(values.of(positions), minlength=len(values.names))[: len(values.names)]
        counts[~values.named] = 0  # no value (an empty fond, no repository)
        if values.countable is not None:
            counts[~values.countable] = 0
        present = np.flatnonzero(counts)
        if len(present) > limit:
            # Only the values counted at least as often as the limit-th can be among the first `limit` (ties are
            # then broken by key), and the included ones: tens of values to sort, not thousands of people.
            kth = np.partition(counts[present], len(present) - limit)[len(present) - limit]
            wanted = {values.keys[key] for key in include if key in values.keys}
            present = [*present[counts[present] >= kth], *(i for i in wanted if 0 < counts[i] < kth)]
        pairs = sorted(((values.names[i], int(counts[i])) for i in present), key=lambda pair: (-pair[1], pair[0]))
        return pairs[:limit] + [pair for pair in pairs[limit:] if pair[0] in include]


# -- building ---------------------------------------------------------------------------------------


def build(now: datetime) -> FacetIndex:
    """An index of the sources published at `now`, valid until OPIS_FACET_INDEX_SECONDS after it or the next
    publication scheduled after it, whichever comes first."""
    started, built_at = time.monotonic(), generation()  # the generation first: a change meanwhile makes it stale
    published = Source.objects.published(now)
    rows = list(published.order_by("pk").values_list("pk", *SINGLE.values()))
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    positions = np.arange(len(ids), dtype=np.int32)
    facets = {}
    for index, param in enumerate(SINGLE, start=1):
        facets[param] = _single(param, [row[index] for row in rows], positions)
    del rows
    for param, (through, owner, value, model, key) in MULTI.items():
        owners, targets = _pairs(through, owner, value)
        where = np.minimum(np.searchsorted(ids, owners), max(len(ids) - 1, 0))
        keep = ids[where] == owners if len(ids) else np.zeros(len(owners), dtype=bool)  # published sources' links
        # Sorted by source, and a person named twice in one source (two roles) counts once.
        pairs = np.sort(where[keep].astype(np.int64) << 32 | targets[keep])
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
        facets[param] = _multi(model, key, (pairs >> 32).astype(np.int32), (pairs & 0xFFFFFFFF).astype(np.int32))
    for facet in GUARDED:
        facets[facet.param].countable = _visible(facet, len(facets[facet.param].names), now)
    facets = {param: values.indexed(len(ids)) for param, values in facets.items()}
    orders = {name: ranks(published, ids, fields) for name, fields in ORDERS.items()}
    expires = now + timedelta(seconds=settings.OPIS_FACET_INDEX_SECONDS)
    due = next_due(now)
    valid_until = expires if due is None else min(expires, due)
    log.info("facet index: %d sources built in %.1f s", len(ids), time.monotonic() - started)
    return FacetIndex(ids, facets, orders, built_at, valid_until, expires=expires)


def next_due(now: datetime) -> datetime | None:
    """The next scheduled publication after `now` that changes the index: a source joins the lists, a guarded
    facet's record (an event, a fonds) its facet."""
    found = []
    for model in (Source, *(facet.target[0] for facet in GUARDED)):
        upcoming = model.objects.filter(status=Status.PUBLISHED, published_at__gt=now)
        due = upcoming.order_by("published_at").values_list("published_at", flat=True).first()
        if due is not None:
            found.append(due)
    return min(found, default=None)


class PackedIds(Aggregate):
    """The ids of the rows, in the aggregate's order, as one bytea of big-endian int8s: one value to send and to
    read, where a row each costs a message each and a Python object each (seconds at a million rows)."""

    function = "string_agg"
    template = "%(function)s(int8send(%(expressions)s::bigint), ''::bytea%(order_by)s)"
    allow_order_by = True
    output_field = BinaryField()


def ranks(published, ids: np.ndarray, fields: tuple[str, ...]) -> np.ndarray:
    """Each position's place in the database's own order (its collation, its place for empty dates)."""
    packed = published.order_by().aggregate(ids=PackedIds("pk", order_by=fields))["ids"]
    ordered = np.frombuffer(bytes(packed or b""), dtype=">i8").astype(np.int64)
    if not len(ids):
        return np.zeros(0, dtype=np.int32)
    where = np.minimum(np.searchsorted(ids, ordered), len(ids) - 1)
    known = ids[where] == ordered  # published between the two queries: the generation makes the index stale
    rank = np.full(len(ids), len(ordered), dtype=np.int32)
    rank[where[known]] = np.flatnonzero(known).astype(np.int32)
    return rank


def _single(param: str, column: list, positions: np.ndarray) -> Values:
    target = next(f.target for f in FACETS if f.param == param)
    if target is not None:  # a foreign key (the repository): its ids, named by the related record's key
        names = _names(*target)
        return Values(positions, np.array([v or 0 for v in column], dtype=np.int32), _keys(names), names)
    distinct = sorted({value for value in column if value})
    keys = {value: number for number, value in enumerate(distinct, start=1)}
    values = np.fromiter((keys.get(value, 0) for value in column), dtype=np.int32, count=len(column))
    return Values(positions, values, keys, ["", *distinct])


def _multi(model, key: str, owners: np.ndarray, values: np.ndarray) -> Values:
    names = _names(model, key)
    return Values(owners, values, _keys(names), names)


def _names(model, key: str) -> list[str]:
    pairs = list(model._default_manager.values_list("pk", key))
    names = [""] * (max((pk for pk, _ in pairs), default=0) + 1)
    for pk, name in pairs:
        names[pk] = name or ""
    return names


def _keys(names: list[str]) -> dict[str, int]:
    return {name: number for number, name in enumerate(names) if name}


def _visible(facet, size: int, now: datetime) -> np.ndarray:
    """Per value id of a guarded facet: whether its record is published at `now`."""
    countable = np.zeros(size, dtype=bool)
    countable[[pk for pk in facet.visible(now).values_list("pk", flat=True) if pk < size]] = True
    return countable


def _pairs(through, owner: str, value: str) -> tuple[np.ndarray, np.ndarray]:
    """Every link of one kind as two arrays, read as one binary aggregate (millions of rows in a second)."""
    connection = connections[through.objects.db]  # where the other reads of the index go
    qn = connection.ops.quote_name
    # One bytea of 16 bytes a link (two big-endian int8): a COPY would send, and psycopg yield, a message a row.
    pair = f"int8send({qn(owner)}::bigint) || int8send({qn(value)}::bigint)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT string_agg({pair}, ''::bytea) FROM {qn(through._meta.db_table)}")  # noqa: S608
        data = cursor.fetchone()[0] or b""
    both = np.frombuffer(bytes(data), dtype=">i8").reshape(-1, 2)
    return both[:, 0].astype(np.int64), both[:, 1].astype(np.int64)


# -- the process's index --------------------------------------------------------------------------


class ProcessIndex:
    """The index a process serves its lists from.

    It lives until a list finds it no longer current at that moment; that request then updates it from the change
    log (`updater`, facet_update.update) or, failing that, builds the next one (`builder`), and is served by it.
    `forget` drops it. The requests of a threaded server share it; one builds or updates at a time, and the others
    wait for its index rather than make their own.
    """

    def __init__(
        self,
        builder: Callable[[datetime], FacetIndex] = build,
        updater: Callable[[FacetIndex, set[str], datetime, int], FacetIndex | None] | None = None,
    ):
        self._builder, self._updater = builder, updater  # None: facet_update.update
        self._index: FacetIndex | None = None
        self._building = threading.Lock()

    def get(self, now: datetime | None = None) -> FacetIndex | None:
        """The index current at `now` (by default the present), updated or built first if need be; None when
        OPIS_FACET_INDEX is off."""
        if not settings.OPIS_FACET_INDEX:
            return None
        now = now or timezone.now()
        public_generation = generation()  # a request's own, read at its start (archive/public/generation.py)
        index = self._index
        if index is None or not index.current(public_generation, now):
            with self._building:
                index = self._index  # another request may have made it meanwhile
                if index is None or not index.current(public_generation, now):
                    index = self._index = self._next(index, public_generation, now)
        return index

    def _next(self, old: FacetIndex | None, public_generation: int, now: datetime) -> FacetIndex:
        """The old index brought to `public_generation` from the change log, or a new one built, free of the
        public statement timeout (its size is the collection's, whatever the request).

        The generation was read before the change log is (here) and before the changed rows are (by the updater):
        see facet_update.py for why that misses nothing."""
        with unlimited(Source.objects.db):
            return self._made(old, public_generation, now)

    def _made(self, old: FacetIndex | None, public_generation: int, now: datetime) -> FacetIndex:
        if old is not None and old.generation < public_generation and now < old.valid_until:
            tags = changes_since(old.generation)
            if tags is not None:  # None: everything may have changed
                updater = self._updater
                if updater is None:
                    from .facet_update import update as updater  # that module builds on this one

                updated = updater(old, tags, now, public_generation)
                if updated is not None:
                    return updated
        self._index = None  # the old arrays may be freed while the new ones are read
        return self._builder(now)

    def forget(self) -> None:
        """Drop the index: the next list builds one."""
        self._index = None


process_index = ProcessIndex()


def current_index(now: datetime | None = None) -> FacetIndex | None:
    """This process's index, current at `now` (by default the present): see ProcessIndex.get."""
    return process_index.get(now)


def warm() -> None:
    """Build the index now (gunicorn's master, before it forks the workers: they share its memory)."""
    try:
        process_index.get()
    except Exception:  # a database not ready yet: the first list builds it instead
        log.exception("facet index: build at start failed")


def forget() -> None:
    """Drop this process's index (the next list builds one): tests, whose records come and go, start without."""
    process_index.forget()
