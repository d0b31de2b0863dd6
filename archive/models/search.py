"""Stored full-text search vectors and trigram indexes: PostgreSQL only.

The columns exist only on PostgreSQL. SQLite has no tsvector, so the models declare these fields and
indexes only when the default database is PostgreSQL, and the migration adds them through
`archive.migration_operations.PostgresOnly`; `makemigrations --check` stays clean on both.
"""

import functools
import operator

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, models
from django.db.models import TextField
from django.db.models.functions import Cast

# PostgreSQL's "russian" configuration stems Cyrillic words with the Russian stemmer and Latin words
# with the English one, so one configuration serves the bilingual records.
SEARCH_CONFIG = "russian"
ON_POSTGRES = connection.vendor == "postgresql"


def search_vector_field(*weighted: tuple[str, str]) -> models.GeneratedField:
    """A stored tsvector over (field, weight) pairs, kept current by the database itself."""
    vectors = (SearchVector(name, config=SEARCH_CONFIG, weight=weight) for name, weight in weighted)
    return models.GeneratedField(
        expression=functools.reduce(operator.add, vectors),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
        # Derived data, and absent on SQLite: kept out of fixtures, dumps and saved versions.
        serialize=False,
    )


def search_indexes(table: str, *trigram_fields: str) -> list[GinIndex]:
    """A GIN index on the vector and a trigram GIN index per name field (misspellings, transliteration)."""
    if not ON_POSTGRES:
        return []
    return [
        GinIndex(fields=["search_vector"], name=f"{table}_search_gin"),
        # On the text cast, as Django's trigram lookups write it (`title::text %> 'query'`), so the
        # planner can use the index; an index on the bare varchar column is never chosen.
        *(
            GinIndex(OpClass(Cast(name, TextField()), name="gin_trgm_ops"), name=f"{table}_{name}_trgm")
            for name in trigram_fields
        ),
    ]
