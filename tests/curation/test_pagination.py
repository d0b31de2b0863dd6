import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import Source
from curation.admin.pagination import EstimatedCountPaginator, estimated_count
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


class SmallThreshold(EstimatedCountPaginator):
    exact_up_to = 5


def test_small_lists_are_counted_exactly():
    SourceFactory.create_batch(4)
    assert EstimatedCountPaginator(Source.objects.all(), 2).count == 4
    assert SmallThreshold(Source.objects.filter(title="Source 0"), 2).count in (0, 1)


def test_large_lists_use_the_table_statistics_not_a_count():
    SourceFactory.create_batch(12)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE archive_source")
    paginator = SmallThreshold(Source.objects.all(), 5)
    assert paginator.count == estimated_count(Source.objects.all()) == 12
    assert paginator.is_estimated
    assert paginator.num_pages == 3


def test_filtered_large_lists_use_the_planner_estimate_and_never_report_fewer_than_counted():
    SourceFactory.create_batch(12, folios="5")
    paginator = SmallThreshold(Source.objects.filter(folios="5"), 5)
    assert paginator.count >= 6


def test_source_changelist_never_counts_the_whole_table(curator_client, monkeypatch):
    SourceFactory.create_batch(12)
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 5)
    with CaptureQueriesContext(connection) as queries:
        response = curator_client.get(reverse("admin:archive_source_changelist"))
    assert response.status_code == 200
    assert isinstance(response.context["cl"].paginator, EstimatedCountPaginator)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the bounded count runs"
    assert all("LIMIT 6" in sql for sql in counts), counts


def test_source_changelist_lists_sources(curator_client):
    SourceFactory.create_batch(3)
    response = curator_client.get(reverse("admin:archive_source_changelist"))
    assert response.context["cl"].result_count == 3
