"""The public's queries run under a statement timeout: one over it is cancelled and answered 503, and the limit never
stays on the connection for the curator's request or the command that uses it next."""

import csv
import io

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.urls import reverse

from archive.db_routing import public_aliases
from archive.public.views import export
from archive.public.views.pages import HomeView
from tests.factories import SourceFactory

# Committed, as in production: a cancelled query must not abort a test's own transaction around the requests.
pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT_MS = 20  # far below the second pg_sleep(1) takes, so the cancellation never depends on the machine's speed
MESSAGE = "This request took too long and was stopped"


def _show_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def _backend() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def home_probe(monkeypatch, settings):
    """The home page records the statement timeout and the backend it runs under; with ?slow=1 it sleeps a second
    in the database first."""
    settings.OPIS_PUBLIC_STATEMENT_TIMEOUT_MS = TIMEOUT_MS
    seen = []
    original = HomeView.get_context_data

    def probed(self, **kwargs):
        seen.append((_show_timeout(), _backend()))
        if self.request.GET.get("slow"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(1)")
        return original(self, **kwargs)

    monkeypatch.setattr(HomeView, "get_context_data", probed)
    return seen


def test_a_public_query_over_the_limit_is_stopped_with_a_503_page(client, home_probe):
    response = client.get("/", {"slow": "1"})
    assert response.status_code == 503
    assert MESSAGE in response.text and "<h1>Too long to answer</h1>" in response.text
    assert home_probe == [(f"{TIMEOUT_MS}ms", _backend())]


def test_the_503_page_is_translated(client, home_probe):
    response = client.get("/", {"slow": "1"}, headers={"accept-language": "ru"})
    assert response.status_code == 503 and "Запрос выполнялся слишком долго и был остановлен" in response.text


def test_the_limit_ends_with_the_public_request(client, curator, home_probe):
    client.get("/", {"slow": "1"})
    client.get("/")
    # A command (an import) on the same connection afterwards: not limited.
    assert _show_timeout() == "0"
    # A curator's request on the same connection: not limited, and the slow query runs to its end.
    client.force_login(curator)
    response = client.get("/", {"slow": "1"})
    assert response.status_code == 200
    backend = _backend()
    assert home_probe == [(f"{TIMEOUT_MS}ms", backend), (f"{TIMEOUT_MS}ms", backend), ("0", backend)]
    assert _show_timeout() == "0"


def test_no_limit_when_it_is_turned_off(client, home_probe, settings):
    settings.OPIS_PUBLIC_STATEMENT_TIMEOUT_MS = 0
    client.get("/")
    assert home_probe[0][0] == "0"


def test_the_admin_is_not_limited(client, curator, settings, monkeypatch):
    settings.OPIS_PUBLIC_STATEMENT_TIMEOUT_MS = TIMEOUT_MS
    client.force_login(curator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert _show_timeout() == "0"


def test_a_csv_export_over_the_limit_is_a_503_before_the_download_begins(client, settings, monkeypatch):
    settings.OPIS_PUBLIC_STATEMENT_TIMEOUT_MS = TIMEOUT_MS
    SourceFactory(published=True, title="Slow to read")
    original = export.filtered_sources

    def slow(request):
        filterset = original(request)
        filterset._qs = filterset.qs.filter(RawSQL("(SELECT true FROM pg_sleep(1))", [], output_field=BooleanField()))
        return filterset

    monkeypatch.setattr(export, "filtered_sources", slow)
    response = client.get(reverse("archive:source-export"))
    assert response.status_code == 503 and MESSAGE in response.text
    # Within the limit the same export is whole.
    settings.OPIS_PUBLIC_STATEMENT_TIMEOUT_MS = 5000
    monkeypatch.setattr(export, "filtered_sources", original)
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(reverse("archive:source-export"))).decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["Slow to read"]


def test_the_limit_covers_the_read_replica_too(settings):
    settings.PUBLIC_READ_DATABASE = "replica"
    assert public_aliases() == ["default", "replica"]
    settings.PUBLIC_READ_DATABASE = None
    assert public_aliases() == ["default"]


def test_the_facet_index_is_made_free_of_the_limit_which_is_then_put_back(settings):
    from datetime import timedelta

    import numpy as np

    from archive.public.facet_index import FacetIndex, ProcessIndex
    from archive.public.generation import generation

    def slow_build(now):  # a build longer than the limit, as one at a million sources under load
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")
        return FacetIndex(np.zeros(0, dtype=np.int64), {}, {}, generation(), now + timedelta(minutes=5))

    settings.OPIS_FACET_INDEX = True
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {TIMEOUT_MS}")
    try:
        assert ProcessIndex(slow_build).get() is not None
        assert _show_timeout() == f"{TIMEOUT_MS}ms"
        with pytest.raises(Exception, match="statement timeout"), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")  # the same work outside the build: cancelled
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
