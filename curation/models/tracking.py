"""History of the records: one historical table per tracked model, kept in this app.

Registered here rather than on the models so the records stay free of curation concerns; the
historical tables and their migrations belong to `curation`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from archive.models import Agent, Commentary, Event, Place, Source, Subject, Unit


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


class TrackedRecords(HistoricalRecords):
    """Keeps each model's recorder at hand, so one save with its links can be recorded once, at the end."""

    by_model: dict[type[models.Model], "TrackedRecords"] = {}

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        if model is not self.cls and "id" in fields:
            # A link table's copy: a link row's own id is never looked up in its history.
            fields["id"].db_index = False
        return fields

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            TrackedRecords.by_model[sender] = self


TRACKED_MODELS = (Source, Event, Commentary, Agent, Place, Subject, Unit)
# Links a curator edits on the record's own form: recorded with it, shown by name, restored with it.
TRACKED_LINKS = {
    Source: ["languages", "places", "subjects", "events", "agents"],  # agents: the people, each with a role
    Event: ["places", "participants"],
    Unit: ["creators", "agents", "places", "subjects", "languages"],
}


def _unindexed(model) -> list[str]:
    """History is looked up by record id, history id and date; the copied fields' own indexes only slow
    every write (ten or so per historical row; an import writes thousands of rows)."""
    names = {f.name for f in model._meta.fields} - {"id"}
    for name in TRACKED_LINKS.get(model, []):
        names |= {f.name for f in model._meta.get_field(name).remote_field.through._meta.fields} - {"id"}
    return sorted(names)


for _model in TRACKED_MODELS:
    register(
        _model,
        app="curation",
        records_class=TrackedRecords,
        bases=[HistoryChannel],
        # Derived columns are not history: the search vector and the rendered HTML.
        excluded_fields=[
            name for name in ("search_vector", "body_html") if name in {f.name for f in _model._meta.fields}
        ],
        m2m_fields=TRACKED_LINKS.get(_model, []),
        no_db_index=_unindexed(_model),
        # Django still nulls the user when an account is deleted; the database need not check each
        # historical row's user as well (an import writes thousands, all by one known user).
        user_db_constraint=False,
    )
