"""The stored search vectors exist on PostgreSQL only; SQLite migrates without them."""

import pytest
from django.db import connection

from archive.models import Source

pytestmark = pytest.mark.django_db


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


def test_search_vector_column_only_on_postgresql():
    has_column = "search_vector" in _columns(Source._meta.db_table)
    assert has_column == (connection.vendor == "postgresql")
    assert any(field.name == "search_vector" for field in Source._meta.fields) == has_column


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN and trigram indexes are PostgreSQL's")
def test_gin_indexes_exist_on_postgresql():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Source._meta.db_table)
    assert {"source_search_gin", "source_title_trgm", "source_title_original_trgm"} <= set(constraints)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="generated tsvector columns are PostgreSQL's")
def test_search_vector_follows_edits_without_application_code():
    from tests.factories import SourceFactory

    source = SourceFactory(title="Protocol")
    Source.objects.filter(pk=source.pk).update(title="Telegram")
    assert Source.objects.filter(pk=source.pk, search_vector="telegram").exists()


def test_dumps_carry_no_search_vector_so_they_load_on_either_database():
    from django.core import serializers

    from tests.factories import SourceFactory

    SourceFactory(title="Protocol")
    assert "search_vector" not in serializers.serialize("json", Source.objects.all())
