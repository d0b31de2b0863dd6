import pytest
from django.db import OperationalError, connections
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_ok(client):
    response = client.get(reverse("ops:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "databases": {"default": "unavailable"}}


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
