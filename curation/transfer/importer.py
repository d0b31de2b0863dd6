"""The one import pipeline behind both doors (admin and command line).

The file is streamed in chunks. Each chunk is validated in full; it is written (in bulk, inside the one
transaction of the import) only while no error has been seen anywhere. Validation goes on to the end
so the curator gets every error at once, and any error rolls the whole transaction back: all or nothing.
"""

import hashlib
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

import psycopg
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from archive.models import Level, Unit
from curation.models import BatchStatus, ChangeChannel, ImportBatch, ImportBatchRecord, ImportMode, RecordAction
from curation.services import carry_fonds

from . import history_and_cache, writing
from .clashes import AGAIN, Refused, clashes, lost_updates
from .dead_batches import fail_dead_batches
from .formats import KINDS, Kind
from .keys import Keys
from .lease import ImportLease
from .profiles import PROFILES
from .readahead import read_ahead
from .reading import FileError, open_csv
from .stored import dump
from .validation import HeaderError, Planned, RowError, Validator, shown

CHUNK_ROWS = 2000
FIRST_CHUNK_ROWS = 250
MAX_KEPT_ERRORS = 5000
PREVIEW_ROWS = 1000


@dataclass
class ImportResult:
    batch: ImportBatch
    errors: list[RowError] = field(default_factory=list)
    preview: list[Planned] = field(default_factory=list)  # the first PREVIEW_ROWS rows, for the admin's diff
    error_rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    # What a profile's import found beyond its rows (curation.transfer.atom.run.Report), for the preview.
    report: object | None = None
    # Refused for a reason outside the file (another import got in the way, the database failed): the same
    # file may succeed when imported again.
    retryable: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and self.batch.status in (BatchStatus.SUCCEEDED, BatchStatus.PREVIEWED)


class _Abort(Exception):
    """Raised inside the transaction to roll it back once errors are known."""


class _HashingReader:
    """Passes bytes through while computing the file's SHA-256, so the file is read once."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def seek(self, offset, whence=0):
        # Only the rewind after sniffing the sample: restart the digest with it.
        self.digest, self.size = hashlib.sha256(), 0
        return self.stream.seek(offset, whence)

    def readable(self):
        return True

    def __getattr__(self, name):
        return getattr(self.stream, name)


def run_import(
    kind_name: str,
    stream: BinaryIO,
    *,
    user,
    file_name: str = "",
    mode: str = ImportMode.UPSERT,
    dry_run: bool = False,
    skip_unchanged: bool = True,
    encoding: str | None = None,
    delimiter: str | None = None,
    progress: Callable[[int], None] | None = None,
    batch: ImportBatch | None = None,
    expected_rows: int | None = None,
) -> ImportResult:
    """Import one file. `batch` is given when the batch was queued before (background imports); `expected_rows`
    (curation.transfer.reading.count_rows) is what the batch's progress is shown against.

    The batch is marked running under a lease (curation.transfer.lease) that ends with this process, so a
    batch whose process dies is recognised and failed. Success is saved in the import's own transaction:
    a batch still running has written nothing."""
    if kind_name in PROFILES:
        from .atom.run import import_profile  # the profiles' modules build on this one

        kind, run = PROFILES[kind_name], import_profile
        if not kind.allowed(user):
            raise PermissionDenied(f"You may not import {kind.label}: that needs {', '.join(kind.permissions)}.")
    else:
        kind, run = KINDS[kind_name], _import
        if not user.has_perm(kind.permission("import")):
            raise PermissionDenied(f"You may not import {kind.name}: that needs {kind.permission('import')}.")
    fail_dead_batches()  # batches left running by a process that died are seen to by the next import
    if batch is None:
        batch = ImportBatch(kind=kind.name, user=user)
    if expected_rows is not None:
        batch.expected_rows = expected_rows
    with ImportLease() as lease:
        batch.mode, batch.dry_run, batch.file_name = mode, dry_run, file_name[:255]
        batch.status, batch.lease_key, batch.owner, batch.progress = BatchStatus.RUNNING, lease.key, lease.owner, 0
        batch.save()
        result = ImportResult(batch=batch)
        try:
            run(kind, stream, result, user, (mode, dry_run, skip_unchanged, encoding, delimiter), lease, progress)
        except BaseException as exc:
            _fail(batch, exc)
            raise
    return result


def _import(kind, stream, result, user, options, lease, progress) -> None:
    mode, dry_run, skip_unchanged, encoding, delimiter = options
    batch = result.batch
    started = time.monotonic()
    reader = _HashingReader(stream)
    report = _Progress(lease, batch.pk, progress)
    # Validation may read on a connection of its own only when nothing uncommitted precedes the import (an
    # enclosing transaction's rows would be invisible to it); what this import writes, it never needs to read.
    reads_apart = not connection.in_atomic_block
    try:
        with transaction.atomic():
            writer = _Writer(kind, batch, user, skip_unchanged)
            _run(kind, reader, result, writer, (mode, dry_run, encoding, delimiter, report, reads_apart))
            if result.errors or dry_run:
                raise _Abort
            history_and_cache.record_written(
                model=kind.model, created=writer.created, updated=writer.updated, user=user, batch=batch
            )
            _finish(batch, result, reader, started, dry_run)  # committed with what it describes
            return
    except _Abort:
        pass
    except FileError as exc:
        result.errors.append(RowError(exc.line, exc.column, "", exc.message))
    except HeaderError as exc:
        result.errors.extend(exc.errors)
    except Refused as exc:
        result.errors.extend(exc.errors)
        result.retryable = True
    except (DatabaseError, psycopg.Error) as exc:  # COPY runs on psycopg's cursor: its errors come unwrapped
        # What the checks could not foresee; the transaction is rolled back, the batch says why.
        result.errors.append(RowError(0, "", "", f"The database refused the import, nothing was written: {exc}"))
        result.retryable = True
    _finish(batch, result, reader, started, dry_run)


def _fail(batch: ImportBatch, exc: BaseException) -> None:
    """An unforeseen error or an interruption: the import's transaction is rolled back; the batch says why."""
    reason = f"Failed, nothing was written: {exc!r}"[:2000]
    try:
        ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
            status=BatchStatus.FAILED, message=reason
        )
    except DatabaseError:
        pass  # the database is gone too; the free lease will show the batch as dead
    batch.status, batch.message = BatchStatus.FAILED, reason


class _Progress:
    """Rows read so far: written to the batch on the lease's connection, then passed on (a terminal's bar)."""

    def __init__(self, lease: ImportLease, batch_id: int, then: Callable[[int], None] | None):
        self.lease, self.batch_id, self.then = lease, batch_id, then

    def __call__(self, rows: int) -> None:
        self.lease.progress(self.batch_id, rows)
        if self.then:
            self.then(rows)


def _run(kind, reader, result, writer, options):
    mode, dry_run, encoding, delimiter, progress, reads_apart = options
    csv_file = open_csv(reader, encoding=encoding, delimiter=delimiter)
    result.batch.encoding, result.batch.delimiter = csv_file.encoding, csv_file.delimiter
    result.header = csv_file.header
    user = result.batch.user
    validator = Validator(kind, csv_file.header, mode=mode, user=user, keys=Keys())
    rows_seen = 0

    def check(parsed, errors, current):
        planned, errors = validator.check(parsed, errors, current)
        if not errors and not dry_run:
            writer.prepare(planned)
        return planned, errors

    def load_and_check(parsed, errors):
        return check(parsed, errors, validator.load(parsed))

    # A pipeline of three threads, since most of an import is waiting for the database: parsing runs a chunk
    # ahead, and checking a chunk's rows overlaps writing the chunk before. With reads_apart the check thread
    # also makes the chunk's queries, on its own connection (another database process, another CPU).
    parsed_chunks = read_ahead((chunk, *validator.parse(chunk)) for chunk in _chunks(csv_file.rows))
    with closing(parsed_chunks), _check_thread(own_connection=reads_apart) as checker:
        pending = None
        for chunk, parsed, errors in parsed_chunks:
            # One check thread, so each chunk's load and check end before the next chunk's (shared state).
            previous = pending and (pending[0], pending[1].result())
            if reads_apart:
                pending = chunk, checker.submit(load_and_check, parsed, errors)
            else:
                pending = chunk, checker.submit(check, parsed, errors, validator.load(parsed))
            if previous:
                rows_seen += _chunk(writer, *previous, result, dry_run, progress, rows_seen)
        if pending:
            rows_seen += _chunk(writer, pending[0], pending[1].result(), result, dry_run, progress, rows_seen)
    result.batch.rows = result.batch.progress = rows_seen
    if rows_seen == 0:
        result.errors.append(RowError(2, "", "", "The file has a header row but no data rows."))
    result.errors.extend(validator.finish())
    if not result.errors and not dry_run:
        writer.finish()


@contextmanager
def _check_thread(*, own_connection: bool):
    with ThreadPoolExecutor(1, thread_name_prefix="opis-import-check") as pool:
        try:
            yield pool
        finally:
            if own_connection:
                pool.submit(_close_own_connection).result()


def _close_own_connection() -> None:
    # Run in the check thread: `connection` is per thread, and Django closes only request threads' own.
    connection.close()


def _chunks(rows) -> Iterator[list]:
    # The database waits while the first chunk is read and checked: start small, double up to CHUNK_ROWS.
    chunk, size = [], FIRST_CHUNK_ROWS
    for item in rows:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk, size = [], min(size * 2, CHUNK_ROWS)
    if chunk:
        yield chunk


def _chunk(writer, chunk, checked, result: ImportResult, dry_run: bool, progress, rows_seen: int) -> int:
    """Counts, errors and preview of one checked chunk; written while no error has been seen. Returns its size."""
    planned, errors = checked
    if errors:
        failing = {error.line for error in errors}
        result.error_rows.extend((line, cells) for line, cells in chunk if line in failing)
        result.errors.extend(errors)
    for plan in planned:
        setattr(result.batch, _counter(plan.action), getattr(result.batch, _counter(plan.action)) + 1)
    if len(result.preview) < PREVIEW_ROWS:
        result.preview.extend(planned[: PREVIEW_ROWS - len(result.preview)])
    if not result.errors and not dry_run:
        writer.write(planned)
    if progress:
        progress(rows_seen + len(chunk))
    return len(chunk)


def _counter(action: str) -> str:
    return {"create": "created", "update": "updated", "unchanged": "unchanged"}[action]


def _finish(batch, result, reader, started, dry_run):
    batch.checksum = reader.digest.hexdigest()
    batch.duration = round(time.monotonic() - started, 3)
    batch.error_count = len(result.errors)
    batch.errors = [error.as_list() for error in result.errors[:MAX_KEPT_ERRORS]]
    if result.error_rows:
        batch.failed_rows = {
            "header": [shown(name) for name in result.header],
            "rows": [[line, *map(shown, cells)] for line, cells in result.error_rows[:MAX_KEPT_ERRORS]],
        }
    if result.errors:
        batch.status = BatchStatus.FAILED
        batch.message = f"{len(result.errors)} error(s); nothing was written."
    else:
        batch.status = BatchStatus.PREVIEWED if dry_run else BatchStatus.SUCCEEDED
    batch.save()


class _Writer:
    def __init__(self, kind: Kind, batch: ImportBatch, user, skip_unchanged: bool):
        self.kind, self.batch, self.user, self.skip_unchanged = kind, batch, user, skip_unchanged
        self.now = timezone.now()
        self.parents: list[tuple[str, str]] = []
        self.keys = Keys()
        self.created: list[int] = []  # ids, for the history recorded at the end
        self.updated: list[int] = []
        # Units whose parent comes later in the file: written last, parents first (a unit's parent may not be
        # empty, so it cannot be set afterwards as an event's is), with the ids and fonds of those written.
        self.held: list[Planned] = []
        self.units: dict[str, tuple[int, int | None]] = {}
        self.moved: list[Planned] = []

    def prepare(self, planned: list[Planned]) -> None:
        """The rows to write, built from checked rows: pure Python, so the check thread does it while the
        database writes the chunk before."""
        for plan in planned:
            if plan.action == "create":
                plan.row = self._attrs(plan, created=True)
            elif self._writes(plan):
                plan.row = self._attrs(plan, created=False)
                plan.row["id"] = plan.current["id"]

    def _writes(self, plan: Planned) -> bool:
        return plan.action == "update" or (plan.action == "unchanged" and not self.skip_unchanged)

    def write(self, planned: list[Planned]):
        """Write one checked chunk, or refuse the import, naming the rows another import or curator has made
        impossible since they were checked (a unique value taken, a record changed)."""
        if self.kind.name == "units":
            self.held.extend(plan for plan in planned if plan.parent_in_file)
            planned = [plan for plan in planned if not plan.parent_in_file]
        self._guarded(planned)

    def _guarded(self, planned: list[Planned]):
        try:
            with transaction.atomic():  # a savepoint: after a refused write the transaction can still ask why
                self._write(planned)
        except (IntegrityError, psycopg.errors.IntegrityError) as exc:  # COPY's come from psycopg unwrapped
            errors = clashes(self.kind, planned, batch_id=self.batch.pk)
            if not errors:
                raise
            raise Refused(errors) from exc
        except writing.LostUpdate as exc:
            raise Refused(lost_updates(self.kind, planned, exc.ids, batch_id=self.batch.pk)) from exc
        except (OperationalError, psycopg.errors.DeadlockDetected) as exc:
            if not isinstance(exc, psycopg.errors.DeadlockDetected) and not isinstance(
                exc.__cause__, psycopg.errors.DeadlockDetected
            ):
                raise
            message = "Another import was writing the same records at the same time. " + AGAIN
            raise Refused([RowError(0, "", "", message)]) from exc

    def _write(self, planned: list[Planned]):
        creates = [p for p in planned if p.action == "create"]
        updates = [p for p in planned if p.action != "create" and self._writes(p)]
        kind, model = self.kind, self.kind.model
        ids = writing.insert(model, [p.row for p in creates])
        for plan, pk in zip(creates, ids, strict=True):
            plan.values["id"] = pk
        for plan in updates:
            plan.values["id"] = plan.row["id"]
        writing.update(model, [p.row for p in updates], versioned=kind.editorial)
        for column in kind.links:
            touched = [p for p in updates if column.name in p.changed]
            links = [
                (p.values["id"], *column.link_values(link))
                for p in (*creates, *touched)
                for link in p.values[column.name]
            ]
            writing.replace_links(column, [p.values["id"] for p in touched], links)
        if kind.name == "units":
            self.units.update(
                (p.identifier, (p.values.get("id") or p.current["id"], p.values["fonds"])) for p in planned
            )
            self.moved.extend(p for p in updates if "parent" in p.changed)
        else:
            self.parents.extend((p.identifier, p.parent_in_file) for p in planned if p.parent_in_file)
        self.created.extend(ids)
        self.updated.extend(p.row["id"] for p in updates)
        self._record(creates, updates)

    def _attrs(self, plan: Planned, *, created: bool) -> dict:
        old_version = plan.current["version"] if plan.current else None
        return writing.record_attrs(
            self.kind, plan.values, user=self.user, now=self.now, created=created, old_version=old_version
        )

    def _record(self, creates, updates):
        kind = self.kind
        # Natural keys only for what is dumped: values before an update, and values after for authorities.
        dumped = [p.current for p in updates] + ([] if kind.editorial else [p.values for p in creates + updates])
        self.keys.load_for_export(kind, dumped)
        rows = []
        for plan in creates:
            rows.append(self._snapshot(plan, RecordAction.CREATED, None, 1))
        for plan in updates:
            before = dump(kind, plan.current, self.keys)
            rows.append(self._snapshot(plan, RecordAction.UPDATED, before, (plan.current["version"] or 0) + 1))
        writing.insert_records(ImportBatchRecord, rows)

    def _snapshot(self, plan, action, before, version):
        return {
            "batch_id": self.batch.pk,
            "object_id": plan.values["id"],
            "identifier": plan.identifier,
            "action": action,
            "version": version if self.kind.editorial else None,
            "before": before,
            "after": None if self.kind.editorial else dump(self.kind, plan.values, self.keys),
        }

    def finish(self):
        """Parents that came later in the same file, now that every event exists; for units, the units held back
        for them, then what is under a moved unit (units and sources) to its new fonds."""
        if self.kind.name == "units":
            self._finish_units()
            return
        if not self.parents:
            return
        model = self.kind.model
        ids = dict(
            model.objects.filter(identifier__in={k for pair in self.parents for k in pair}).values_list(
                "identifier", "pk"
            )
        )
        children = model.objects.in_bulk([ids[child] for child, _ in self.parents])
        for child, parent in self.parents:
            children[ids[child]].parent_id = ids[parent]
        model.objects.bulk_update(children.values(), ["parent"], batch_size=500)

    def _finish_units(self):
        for level in Level:  # a parent is of a higher level than its units: written before them
            planned = [plan for plan in self.held if plan.values["level"] == level]
            for plan in planned:
                parent, fonds = self.units[plan.parent_in_file]
                plan.values["parent"], plan.values["fonds"] = parent, fonds or parent
                if plan.row is not None:
                    plan.row["parent_id"], plan.row["fonds_id"] = plan.values["parent"], plan.values["fonds"]
                plan.parent_in_file = None
            self._guarded(planned)
        moved = sorted(self.moved, key=lambda plan: Level(plan.values["level"]).rank)
        units = Unit.objects.in_bulk([plan.values["id"] for plan in moved])
        for plan in moved:
            carry_fonds(unit=units[plan.values["id"]], user=self.user, via=ChangeChannel.IMPORT)
