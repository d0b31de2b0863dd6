"""The archival document (unit of description) and what hangs off it."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Func, IntegerField, Q, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archive import citation
from archive.links import slug_url

from .agents import Agent, Language, Place, Repository, Subject
from .base import (
    DatedModel,
    DocumentForm,
    DocumentType,
    EditorialModel,
    EditorialQuerySet,
    PlainText,
    editorial_permissions,
    harvest_index,
    identifier_field,
    slug_field,
)
from .events import Event
from .search import icontains_indexes, search_indexes, search_vector_field

# The first folio's number (12 of "12-15 об."), the order of the documents in their file; empty when the folios
# do not start with one. Nine digits at most: any longer run would not fit an integer.
FIRST_FOLIO = Cast(Func(F("folios"), Value("^[0-9]{1,9}"), function="substring"), IntegerField())


class Script(models.TextChoices):
    CYRILLIC = "Cyrl", _("Cyrillic")
    LATIN = "Latn", _("Latin")
    MONGOLIAN = "Mong", _("Traditional Mongolian")
    JAPANESE = "Jpan", pgettext_lazy("script", "Japanese")  # not the language: Японское письмо, not Японский
    OTHER = "Zyyy", _("Other or mixed")


class Originality(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")
    DRAFT = "draft", _("Draft")


class Source(PlainText, EditorialModel, DatedModel):
    identifier = identifier_field()
    slug = slug_field()
    title = models.CharField(_("title"), max_length=500, help_text=_("A descriptive title in English."))
    title_original = models.CharField(
        _("title in the original language"),
        max_length=500,
        blank=True,
        help_text=_("The title as the document or the archive's inventory gives it."),
    )
    document_type = models.CharField(
        _("document type"), max_length=16, choices=DocumentType.choices, default=DocumentType.OTHER
    )
    repository = models.ForeignKey(
        Repository,
        verbose_name=_("repository"),
        on_delete=models.PROTECT,
        related_name="sources",
        null=True,
        blank=True,
        help_text=_(
            "The archive holding the original. Leave empty when the document is known only from a publication."
        ),
    )
    unit = models.ForeignKey(
        "archive.Unit",
        verbose_name=_("file, inventory or fonds"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text=_("The lowest unit the document is known to belong to: its file (дело), else inventory, else fonds."),
    )
    fonds = models.ForeignKey(
        "archive.Unit",
        verbose_name=_("fonds"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        help_text=_("The fonds at the top of the unit's branch (the unit itself if it is a fonds)."),
    )
    folios = models.CharField(
        _("folios"), max_length=64, blank=True, help_text=_("Листы as written, e.g. 12-15 об. Leave empty if unknown.")
    )
    publication = models.TextField(
        _("published in"),
        blank=True,
        help_text=_(
            "The edition the document is published in, as a reader would look it up: title, volume, place, year "
            "and the document's number in it, e.g. Foreign Relations of the United States, 1935, vol. III, doc. 92."
        ),
    )
    publication_url = models.URLField(
        _("publication online"), blank=True, help_text=_("Where the published text can be read online, if anywhere.")
    )
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True, related_name="sources")
    script = models.CharField(_("script"), max_length=4, choices=Script.choices, blank=True)
    originality = models.CharField(_("original or copy"), max_length=16, choices=Originality.choices, blank=True)
    form = models.CharField(_("form"), max_length=16, choices=DocumentForm.choices, blank=True)
    access_marking = models.CharField(
        _("access marking"),
        max_length=120,
        blank=True,
        help_text=_("The classification stamp as on the original, e.g. Совершенно секретно."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Scope and content, for the public."))
    transcription = models.TextField(_("transcription"), blank=True, help_text=_("The text in its original language."))
    translation = models.TextField(_("translation"), blank=True, help_text=_("An English translation."))
    physical_description = models.TextField(_("physical description"), blank=True)
    provenance = models.TextField(_("provenance note"), blank=True)
    rights = models.TextField(_("rights"), blank=True, help_text=_("Terms of use and reproduction."))
    agents = models.ManyToManyField(
        Agent, verbose_name=_("people and organisations"), through="SourceAgent", blank=True, related_name="sources"
    )
    places = models.ManyToManyField(Place, verbose_name=_("places"), blank=True, related_name="sources")
    subjects = models.ManyToManyField(Subject, verbose_name=_("subjects"), blank=True, related_name="sources")
    events = models.ManyToManyField(
        Event,
        verbose_name=_("events"),
        blank=True,
        related_name="sources",
        help_text=_("Events this document records or bears on."),
    )

    search_vector = search_vector_field(
        ("title", "A"), ("title_original", "A"), ("summary", "B"), ("transcription", "C"), ("translation", "C")
    )

    objects = EditorialQuerySet.as_manager()

    class Meta:
        ordering = ["date_start", "identifier"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = editorial_permissions("source")
        indexes = [
            # A unit's documents in order, whatever their status (the curators' unit page lists them).
            models.Index(fields=["unit", "date_start", "identifier"], name="archive_source_unit_idx"),
            # The public unit page's three orders, over published documents only, each covering what a page needs
            # to find its ids (archive/public/children.py): an OFFSET deep into 100,000 documents is skipped in
            # the index alone, not by reading a heap page per skipped row (1.1 s for the last page, cold, at 1M).
            *(
                models.Index(
                    *order,
                    include=["published_at", "id", *extra],
                    condition=Q(status="published"),
                    name=f"archive_source_unit_{name}_idx",
                )
                for name, order, extra in (
                    ("folio", (F("unit"), FIRST_FOLIO, F("identifier")), ["folios"]),
                    ("title", (F("unit"), F("title"), F("identifier")), []),
                    ("dated", (F("unit"), F("date_start"), F("identifier")), []),
                )
            ),
            # Everything in a fonds, whatever the depth, in order.
            models.Index(fields=["fonds", "date_start", "identifier"], name="archive_source_fonds_idx"),
            # A fonds' published documents counted from the index alone (no heap page read: a cold count of a
            # unit's 70,000 documents scattered over the table read 88,000 pages; a unit's counts use the unit
            # page's indexes above).
            models.Index(
                fields=["fonds"],
                include=["published_at"],
                condition=Q(status="published"),
                name="archive_source_fonds_count_idx",
            ),
            *search_indexes("source", "title", "title_original"),
            # The admin's search fields (curation/admin/sources.py).
            *icontains_indexes("source", "identifier", "title", "title_original", "summary"),
            # The default order, and the newest published first.
            models.Index(fields=["date_start", "identifier"], name="archive_source_chrono_idx"),
            # The list by title: the facet index places a source published since its build between its
            # neighbours in this order (archive/public/facet_update.py), one probe each.
            models.Index(fields=["title", "identifier"], name="archive_source_title_idx"),
            models.Index(fields=["-published_at"], condition=Q(status="published"), name="archive_source_newest_idx"),
            harvest_index("source"),
        ]
        constraints = [
            *EditorialModel._meta.constraints,
            *DatedModel._meta.constraints,
            models.CheckConstraint(
                condition=Q(document_type__in=DocumentType.values), name="archive_source_document_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(repository__isnull=False) | Q(unit__isnull=True, folios=""),
                name="archive_source_reference_needs_repository",
                violation_error_message=_("A file, inventory, fonds or folios need the repository that holds them."),
            ),
        ]

    def __str__(self):
        return f"{self.identifier}: {self.title}"

    def clean(self):
        super().clean()
        if self.repository_id is None and (self.unit_id is not None or self.folios):
            raise ValidationError(
                {"repository": _("A file, inventory, fonds or folios need the repository that holds them.")},
                code="reference_needs_repository",
            )
        if (
            self.unit_id is not None
            and self.repository_id is not None
            and self.unit.repository_id != self.repository_id
        ):
            raise ValidationError(
                {"unit": _("The unit is in another repository than the source.")}, code="unit_repository"
            )

    def save(self, *args, **kwargs):
        # Derived field only, as the dates are: the fonds facet and "everything in fond 558" read one column.
        self.derive_fonds()
        super().save(*args, **kwargs)

    def derive_fonds(self) -> None:
        self.fonds_id = None if self.unit_id is None else (self.unit.fonds_id or self.unit_id)

    def get_absolute_url(self):
        return slug_url("archive:source-detail", self.slug)

    def get_document_type_display(self) -> str:
        """As Django's own: the type's label, or the stored value if it is none of the types. Without rebuilding
        the choices for each call, which a list of fifty sources did fifty times."""
        member = DocumentType._value2member_map_.get(self.document_type)
        return self.document_type if member is None else str(member.label)

    @property
    def citation_ru(self) -> str:
        return citation.cite_ru(self)

    @property
    def citation_en(self) -> str:
        return citation.cite_en(self)

    @property
    def reference_numbers(self) -> dict[str, str]:
        """The fond, opis and delo numbers from the unit tree, by level: {"fonds": "558", "series": "11", ...}."""
        return citation.reference_numbers(self)


class AgentRole(models.TextChoices):
    CREATOR = "creator", _("Creator")
    RECIPIENT = "recipient", _("Recipient")
    SIGNATORY = "signatory", _("Signatory")
    MENTIONED = "mentioned", _("Mentioned")


class SourceAgent(models.Model):
    # No index of its own: the unique (source, agent, role) index serves lookups by source.
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="agent_links", db_index=False)
    agent = models.ForeignKey(
        Agent, verbose_name=_("person or organisation"), on_delete=models.PROTECT, related_name="source_links"
    )
    role = models.CharField(_("role"), max_length=16, choices=AgentRole.choices, default=AgentRole.CREATOR)

    class Meta:
        ordering = ["source", "role", "agent__name"]
        verbose_name = _("person or organisation of a source")
        verbose_name_plural = _("people and organisations of a source")
        constraints = [
            models.UniqueConstraint(fields=["source", "agent", "role"], name="archive_sourceagent_unique_role"),
            models.CheckConstraint(condition=Q(role__in=AgentRole.values), name="archive_sourceagent_role_valid"),
        ]

    def __str__(self):
        return f"{self.agent} ({self.get_role_display()})"


class SourceImage(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"),
        upload_to="sources/%Y/",
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "tif", "tiff", "webp"])],
        help_text=_("A scan of one page or folio: JPEG, PNG, TIFF or WebP."),
    )
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Order of the image, from 0."))
    caption = models.CharField(_("caption"), max_length=255, blank=True, help_text=_("e.g. Л. 12 об."))
    # Filled by archive.iiif.derivatives.make_derivatives when the image is uploaded or imported.
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    derivatives = models.CharField(
        _("IIIF derivatives"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("Where the image's IIIF tiles and sizes are stored; empty until they are made."),
    )

    class Meta:
        ordering = ["source", "position", "pk"]
        verbose_name = _("digitised image")
        verbose_name_plural = _("digitised images")
        constraints = [
            models.CheckConstraint(
                # Spelled out: a NULL width would make width > 0 unknown, which a CHECK lets through.
                condition=Q(derivatives="") | Q(width__isnull=False, height__isnull=False, width__gt=0, height__gt=0),
                name="archive_sourceimage_derivatives_have_size",
                violation_error_message=_("IIIF derivatives need the image's width and height."),
            ),
        ]

    def __str__(self):
        return self.caption or self.image.name

    def get_absolute_url(self):
        return self.source.get_absolute_url()
