"""Trigram indexes for the curators' admin search and autocomplete, on PostgreSQL only.

The admin searches with icontains, which PostgreSQL runs as UPPER("col"::text) LIKE UPPER('%term%'); a GIN
trigram index on exactly that expression turns a scan of a million rows into an index lookup. Every column of
SourceAdmin.search_fields and AgentAdmin.search_fields needs one (an OR with one unindexed column is a full
scan). SQLite has no trigram index: there the search stays a scan. Kept out of the model state on purpose
(the model Meta cannot declare a PostgreSQL-only index without breaking SQLite).
"""

from django.db import migrations

INDEXED = {
    "archive_source": ["identifier", "title", "title_original", "fond", "opis", "delo", "summary"],
    "archive_agent": ["identifier", "name", "name_original", "name_variants"],
}


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}_upper_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in INDEXED.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{index_name(table, column)}" ON "{table}" '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in INDEXED.items():
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_source_performance_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
