from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.models import Event
from curation.resources import EventResource

from .commentary import CommentaryInline
from .mixins import DecadeListFilter, EditorialAdminMixin
from .transfer import TransferAdminMixin


class EventCommentaryInline(CommentaryInline):
    fk_name = "event"


@admin.register(Event)
class EventAdmin(TransferAdminMixin, EditorialAdminMixin, admin.ModelAdmin):
    resource_classes = [EventResource]
    list_display = ("name", "status_badge", "event_type", "date_text", "date_start", "parent")
    list_filter = ("status", "event_type", DecadeListFilter)
    list_select_related = ("parent",)
    search_fields = ("identifier", "name", "name_original", "description")
    autocomplete_fields = ("parent", "places", "participants")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = (*EditorialAdminMixin.readonly_fields, "date_start", "date_end")
    inlines = [EventCommentaryInline]
    fieldsets = (
        (_("Identity"), {"fields": ("identifier", "slug", "name", "name_original", "event_type", "parent")}),
        (_("Dates"), {"fields": ("date_text", "date_edtf", ("date_start", "date_end"))}),
        (_("Content"), {"fields": ("description",)}),
        (_("Relations"), {"fields": ("places", "participants")}),
        EditorialAdminMixin.publication_fieldset,
    )
