"""Drop the single-column index Django gives the owner side of each automatic link table.

Each link table (archive_source_subjects, …) has a unique index on (source_id, subject_id), which serves every
lookup by source_id as well; the separate index on source_id alone is only written, never read, and an import
writes millions of link rows. Django cannot leave it out of an automatic through table, so this migration
drops it from the database (found by its columns, not its generated name) and its reverse puts it back. The
model state is unchanged: nothing ever alters these generated columns.
"""

from django.db import migrations

LINK_TABLES = [
    ("archive_source_languages", "source_id"),
    ("archive_source_places", "source_id"),
    ("archive_source_subjects", "source_id"),
    ("archive_source_events", "source_id"),
    ("archive_event_places", "event_id"),
    ("archive_event_participants", "event_id"),
]


def _single_column_indexes(connection, table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == [column]
    ]


def drop(apps, schema_editor):
    for table, column in LINK_TABLES:
        for name in _single_column_indexes(schema_editor.connection, table, column):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore(apps, schema_editor):
    for table, column in LINK_TABLES:
        if not _single_column_indexes(schema_editor.connection, table, column):
            name = schema_editor.quote_name(f"{table}_{column}_owner")
            schema_editor.execute(f"CREATE INDEX {name} ON {schema_editor.quote_name(table)} ({column})")


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(drop, restore, elidable=False)]
