"""The admin's door onto CSV import and export, and the list of import batches with undo."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from curation.models import BatchStatus, ImportBatch, ImportMode
from curation.resources import OpisCSV
from curation.transfer.errors import write_error_csv
from curation.transfer.formats import KINDS
from curation.transfer.undo import UndoRefused, undo_batch

OPTION_FIELDS = ("mode", "skip_unchanged", "encoding", "delimiter")
ENCODING_CHOICES = [("", _("Detect")), ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("cp1251", "Windows-1251")]
DELIMITER_CHOICES = [("", _("Detect")), (",", _("Comma")), (";", _("Semicolon")), ("tab", _("Tab"))]


def admin_import_limit() -> int:
    """Bigger files than this go through `manage.py import_records` (no request should run that long)."""
    return getattr(settings, "OPIS_ADMIN_IMPORT_MAX_BYTES", 5 * 2**20)


class ImportOptions(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=ImportMode.choices, initial=ImportMode.UPSERT)
    skip_unchanged = forms.BooleanField(label=_("Skip unchanged rows"), initial=True, required=False)
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, required=False)
    delimiter = forms.ChoiceField(label=_("Delimiter"), choices=DELIMITER_CHOICES, required=False)


class OpisImportForm(ImportForm):
    field_order = ["resource", "import_file", "format", *OPTION_FIELDS]

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields.update(ImportOptions().fields)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > admin_import_limit():
            raise forms.ValidationError(
                _("This file is %(size)s; the admin takes up to %(limit)s. Use: manage.py import_records."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(admin_import_limit())},
            )
        return upload


class OpisConfirmImportForm(ConfirmImportForm):
    mode = forms.CharField(widget=forms.HiddenInput())
    skip_unchanged = forms.BooleanField(widget=forms.HiddenInput(), required=False)
    encoding = forms.CharField(widget=forms.HiddenInput(), required=False)
    delimiter = forms.CharField(widget=forms.HiddenInput(), required=False)


class TransferAdminMixin(ImportExportMixin):
    """Import and export buttons for users with archive.import_<model> / archive.export_<model>,
    going through curation.transfer: the same validation, writing and batches as the command line."""

    import_formats = [OpisCSV]
    export_formats = [OpisCSV]
    import_form_class = OpisImportForm
    confirm_form_class = OpisConfirmImportForm
    import_template_name = "admin/curation/import.html"
    skip_admin_log = True  # the import batch is the record of what happened, row by row

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial.update({name: import_form.cleaned_data.get(name) for name in OPTION_FIELDS})
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if form is not None and hasattr(form, "cleaned_data"):
            kwargs.update({name: form.cleaned_data.get(name) for name in OPTION_FIELDS})
        return kwargs

    def add_success_message(self, result, request):
        batch = getattr(result, "opis_batch", None)
        if batch is None:
            return super().add_success_message(result, request)
        messages.success(
            request,
            format_html(
                _("Import batch <a href='{}'>#{}</a>: {} created, {} updated, {} unchanged. It can be undone."),
                batch.get_absolute_url(),
                batch.pk,
                batch.created,
                batch.updated,
                batch.unchanged,
            ),
        )


def _may_see_batches(user) -> bool:
    return user.is_active and user.is_staff and any(user.has_perm(kind.permission("import")) for kind in KINDS.values())


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "file_name",
        "user",
        "started_at",
        "status",
        "rows",
        "created",
        "updated",
        "unchanged",
        "error_count",
        "duration",
    )
    list_filter = ("status", "kind", "dry_run")
    search_fields = ("file_name", "checksum", "user__username")
    actions = ["undo_selected"]  # checked per batch against the import right of its kind
    readonly_fields = ("error_csv_link",)
    exclude = ("errors", "failed_rows")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or _may_see_batches(request.user)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or _may_see_batches(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.error_csv)
        return [path("<int:pk>/errors.csv", view, name="curation_importbatch_errors"), *super().get_urls()]

    @admin.display(description=_("error CSV"))
    def error_csv_link(self, obj):
        if not obj.error_count:
            return "—"
        url = reverse("admin:curation_importbatch_errors", args=[obj.pk], current_app=self.admin_site.name)
        return format_html('<a href="{}">{}</a>', url, _("Download the failing rows with their errors"))

    def error_csv(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="errors-batch-{batch.pk}.csv"'
        response.write("\ufeff")
        write_error_csv(batch, response)
        return response

    @admin.action(description=_("Undo the selected import batches"))
    def undo_selected(self, request, queryset):
        for batch in queryset.filter(status=BatchStatus.SUCCEEDED):
            try:
                counts = undo_batch(batch=batch, user=request.user)
            except (UndoRefused, PermissionDenied) as exc:
                self.message_user(request, f"#{batch.pk}: {exc}", messages.ERROR)
            else:
                self.message_user(
                    request, f"#{batch.pk} undone: {counts['deleted']} deleted, {counts['restored']} restored."
                )
