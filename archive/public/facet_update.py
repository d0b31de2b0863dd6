"""The facet index (facet_index.py) brought to a newer generation from the change log, not built again.

`update(old, tags, now, generation)` makes a NEW index from an older one and the tags changed since it was built
(archive.public.changes.changes_since): the arrays of the old one are never written to (the requests of a threaded
worker may be reading them), and its caches of masks and labels are not carried over. It gives None when a build
is the better way: too many sources changed, or the database answers something the old index cannot place.

- Sources named (``source:N``, or ``links:source:N``: a record linking to it changed): their rows and links are
  read again; those published at `now` replace their old positions, the others drop out; every facet's pairs are
  remapped to the new positions in one pass of numpy.
- Records a facet names (``event:3``, ``agent:7``, ``unit:5``…): those records' keys, and for a guarded facet
  whether they may be named at `now`, are read again; nothing else of the facet is.
- Orders: see `_place`.
- The next scheduled publication is looked up again; the age limit stays that of the build the index comes from,
  so that an index is built anew at least every OPIS_FACET_INDEX_SECONDS whatever it was updated with.

Why an update misses nothing: the generation it is labelled with is read (at the request's start) before the
change log, and the change log before the changed rows. A change committed before the generation was read is in
the change log (stamped after the old index's generation) and in the rows read. A change committed later is read
or not, but its tags are stamped above the new generation: the next update reads them again and applies them
again. Applying a change is idempotent (a source's positions and a record's keys are replaced, never adjusted),
so reading one twice changes nothing.
"""

import logging
import time
from datetime import datetime

import numpy as np
from django.db import connections
from django.db.models.expressions import RawSQL

from archive.models import Source, Status

from .facet_index import MULTI, ORDERS, SINGLE, FacetIndex, Values, next_due, ranks
from .facets import FACETS

log = logging.getLogger(__name__)

# Above this many changed sources a build is chosen. An update costs about 0.4 ms per changed source (its rows and
# links read, two index probes per order) against 2-3 s for a build at a million sources (bench/facet_update.py,
# docs/performance.md): they meet near 5,000. A share of the index, but never fewer than UPDATE_LEAST (a small
# archive updates too, its builds being cheap anyway) nor more than UPDATE_MOST.
UPDATE_SHARE = 0.005
UPDATE_LEAST = 1_000
UPDATE_MOST = 5_000
# Above this share of the index, the changed sources are ranked by one read of the whole order (what a build does)
# rather than by probes: a probe costs about what reading a couple of hundred rows of the order does.
PROBED_SHARE = 1 / 200


def among(ids) -> RawSQL:
    """Ids for `pk__in`, sent as one array: a list of tens of thousands of parameters takes longer to send than to
    read."""
    return RawSQL("SELECT unnest(%s::bigint[])", [[int(pk) for pk in ids]])


def too_many(changed: int, size: int) -> bool:
    """Whether `changed` sources are too many to update an index of `size` sources: a build is cheaper."""
    return changed > min(UPDATE_MOST, max(UPDATE_LEAST, int(size * UPDATE_SHARE)))


def named_records(tags: set[str]) -> dict[str, set[int]]:
    """The records the tags name, by model name: {"source": {12}, "event": {3}}; list tags name none. A source
    whose linking records changed (``links:source:12``: a person linked to it through archive_sourceagent, saved
    on its own) is named too: its facet values are its links."""
    named: dict[str, set[int]] = {}
    source = Source._meta.model_name
    for tag in tags:
        kind, _, pk = tag.partition(":")
        if kind == "links":
            kind, _, pk = pk.partition(":")
            if kind != source:
                continue
        if kind != "list" and pk.isdigit():
            named.setdefault(kind, set()).add(int(pk))
    return named


def update(old: FacetIndex, tags: set[str], now: datetime, generation: int) -> FacetIndex | None:
    """The index of the sources published at `now`, from `old` and the tags changed since it was built, labelled
    with `generation` (read before the tags); None when it should be built instead."""
    started = time.monotonic()
    named = named_records(tags)
    changed = np.array(sorted(named.get(Source._meta.model_name, ())), dtype=np.int64)
    if too_many(len(changed), old.size):
        return None
    moves = _Moves(old.ids, changed, now) if len(changed) else None
    facets = {}
    for param, values in old.facets.items():
        facets[param] = _facet(param, values, moves, named, now)
    if moves is None:
        orders = old.orders
    else:
        orders = {}
        for name, fields in ORDERS.items():
            rank = _place(old.orders[name], moves, changed, fields, now)
            if rank is None:
                return None
            orders[name] = rank
    ids = old.ids if moves is None else moves.ids
    expires = old.expires or old.valid_until
    due = next_due(now)
    valid_until = expires if due is None else min(expires, due)
    log.info(
        "facet index: %d sources updated (%d changed, %d records named) in %.3f s",
        len(ids),
        len(changed),
        sum(len(pks) for pks in named.values()) - len(changed),
        time.monotonic() - started,
    )
    return FacetIndex(ids, facets, orders, generation, valid_until, expires=expires)


class _Moves:
    """Where each source goes: the old index's positions kept (dropping the changed sources) and those of the
    changed sources published at `now`, with their columns."""

    def __init__(self, old_ids: np.ndarray, changed: np.ndarray, now: datetime):
        published = Source.objects.published(now).filter(pk__in=among(changed)).order_by("pk")
        self.rows = list(published.values_list("pk", *SINGLE.values()))
        self.added = np.fromiter((row[0] for row in self.rows), dtype=np.int64, count=len(self.rows))
        self.kept = ~np.isin(old_ids, changed, assume_unique=True)
        kept_ids = old_ids[self.kept]
        # Each added source goes before the kept sources of higher ids: a kept source moves up by the number of
        # added ones before it, down by the dropped ones (which `kept` leaves out).
        where = np.searchsorted(kept_ids, self.added)
        self.ids = np.insert(kept_ids, where, self.added)
        self.added_at = (where + np.arange(len(self.added))).astype(np.int32)
        shift = np.zeros(len(kept_ids) + 1, dtype=np.int64)
        np.add.at(shift, where, 1)
        self.kept_to = (np.arange(len(kept_ids)) + np.cumsum(shift)[:-1]).astype(np.int32)
        self.old_to = np.full(len(old_ids), -1, dtype=np.int32)  # old position -> new one (-1: dropped or changed)
        self.old_to[self.kept] = self.kept_to

    @property
    def size(self) -> int:
        return len(self.ids)


def _facet(param: str, old: Values, moves: _Moves | None, named: dict[str, set[int]], now: datetime) -> Values:
    """One facet at the new positions, with its records' keys read again where the tags name them."""
    facet = next(f for f in FACETS if f.param == param)
    names, keys, countable = old.names, old.keys, old.countable
    if moves is None:
        owners, values = old.owners, old.values  # no source changed: the same pairs, never written to
        new_values = values[:0]
    else:
        new_owners, new_values = _added_pairs(param, moves)
        if facet.target is None:  # a column's own values: new ones get the next ids
            names, keys, new_values = _column_values(names, keys, new_values)
        owners, values = _merged(old, moves, new_owners, new_values.astype(np.int32))
    if facet.target is not None:
        model, key = facet.target
        reread = set(named.get(model._meta.model_name, ()))
        reread |= {int(value) for value in np.unique(new_values) if value >= len(names)}  # newer than the index
        if reread:
            names, keys, countable = _reread(facet, old, sorted(reread), now)
    if moves is None and names is old.names:
        return old
    return Values(owners, values, keys, names, countable).indexed(moves.size if moves else len(old.starts) - 1)


def _added_pairs(param: str, moves: _Moves) -> tuple[np.ndarray, np.ndarray]:
    """The (new position, value) pairs of the changed sources published at `now`, sorted, each pair once."""
    if param in SINGLE:
        column = list(SINGLE).index(param) + 1
        raw = [row[column] for row in moves.rows]
        if next(f for f in FACETS if f.param == param).target is None:
            return moves.added_at, np.array(raw, dtype=object)  # strings: numbered by _column_values
        return moves.added_at, np.array([value or 0 for value in raw], dtype=np.int64)
    through, owner, value, *_ = MULTI[param]
    links = through._default_manager.filter(**{f"{owner}__in": among(moves.added)}).values_list(owner, value).order_by()
    pairs = np.array(list(links), dtype=np.int64).reshape(-1, 2)
    where = moves.added_at[np.searchsorted(moves.added, pairs[:, 0])]
    packed = np.unique(where.astype(np.int64) << 32 | pairs[:, 1])  # a person in two roles counts once
    return (packed >> 32).astype(np.int32), packed & 0xFFFFFFFF


def _column_values(names: list[str], keys: dict[str, int], raw: np.ndarray):
    """A column's values (document types) as ids, numbering the ones the index has not seen after the others."""
    unseen = sorted({value for value in raw if value and value not in keys})
    if unseen:
        names = [*names, *unseen]
        keys = {**keys, **{value: len(names) - len(unseen) + number for number, value in enumerate(unseen)}}
    return names, keys, np.array([keys.get(value, 0) if value else 0 for value in raw], dtype=np.int64)


def _merged(old: Values, moves: _Moves, owners: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The old pairs of the kept sources at their new positions, and the new pairs inserted in order: both are
    sorted by (position, value), so one insertion keeps them so, with no sort of the millions of pairs."""
    kept = moves.kept[old.owners]
    packed = moves.old_to[old.owners[kept]].astype(np.int64) << 32 | old.values[kept]
    added = owners.astype(np.int64) << 32 | values
    merged = np.insert(packed, np.searchsorted(packed, added), added)
    return (merged >> 32).astype(np.int32), (merged & 0xFFFFFFFF).astype(np.int32)


def _reread(facet, old: Values, pks: list[int], now: datetime):
    """The facet's names, keys and countable values with these records read again (a deleted one names nothing)."""
    model, key = facet.target
    found = dict(model._default_manager.filter(pk__in=among(pks)).values_list("pk", key))
    names = list(old.names) + [""] * max(0, max(pks) + 1 - len(old.names))
    keys = dict(old.keys)
    for pk in pks:
        before = old.names[pk] if pk < len(old.names) else ""
        if before and keys.get(before) == pk:
            del keys[before]
        names[pk] = found.get(pk) or ""
    keys.update({names[pk]: pk for pk in pks if names[pk]})
    countable = old.countable
    if countable is not None:
        countable = np.zeros(len(names), dtype=bool)
        countable[: len(old.countable)] = old.countable
        countable[pks] = False
        countable[list(facet.visible(now).filter(pk__in=among(pks)).values_list("pk", flat=True))] = True
    return names, keys, countable


# -- orders ---------------------------------------------------------------------------------------------------
#
# The ranks are the database's order (its collation, its place for empty dates), which numpy cannot compute from
# the values. Reading the whole order again is what a build costs (most of it). Instead each added source is placed
# between the kept sources the database reports as its neighbours, one index probe each (the chrono index for the
# date, archive_source_title_idx for the title), all in one statement: its rank is a fraction between theirs, and
# the added sources sharing a gap are spread over it in the database's order (many changed sources: one read of
# the whole order, as a build does, costs less than their probes; see PROBED_SHARE). Ranks are floats; in the rare case
# that repeated insertions in one gap have used up its precision, the kept ranks are renumbered first (an argsort,
# no query). Recomputing only when a source's sort keys change would still read the whole order for every source
# published, the commonest change of all.

# `<> ALL` of a constant array: PostgreSQL hashes it once per statement (tens of thousands of changed ids).
PUBLISHED_KEPT = "p.status = %(published)s AND p.published_at <= %(now)s AND p.id <> ALL(%(changed)s::bigint[])"


def _nearest(where: str, order: str) -> str:
    """The first kept source in this order among those matching: one probe of the index on the order's columns
    (each condition is an index bound: no OR, which would make it scan from the start)."""
    return f"(SELECT p.id FROM archive_source p WHERE {PUBLISHED_KEPT} AND {where} ORDER BY {order} LIMIT 1)"  # noqa: S608


def _neighbours_sql(first: str, second: str, nullable: bool) -> str:
    """The statement giving each added source and the kept sources just before and after it in the order
    (`first`, `second`) ascending, in that order; a `nullable` first column sorts its NULLs last, as PostgreSQL
    does ascending."""
    row, own = f"(p.{first}, p.{second})", f"(c.{first}, c.{second})"
    backwards, forwards = f"p.{first} DESC, p.{second} DESC", f"p.{first}, p.{second}"
    before = _nearest(f"p.{first} IS NOT NULL AND {row} < {own}", backwards)
    after = _nearest(f"{row} > {own}", forwards)
    found = (
        f"SELECT c.id AS added, {before} AS before, {after} AS after FROM archive_source c WHERE c.id = ANY(%(added)s)"  # noqa: S608
    )
    if nullable:
        first_undated = _nearest(f"p.{first} IS NULL", f"p.{second}")
        last_dated = _nearest(f"p.{first} IS NOT NULL", backwards)
        undated_before = _nearest(f"p.{first} IS NULL AND p.{second} < c.{second}", f"p.{second} DESC")
        undated_after = _nearest(f"p.{first} IS NULL AND p.{second} > c.{second}", f"p.{second}")
        # Here and above: constants and column names only.
        after = f"COALESCE({after}, {first_undated})"
        dated = f"SELECT c.id AS added, {before} AS before, {after} AS after FROM archive_source c"  # noqa: S608
        undated = f"SELECT c.id, COALESCE({undated_before}, {last_dated}), {undated_after} FROM archive_source c"  # noqa: S608
        found = (
            f"{dated} WHERE c.id = ANY(%(added)s) AND c.{first} IS NOT NULL"
            f" UNION ALL {undated} WHERE c.id = ANY(%(added)s) AND c.{first} IS NULL"
        )
    # In the order itself: the added sources sharing a gap come out in the database's order.
    return (
        f"SELECT found.* FROM ({found}) AS found JOIN archive_source o ON o.id = found.added"  # noqa: S608 (constants)
        f" ORDER BY o.{first}, o.{second}"
    )


def _place(old_rank: np.ndarray, moves: _Moves, changed: np.ndarray, fields: tuple[str, str], now: datetime):
    """The ranks at the new positions: the kept sources' as they were, the added ones' between their neighbours'.
    None when a neighbour is not in the index (a source published since the tags were read: the next list sees it
    among the changes; this one builds)."""
    if len(moves.added) > moves.size * PROBED_SHARE:
        return ranks(Source.objects.published(now), moves.ids, fields).astype(np.float64)
    rank = np.empty(moves.size, dtype=np.float64)
    rank[moves.kept_to] = old_rank[moves.kept]
    if not len(moves.added):
        return rank
    first, second = (Source._meta.get_field(name) for name in fields)
    with connections[Source.objects.db].cursor() as cursor:
        cursor.execute(
            _neighbours_sql(first.column, second.column, nullable=first.null),
            {"added": moves.added.tolist(), "changed": changed.tolist(), "now": now, "published": Status.PUBLISHED},
        )
        found = cursor.fetchall()
    added = np.array([row[0] for row in found], dtype=np.int64)
    before, after = (np.array([row[i] or 0 for row in found], dtype=np.int64) for i in (1, 2))
    at = moves.added_at[np.searchsorted(moves.added, added)]
    before_at, after_at = (_position(moves.ids, ids) for ids in (before, after))
    if before_at is None or after_at is None:
        return None
    kept_ranks = rank[moves.kept_to]
    for attempt in range(2):
        low = np.where(before_at >= 0, rank[np.maximum(before_at, 0)], (kept_ranks.min(initial=0)) - 1)
        high = np.where(after_at >= 0, rank[np.maximum(after_at, 0)], (kept_ranks.max(initial=0)) + 1)
        # The added sources sharing a gap (consecutive in the order, the same neighbour before) spread over it.
        opens = np.concatenate(([True], before[1:] != before[:-1])) if len(before) else np.zeros(0, dtype=bool)
        group = np.cumsum(opens) - 1
        starts = np.flatnonzero(opens)
        sizes = np.diff(np.append(starts, len(before)))
        within = np.arange(len(before)) - starts[group]
        placed = low + (high - low) * (within + 1) / (sizes[group] + 1)
        if np.all((placed > low) & (placed < high)) and np.all(np.diff(placed)[~opens[1:]] > 0):
            rank[at] = placed
            return rank
        if attempt == 0:  # precision used up in a gap: the kept ranks renumbered 0, 1, 2… in their order
            dense = np.empty(len(kept_ranks), dtype=np.float64)
            dense[np.argsort(kept_ranks, kind="stable")] = np.arange(len(kept_ranks))
            rank[moves.kept_to] = kept_ranks = dense
    return None


def _position(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray | None:
    """Positions of `wanted` ids in the index (0: none, gives -1); None if one is not there."""
    where = np.minimum(np.searchsorted(ids, wanted), max(len(ids) - 1, 0))
    found = (ids[where] == wanted) if len(ids) else np.zeros(len(wanted), dtype=bool)
    if np.any(~found & (wanted != 0)):
        return None
    return np.where(wanted != 0, where, -1)
