"""Where the public generation and the changes to the public records are kept (archive/public/generation.py,
archive/public/changes.py): a folded total, the changes not yet folded with the tags of what they changed, and for
each tag the generation at which it last changed."""

from django.contrib.postgres.fields import ArrayField
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
    commits. Its tags name what changed (archive/public/changes.py); a row inserted without tags changed
    everything ('*')."""

    id = models.BigAutoField(primary_key=True)
    # No index on the tags: the table holds only the rows committed and not yet folded (none between changes),
    # which a sequential scan reads faster than an index that every change would have to update.
    tags = ArrayField(models.TextField(), db_default=["*"])

    class Meta:
        db_table = "archive_publicchange"  # named in archive/public/generation.py's SQL
        default_permissions = ()

    def __str__(self):
        return f"change {self.pk}"


class PublicTag(models.Model):
    """A tag (a record, a list of one kind, or '*') and the generation at which a change naming it was folded."""

    tag = models.TextField(primary_key=True)
    changed = models.BigIntegerField(db_index=True)

    class Meta:
        db_table = "archive_publictag"  # named in archive/public/generation.py's and changes.py's SQL
        default_permissions = ()

    def __str__(self):
        return f"{self.tag} at {self.changed}"
