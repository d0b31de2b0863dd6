"""Sources deleted outright while public before OAI-PMH came, found in their history, become tombstones, so that
harvesters learn of those deletions too (archive/public/oai/, deletedRecord "persistent")."""

from django.db import migrations

# The last deletion of each identifier whose deleted version was public then: published by the time of the
# deletion, or withdrawn or taken back after it had been (its publication time before its last change).
BACKFILL = """
    INSERT INTO archive_tombstone (kind, identifier, repository_id, fonds_id, deleted_at)
    SELECT DISTINCT ON (h.identifier)
        'source', h.identifier, repository.id,
        CASE WHEN unit.level = 'fonds' THEN unit.id ELSE unit.fonds_id END, h.history_date
    FROM curation_historicalsource h
    LEFT JOIN archive_repository repository ON repository.id = h.repository_id
    LEFT JOIN archive_unit unit ON unit.id = h.unit_id
    WHERE h.history_type = '-'
      AND ((h.status = 'published' AND h.published_at <= h.history_date)
           OR (h.status <> 'published' AND h.published_at <= h.updated_at))
    ORDER BY h.identifier, h.history_date DESC
    ON CONFLICT (kind, identifier) DO NOTHING
"""


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0007_historicalunit"),
        ("archive", "0011_oai_harvest"),
    ]

    operations = [migrations.RunSQL(BACKFILL, migrations.RunSQL.noop)]
