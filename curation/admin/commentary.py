from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.models import Commentary
from curation.resources import CommentaryResource
from curation.services import commentary_identifier

from .large_tables import LargeTableMixin, PreloadedAutocompleteInlineMixin
from .mixins import EditorialAdminMixin
from .transfer import TransferAdminMixin
from .workflow import EditorialInlineMixin


class NewNoteForm(forms.ModelForm):
    """A note typed under its source or event: while it is new, its identifier and author may be left empty."""

    optional_while_new = {
        "identifier": _(
            "Leave empty to have one made from the identifier of the source or event, e.g. RGASPI-558-11-123-c1."
        ),
        "author": _("The account responsible for this note; leave empty for yourself."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name, help_text in self.optional_while_new.items():
                if name in self.fields:
                    self.fields[name].required = False
                    self.fields[name].help_text = help_text

    def clean_identifier(self):
        # None, not "": two new notes both left empty are not duplicates of each other.
        return self.cleaned_data["identifier"] or None


class CommentaryInline(EditorialInlineMixin, PreloadedAutocompleteInlineMixin, admin.StackedInline):
    """Notes edited under their source or event; subclasses name which (fk_name).

    A new note is saved with its source or event, on the same save, even when both are new: its author
    defaults to the curator saving it and its identifier is made from theirs."""

    model = Commentary
    form = NewNoteForm
    fields = ("title", "kind", "body", "signature", "author", "identifier", "references", "status", "published_at")
    autocomplete_fields = ["author"]
    extra = 0
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        base = super().get_formset(request, obj, **kwargs)
        user = request.user

        class NewNoteFormSet(base):
            def save_new(self, form, commit=True):
                note = form.instance
                setattr(note, self.fk.name, self.instance)
                if note.author_id is None:
                    note.author = user
                if not note.identifier:
                    note.identifier = commentary_identifier(target=self.instance)
                return super().save_new(form, commit)

        return NewNoteFormSet


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

    def get_changeform_initial_data(self, request):
        # The curator writing a note is its author unless they choose someone else.
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description=_("about"))
    def target(self, obj):
        return obj.target
