"""Undoing an import batch: delete what it created, restore what it updated, or refuse and say why.

A record edited since the import (its version moved on, or for authorities without a version its values
differ from what the import wrote) is never overwritten: the whole undo is refused instead."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from archive.models import Level, Unit
from archive.public.cache import written_tags
from archive.public.generation import public_changed
from archive.spreadsheet import unescape_formula
from curation.history import record_bulk_deletion
from curation.models import BatchStatus, ChangeChannel, ImportBatch, RecordAction
from curation.services import carry_fonds

from . import history_and_cache, writing
from .atom import undo as atom_undo
from .columns import Text
from .formats import KINDS
from .keys import Keys, among
from .profiles import PROFILES
from .stored import dump, fetch
from .validation import Validator

CHUNK = 2000


class UndoRefused(Exception):
    pass


@dataclass
class Difference:
    column: str
    label: str  # the model field's verbose name
    now: str  # the cell as the record stands
    then: str  # the cell undo puts back


@dataclass
class Restored:
    object_id: int
    identifier: str
    differences: list[Difference]


@dataclass
class UndoPreview:
    """What undoing a batch would do, shown before it is done: the records it would delete and those it would
    put back to their earlier values, each list counted in full and given up to `limit` records; or why it
    would be refused."""

    deleted: int = 0
    restored: int = 0
    to_delete: list[tuple[int, str]] = field(default_factory=list)  # (object id, identifier)
    to_restore: list[Restored] = field(default_factory=list)
    refusal: str = ""


def preview_undo(*, batch: ImportBatch, limit: int = 50) -> UndoPreview:
    """The differences undo_batch would make, read without writing, with the refusal it would meet now."""
    if batch.kind in PROFILES:
        return _preview_profile(batch, limit)
    kind = KINDS[batch.kind]
    records = batch.records.order_by("pk")
    created = records.filter(action=RecordAction.CREATED)
    updated = records.filter(action=RecordAction.UPDATED)
    preview = UndoPreview(deleted=created.count(), restored=updated.count())
    preview.to_delete = list(created.values_list("object_id", "identifier")[:limit])
    shown = list(updated[:limit])
    keys = Keys()
    current = {
        row["id"]: row
        for row in fetch(kind, kind.model.objects.filter(among(kind.model, "id", [r.object_id for r in shown])))
    }
    keys.load_for_export(kind, list(current.values()))
    for record in shown:
        now = dump(kind, current[record.object_id], keys) if record.object_id in current else {}
        differences = [
            Difference(name, capfirst(kind.by_name[name].label), now.get(name, ""), record.before.get(name, ""))
            for name in kind.header
            if name in (record.before or {}) and now.get(name, "") != record.before[name]
        ]
        preview.to_restore.append(Restored(record.object_id, record.identifier, differences))
    preview.refusal = _refusal(kind, batch, list(created.values_list("object_id", flat=True)))
    return preview


def _refusal(kind, batch, created_ids) -> str:
    try:
        _check_status(batch)
        _check_unchanged(kind, batch)
        _check_not_referenced(kind, created_ids)
    except UndoRefused as exc:
        return str(exc)
    return ""


@transaction.atomic
def undo_batch(*, batch: ImportBatch, user) -> dict[str, int]:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.kind in PROFILES:
        _check_status(batch)
        try:
            counts = atom_undo.undo_profile(batch=batch, user=user)
        except atom_undo.Refused as exc:
            raise UndoRefused(str(exc)) from exc
        _mark_undone(batch, user)
        return counts
    kind = KINDS[batch.kind]
    if not user.has_perm(kind.permission("import")):
        raise PermissionDenied(f"Undoing an import of {kind.name} needs {kind.permission('import')}.")
    _check_status(batch)
    records = batch.records.all()
    created_ids = list(records.filter(action=RecordAction.CREATED).values_list("object_id", flat=True))
    _check_unchanged(kind, batch)
    _check_not_referenced(kind, created_ids)
    updated_ids = list(records.filter(action=RecordAction.UPDATED).values_list("object_id", flat=True))
    # What the records deleted showed on, read while their links are still stored. An undo that restores records
    # too changes everything (where they linked before the import is not known here).
    gone = None if updated_ids else written_tags(kind.model, created_ids)
    restored = _restore(kind, batch, user)
    _delete(kind, created_ids, user=user, batch=batch)
    history_and_cache.record_written(
        model=kind.model,
        created=[],
        updated=updated_ids,
        user=user,
        batch=batch,
        reason=f"Undo of import batch #{batch.pk}",
        deleted=bool(created_ids) and gone is None,
    )
    if gone:
        public_changed(tags=gone)
    _mark_undone(batch, user)
    return {"deleted": len(created_ids), "restored": restored}


def _mark_undone(batch, user) -> None:
    batch.status = BatchStatus.UNDONE
    batch.undone_at = timezone.now()
    batch.undone_by = user
    batch.save(update_fields=["status", "undone_at", "undone_by"])


def _preview_profile(batch, limit) -> UndoPreview:
    """A profile's batch only created records: undo deletes them all, of every model."""
    records = batch.records.order_by("pk")
    preview = UndoPreview(deleted=records.count())
    preview.to_delete = list(records.values_list("object_id", "identifier")[:limit])
    try:
        _check_status(batch)
        preview.refusal = atom_undo.refusal(batch, atom_undo.created_by_model(batch))
    except UndoRefused as exc:
        preview.refusal = str(exc)
    return preview


def _check_status(batch):
    if batch.status != BatchStatus.SUCCEEDED:
        raise UndoRefused(
            f"Batch #{batch.pk} is {batch.get_status_display().lower()}: only a completed import can be undone."
        )


def _check_unchanged(kind, batch):
    keys = Keys()
    conflicts = []
    for records in _record_chunks(batch):
        by_id = {record.object_id: record for record in records}
        current = {row["id"]: row for row in fetch(kind, kind.model.objects.filter(among(kind.model, "id", by_id)))}
        keys.load_for_export(kind, list(current.values()))
        for pk, record in by_id.items():
            row = current.get(pk)
            if row is None:
                conflicts.append(f"{record.identifier} (deleted since)")
            elif kind.editorial and row["version"] != record.version:
                conflicts.append(
                    f"{record.identifier} (edited since: version {row['version']}, import left {record.version})"
                )
            elif not kind.editorial and dump(kind, row, keys) != record.after:
                conflicts.append(f"{record.identifier} (edited since)")
    if conflicts:
        shown = "; ".join(conflicts[:20]) + (f"; and {len(conflicts) - 20} more" if len(conflicts) > 20 else "")
        raise UndoRefused(f"Undo refused: records changed after this import would be overwritten: {shown}.")


def _check_not_referenced(kind, created_ids):
    """Deleting a created record must not take later work with it (commentary, images, links to it)."""
    own = {column.through for column in kind.links}
    for relation in kind.model._meta.related_objects:
        if relation.many_to_many:
            model = relation.through
            name = next(f.name for f in model._meta.fields if f.related_model is kind.model)
        elif relation.related_model in own:
            continue
        else:
            model, name = relation.related_model, relation.field.name
        for start in range(0, len(created_ids), CHUNK):
            referencing = model._default_manager.filter(**{f"{name}__in": created_ids[start : start + CHUNK]})
            if model is kind.model:
                referencing = referencing.exclude(pk__in=created_ids)
            if referencing.exists():
                raise UndoRefused(
                    f"Undo refused: records this import created are now used by "
                    f"{relation.related_model._meta.verbose_name_plural} added since; remove those first."
                )


def _delete(kind, created_ids, *, user, batch):
    """Bulk deletion: each record's history first (with its links), then its own links, then the rows.

    _check_not_referenced has made sure nothing else points at these rows, so no cascade is needed, and
    the per-record delete signals (one history insert each) are what made undo slow.
    """
    owned = {column.through for column in kind.links} | {f.remote_field.through for f in kind.model._meta.many_to_many}
    reason = f"Undo of import batch #{batch.pk}"
    for start in range(0, len(created_ids), CHUNK):
        ids = created_ids[start : start + CHUNK]
        record_bulk_deletion(
            model=kind.model, ids=ids, user=user, via=ChangeChannel.IMPORT, batch=str(batch.pk), reason=reason
        )
        for through in owned:
            owner = next(f.name for f in through._meta.fields if f.related_model is kind.model)
            _raw_delete(through._default_manager.filter(among(through, owner, ids)))
        _raw_delete(kind.model._default_manager.filter(among(kind.model, "id", ids)))


def _raw_delete(queryset) -> None:
    # One DELETE statement, no collector, no signals: history was recorded above.
    queryset._raw_delete(queryset.db)


def _record_chunks(batch):
    records = batch.records.order_by("pk")
    last = 0
    while True:
        chunk = list(records.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1].pk
        yield chunk


def _restore(kind, batch, user) -> int:
    """Write the "before" values back through the same validation and writing as an import."""
    restored = 0
    now = timezone.now()
    validator = None
    for records in _record_chunks(batch):
        updated = [r for r in records if r.action == RecordAction.UPDATED]
        if not updated:
            continue
        validator = validator or _RestoreValidator(kind, kind.header, mode="update", user=user, keys=Keys())
        chunk = [(index, [r.before.get(name, "") for name in kind.header]) for index, r in enumerate(updated, start=1)]
        planned, errors = validator.validate(chunk)
        if errors:
            first = errors[0]
            raise UndoRefused(
                f"Undo refused: a previous value can no longer be restored ({first.column}: {first.message})."
            )
        rows = []
        for plan in planned:
            row = writing.record_attrs(
                kind, plan.values, user=user, now=now, created=False, old_version=plan.current["version"]
            )
            row["id"] = plan.values["id"] = plan.current["id"]
            rows.append(row)
        try:
            writing.update(kind.model, rows, versioned=kind.editorial)
        except writing.LostUpdate as exc:
            raise UndoRefused(f"Undo refused: {exc} Undo again to see what changed.") from exc
        for column in kind.links:
            touched = [p for p in planned if column.name in p.changed]
            links = [(p.values["id"], *column.link_values(link)) for p in touched for link in p.values[column.name]]
            writing.replace_links(column, [p.values["id"] for p in touched], links)
        if kind.name == "units":
            _carry_moved_back([p for p in planned if "parent" in p.changed], user)
        restored += len(rows)
    return restored


def _carry_moved_back(planned, user) -> None:
    """Units put back under their earlier parent take what is under them back to its fonds, as a move does."""
    units = Unit.objects.in_bulk([plan.values["id"] for plan in planned])
    for plan in sorted(planned, key=lambda plan: Level(plan.values["level"]).rank):
        carry_fonds(unit=units[plan.values["id"]], user=user, via=ChangeChannel.IMPORT)


class _RestoreValidator(Validator):
    """Restoring is not publishing: the previous status comes back whoever undoes, and values
    written by our own export escaping rules are read back the same way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_publish = True
        self.seen = _NeverSeen()

    def _parse_cell(self, column, text):
        # A restored value is what was stored, not new input: free text the admin accepted (markup, a leading
        # "-") comes back exactly; only our own export escaping is undone.
        if type(column) is Text:
            return unescape_formula(text)
        return super()._parse_cell(column, text)


class _NeverSeen(dict):
    def __contains__(self, key):
        return False
