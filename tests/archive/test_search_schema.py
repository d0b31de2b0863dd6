"""The stored search vectors and the trigram indexes that the public search and the admin's search use."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory

from archive.models import Agent, Source, Unit

pytestmark = pytest.mark.django_db


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


def test_search_vector_is_a_column_and_a_field():
    assert "search_vector" in _columns(Source._meta.db_table)
    assert any(field.name == "search_vector" for field in Source._meta.fields)


def test_gin_indexes_exist():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Source._meta.db_table)
    assert {"source_search_gin", "source_title_trgm", "source_title_original_trgm"} <= set(constraints)


def test_search_vector_follows_edits_without_application_code():
    from tests.factories import SourceFactory

    source = SourceFactory(title="Protocol")
    Source.objects.filter(pk=source.pk).update(title="Telegram")
    assert Source.objects.filter(pk=source.pk, search_vector="telegram").exists()


def test_dumps_carry_no_search_vector():
    from django.core import serializers

    from tests.factories import SourceFactory

    SourceFactory(title="Protocol")
    assert "search_vector" not in serializers.serialize("json", Source.objects.all())


@pytest.mark.parametrize("model", [Source, Agent, Unit])
def test_the_admin_search_can_use_a_trigram_index_for_every_search_field(model, curator):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/", {"q": "khalkhin"})
    request.user = curator
    queryset, _ = model_admin.get_search_results(request, model.objects.order_by(), "khalkhin")
    with connection.cursor() as cursor:
        # For this transaction only: a plain scan of the few test rows would otherwise be cheaper.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    used = set(re.findall(r"Bitmap Index Scan on (\w+)", plan))
    table = model._meta.model_name
    assert used == {f"{table}_{field}_up_trgm" for field in model_admin.search_fields}, plan
