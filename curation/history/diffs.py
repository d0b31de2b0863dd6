"""Field-level differences between history records, labelled for curators: the history page, and the
conflict a curator must see before saving over someone else's change."""

import datetime
from dataclasses import dataclass

from django.contrib.admin.utils import display_for_value
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_reverse_field_name


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
    return FieldChange(change.field, label, _shown(change.old), _shown(change.new), old_value, new_value)


def _shown(value):
    """A date, time or yes/no as the admin shows it, in the active language and time zone; other values as they are."""
    if isinstance(value, datetime.date | datetime.time | bool):
        return display_for_value(value, empty_value_display="—")
    return value


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
    oldest row on the page still shows its differences. Each record carries its `number` (version_number).
    """
    start = (max(page, 1) - 1) * per_page
    ordered = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(ordered[start : start + per_page + 1])
    total = None if not records or _versioned(records[0]) else obj.history.count()
    for i, record in enumerate(records[:per_page]):
        record.number = record.version if total is None else total - start - i
    rows = [
        (record, field_changes(record, records[i + 1] if i + 1 < len(records) else None))
        for i, record in enumerate(records[:per_page])
    ]
    return rows, len(records) > per_page


def _versioned(record) -> bool:
    return hasattr(record, "version")


def version_number(record) -> int:
    """The number a curator knows a version by: the record's own version counter, shown on its form, or for
    records without one (people, places, subjects) its place in the history, counted from 1."""
    if _versioned(record):
        return record.version
    earlier = record.instance_type.history.filter(id=record.id).filter(
        Q(history_date__lt=record.history_date) | Q(history_date=record.history_date, history_id__lte=record.history_id)
    )
    return earlier.count()


def version_label(record, number: int | None = None) -> str:
    """A version named by its number and its time, e.g. “version 7, 2026-12-02 09:32”."""
    return _("version %(number)s, %(time)s") % {
        "number": version_number(record) if number is None else number,
        "time": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M"),
    }


def changes_since(obj, version: int) -> list[FieldChange]:
    """What was saved since the given version: the conflict a curator must see before saving again."""
    current = obj.history.order_by("-history_date", "-history_id").first()
    base = obj.history.filter(version=version).order_by("-history_date", "-history_id").first()
    if current is None or base is None:
        return []
    return [c for c in field_changes(current, base) if c.field not in {"version", "updated_at"}]
