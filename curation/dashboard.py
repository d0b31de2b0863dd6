"""The admin index: where the curator's work stands."""

from django.contrib.admin.models import LogEntry
from django.db.models import Count

from archive.models import Commentary, Event, Source, Status

EDITORIAL_MODELS = (Source, Event, Commentary)


def status_counts() -> list[dict]:
    rows = []
    for model in EDITORIAL_MODELS:
        counts = dict(model.objects.values_list("status").annotate(n=Count("pk")).order_by())
        rows.append(
            {
                "label": model._meta.verbose_name_plural,
                "changelist": f"admin:archive_{model._meta.model_name}_changelist",
                "counts": [(status, counts.get(status.value, 0)) for status in Status],
            }
        )
    return rows


def dashboard_context(user) -> dict:
    return {
        "status_counts": status_counts(),
        "my_drafts": Source.objects.filter(created_by=user, status=Status.DRAFT).order_by("-updated_at")[:10],
        "in_review": Source.objects.in_review().select_related("repository").order_by("updated_at")[:10],
        "events_in_review": Event.objects.in_review().order_by("updated_at")[:10],
        "recent_changes": LogEntry.objects.select_related("user", "content_type").order_by("-action_time")[:15],
        "statuses": list(Status),
    }
