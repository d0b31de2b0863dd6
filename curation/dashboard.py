"""The admin index: where the curator's work stands."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from archive.models import Commentary, Event, Source, Status, Unit

# The kinds of record that go through the workflow, in the order the dashboard shows them. Each one is counted
# by status and listed among the curator's drafts and the records in review: a new kind is one more entry here.
EDITORIAL_MODELS = (Source, Event, Commentary, Unit)

DRAFTS_SHOWN = 10
REVIEW_SHOWN = 10
CHANGES_SHOWN = 15
# How far back the recent changes are read to fill their lines once repeated saves are put together.
CHANGES_READ = 300


@dataclass(frozen=True)
class Entry:
    """A record in one of the dashboard's lists, with its kind and where to edit it."""

    kind: str
    record: object
    url: str
    updated_at: datetime


@dataclass(frozen=True)
class ChangeLine:
    """One line of the recent changes: consecutive entries by one user, on one record, of one action."""

    entry: LogEntry  # the newest of them
    count: int
    earliest: datetime

    @property
    def latest(self) -> datetime:
        return self.entry.action_time

    @property
    def same_day(self) -> bool:
        return timezone.localtime(self.earliest).date() == timezone.localtime(self.latest).date()


def status_counts() -> list[dict]:
    rows = []
    for model in EDITORIAL_MODELS:
        counts = dict(model.objects.values_list("status").annotate(n=Count("pk")).order_by())
        rows.append(
            {
                "label": model._meta.verbose_name_plural,
                "changelist": f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist",
                "counts": [(status, counts.get(status.value, 0)) for status in Status],
            }
        )
    return rows


def _entries(querysets, *, limit: int, newest_first: bool) -> list[Entry]:
    """The first `limit` records of several kinds, by time of their last change."""
    entries = []
    for queryset in querysets:
        opts = queryset.model._meta
        order = "-updated_at" if newest_first else "updated_at"
        for record in queryset.order_by(order, "pk")[:limit]:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
            entries.append(Entry(opts.verbose_name, record, url, record.updated_at))
    entries.sort(key=lambda entry: entry.updated_at, reverse=newest_first)
    return entries[:limit]


def my_drafts(user) -> list[Entry]:
    """The drafts this user created, of every kind, most recently changed first."""
    querysets = [model.objects.filter(created_by=user, status=Status.DRAFT) for model in EDITORIAL_MODELS]
    return _entries(querysets, limit=DRAFTS_SHOWN, newest_first=True)


def in_review() -> list[Entry]:
    """The records waiting for review, of every kind, longest waiting first."""
    return _entries([model.objects.in_review() for model in EDITORIAL_MODELS], limit=REVIEW_SHOWN, newest_first=False)


def recent_changes(limit: int = CHANGES_SHOWN) -> list[ChangeLine]:
    """The admin's latest log entries, newest first; a run of the same action by the same user on the same
    record (saving a form again and again) is one line with its count and time span."""
    lines: list[ChangeLine] = []
    entries = LogEntry.objects.select_related("user", "content_type").order_by("-action_time", "-pk")
    for entry in entries[:CHANGES_READ]:
        previous = lines[-1].entry if lines else None
        if previous is not None and _same_change(previous, entry):
            lines[-1] = ChangeLine(previous, lines[-1].count + 1, entry.action_time)
            continue
        if len(lines) == limit:
            break
        lines.append(ChangeLine(entry, 1, entry.action_time))
    return lines


def _same_change(a: LogEntry, b: LogEntry) -> bool:
    key = ("user_id", "content_type_id", "object_id", "action_flag")
    return all(getattr(a, name) == getattr(b, name) for name in key)


def dashboard_context(user) -> dict:
    return {
        "status_counts": status_counts(),
        "my_drafts": my_drafts(user),
        "in_review": in_review(),
        "recent_changes": recent_changes(),
        "statuses": list(Status),
    }
