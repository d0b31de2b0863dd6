"""Where the public generation is kept (archive/public/generation.py): a folded total and the changes not yet folded."""

from django.db import models


class PublicGeneration(models.Model):
    """One row (id 1): the total the committed changes have been folded into."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField()

    class Meta:
        db_table = "archive_publicgeneration"  # named in archive/public/generation.py's SQL
        default_permissions = ()

    def __str__(self):
        return str(self.value)


class PublicChange(models.Model):
    """One change to the public records, inserted in the writer's transaction, folded into the total after it
    commits."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        db_table = "archive_publicchange"  # named in archive/public/generation.py's SQL
        default_permissions = ()

    def __str__(self):
        return f"change {self.pk}"
