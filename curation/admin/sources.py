from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.iiif.derivatives import make_derivatives
from archive.models import Source, SourceAgent, SourceImage
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
    list_select_related = ("repository",)
    search_fields = ("identifier", "title", "title_original", "fond", "opis", "delo", "summary")
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
                    ("fond", "opis", "delo", "folios"),
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

    @admin.display(description=_("citation"), ordering="fond")
    def citation(self, obj):
        return obj.citation_ru

    @admin.display(description=_("citation (Russian style)"))
    def citation_ru(self, obj):
        return obj.citation_ru or "—"

    @admin.display(description=_("citation (English)"))
    def citation_en(self, obj):
        return obj.citation_en or "—"
