from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from archive.links import slug_url

from .agents import Agent, Place
from .base import (
    DatedModel,
    EditorialModel,
    EditorialQuerySet,
    PlainText,
    editorial_permissions,
    identifier_field,
    slug_field,
)
from .search import search_indexes, search_vector_field


class EventType(models.TextChoices):
    NEGOTIATION = "negotiation", _("Negotiation")
    MEETING = "meeting", _("Meeting")
    TREATY = "treaty", _("Treaty or agreement")
    BATTLE = "battle", _("Battle or military operation")
    DECISION = "decision", _("Decision or decree")
    OTHER = "other", _("Other")


class Event(PlainText, EditorialModel, DatedModel):
    identifier = identifier_field()
    slug = slug_field()
    name = models.CharField(_("name"), max_length=255, help_text=_("Name in English, e.g. Battles of Khalkhin Gol."))
    name_original = models.CharField(
        _("name in the original language"), max_length=255, blank=True, help_text=_("e.g. Бои на Халхин-Голе.")
    )
    event_type = models.CharField(_("type"), max_length=16, choices=EventType.choices, default=EventType.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The larger event this one is a phase of, e.g. the offensive within the battles of Khalkhin Gol."),
    )
    places = models.ManyToManyField(Place, verbose_name=_("places"), blank=True, related_name="events")
    participants = models.ManyToManyField(
        Agent,
        verbose_name=_("participants"),
        blank=True,
        related_name="events",
        help_text=_("People and organisations who took part."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("What happened, for the public."))

    search_vector = search_vector_field(("name", "A"), ("name_original", "A"), ("description", "B"))

    objects = EditorialQuerySet.as_manager()

    class Meta:
        ordering = ["date_start", "name"]
        indexes = search_indexes("event", "name", "name_original")
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = editorial_permissions("event")
        constraints = [
            *EditorialModel._meta.constraints,
            *DatedModel._meta.constraints,
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="archive_event_not_own_parent"),
            models.CheckConstraint(condition=Q(event_type__in=EventType.values), name="archive_event_type_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("archive:event-detail", self.slug)

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An event cannot be part of itself.")})
            ancestor = ancestor.parent
