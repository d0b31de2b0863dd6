"""What OAI-PMH keeps of a public record deleted outright, so that harvesters learn of the deletion
(deletedRecord "persistent", archive/public/oai/). A withdrawn record needs none: its row says it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .agents import Repository
from .units import Level


class HarvestKind(models.TextChoices):
    """The kinds of record OAI-PMH serves; the name is part of each record's OAI identifier."""

    UNIT = "unit", _("Fonds, inventory or file")
    SOURCE = "source", _("Source")


class Tombstone(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=HarvestKind.choices)
    identifier = models.CharField(_("identifier"), max_length=64)
    repository = models.ForeignKey(
        Repository, verbose_name=_("repository"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    fonds = models.ForeignKey(
        "archive.Unit",
        verbose_name=_("fonds it was in"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The fonds the record was in, for its OAI-PMH sets (for a fonds: none)."),
    )
    level = models.CharField(
        _("level of description"),
        max_length=16,
        choices=Level.choices,
        blank=True,
        db_default="",  # rows written by SQL (curation's migration 0008) are of sources: no level
        help_text=_("A unit's level, for the OAI-PMH formats that describe one level only (EAD3: fonds)."),
    )
    deleted_at = models.DateTimeField(_("deleted at"))

    class Meta:
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        default_permissions = ()
        indexes = [models.Index(fields=["deleted_at", "id"], name="archive_tombstone_harvest_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=HarvestKind.values), name="archive_tombstone_kind_valid"),
            models.UniqueConstraint(fields=["kind", "identifier"], name="archive_tombstone_one_per_identifier"),
        ]

    def __str__(self):
        return f"{self.kind} {self.identifier} (deleted {self.deleted_at:%Y-%m-%d})"
