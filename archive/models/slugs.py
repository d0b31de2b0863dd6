"""The slugs a source or an event had before it was renamed, so that old links still lead to it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FormerSlug(models.Model):
    """Written by the database itself (a trigger on the sources' and events' tables, migration
    0008_former_slugs), so every way of renaming, from the admin, a CSV import or a restore, leaves one; and
    deleted by the database with its record too, since an import's undo deletes without Django's collector."""

    slug = models.SlugField(
        _("former slug"),
        max_length=120,
        db_index=False,
        help_text=_("The address a source or event had before a rename; the old address leads to the new one."),
    )
    source = models.ForeignKey(
        "archive.Source", verbose_name=_("source"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "archive.Event", verbose_name=_("event"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(_("renamed at"), default=timezone.now)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("former slug")
        verbose_name_plural = _("former slugs")
        constraints = [
            models.CheckConstraint(
                condition=Q(source__isnull=False, event__isnull=True) | Q(source__isnull=True, event__isnull=False),
                name="archive_formerslug_one_record",
                violation_error_message=_("A former slug belongs to a source or to an event."),
            ),
            # The latest record to give up a slug keeps it (the trigger's ON CONFLICT).
            models.UniqueConstraint(
                fields=["slug"], condition=Q(source__isnull=False), name="archive_formerslug_source"
            ),
            models.UniqueConstraint(fields=["slug"], condition=Q(event__isnull=False), name="archive_formerslug_event"),
        ]

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return (self.source or self.event).get_absolute_url()
