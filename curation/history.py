"""Who changed what, when and through what; field-level differences; bulk writes.

django-simple-history records every `save()` and `delete()` through signals, on SQLite and
PostgreSQL alike. Bulk writes (`bulk_create`, `bulk_update`, `QuerySet.update`) send no signals:
whoever makes them calls `record_bulk_change()` afterwards.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_m2m_reverse_field_name

from curation.history_sql import insert_history
from curation.models import ChangeChannel, TrackedRecords

_channel: ContextVar[tuple[str, str] | None] = ContextVar("opis_history_channel", default=None)

# Workflow and bookkeeping fields: shown in the history, never restored from it.
NOT_RESTORED = {"id", "status", "published_at", "created_at", "created_by", "updated_at", "updated_by", "version"}


@contextmanager
def changed_via(via: str, batch: str = "") -> Iterator[None]:
    """Label every history record written inside the block, e.g. `with changed_via("import", batch=str(id))`."""
    token = _channel.set((ChangeChannel(via).value, batch))
    try:
        yield
    finally:
        _channel.reset(token)


@contextmanager
def default_via(via: str) -> Iterator[None]:
    """Like changed_via, unless an outer block already named the channel (a bulk action calling a service)."""
    if _channel.get() is not None:
        yield
    else:
        with changed_via(via):
            yield


def current_channel() -> tuple[str, str]:
    explicit = _channel.get()
    if explicit is not None:
        return explicit
    request = getattr(HistoricalRecords.context, "request", None)
    return (ChangeChannel.ADMIN.value if request is not None else ChangeChannel.SCRIPT.value), ""


@receiver(pre_create_historical_record)
def _stamp_channel(sender, history_instance, **kwargs):
    history_instance.history_via, history_instance.history_batch = current_channel()


def record_bulk_change(*, instances: Iterable[models.Model], user, via: str, batch: str = "", reason: str = "") -> int:
    """Record history for rows written with bulk_create/bulk_update/update(), after the write.

    The rows are read back from the database, so F() expressions (version + 1) and derived fields
    are recorded as stored. Call it in the same transaction as the write. Returns the number of records.
    """
    instances = list(instances)
    if not instances:
        return 0
    model = instances[0]._meta.concrete_model
    ids = [obj.pk for obj in instances]
    existing = set(model.history.filter(id__in=ids).values_list("id", flat=True).distinct())
    return record_bulk_writes(model=model, ids=ids, updated=existing, user=user, via=via, batch=batch, reason=reason)


def record_bulk_writes(
    *, model, ids: list[int], updated: set[int], user, via: str, batch: str = "", reason: str = ""
) -> int:
    """Like record_bulk_change, for callers that know the ids and which of them were updated, not created."""
    return _record(model, ids, updated, "", user=user, via=via, batch=batch, reason=reason)


def record_bulk_deletion(*, model, ids: list[int], user, via: str, batch: str = "", reason: str = "") -> int:
    """Record the deletion of these rows, with their links, before a bulk delete (which sends no signals)."""
    return _record(model, ids, set(), "-", user=user, via=via, batch=batch, reason=reason)


def _record(model, ids, existing, history_type, *, user, via, batch, reason) -> int:
    via = ChangeChannel(via).value
    if connection.vendor == "postgresql":
        return insert_history(
            model=model,
            ids=ids,
            updated=existing,
            history_type=history_type,
            user=user,
            via=via,
            batch=batch,
            reason=reason,
        )
    # Elsewhere the same rows through the ORM, as simple-history's bulk_history_create writes them.
    history_model, now = model.history.model, timezone.now()
    records = history_model.objects.bulk_create(
        history_model(
            history_type=history_type or ("~" if obj.pk in existing else "+"),
            history_date=now,
            history_user_id=getattr(user, "pk", None),
            history_change_reason=reason,
            history_via=via,
            history_batch=batch,
            **{field.attname: getattr(obj, field.attname) for field in history_model.tracked_fields},
        )
        for obj in model._default_manager.filter(pk__in=ids).order_by("pk")
    )
    _record_links(model, records)
    return len(records)


def _record_links(model, records) -> None:
    """The many-to-many links of bulk-recorded rows, as they stand: one query and one insert per link field."""
    recorder = TrackedRecords.by_model.get(model)
    if recorder is None or not records:
        return
    for field, link_history in recorder.m2m_models.items():
        if field.model is not model:
            continue  # simple-history keeps one m2m_models dict for every tracked model
        through = field.remote_field.through
        owner = field.m2m_field_name()
        links = defaultdict(list)
        for row in through.objects.filter(**{f"{owner}__in": [record.id for record in records]}):
            links[getattr(row, f"{owner}_id")].append(row)
        columns = [f.attname for f in through._meta.fields]
        link_history.objects.bulk_create(
            link_history(history=record, **{name: getattr(row, name) for name in columns})
            for record in records
            for row in links[record.id]
        )


def defer_history(instance) -> None:
    """Hold back the history of a save until its many-to-many links are saved too (see record_deferred)."""
    if type(instance) in TrackedRecords.by_model:
        instance.skip_history_when_saving = True


def record_deferred(instance, *, created: bool = False) -> None:
    """One history record of the record and its links as they now stand, instead of one per link change."""
    if getattr(instance, "skip_history_when_saving", False):
        del instance.skip_history_when_saving
        TrackedRecords.by_model[type(instance)].create_historical_record(instance, "+" if created else "~")


@contextmanager
def one_record(instance, *, created: bool = False) -> Iterator[None]:
    """Save a record and its links inside the block; it is recorded once, at the end."""
    defer_history(instance)
    yield
    record_deferred(instance, created=created)


def restore_links(instance, record) -> None:
    """Put back the links a history record holds. A plain link list is set; links with data of their own (a
    person's role in a source) are rewritten row by row, so each comes back with its role."""
    for field in getattr(record, "_history_m2m_fields", []):
        through = field.remote_field.through
        rows = getattr(record, field.name).all()
        if through._meta.auto_created:
            target = get_m2m_reverse_field_name(field)
            getattr(instance, field.name).set(rows.values_list(target, flat=True))
            continue
        owner = field.m2m_field_name()
        columns = [f.attname for f in through._meta.fields if not f.primary_key and f.name != owner]
        through._default_manager.filter(**{owner: instance}).delete()
        through._default_manager.bulk_create(
            through(**{owner: instance}, **{name: getattr(row, name) for name in columns}) for row in rows
        )


@dataclass(frozen=True)
class FieldChange:
    """One field's difference: `old`/`new` to show a curator, `old_value`/`new_value` as stored.

    Stored values are what a form compares and posts: a key for a relation, a set of keys for links,
    the code of a choice.
    """

    field: str
    label: str
    old: object
    new: object
    old_value: object = None
    new_value: object = None


def field_changes(new_record, old_record) -> list[FieldChange]:
    """The fields that differ between two history records of one object, labelled for curators."""
    if old_record is None:
        return []
    opts = new_record.instance_type._meta
    delta = new_record.diff_against(old_record, foreign_keys_are_objs=True)  # "RGASPI", not "3"
    return [_describe(opts, change) for change in delta.changes]


def _describe(opts, change) -> FieldChange:
    try:
        field = opts.get_field(change.field)
    except FieldDoesNotExist:  # a field since removed from the model still shows by name
        return FieldChange(change.field, change.field, change.old, change.new, change.old, change.new)
    label = str(field.verbose_name)
    if field.many_to_many:
        target = get_m2m_reverse_field_name(field)
        roles = _role_labels(field.remote_field.through)
        old, new = ([_link_label(row, target, roles) for row in rows] for rows in (change.old, change.new))
        return FieldChange(
            change.field,
            label,
            "; ".join(old),
            "; ".join(new),
            frozenset(_link_key(row, target) for row in change.old),
            frozenset(_link_key(row, target) for row in change.new),
        )
    if field.choices:  # "In review", not "review"
        labels = dict(field.flatchoices)
        return FieldChange(
            change.field,
            label,
            labels.get(change.old, change.old),
            labels.get(change.new, change.new),
            change.old,
            change.new,
        )
    old_value, new_value = (getattr(v, "pk", v) for v in (change.old, change.new))
    return FieldChange(change.field, label, change.old, change.new, old_value, new_value)


def _role_labels(through) -> dict:
    """The labels of a link's own role field (a person's role in a source), if the link has one."""
    try:
        return dict(through._meta.get_field("role").flatchoices)
    except FieldDoesNotExist:
        return {}


def _link_label(row: dict, target: str, roles: dict) -> str:
    role = row.get("role")
    return f"{row[target]} ({roles.get(role, role)})" if role else str(row[target])


def _link_key(row: dict, target: str):
    return (row[target].pk, row["role"]) if row.get("role") else row[target].pk


def history_with_changes(obj, *, page: int = 1, per_page: int = 50) -> tuple[list[tuple[object, list]], bool]:
    """Newest first, one page: each history record with what it changed compared with the one before.

    Returns the rows and whether older versions follow. One record beyond the page is read so the
    oldest row on the page still shows its differences.
    """
    start = (max(page, 1) - 1) * per_page
    ordered = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(ordered[start : start + per_page + 1])
    rows = [
        (record, field_changes(record, records[i + 1] if i + 1 < len(records) else None))
        for i, record in enumerate(records[:per_page])
    ]
    return rows, len(records) > per_page


def changes_since(obj, version: int) -> list[FieldChange]:
    """What was saved since the given version: the conflict a curator must see before saving again."""
    current = obj.history.order_by("-history_date", "-history_id").first()
    base = obj.history.filter(version=version).order_by("-history_date", "-history_id").first()
    if current is None or base is None:
        return []
    return [c for c in field_changes(current, base) if c.field not in {"version", "updated_at"}]
