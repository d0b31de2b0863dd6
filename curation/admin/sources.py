from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archive.citation import CITED
from archive.iiif.derivatives import make_derivatives
from archive.models import Level, Source, SourceAgent, SourceImage, Unit
from curation.resources import SourceResource
from curation.uploads import SourceImageForm

from .commentary import CommentaryInline
from .large_tables import LargeTableMixin, PreloadedAutocompleteInlineMixin
from .mixins import DecadeListFilter, EditorialAdminMixin
from .transfer import TransferAdminMixin
from .units import SourceUnitListFilter


class SourceAgentInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = SourceAgent
    autocomplete_fields = ["agent"]
    extra = 0
    verbose_name = _("person or organisation")
    verbose_name_plural = _("creators, recipients and people mentioned")


class SourceImageInline(admin.TabularInline):
    model = SourceImage
    form = SourceImageForm
    fields = ("position", "image", "caption")
    extra = 0


class SourceCommentaryInline(CommentaryInline):
    fk_name = "source"


@admin.register(Source)
class SourceAdmin(TransferAdminMixin, LargeTableMixin, EditorialAdminMixin, admin.ModelAdmin):
    resource_classes = [SourceResource]
    list_display = ("identifier", "title", "status_badge", "citation", "date_text", "document_type", "updated_at")
    list_display_links = ("identifier", "title")
    list_filter = ("status", "repository", "document_type", "languages", DecadeListFilter, SourceUnitListFilter)
    list_select_related = CITED
    search_fields = ("identifier", "title", "title_original", "summary")
    autocomplete_fields = ("repository", "unit", "languages", "places", "subjects", "events")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (*EditorialAdminMixin.readonly_fields, "citation_ru", "citation_en", "date_start", "date_end")
    inlines = [SourceAgentInline, SourceImageInline, SourceCommentaryInline]
    date_hierarchy = None
    show_full_result_count = False
    fieldsets = (
        (_("Identity"), {"fields": ("identifier", "slug", "title", "title_original", "document_type")}),
        (
            _("Archival reference"),
            {
                "fields": (
                    "repository",
                    "unit",
                    "folios",
                    "publication",
                    "publication_url",
                    "citation_ru",
                    "citation_en",
                )
            },
        ),
        (_("Dates"), {"fields": ("date_text", "date_edtf", ("date_start", "date_end"))}),
        (
            _("Description"),
            {"fields": ("languages", "script", "originality", "form", "access_marking", "physical_description")},
        ),
        (_("Content"), {"fields": ("summary", "transcription", "translation")}),
        (_("Relations"), {"fields": ("events", "places", "subjects")}),
        (_("Provenance and rights"), {"fields": ("provenance", "rights"), "classes": ("collapse",)}),
        EditorialAdminMixin.publication_fieldset,
    )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is SourceImage:
            # A new or replaced file gets its IIIF tiles and sizes now; a deleted image's go with it (apps.py).
            changed = [image for image, fields in formset.changed_objects if "image" in fields]
            for image in [*formset.new_objects, *changed]:
                make_derivatives(image=image)

    def get_search_results(self, request, queryset, search_term):
        """Also the sources in a fonds, inventory or file whose number is a word of the search (558, 11, 374)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        in_units = _in_units_numbered(search_term.split())
        if in_units is not None:
            found |= queryset.filter(in_units)
        return found, may_have_duplicates

    @admin.display(description=_("citation"), ordering="fonds__number")
    def citation(self, obj):
        return obj.citation_ru

    @admin.display(description=_("citation (Russian style)"))
    def citation_ru(self, obj):
        return obj.citation_ru or "—"

    @admin.display(description=_("citation (English)"))
    def citation_en(self, obj):
        return obj.citation_en or "—"


UNITS_SEARCHED = 1000  # units a number may name at most; a number in more of them is too common to search by


def _in_units_numbered(words: list[str]) -> Q | None:
    """Sources in the units numbered as one of the words, as index lookups on the source's own columns (fonds,
    unit): an OR across a join would scan the table."""
    units = list(Unit.objects.filter(number__in=words).values_list("pk", "level")[:UNITS_SEARCHED])
    if not units:
        return None
    fonds = [pk for pk, level in units if level == Level.FONDS]
    series = [pk for pk, level in units if level == Level.SERIES]
    files = [pk for pk, level in units if level == Level.FILE]
    files += Unit.objects.filter(parent__in=series).values_list("pk", flat=True)[:UNITS_SEARCHED]
    return Q(fonds__in=fonds) | Q(unit__in=series + files)
