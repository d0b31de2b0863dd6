from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.models import Commentary
from curation.resources import CommentaryResource

from .large_tables import LargeTableMixin, PreloadedAutocompleteInlineMixin
from .mixins import EditorialAdminMixin
from .transfer import TransferAdminMixin
from .workflow import EditorialInlineMixin


class CommentaryInline(EditorialInlineMixin, PreloadedAutocompleteInlineMixin, admin.StackedInline):
    """Notes edited under their source or event; subclasses name which (fk_name)."""

    model = Commentary
    fields = ("identifier", "kind", "title", "body", "signature", "author", "references", "status", "published_at")
    autocomplete_fields = ["author"]
    extra = 0
    show_change_link = True


@admin.register(Commentary)
class CommentaryAdmin(TransferAdminMixin, LargeTableMixin, EditorialAdminMixin, admin.ModelAdmin):
    resource_classes = [CommentaryResource]
    list_display = ("title", "status_badge", "kind", "target", "signature", "updated_at")
    list_filter = ("status", "kind")
    list_select_related = ("source", "event")
    search_fields = ("identifier", "title", "body", "signature")
    autocomplete_fields = ("source", "event", "author")
    fieldsets = (
        (_("Identity"), {"fields": ("identifier", "kind", "title")}),
        (_("About"), {"fields": ("source", "event")}),
        (_("Content"), {"fields": ("body", "references")}),
        (_("Signature"), {"fields": ("author", "signature")}),
        EditorialAdminMixin.publication_fieldset,
    )

    @admin.display(description=_("about"))
    def target(self, obj):
        return obj.target
