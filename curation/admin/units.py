"""Fonds, inventories and files in the admin: the ISAD(G) areas, the workflow and history of sources, the place in
the tree by autocomplete, and a unit's children a page at a time (a fonds may hold a hundred thousand)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from archive.models import Level, Source, Unit
from curation.resources import UnitResource
from curation.services import carry_fonds

from .counts import counted
from .large_tables import LargeTableMixin
from .locking import VersionedAdminForm
from .mixins import EditorialAdminMixin
from .pagination import EstimatedCountPaginator
from .transfer import TransferAdminMixin

CHILDREN_SHOWN = 25  # the children a unit's form lists of each kind; the list of all is a link away


class UnitListFilter(admin.SimpleListFilter):
    """The records under one unit, as the unit's form links to them (`?parent=7`). Offers only the unit chosen, so
    the changelist never lists every unit as a choice; shown while it is in use, with the way back to all."""

    field_name = "parent"
    parameter_name = "parent"
    title = _("part of")

    def lookups(self, request, model_admin):
        value = self.value()
        unit = Unit.objects.filter(pk=value).first() if value and value.isdigit() else None
        return [(str(unit.pk), str(unit))] if unit else []

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.field_name}_id": value}) if value.isdigit() else queryset.none()


class FondsListFilter(UnitListFilter):
    field_name = parameter_name = "fonds"
    title = _("fonds")


class SourceUnitListFilter(UnitListFilter):
    field_name = parameter_name = "unit"
    title = _("file, inventory or fonds")


class UnitAdminForm(VersionedAdminForm):
    """A unit's place in the tree holds for what is under it too: it keeps its inventories and files in its own
    repository and above their levels."""

    def clean(self):
        cleaned = super().clean()
        unit = self.instance
        if unit.pk is None or not {"level", "repository"} & set(self.changed_data):
            return cleaned
        children = Unit.objects.filter(parent=unit)
        if "repository" in self.changed_data and children.exists():
            self.add_error(
                "repository",
                ValidationError(
                    _("Its inventories and files are in this repository: move them first."), code="children_repository"
                ),
            )
        level = cleaned.get("level")
        if "level" in self.changed_data and level in Level.values:
            lower = [choice for choice in Level if choice.rank > Level(level).rank]
            if children.exclude(level__in=lower).exists():
                self.add_error(
                    "level",
                    ValidationError(
                        _("Units under it are of this level or above: move them first."), code="children_level"
                    ),
                )
        return cleaned


@admin.register(Unit)
class UnitAdmin(TransferAdminMixin, LargeTableMixin, EditorialAdminMixin, admin.ModelAdmin):
    resource_classes = [UnitResource]
    form = UnitAdminForm
    change_form_template = "admin/archive/unit/change_form.html"
    list_display = ("identifier", "title", "level", "status_badge", "parent", "repository", "date_text", "updated_at")
    list_display_links = ("identifier", "title")
    list_filter = ("level", "repository", "status", UnitListFilter, FondsListFilter)
    list_select_related = ("repository", "parent")
    # Each has its icontains index (archive.models.units): a search over every unit stays an index lookup.
    search_fields = ("identifier", "title", "title_original", "number")
    autocomplete_fields = ("repository", "parent", "creators", "agents", "places", "subjects", "languages")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (*EditorialAdminMixin.readonly_fields, "fonds", "date_start", "date_end")
    fieldsets = (  # the areas of ISAD(G)
        (
            _("Identity statement"),
            {
                "fields": (
                    "identifier",
                    "slug",
                    "repository",
                    ("level", "number"),
                    "parent",
                    "fonds",
                    "title",
                    "title_original",
                    "date_text",
                    "date_edtf",
                    ("date_start", "date_end"),
                    "extent",
                )
            },
        ),
        (_("Context"), {"fields": ("creators", "administrative_history")}),
        (_("Content and structure"), {"fields": ("scope_content", "arrangement")}),
        (
            _("Conditions of access and use"),
            {"fields": ("access_conditions", "reproduction_conditions", "languages", "scripts", "finding_aids")},
        ),
        (_("Notes"), {"fields": ("notes",)}),
        (_("Access points"), {"fields": ("agents", "places", "subjects")}),
        EditorialAdminMixin.publication_fieldset,
    )
    stamp_fields = (*EditorialAdminMixin.stamp_fields, "fonds")

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _autocomplete_field(request) == ("archive", "unit", "parent"):
            queryset = queryset.exclude(level=Level.FILE)  # a file holds no units
        return queryset, may_have_duplicates

    def get_changeform_initial_data(self, request):
        """Added from a unit's form (`?parent=7`): the level below the parent's, to start from."""
        initial = super().get_changeform_initial_data(request)
        parent = str(initial.get("parent", ""))
        parent = Unit.objects.filter(pk=parent).first() if parent.isdigit() else None
        if parent is not None and "level" not in initial:
            initial["level"] = next((level for level in Level if level.rank > Level(parent.level).rank), "")
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and "parent" in form.changed_data:  # moved: what is under it moves to its new fonds too
            carry_fonds(unit=form.instance, user=request.user, via="admin")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        unit = self.get_object(request, unquote(object_id))
        if unit is not None:
            extra_context = {**(extra_context or {}), "children": self.children(request, unit)}
        return super().change_view(request, object_id, form_url, extra_context)

    def children(self, request, unit: Unit) -> list[dict]:
        """The units and the documents directly under `unit`: the first page of each in its order, how many there
        are (estimated beyond a thousand), the list of them all in the admin, and a way to add one there."""
        sources = Source.objects.filter(unit=unit).order_by("date_start", "identifier")
        kinds = [(sources, "unit", gettext("Add a source to it"))]
        if unit.level != Level.FILE:  # a file holds documents only
            units = unit.children.order_by("number", "identifier")
            kinds.insert(0, (units, "parent", gettext("Add a unit under it")))
        shown = []
        for rows, parameter, add_label in kinds:
            opts = rows.model._meta
            if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                continue
            paginator = EstimatedCountPaginator(rows, CHILDREN_SHOWN)
            count = counted(opts, paginator.count)
            may_add = request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
            admin_url = f"admin:{opts.app_label}_{opts.model_name}"
            initial = {parameter: unit.pk, "repository": unit.repository_id}
            shown.append(
                {
                    "opts": opts,
                    "heading": gettext("about %(count)s") % {"count": count} if paginator.is_estimated else count,
                    "rows": list(rows[:CHILDREN_SHOWN]),
                    "count": paginator.count,
                    "all_url": f"{reverse(f'{admin_url}_changelist')}?{urlencode({parameter: unit.pk})}",
                    "add_url": f"{reverse(f'{admin_url}_add')}?{urlencode(initial)}" if may_add else "",
                    "add_label": add_label,
                }
            )
        return shown


def _autocomplete_field(request) -> tuple[str, str, str] | None:
    """The (app, model, field) an autocomplete request is filling in, if this is one."""
    names = ("app_label", "model_name", "field_name")
    if request.resolver_match is None or request.resolver_match.url_name != "autocomplete":
        return None
    return tuple(request.GET.get(name, "") for name in names)
