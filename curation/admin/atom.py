"""The admin's door onto AtoM's CSV (curation.transfer.atom): upload, a checked preview that says what will be
made, matched and kept in notes, then the import of the same stored file, recorded as a batch that can be undone.
A file of more rows than the background threshold is checked and imported by the worker, as the other kinds are."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from curation.models import BatchStatus, ImportBatch, ImportMode
from curation.tasks import background_threshold, import_stored_file, queue_import
from curation.transfer.importer import run_import
from curation.transfer.profiles import PROFILES, may_import
from curation.transfer.reading import count_rows
from curation.uploads import csv_upload_help, validate_csv_upload

from .transfer import DELIMITER_CHOICES, ENCODING_CHOICES

SHOWN_ERRORS = 200


class AtomImportForm(forms.Form):
    profile = forms.ChoiceField(
        label=_("File"), choices=[(name, profile.label) for name, profile in PROFILES.items()], initial="atom"
    )
    import_file = forms.FileField(label=_("File to import"))
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, required=False)
    delimiter = forms.ChoiceField(label=_("Delimiter"), choices=DELIMITER_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].help_text = csv_upload_help()

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        validate_csv_upload(upload)
        return upload


def atom_import_view(model_admin, request):
    """GET: the form. POST: check the file (a dry run) and show the preview, or queue a large file."""
    if not any(profile.allowed(request.user) for profile in PROFILES.values()):
        raise PermissionDenied
    form = AtomImportForm(request.POST or None, request.FILES or None)
    context = {**model_admin.admin_site.each_context(request), "title": _("Import from AtoM"), "form": form}
    context["opts"] = model_admin.model._meta
    if request.method == "POST" and form.is_valid():
        if not may_import(request.user, form.cleaned_data["profile"]):
            raise PermissionDenied
        batch = _stored_batch(request, form)
        if batch.expected_rows > background_threshold():
            queue_import(batch=batch)
            messages.info(
                request,
                _("The file is large: it is being checked in the background. This page shows progress and the result."),
            )
            return HttpResponseRedirect(batch.get_absolute_url())
        with default_storage.open(batch.stored_file, "rb") as stream:
            result = run_import(
                batch.kind,
                stream,
                user=request.user,
                file_name=batch.file_name,
                mode=ImportMode.CREATE,
                dry_run=True,
                encoding=batch.encoding_option or None,
                delimiter=batch.delimiter_option or None,
                batch=batch,
            )
        if result.errors:
            default_storage.delete(batch.stored_file)
            ImportBatch.objects.filter(pk=batch.pk).update(stored_file="")
        context.update({"result": result, "batch": batch, "errors": result.errors[:SHOWN_ERRORS]})
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/curation/atom_import.html", context)


def _stored_batch(request, form) -> ImportBatch:
    upload = form.cleaned_data["import_file"]
    rows = count_rows(upload)  # before the upload is stored, which reads it to the end
    return ImportBatch.objects.create(
        kind=form.cleaned_data["profile"],
        user=request.user,
        file_name=upload.name[:255],
        mode=ImportMode.CREATE,
        dry_run=True,
        encoding_option=form.cleaned_data.get("encoding") or "",
        delimiter_option=form.cleaned_data.get("delimiter") or "",
        stored_file=default_storage.save(f"imports/{uuid.uuid4().hex}.csv", upload),
        expected_rows=rows,
        status=BatchStatus.QUEUED,
    )


def atom_confirm_view(model_admin, request, pk):
    """Import the stored file of a passed check now, in this request, and go to its batch."""
    preview = get_object_or_404(ImportBatch, pk=pk, status=BatchStatus.PREVIEWED, dry_run=True, kind__in=PROFILES)
    if request.method != "POST" or not preview.stored_file or not may_import(request.user, preview.kind):
        raise PermissionDenied
    batch = preview.queued_again(user=request.user, dry_run=False, expected_rows=preview.rows)
    import_stored_file.call(batch_id=batch.pk)
    batch.refresh_from_db()
    if batch.status == BatchStatus.SUCCEEDED:
        messages.success(request, _("Imported from AtoM: %(summary)s. It can be undone.") % {"summary": batch.message})
    else:
        messages.error(request, _("The import failed; nothing was written. %(reason)s") % {"reason": batch.message})
    return HttpResponseRedirect(batch.get_absolute_url())
