"""Units of description above the document: fonds, inventories (opisi) and files (dela), as ISAD(G) levels.

A repository holds fonds; a fonds holds inventories and files; an inventory holds files; a source (the item)
belongs to the lowest unit known. Every unit below a fonds keeps that fonds in `fonds`, so "everything under
fond 558" is one indexed lookup (`fonds=f or pk=f`), whatever the depth.
"""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archive.links import slug_url

from .agents import Agent, Language, Place, Repository, Subject
from .base import (
    DatedModel,
    EditorialModel,
    EditorialQuerySet,
    PlainText,
    editorial_permissions,
    harvest_index,
    identifier_field,
    slug_field,
)
from .search import icontains_indexes, search_indexes, search_vector_field


class Level(models.TextChoices):
    """ISAD(G) levels, in order from the top; a unit's parent is of a higher level than its own."""

    FONDS = "fonds", _("Fonds")
    SERIES = "series", _("Inventory (series)")
    FILE = "file", _("File")

    @property
    def rank(self) -> int:
        return list(Level).index(self)


# Numbers in the order an archivist reads them: 2 before 11 (shorter first), then as written (11 before 11а).
NUMBER_ORDER = (Length("number"), F("number"))


class UnitQuerySet(EditorialQuerySet):
    def fonds(self):
        return self.filter(level=Level.FONDS)


class Unit(PlainText, EditorialModel, DatedModel):
    identifier = identifier_field(
        help_text=_(
            "A stable reference you choose, e.g. RGASPI-558-11. It never changes once published: CSV "
            "re-imports find the unit by it."
        )
    )
    slug = slug_field()
    repository = models.ForeignKey(
        Repository,
        verbose_name=_("repository"),
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("The archive holding the unit."),
    )
    level = models.CharField(
        _("level of description"),
        max_length=16,
        choices=Level.choices,
        help_text=_("Fonds (фонд), inventory (опись) or file (дело)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=pgettext_lazy("unit", "part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_(
            "The fonds an inventory belongs to, or the inventory (or fonds) a file belongs to. Empty for a fonds."
        ),
    )
    fonds = models.ForeignKey(
        "self",
        verbose_name=_("fonds"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        help_text=_("The fonds at the top of this unit's branch; empty for a fonds itself."),
    )
    number = models.CharField(
        _("number"),
        max_length=32,
        blank=True,
        help_text=_("The number as the archive writes it: 558 for Ф. 558, 11 for Оп. 11, 374 for Д. 374."),
    )
    title = models.CharField(_("title"), max_length=500, help_text=_("A descriptive title in English."))
    title_original = models.CharField(
        _("title in the original language"),
        max_length=500,
        blank=True,
        help_text=_("The title as the archive's own guide or inventory gives it."),
    )
    extent = models.CharField(
        _("extent"),
        max_length=255,
        blank=True,
        help_text=_("Extent and medium, e.g. 1,695 files, or 214 folios."),
    )
    creators = models.ManyToManyField(
        Agent,
        verbose_name=_("creators"),
        blank=True,
        related_name="created_units",
        help_text=_("The people or bodies that created or accumulated the records; their history is on their page."),
    )
    agents = models.ManyToManyField(
        Agent,
        verbose_name=_("name access points"),
        blank=True,
        related_name="units",
        help_text=_("People and organisations the unit is about (not its creators)."),
    )
    places = models.ManyToManyField(Place, verbose_name=_("place access points"), blank=True, related_name="units")
    subjects = models.ManyToManyField(
        Subject, verbose_name=_("subject access points"), blank=True, related_name="units"
    )
    administrative_history = models.TextField(
        _("administrative or biographical history"),
        blank=True,
        help_text=_("The history of the creator as it bears on this unit, when it is not on the creator's page."),
    )
    scope_content = models.TextField(
        _("scope and content"), blank=True, help_text=_("What the unit contains, for the public.")
    )
    arrangement = models.TextField(_("arrangement"), blank=True, help_text=_("How the records are ordered."))
    access_conditions = models.TextField(_("conditions of access"), blank=True)
    reproduction_conditions = models.TextField(_("conditions of reproduction"), blank=True)
    finding_aids = models.TextField(
        _("finding aids"), blank=True, help_text=_("Published or unpublished inventories and guides.")
    )
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True, related_name="units")
    scripts = ArrayField(
        models.CharField(max_length=4),
        verbose_name=_("scripts"),
        default=list,
        blank=True,
        help_text=_("ISO 15924 codes of the scripts, e.g. Cyrl, Latn."),
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_(
            "Anything with no field of its own, including columns of an imported catalogue Opis has no place for."
        ),
    )

    search_vector = search_vector_field(("title", "A"), ("title_original", "A"), ("scope_content", "B"))

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["repository", "level", "number", "identifier"]
        verbose_name = _("unit of description")
        verbose_name_plural = _("units of description")
        permissions = editorial_permissions("unit")
        indexes = [
            # A unit's children in order, and everything under a fonds.
            models.Index(fields=["parent", "number", "identifier"], name="archive_unit_children_idx"),
            # The unit page's sorts of the child units (archive/public/children.py), each an ORDER BY this index
            # can answer with LIMIT, whatever the number of children.
            models.Index(F("parent"), *NUMBER_ORDER, F("identifier"), name="archive_unit_child_number_idx"),
            models.Index(fields=["parent", "title", "identifier"], name="archive_unit_child_title_idx"),
            models.Index(fields=["parent", "date_start", "identifier"], name="archive_unit_child_date_idx"),
            models.Index(fields=["fonds", "level"], name="archive_unit_fonds_idx"),
            *search_indexes("unit", "title", "title_original"),
            *icontains_indexes("unit", "identifier", "title", "title_original", "number"),
            harvest_index("unit"),
        ]
        constraints = [
            *EditorialModel._meta.constraints,
            *DatedModel._meta.constraints,
            models.CheckConstraint(condition=Q(level__in=Level.values), name="archive_unit_level_valid"),
            models.CheckConstraint(
                condition=(Q(level=Level.FONDS) & Q(parent__isnull=True))
                | (~Q(level=Level.FONDS) & Q(parent__isnull=False)),
                name="archive_unit_fonds_at_top",
                violation_error_message=_("A fonds has no parent; an inventory or a file needs one."),
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, fonds__isnull=True) | Q(parent__isnull=False, fonds__isnull=False),
                name="archive_unit_fonds_derived",
            ),
            models.UniqueConstraint(
                fields=["repository", "parent", "level", "number"],
                condition=~Q(number=""),
                nulls_distinct=False,
                name="archive_unit_number_unique",
                violation_error_message=_("This number is already taken at this place in the repository."),
            ),
        ]

    def __str__(self):
        return f"{self.identifier}: {self.title}"

    def get_absolute_url(self):
        return slug_url("archive:unit-detail", self.slug)

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        parent = self.parent
        if parent.repository_id != self.repository_id:
            message = _("The parent unit is in another repository.")
            raise ValidationError({"parent": ValidationError(message, code="parent_repository")})
        if self.level in Level.values and Level(self.level).rank <= Level(parent.level).rank:
            message = _("A unit at the level “%(level)s” cannot be part of one at the level “%(parent)s”.")
            params = {"level": self.get_level_display(), "parent": parent.get_level_display()}
            raise ValidationError({"parent": ValidationError(message, code="parent_level", params=params)})

    def save(self, *args, **kwargs):
        # Derived field only, as DatedModel derives its dates: true to the parent on every save path.
        self.derive_fonds()
        super().save(*args, **kwargs)

    def derive_fonds(self) -> None:
        """The top of the branch: none for a fonds, else the parent's fonds (or the parent, if it is one)."""
        self.fonds_id = None if self.parent_id is None else (self.parent.fonds_id or self.parent_id)

    def ancestors(self) -> list["Unit"]:
        """From the fonds down to the parent (at most two queries: the tree is three levels deep)."""
        chain, unit = [], self
        while unit.parent_id is not None:
            unit = unit.parent
            chain.append(unit)
        return chain[::-1]
