"""Stored full-text search vectors and the trigram indexes that search and the admin's search use.

The pg_trgm extension these indexes need is created by the first archive migration.
"""

import functools
import operator

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import TextField
from django.db.models.functions import Cast, Upper

# PostgreSQL's "russian" configuration stems Cyrillic words with the Russian stemmer and Latin words
# with the English one, so one configuration serves the bilingual records.
SEARCH_CONFIG = "russian"


def search_vector_field(*weighted: tuple[str, str]) -> models.GeneratedField:
    """A stored tsvector over (field, weight) pairs, kept current by the database itself."""
    vectors = (SearchVector(name, config=SEARCH_CONFIG, weight=weight) for name, weight in weighted)
    return models.GeneratedField(
        expression=functools.reduce(operator.add, vectors),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
        # Derived data: kept out of fixtures, dumps and saved versions.
        serialize=False,
    )


def search_indexes(table: str, *trigram_fields: str) -> list[GinIndex]:
    """A GIN index on the vector and a trigram GIN index per name field (misspellings, transliteration)."""
    return [
        GinIndex(fields=["search_vector"], name=f"{table}_search_gin"),
        # On the text cast, as Django's trigram lookups write it (`title::text %> 'query'`), so the
        # planner can use the index; an index on the bare varchar column is never chosen.
        *(
            GinIndex(OpClass(Cast(name, TextField()), name="gin_trgm_ops"), name=f"{table}_{name}_trgm")
            for name in trigram_fields
        ),
    ]


def icontains_indexes(table: str, *fields: str) -> list[GinIndex]:
    """A trigram GIN index per field on exactly the expression `icontains` compares, `UPPER(col::text)`.

    The admin's search and autocomplete use icontains; with these a search over a million rows is an index
    lookup, not a scan. Every field of a ModelAdmin's search_fields needs one: an OR with a single unindexed
    column scans the table.
    """
    return [
        GinIndex(OpClass(Upper(Cast(name, TextField())), name="gin_trgm_ops"), name=f"{table}_{name}_up_trgm")
        for name in fields
    ]
