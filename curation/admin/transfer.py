"""The admin's door onto CSV import and export, and the list of import batches with undo."""

import uuid
from functools import partial

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm

from curation.models import BatchStatus, ImportBatch, ImportMode
from curation.resources import OpisCSV
from curation.tasks import RetryRefused, background_threshold, can_retry, queue_import, retry_batch
from curation.transfer.dead_batches import fail_dead_batches
from curation.transfer.errors import format_error, write_error_csv
from curation.transfer.formats import KINDS, kind_for_model
from curation.transfer.profiles import PROFILES, may_import
from curation.transfer.reading import count_rows
from curation.transfer.undo import UndoRefused, preview_undo, undo_batch
from curation.uploads import csv_upload_help, validate_csv_upload

from .import_preview import build_preview

RECORDS_PER_PAGE = 50  # the records a batch wrote, on its page
UNDO_SHOWN = 50  # the records the undo confirmation lists of each kind (it counts them all)

OPTION_FIELDS = ("mode", "skip_unchanged", "encoding", "delimiter")
ENCODING_CHOICES = [
    ("", _("Detect")),
    ("utf-8", "UTF-8"),
    ("utf-8-sig", _("UTF-8 with BOM")),
    ("cp1251", "Windows-1251"),
]
DELIMITER_CHOICES = [("", _("Detect")), (",", _("Comma")), (";", _("Semicolon")), ("tab", _("Tab"))]


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
        self.fields["import_file"].help_text = csv_upload_help()

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        validate_csv_upload(upload)  # the one upload limit, OPIS_MAX_UPLOAD_BYTES
        return upload


class OpisConfirmImportForm(ConfirmImportForm):
    mode = forms.CharField(widget=forms.HiddenInput())
    skip_unchanged = forms.BooleanField(widget=forms.HiddenInput(), required=False)
    encoding = forms.CharField(widget=forms.HiddenInput(), required=False)
    delimiter = forms.CharField(widget=forms.HiddenInput(), required=False)


class OpisExportForm(SelectableFieldsExportForm):
    """The columns to export, each named as the record's form names its field, the CSV column's name after it."""

    model = None  # the records' model: set by TransferAdminMixin.get_export_form_class

    def _get_field_label(self, resource, field_name):
        # The CSV column's own label: a model field's name, or what a derived column (fond, opis, delo) stands for.
        kinds = [kind for kind in KINDS.values() if kind.model is self.model]
        column = kinds[0].by_name.get(field_name) if kinds else None
        if column is None:
            return super()._get_field_label(resource, field_name)
        label = capfirst(column.label)
        return label if f"({field_name})" in label else f"{label} ({field_name})"


class TransferAdminMixin(ImportExportMixin):
    """Import and export buttons for users with archive.import_<model> / archive.export_<model>,
    going through curation.transfer: the same validation, writing and batches as the command line."""

    import_formats = [OpisCSV]
    export_formats = [OpisCSV]
    import_form_class = OpisImportForm
    confirm_form_class = OpisConfirmImportForm
    export_form_class = OpisExportForm
    import_template_name = "admin/curation/import.html"
    skip_admin_log = True  # the import batch is the record of what happened, row by row

    def get_export_form_class(self):
        return type("OpisExportForm", (OpisExportForm,), {"model": self.model})

    def import_action(self, request, **kwargs):
        """Files of more rows than the background threshold are checked and imported by the task worker; the
        preview of a smaller file is a table (curation.admin.import_preview)."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                rows = count_rows(form.cleaned_data["import_file"])
                if rows > background_threshold():
                    return self._queue_in_background(request, form, rows)
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", {}).get("result")
        if getattr(result, "opis_import", None) is not None:
            response.context_data["preview"] = build_preview(kind_for_model(self.model), result.opis_import)
        return response

    def _queue_in_background(self, request, form, rows: int):
        upload = form.cleaned_data["import_file"]
        options = form.cleaned_data
        batch = ImportBatch.objects.create(
            kind=kind_for_model(self.model).name,
            user=request.user,
            file_name=upload.name[:255],
            mode=options["mode"],
            dry_run=True,
            skip_unchanged=bool(options.get("skip_unchanged")),
            encoding_option=options.get("encoding") or "",
            delimiter_option=options.get("delimiter") or "",
            stored_file=default_storage.save(f"imports/{uuid.uuid4().hex}.csv", upload),
            expected_rows=rows,
            status=BatchStatus.QUEUED,
        )
        queue_import(batch=batch)
        messages.info(
            request,
            _(
                "The file has more than %(limit)s rows: it is checked in the background. This page shows its "
                "progress and then its result."
            )
            % {"limit": number_format(background_threshold(), force_grouping=True)},
        )
        return HttpResponseRedirect(batch.get_absolute_url())

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
        if batch.status != BatchStatus.SUCCEEDED:
            # Checked at preview, refused at confirm: something changed meanwhile (another import, a curator).
            first = batch.errors[0] if batch.errors else None
            reason = format_error(*first) if first else batch.message
            messages.error(
                request,
                format_html(
                    _("Import batch <a href='{}'>#{}</a> failed; nothing was written. {}"),
                    batch.get_absolute_url(),
                    batch.pk,
                    reason,
                ),
            )
            return None
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
        return None


class KindListFilter(admin.SimpleListFilter):
    """The kinds of records, by their names in the interface language."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = [(name, capfirst(kind.model._meta.verbose_name_plural)) for name, kind in KINDS.items()]
        return kinds + [(name, profile.label) for name, profile in PROFILES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


def _may_see_batches(user) -> bool:
    return user.is_active and user.is_staff and any(user.has_perm(kind.permission("import")) for kind in KINDS.values())


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind_label",
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
    list_filter = ("status", KindListFilter, "dry_run")
    search_fields = ("file_name", "checksum", "user__username")
    actions = ["undo_selected"]  # leads to the batch's undo confirmation
    readonly_fields = ("kind_label", "error_csv_link")
    fieldsets = (
        (
            None,
            {"fields": ("status", "message", ("kind_label", "mode", "dry_run"), "file_name", ("user", "started_at"))},
        ),
        (_("Rows"), {"fields": (("rows", "created", "updated", "unchanged", "error_count"), "error_csv_link")}),
        (
            _("Details"),
            {
                "classes": ["collapse"],
                "fields": (
                    ("encoding", "delimiter"),
                    ("encoding_option", "delimiter_option", "skip_unchanged"),
                    "checksum",
                    ("progress", "expected_rows", "duration"),
                    "owner",
                    ("undone_at", "undone_by"),
                ),
            },
        ),
    )
    change_form_template = "admin/curation/importbatch/change_form.html"
    change_list_template = "admin/curation/importbatch/change_list.html"
    view_on_site = False  # a batch has no public page: its get_absolute_url is this admin page

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
        from .atom import atom_confirm_view, atom_import_view  # it builds on this module's choices

        errors = self.admin_site.admin_view(self.error_csv)
        confirm = self.admin_site.admin_view(self.confirm_background)
        retry = self.admin_site.admin_view(self.retry)
        undo = self.admin_site.admin_view(self.undo)
        progress = self.admin_site.admin_view(self.progress)
        atom = self.admin_site.admin_view(partial(atom_import_view, self))
        atom_confirm = self.admin_site.admin_view(partial(atom_confirm_view, self))
        return [
            path("atom/", atom, name="curation_importbatch_atom"),
            path("<int:pk>/atom-confirm/", atom_confirm, name="curation_importbatch_atom_confirm"),
            path("<int:pk>/errors.csv", errors, name="curation_importbatch_errors"),
            path("<int:pk>/confirm/", confirm, name="curation_importbatch_confirm"),
            path("<int:pk>/retry/", retry, name="curation_importbatch_retry"),
            path("<int:pk>/undo/", undo, name="curation_importbatch_undo"),
            path("<int:pk>/progress.json", progress, name="curation_importbatch_progress"),
            *super().get_urls(),
        ]

    # Batches whose importing process died are found where curators look for them: the list and the page.
    def changelist_view(self, request, extra_context=None):
        if self.has_view_permission(request):
            fail_dead_batches()
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = int(object_id) if str(object_id).isdigit() and self.has_view_permission(request) else None
        if pk is not None:
            fail_dead_batches(batch_ids=[pk])
        batch = ImportBatch.objects.filter(pk=pk).first() if pk is not None else None
        if batch is not None and (batch.kind in KINDS or batch.kind in PROFILES):
            allowed = may_import(request.user, batch.kind)
            extra_context = {
                **(extra_context or {}),
                "can_retry": can_retry(batch) and allowed,
                "can_undo": batch.status == BatchStatus.SUCCEEDED and allowed,
                "import_url": _import_url(batch.kind),
                "progress": batch_progress(batch),
                "records": self._records_page(request, batch),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _records_page(self, request, batch):
        """A page of the records the batch wrote, each with its admin page while the record exists."""
        paginator = Paginator(batch.records.order_by("pk"), RECORDS_PER_PAGE)
        page = paginator.get_page(request.GET.get("records"))
        default = KINDS[batch.kind].model if batch.kind in KINDS else None
        by_model: dict = {}
        for record in page:
            by_model.setdefault(apps.get_model(record.model) if record.model else default, []).append(record)
        for model, records in by_model.items():
            meta = model._meta
            existing = set(model.objects.filter(pk__in=[r.object_id for r in records]).values_list("pk", flat=True))
            for record in records:
                record.admin_url = (
                    _admin_url(f"admin:{meta.app_label}_{meta.model_name}_change", record.object_id)
                    if record.object_id in existing
                    else ""
                )
        return page

    def progress(self, request, pk):
        """The batch's progress as JSON, for the script of its page (static/curation/batch-progress.js)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        fail_dead_batches(batch_ids=[pk])
        return JsonResponse(batch_progress(get_object_or_404(ImportBatch, pk=pk)))

    def undo(self, request, pk):
        """GET: what undoing the batch would change, with a button; POST (from that page): undo it."""
        batch = get_object_or_404(ImportBatch, pk=pk)
        if not may_import(request.user, batch.kind):
            raise PermissionDenied
        if request.method == "POST":
            try:
                counts = undo_batch(batch=batch, user=request.user)
            except UndoRefused as exc:
                messages.error(request, str(exc))
                return HttpResponseRedirect(reverse("admin:curation_importbatch_undo", args=[batch.pk]))
            messages.success(
                request,
                _("Import batch #%(batch)s undone: %(deleted)s deleted, %(restored)s restored.")
                % {"batch": batch.pk, **counts},
            )
            return HttpResponseRedirect(batch.get_absolute_url())
        if batch.kind in PROFILES:
            # Records of several models: listed by identifier, without links.
            kind_plural, record_url = PROFILES[batch.kind].label, ""
        else:
            meta = KINDS[batch.kind].model._meta
            kind_plural, record_url = meta.verbose_name_plural, f"admin:{meta.app_label}_{meta.model_name}_change"
        context = {
            **self.admin_site.each_context(request),
            "title": _("Undo import batch #%(batch)s?") % {"batch": batch.pk},
            "opts": self.model._meta,
            "batch": batch,
            "plan": preview_undo(batch=batch, limit=UNDO_SHOWN),
            "kind_plural": kind_plural,
            "record_url": record_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/curation/importbatch/undo_confirmation.html", context)

    def retry(self, request, pk):
        """Queue a failed batch's kept upload again (its process died, or another import got in the way)."""
        batch = get_object_or_404(ImportBatch, pk=pk)
        if request.method != "POST":
            raise PermissionDenied
        try:
            retried = retry_batch(batch=batch, user=request.user)
        except RetryRefused as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(batch.get_absolute_url())
        messages.info(request, _("The file is queued again; this page shows its progress."))
        return HttpResponseRedirect(retried.get_absolute_url())

    def confirm_background(self, request, pk):
        """Queue the real import of a file whose background check (dry run) passed."""
        preview = get_object_or_404(ImportBatch, pk=pk, status=BatchStatus.PREVIEWED, dry_run=True)
        if request.method != "POST" or not preview.stored_file:
            raise PermissionDenied
        if not may_import(request.user, preview.kind):
            raise PermissionDenied
        batch = preview.queued_again(user=request.user, dry_run=False, expected_rows=preview.rows)
        queue_import(batch=batch)
        messages.info(request, _("The import is queued; this page shows its progress."))
        return HttpResponseRedirect(batch.get_absolute_url())

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label

    @admin.display(description=_("error CSV"))
    def error_csv_link(self, obj):
        if not obj.error_count:
            return "—"
        url = reverse("admin:curation_importbatch_errors", args=[obj.pk], current_app=self.admin_site.name)
        return format_html('<a href="{}">{}</a>', url, _("Download the failing rows with their errors"))

    def error_csv(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        # The failing rows are the records' data: only their importer or someone who may import that kind.
        if batch.user_id != request.user.pk and not may_import(request.user, batch.kind):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="errors-batch-{batch.pk}.csv"'
        response.write("\ufeff")
        write_error_csv(batch, response)
        return response

    @admin.action(description=_("Undo the selected import batch…"))
    def undo_selected(self, request, queryset):
        """Undo is shown before it is done, one batch at a time: this leads to the batch's confirmation page."""
        batches = list(queryset[:2])
        if len(batches) != 1:
            self.message_user(
                request, _("Choose one batch to undo: its changes are shown for you to confirm."), messages.WARNING
            )
            return None
        return HttpResponseRedirect(reverse("admin:curation_importbatch_undo", args=[batches[0].pk]))


RUNNING = (BatchStatus.QUEUED, BatchStatus.RUNNING)


def _import_url(kind_name: str) -> str:
    if kind_name in PROFILES:
        return reverse("admin:curation_importbatch_atom")
    meta = KINDS[kind_name].model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_import")


def _admin_url(name: str, pk: int) -> str:
    """The record's admin page, or "" for a model the admin does not show."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def batch_progress(batch: ImportBatch) -> dict:
    """Where a batch stands, for its page and its JSON: rows read of the rows in the file, and whether it ended."""
    rows, total = batch.progress, batch.expected_rows
    if batch.status == BatchStatus.QUEUED:
        text = gettext("Waiting for the background worker.")
    elif total:
        text = gettext("Running: %(rows)s of %(total)s rows read.") % {
            "rows": number_format(rows, force_grouping=True),
            "total": number_format(total, force_grouping=True),
        }
    else:
        text = gettext("Running: %(rows)s rows read so far.") % {"rows": number_format(rows, force_grouping=True)}
    return {
        "status": batch.status,
        "status_label": str(batch.get_status_display()),
        "running": batch.status in RUNNING,
        "rows": rows,
        "total": total,
        "percent": min(100, rows * 100 // total) if total else None,
        "text": text,
    }
