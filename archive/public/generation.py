"""The public generation: a number in PostgreSQL that moves in the same commit as any change to the public records.

What is cached for the public is checked against it. The page cache (archive/public/cache.py) stores each page
with the generation it was built at and the tags of what it shows, and serves it while none of those changed
since (archive/public/changes.py); the cached figures and the facet index (facet_index.py) are built at one
generation and used only at that generation. The number lives in the database, not in a cache, so every worker
and every server reads the same one, whatever cache each of them has.

Kept as a total (archive_publicgeneration) plus the changes not yet folded into it (archive_publicchange), read
together in one statement. `public_changed(tags=…)` inserts a change row naming what changed (its tags; none:
everything) in the writer's own transaction: an insert, which no other writer waits for (no shared row is locked,
however long an import holds its transaction). The generation therefore moves exactly when that transaction
commits: not before (no other connection sees the row), never for a rollback, at once outside a transaction.
After the commit one short autocommit statement folds the rows into the total: it leaves the sum as it was or
raises it to the clock in microseconds, so that after a backup is restored the first change moves it past every
number used before, and it stamps each tag of the rows it folds (archive_publictag) with the generation as it reads
it. A fold that never runs (a process killed right after its commit) leaves its rows counted, and the pages they
name stale, until the next fold takes them: nothing is lost.

Each request reads the generation once, before it reads any record (`begin`, called by the middleware of
archive/public/cache.py, or `begin_unless_fresh`, which reads it in the statement that checks a cached page),
from the primary, and builds everything from that one value (`generation()`). A request that read the number
before a change committed may have read old records, but what it stores is marked with a number lower than the
one the change's tags are stamped with (or the change's row is still unfolded, newer than anything); a request
that read the new number began after the commit, so it reads the new records. The read also returns the unfolded
rows it counted (`changes.Generation.unfolded`): committed before the request read any record, so a page built
after them is not stale for them.

With a read replica (archive/db_routing.py) a public request then reads the generation the replica has replayed.
The change row arrives there in the same commit record as the changed records, and the number only rises, so a
replica at the primary's number or past it holds every change that number counts: the request reads its records
there. A replica behind it (lag), or not answering, would show records older than the generation they would be
stored with: that request reads its records from the primary instead. A cached page served fresh reads no record.
So no request, on any server, shows or caches a record older than the last change committed before it began,
however far the replica lags.
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from archive.db_routing import read_database, reading_public, refuse_replica, replica_alias, reset_replica

from .changes import EVERYTHING, GENERATION, UNFOLDED, Generation, read_stale

logger = logging.getLogger(__name__)


@dataclass
class _Request:
    """The present request's generation, once read, and what its page declared it shows."""

    generation: int | None = None
    replica_token: object = None  # set when this request's records come from the primary despite a replica
    tags: set[str] | None = None  # archive/public/dependencies.py; None: nothing declared (everything)


# The present request (None outside one). A holder, so that every middleware and view of one request shares it.
_request: ContextVar[_Request | None] = ContextVar("opis_public_request", default=None)

# The tables of archive.models.PublicGeneration and PublicChange.
READ = f"SELECT {GENERATION}, {UNFOLDED}"  # noqa: S608 (constants)
CHANGED = "INSERT INTO archive_publicchange DEFAULT VALUES"  # tags '*': everything changed
CHANGED_TAGS = "INSERT INTO archive_publicchange (tags) VALUES (%s::text[])"
# Deletes the rows, raises the total by their count (or to the clock), and stamps their tags with the generation
# as this statement reads it (its snapshot still counts the rows it deletes, and rows another fold is folding).
# The tags are upserted in order, after the total's row is locked: two folds never wait for each other crosswise.
FOLD = f"""
    WITH folded AS (
        DELETE FROM archive_publicchange
        WHERE id IN (SELECT id FROM archive_publicchange FOR UPDATE SKIP LOCKED)
        RETURNING tags
    ), counted AS (SELECT count(*) AS n FROM folded),
    seen AS (SELECT {GENERATION} AS generation),
    raised AS (
        INSERT INTO archive_publicgeneration AS total (id, value)
        SELECT 1, GREATEST(n, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint) FROM counted WHERE n > 0
        ON CONFLICT (id) DO UPDATE
        SET value = GREATEST(
            total.value + (SELECT n FROM counted), (extract(epoch FROM clock_timestamp()) * 1000000)::bigint
        )
        RETURNING 1
    )
    INSERT INTO archive_publictag AS stamped (tag, changed)
    SELECT DISTINCT tag, seen.generation FROM folded, unnest(folded.tags) AS tag, seen, raised
    ORDER BY tag
    ON CONFLICT (tag) DO UPDATE SET changed = GREATEST(stamped.changed, EXCLUDED.changed)
"""  # noqa: S608 (GENERATION is a constant)
# Above this many tags a change names everything: one row that size is cheaper to read as '*'.
MOST_TAGS = 50_000


def read(using: str = DEFAULT_DB_ALIAS) -> Generation:
    """The generation committed in that database now: the total and the rows not yet folded, in one snapshot."""
    with connections[using].cursor() as cursor:
        cursor.execute(READ)
        return Generation(*cursor.fetchone())


def public_changed(*, using: str = DEFAULT_DB_ALIAS, tags: Iterable[str] | None = None) -> None:
    """What the tags name (archive/public/changes.py; None: everything) changed, from the moment the present
    transaction commits (at once outside a transaction). Writes that send no signals (bulk_create,
    queryset.update, CSV imports) call it themselves, in their transaction, with the tags of what they touched."""
    tags = sorted(set(tags)) if tags is not None else [EVERYTHING]
    if len(tags) > MOST_TAGS or EVERYTHING in tags:
        tags = [EVERYTHING]
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(CHANGED_TAGS, [tags])
    # One fold after the commit covers every row: not queued again while one is (Django drops a queued callback
    # with the savepoint it was queued in, so a rolled-back part never takes the fold with it).
    if not any(getattr(queued, "func", None) is fold for _, queued, _ in connection.run_on_commit):
        transaction.on_commit(partial(fold, using), using=using, robust=True)


def fold(using: str = DEFAULT_DB_ALIAS) -> None:
    """Fold the committed change rows into the total, in one autocommit statement: the generation stays the same or
    rises to the clock. Rows that another fold has taken are left to it (SKIP LOCKED: no fold waits for another)."""
    with connections[using].cursor() as cursor:
        cursor.execute(FOLD)


def present_request() -> _Request | None:
    """The present request's scope: its generation once read, and what its page declared it shows (None outside
    a request)."""
    return _request.get()


def generation() -> int:
    """The generation every key of the present request is built from: the one it read at its start. Outside a
    request (a command, the facet index built before the workers start), the present one, read now."""
    request = _request.get()
    if request is None or request.generation is None:
        return read(read_database(public=reading_public()))
    return request.generation


def begin(*, public: bool) -> int:
    """The present request's generation, read now from the primary if it has none yet; for a public request with
    a replica, the replica is used for its records only if it has replayed that generation. Call before the
    request reads any record."""
    request = _request.get()
    if request is None:
        return read(read_database(public=public))
    if request.generation is None:
        _adopt(request, read(DEFAULT_DB_ALIAS), public=public)
    return request.generation


def begin_unless_fresh(tags: Iterable[str], built: int, seen: Iterable[int] = ()) -> bool:
    """For a public request holding something built at generation `built` from `tags`: whether it is still fresh,
    read in the same statement as the generation, from the primary. If it is stale, the request begins as
    `begin(public=True)` would, at that generation; if fresh, the request needs no generation (it reads no
    record)."""
    request = _request.get()
    generation, is_stale = read_stale(tags, built, seen)
    if is_stale and request is not None and request.generation is None:
        _adopt(request, generation, public=True)
    return not is_stale


def _adopt(request: _Request, generation: int, *, public: bool) -> None:
    """The request's generation is `generation`; its records come from the replica only if it has replayed it."""
    request.generation = generation
    if public and replica_alias() and not replica_current(generation):
        request.replica_token = refuse_replica()


def replica_current(wanted: int) -> bool:
    """Whether the replica has replayed the generation `wanted` (False if it does not answer)."""
    alias = replica_alias()
    try:
        return read(alias) >= wanted
    except DatabaseError as error:
        logger.warning("Replica %s not answering, reading from the primary: %s", alias, error)
        return False


@contextmanager
def request_scope() -> Iterator[None]:
    """A request's lifetime: it starts without a generation and ends forgetting the one it read. Only the
    outermost scope of a request counts (the page cache and PublicGenerationMiddleware each open one)."""
    if _request.get() is not None:
        yield
        return
    request = _Request()
    token = _request.set(request)
    try:
        yield
    finally:
        if request.replica_token is not None:
            reset_replica(request.replica_token)
        _request.reset(token)
