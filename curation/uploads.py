"""Limits on what curators upload: size and real type, checked in the forms with errors they can act on.

`validate_image_upload` serves the admin's image inline; `validate_csv_upload` the admin's CSV import form.
Both read their limits from settings (OPIS_MAX_IMAGE_BYTES, OPIS_MAX_UPLOAD_BYTES).
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from archive.models import SourceImage
from curation.transfer.reading import SAMPLE_BYTES, looks_binary


def _check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def validate_image_upload(upload) -> None:
    """Size first, then the format Pillow found in the file (a renamed file does not pass)."""
    _check_size(upload, settings.OPIS_MAX_IMAGE_BYTES)
    image = getattr(upload, "image", None)  # set by forms.ImageField after Pillow has verified the file
    found = getattr(image, "format", None)
    if image is not None and found not in settings.OPIS_IMAGE_FORMATS:
        raise ValidationError(
            _("“%(name)s” is a %(found)s image; upload JPEG, PNG, TIFF or WebP.")
            % {"name": upload.name, "found": found or _("unknown")},
            code="image_format",
        )


def csv_upload_limit() -> int:
    return settings.OPIS_MAX_UPLOAD_BYTES


def csv_upload_help() -> str:
    return _("A .csv, .tsv or .txt file of at most %(limit)s; larger files: manage.py import_records.") % {
        "limit": filesizeformat(csv_upload_limit())
    }


def validate_csv_upload(upload) -> None:
    """A CSV file: within the size limit, named as text, not binary. Its encoding (UTF-8, Windows-1251) and
    any faulty byte further on are the import's to find and report by line and column."""
    if upload.size > csv_upload_limit():
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s. Use manage.py import_records for larger files.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(csv_upload_limit())},
            code="too_large",
        )
    if not upload.name.lower().endswith((".csv", ".tsv", ".txt")):
        raise ValidationError(_("“%(name)s” is not a .csv file.") % {"name": upload.name}, code="csv_type")
    head = upload.read(SAMPLE_BYTES)
    upload.seek(0)
    if looks_binary(head):
        raise ValidationError(
            _("“%(name)s” is not a text file (binary, or UTF-16); save it as CSV UTF-8.") % {"name": upload.name},
            code="csv_binary",
        )


class SourceImageForm(forms.ModelForm):
    class Meta:
        model = SourceImage
        fields = ("position", "image", "caption")

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if (
            upload
            and upload is not getattr(self.instance, "image", None)
            and hasattr(upload, "size")
            and hasattr(upload, "content_type")
        ):
            validate_image_upload(upload)
        return upload
