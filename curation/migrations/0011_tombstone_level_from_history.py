"""The level of each unit deleted before tombstones kept it, read from the unit's history (its last version), so
that a format for one level (EAD3 for fonds, archive/public/oai/) reports those deletions too."""

from django.db import migrations

BACKFILL = """
    UPDATE archive_tombstone tombstone
    SET level = history.level
    FROM (
        SELECT DISTINCT ON (identifier) identifier, level
        FROM curation_historicalunit
        ORDER BY identifier, history_date DESC, history_id DESC
    ) history
    WHERE tombstone.kind = 'unit' AND tombstone.level = '' AND history.identifier = tombstone.identifier
"""


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0010_importbatchrecord_model"),
        ("archive", "0014_tombstone_level"),
    ]

    operations = [migrations.RunSQL(BACKFILL, migrations.RunSQL.noop)]
