"""History of the records: one historical table per tracked model, kept in this app.

Registered here rather than on the models so the records stay free of curation concerns; the
historical tables and their migrations belong to `curation`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register

from archive.models import Agent, Commentary, Event, Place, Source, Subject


class ChangeChannel(models.TextChoices):
    ADMIN = "admin", _("admin form")
    ACTION = "action", _("admin bulk action")
    SERVICE = "service", _("editorial workflow")
    RESTORE = "restore", _("restore from history")
    IMPORT = "import", _("CSV import")
    SCRIPT = "script", _("script or shell")


class HistoryChannel(models.Model):
    """Through what a change was made: admin form, bulk action, workflow service, import batch, restore."""

    history_via = models.CharField(
        _("through"), max_length=16, choices=ChangeChannel.choices, default=ChangeChannel.SCRIPT
    )
    history_batch = models.CharField(
        _("batch"), max_length=64, blank=True, help_text=_("The import batch or bulk action this change belongs to.")
    )

    class Meta:
        abstract = True


TRACKED_MODELS = (Source, Event, Commentary, Agent, Place, Subject)

for _model in TRACKED_MODELS:
    register(
        _model, app="curation", bases=[HistoryChannel], excluded_fields=["body_html"] if _model is Commentary else []
    )
