"""The public generation: a number in PostgreSQL that moves in the same commit as any change to the public records.

Everything cached for the public (pages and figures, archive/public/cache.py; the facet index, facet_index.py) is
built at one generation and used only at that generation. The number lives in the database, not in a cache, so
every worker and every server reads the same one, whatever cache each of them has.

Kept as a total (archive_publicgeneration) plus the changes not yet folded into it (archive_publicchange), read
together in one statement. `public_changed()` inserts a change row in the writer's own transaction: an insert,
which no other writer waits for (no shared row is locked, however long an import holds its transaction). The
generation therefore moves exactly when that transaction commits: not before (no other connection sees the
row), never for a rollback, at once outside a transaction. After the commit one short autocommit statement
folds the rows into the total; it leaves the sum as it was or raises it to the clock in microseconds, so that
after a backup is restored the first change moves it past every number used before. A fold that never runs
(a process killed right after its commit) leaves its rows counted: nothing is lost.

Each request reads the generation once, before it reads any record (`begin`, called by the middleware of
archive/public/cache.py), from the database its records come from (the replica for public reads,
archive/db_routing.py), and builds every key from that one value (`generation()`). A request that read the
number before a change committed may have read old records, but what it stores is keyed by a number no later
request reads; a request that read the new number began after the commit, so it reads the new records. On a
streaming replica the change row arrives in the same commit record as the changed records, so this holds
there too, as long as a request reads everything from one replica.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from archive.db_routing import read_database, reading_public


@dataclass
class _Request:
    """The present request's generation, once read."""

    generation: int | None = None


# The present request (None outside one). A holder, so that every middleware and view of one request shares it.
_request: ContextVar[_Request | None] = ContextVar("opis_public_request", default=None)

# The tables of archive.models.PublicGeneration and PublicChange.
READ = (
    "SELECT COALESCE((SELECT value FROM archive_publicgeneration WHERE id = 1), 0)"
    " + (SELECT count(*) FROM archive_publicchange)"
)
CHANGED = "INSERT INTO archive_publicchange DEFAULT VALUES"
FOLD = """
    WITH folded AS (
        DELETE FROM archive_publicchange
        WHERE id IN (SELECT id FROM archive_publicchange FOR UPDATE SKIP LOCKED)
        RETURNING 1
    ), counted AS (SELECT count(*) AS n FROM folded)
    INSERT INTO archive_publicgeneration AS total (id, value)
    SELECT 1, GREATEST(n, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint) FROM counted WHERE n > 0
    ON CONFLICT (id) DO UPDATE
    SET value = GREATEST(
        total.value + (SELECT n FROM counted), (extract(epoch FROM clock_timestamp()) * 1000000)::bigint
    )
"""


def read(using: str = DEFAULT_DB_ALIAS) -> int:
    """The generation committed in that database now: the total and the rows not yet folded, in one snapshot."""
    with connections[using].cursor() as cursor:
        cursor.execute(READ)
        return cursor.fetchone()[0]


def public_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Everything public cached so far is stale from the moment the present transaction commits (at once outside
    a transaction). Writes that send no signals (bulk_create, queryset.update, CSV imports) call it themselves, in
    their transaction."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(CHANGED)
    # One fold after the commit covers every row: not queued again while one is (Django drops a queued callback
    # with the savepoint it was queued in, so a rolled-back part never takes the fold with it).
    if not any(getattr(queued, "func", None) is fold for _, queued, _ in connection.run_on_commit):
        transaction.on_commit(partial(fold, using), using=using, robust=True)


def fold(using: str = DEFAULT_DB_ALIAS) -> None:
    """Fold the committed change rows into the total, in one autocommit statement: the generation stays the same or
    rises to the clock. Rows that another fold has taken are left to it (SKIP LOCKED: no fold waits for another)."""
    with connections[using].cursor() as cursor:
        cursor.execute(FOLD)


def generation() -> int:
    """The generation every key of the present request is built from: the one it read at its start. Outside a
    request (a command, the facet index built before the workers start), the present one, read now."""
    request = _request.get()
    if request is None or request.generation is None:
        return read(read_database(public=reading_public()))
    return request.generation


def begin(*, public: bool) -> int:
    """The present request's generation, read now if it has none yet, from the database its records are read
    from (`public`: the replica, when one is configured). Call before the request reads any record."""
    request = _request.get()
    if request is None:
        return read(read_database(public=public))
    if request.generation is None:
        request.generation = read(read_database(public=public))
    return request.generation


@contextmanager
def request_scope() -> Iterator[None]:
    """A request's lifetime: it starts without a generation and ends forgetting the one it read. Only the
    outermost scope of a request counts (the page cache and PublicGenerationMiddleware each open one)."""
    if _request.get() is not None:
        yield
        return
    token = _request.set(_Request())
    try:
        yield
    finally:
        _request.reset(token)
