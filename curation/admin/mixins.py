from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.models import Status

from .workflow import WorkflowAdminMixin


class EditorialAdminMixin(WorkflowAdminMixin):
    """Shared by sources, events and commentary: status column, stamps of who changed what."""

    readonly_fields = ("created_at", "created_by", "updated_at", "updated_by", "version")
    publication_fieldset = (
        _("Publication"),
        {"fields": ("status", "published_at", ("created_at", "created_by"), ("updated_at", "updated_by"), "version")},
    )
    # Read-only stamps of a saved record: the add form has nothing to show in them yet.
    stamp_fields = ("published_at", "created_at", "created_by", "updated_at", "updated_by", "version")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        return [
            (name, {**options, "fields": _without(options["fields"], self.stamp_fields)}) for name, options in fieldsets
        ]

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        from django.utils.html import format_html

        return format_html('<span class="status status-{}">{}</span>', obj.status, Status(obj.status).label)

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


def _without(lines, names) -> list:
    """A fieldset's lines (a field name, or a tuple of names shown side by side) without the given fields."""
    kept = []
    for line in lines:
        if isinstance(line, list | tuple):
            line = tuple(name for name in line if name not in names)
            if line:
                kept.append(line if len(line) > 1 else line[0])
        elif line not in names:
            kept.append(line)
    return kept


class DecadeListFilter(admin.SimpleListFilter):
    """Date range by decade of the earliest date: the way a curator narrows a chronology."""

    title = _("date")
    parameter_name = "decade"

    max_probes = 50

    def lookups(self, request, model_admin):
        # One indexed probe per decade between the first and last date, not a DISTINCT over every row.
        from django.db.models import Max, Min

        dated = model_admin.get_queryset(request).exclude(date_start=None)
        bounds = dated.aggregate(first=Min("date_start"), last=Max("date_start"))
        if bounds["first"] is None:
            return []
        first, last = bounds["first"].year // 10 * 10, bounds["last"].year // 10 * 10
        if (last - first) // 10 >= self.max_probes:
            decades = sorted({year.year // 10 * 10 for year in dated.dates("date_start", "year")})
        else:
            decades = [
                decade
                for decade in range(first, last + 10, 10)
                if dated.filter(date_start__gte=_year_start(decade), date_start__lt=_year_start(decade + 10)).exists()
            ]
        return [(str(decade), _("{decade}s").format(decade=decade)) for decade in decades]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            start = int(self.value())
            return queryset.filter(date_start__year__gte=start, date_start__year__lt=start + 10)
        return queryset


def _year_start(year: int):
    from datetime import date

    return date(max(year, 1), 1, 1) if year <= 9999 else date.max
