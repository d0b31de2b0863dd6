"""Import batches: the trace every CSV import leaves, and what undoing it needs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportMode(models.TextChoices):
    CREATE = "create", _("Create only")
    UPDATE = "update", _("Update only")
    UPSERT = "upsert", _("Create or update")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the background worker")
    RUNNING = "running", _("Running")
    PREVIEWED = "previewed", _("Previewed (dry run)")
    SUCCEEDED = "succeeded", _("Imported")
    FAILED = "failed", _("Failed, nothing written")
    UNDONE = "undone", _("Undone")


class ImportBatch(models.Model):
    kind = models.CharField(_("kind"), max_length=16, help_text=_("sources, events, commentary, agents…"))
    mode = models.CharField(_("mode"), max_length=8, choices=ImportMode.choices, default=ImportMode.UPSERT)
    dry_run = models.BooleanField(_("dry run"), default=False)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=4, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    # A batch waits until an import takes it up; only run_import marks it running, together with its lease.
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("[line, column, value, message] for each error.")
    )
    failed_rows = models.JSONField(
        _("failing rows"), default=dict, blank=True, help_text=_("The header and the failing rows, for the error CSV.")
    )
    message = models.TextField(_("message"), blank=True)
    progress = models.PositiveIntegerField(_("rows read so far"), default=0)
    expected_rows = models.PositiveIntegerField(
        _("rows in the file"),
        null=True,
        blank=True,
        help_text=_("Its lines after the header, counted before the import: what its progress is measured against."),
    )
    lease_key = models.IntegerField(
        _("lease"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The advisory lock the importing process holds while the batch runs (curation.transfer.lease)."),
    )
    owner = models.CharField(_("importing process"), max_length=255, blank=True, help_text=_("Host and process id."))
    stored_file = models.CharField(
        _("stored upload"), max_length=255, blank=True, help_text=_("Kept until a background preview is confirmed.")
    )
    skip_unchanged = models.BooleanField(_("skip unchanged rows"), default=True)
    encoding_option = models.CharField(_("encoding asked for"), max_length=32, blank=True)
    delimiter_option = models.CharField(_("delimiter asked for"), max_length=8, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=ImportMode.values), name="curation_importbatch_mode_valid"),
            models.CheckConstraint(
                condition=Q(status__in=BatchStatus.values), name="curation_importbatch_status_valid"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind_label} {self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("admin:curation_importbatch_change", args=[self.pk])

    def queued_again(self, *, user, dry_run: bool, expected_rows: int) -> "ImportBatch":
        """A new queued batch of this one's kept file, with its options: a retry, or the real run after a check.

        The file moves to the new batch, so only one batch ever owns it.
        """
        again = ImportBatch.objects.create(
            kind=self.kind,
            user=user,
            file_name=self.file_name,
            mode=self.mode,
            dry_run=dry_run,
            skip_unchanged=self.skip_unchanged,
            encoding_option=self.encoding_option,
            delimiter_option=self.delimiter_option,
            stored_file=self.stored_file,
            expected_rows=expected_rows,
            status=BatchStatus.QUEUED,
        )
        ImportBatch.objects.filter(pk=self.pk).update(stored_file="")
        self.stored_file = ""
        return again

    @property
    def kind_label(self) -> str:
        """The kind of records, named in the interface language (the model's plural name: документы)."""
        from curation.transfer.formats import KINDS  # not at the top: the formats import the archive's models
        from curation.transfer.profiles import PROFILES

        kind = KINDS.get(self.kind)
        if kind:
            return str(kind.model._meta.verbose_name_plural)
        return str(PROFILES[self.kind].label) if self.kind in PROFILES else self.kind


class RecordAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")


class ImportBatchRecord(models.Model):
    """One record a batch wrote, with what undo needs: its version after the import and its values before."""

    # No index of its own: the (batch, action) index serves lookups by batch.
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records", db_index=False)
    object_id = models.BigIntegerField(_("record id"))
    model = models.CharField(
        _("model"),
        max_length=64,
        blank=True,
        db_default="",  # the native kinds' COPY leaves it out
        help_text=_("The record's model (archive.unit) when a batch writes several; empty means the batch's kind."),
    )
    identifier = models.CharField(_("identifier"), max_length=64)
    action = models.CharField(_("action"), max_length=8, choices=RecordAction.choices)
    version = models.PositiveIntegerField(_("version after the import"), null=True, blank=True)
    before = models.JSONField(_("values before"), null=True, blank=True)
    after = models.JSONField(
        _("values after"), null=True, blank=True, help_text=_("Kept for records without a version counter.")
    )

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=RecordAction.values), name="curation_importbatchrecord_action_valid"
            ),
        ]
        indexes = [models.Index(fields=["batch", "action"], name="curation_batchrec_action_idx")]

    def __str__(self):
        return f"{self.identifier} ({self.get_action_display()})"
