"""Building blocks shared by the records: editorial status, dates, identifiers, plain text."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.edtf import date_range, validate_edtf

identifier_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._:-]*$",
    _("Use letters, digits, dots, colons, hyphens and underscores, starting with a letter or digit."),
)
wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", _("A Wikidata item id looks like Q855."))
# An HTML tag opening or closing (<b>, </script>, <!-- ): markup. Editorial marks of Russian archival
# publishing such as <неразборчиво> or <...> are not tags and stay allowed.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]*>")


class PlainText:
    """Every editable text field of the record is plain text: markup is refused, in the admin as in the CSV
    import (same rule, curation/transfer/cells.py), so whatever is saved exports and imports back unchanged.
    Formatting belongs in commentary, written in Markdown."""

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if field.name in (exclude or ()) or field.name in errors or not field.editable or field.choices:
                continue
            if isinstance(field, models.CharField | models.TextField):
                match = MARKUP.search(getattr(self, field.attname) or "")
                if match:
                    errors[field.name] = [
                        ValidationError(
                            _("Contains HTML markup (%(tag)s); plain text only (Markdown in commentary)."),
                            code="markup",
                            params={"tag": match.group(0)[:40]},
                        )
                    ]
        if errors:
            raise ValidationError(errors)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DocumentType(models.TextChoices):
    PROTOCOL = "protocol", _("Protocol")
    RECORD_OF_CONVERSATION = "conversation", _("Record of conversation")
    LETTER = "letter", _("Letter")
    TELEGRAM = "telegram", _("Telegram")
    REPORT = "report", _("Report")
    RESOLUTION = "resolution", _("Resolution")
    TREATY = "treaty", _("Treaty or agreement")
    DIRECTIVE = "directive", _("Directive")
    MINUTES = "minutes", _("Minutes")
    MEMORANDUM = "memorandum", _("Memorandum")
    OTHER = "other", _("Other")


class DocumentForm(models.TextChoices):
    TYPESCRIPT = "typescript", _("Typescript")
    MANUSCRIPT = "manuscript", _("Manuscript")
    PRINT = "print", _("Print")
    OTHER = "other", _("Other")


def identifier_field(help_text=None, **kwargs) -> models.CharField:
    return models.CharField(
        _("identifier"),
        max_length=64,
        unique=True,
        validators=[identifier_validator],
        help_text=help_text
        or _(
            "A stable reference you choose, e.g. RGASPI-558-11-123. It never changes once "
            "published: CSV re-imports find the record by it."
        ),
        **kwargs,
    )


def slug_field() -> models.SlugField:
    return models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        allow_unicode=False,
        help_text=_("The last part of the public address, in Latin letters, e.g. protocol-1936."),
    )


def transfer_permissions(model_name: str) -> list[tuple[str, str]]:
    """CSV import and export are permissions of their own: not every editor may bulk-load."""
    return [
        (f"import_{model_name}", f"Can import {model_name} records from CSV"),
        (f"export_{model_name}", f"Can export {model_name} records to CSV"),
    ]


def editorial_permissions(model_name: str) -> list[tuple[str, str]]:
    """Reviewing and publishing are separate rights from editing (Curator vs Editor)."""
    return [
        (f"review_{model_name}", f"Can review {model_name} records (return to draft)"),
        (f"publish_{model_name}", f"Can publish and withdraw {model_name} records"),
        *transfer_permissions(model_name),
    ]


class EditorialQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one visibility rule: published, and the publication time has come (by `now`, default the present)."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=now or timezone.now())

    def in_review(self):
        return self.filter(status=Status.REVIEW)


def last_public_change():
    """When the public last saw the record change: its last edit, or its publication if that came later (a scheduled
    publication goes live with no write). The OAI-PMH datestamp (archive/public/oai/)."""
    return Greatest("updated_at", "published_at")


def harvest_index(model_name: str) -> models.Index:
    """Records in the order of their last public change, for OAI-PMH's keyset pages. Over every row, drafts too:
    PostgreSQL keeps no statistics of a partial index's expression, and without them it would sort a whole
    range of the table for each page instead of reading the index in order."""
    return models.Index(last_public_change(), "id", name=f"archive_{model_name}_harvest_idx")


class EditorialModel(models.Model):
    """Status, publication time, who created and changed the record, and a version for safe edits."""

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Only published records are visible to the public."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Set when the record is published; a future time schedules publication."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised on every save; guards against lost updates.")
    )

    objects = EditorialQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="%(app_label)s_%(class)s_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
            ),
        ]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at <= timezone.now()

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.status == Status.PUBLISHED and self.published_at is None:
            raise ValidationError({"published_at": _("A published record needs a publication time.")})


class DatedModel(models.Model):
    """A date as written in the source, its EDTF form, and the derived range used for sorting."""

    date_text = models.CharField(
        _("date as written"),
        max_length=120,
        blank=True,
        help_text=_("Exactly as the document or literature gives it, e.g. “27 ноября 1934” or “весна 1936”."),
    )
    date_edtf = models.CharField(
        _("date (EDTF)"),
        max_length=64,
        blank=True,
        validators=[validate_edtf],
        help_text=_(
            "The normalised date in EDTF: 1934-11-27 (a day), 1936-03~ (about March 1936), "
            "1939-05-11/1939-09-16 (a range). Start and end dates are derived from it."
        ),
    )
    date_start = models.DateField(_("earliest date"), null=True, blank=True, editable=False, db_index=True)
    date_end = models.DateField(_("latest date"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(date_edtf="", date_start__isnull=True, date_end__isnull=True)
                    | (
                        ~Q(date_edtf="")
                        & Q(date_start__isnull=False, date_end__isnull=False, date_start__lte=models.F("date_end"))
                    )
                ),
                name="%(app_label)s_%(class)s_dates_consistent",
            ),
        ]

    def save(self, *args, **kwargs):
        # Derived fields only, no side effects: keeps the range true to the EDTF on every save path.
        self.derive_dates()
        super().save(*args, **kwargs)

    def derive_dates(self) -> None:
        derived = date_range(self.date_edtf)
        self.date_start, self.date_end = derived.start, derived.end

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        try:
            self.derive_dates()
        except ValidationError:
            # The field's own validator (validate_edtf) reports a bad date, once, on the field; a save
            # without validation still refuses it (derive_dates in save).
            self.date_start = self.date_end = None
