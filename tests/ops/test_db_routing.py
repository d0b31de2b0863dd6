from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings
from django.urls import resolve

from archive.db_routing import PublicReadReplicaRouter, PublicReadsMiddleware, _public_read, reading_public
from archive.models import Source

router = PublicReadReplicaRouter()


def route(path, method="get", user=None):
    """Run the middleware around a view that records where the router sends reads."""
    request = getattr(RequestFactory(), method)(path)
    request.user = user or AnonymousUser()
    seen = {}

    def view_stage(req):
        middleware.process_view(req, None, (), {})
        seen["source"] = router.db_for_read(Source)
        seen["user"] = router.db_for_read(get_user_model())
        seen["write"] = router.db_for_write(Source)
        return None

    middleware = PublicReadsMiddleware(view_stage)
    request.resolver_match = resolve(path)
    middleware(request)
    return seen


@override_settings(PUBLIC_READ_DATABASE="replica")
def test_public_get_reads_records_from_the_replica_and_writes_to_the_primary():
    assert route("/sources/") == {"source": "replica", "user": None, "write": "default"}


@override_settings(PUBLIC_READ_DATABASE="replica")
def test_the_admin_a_post_and_a_curator_stay_on_the_primary():
    staff = get_user_model()(username="c", is_staff=True)
    assert route("/curation/")["source"] is None
    assert route("/sources/", method="post")["source"] is None
    assert route("/sources/", user=staff)["source"] is None


def test_without_a_replica_setting_everything_reads_from_the_primary():
    assert route("/sources/")["source"] is None


@override_settings(PUBLIC_READ_DATABASE="replica")
def test_the_public_mark_ends_with_the_request():
    route("/sources/")
    assert reading_public() is False
    assert router.db_for_read(Source) is None


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "archive") is None
    assert router.allow_migrate("replica", "archive") is False


# -- a replica behind the primary, or down: that request reads from the primary -----------------------------


def _begin_with(monkeypatch, replica_generation):
    """Where a public request's records come from when the primary is at generation 7 and the replica at
    `replica_generation` (an exception: the replica does not answer)."""
    from django.db import OperationalError

    from archive.public import generation

    def read(alias="default"):
        if alias == "default":
            return 7
        if replica_generation is None:
            raise OperationalError("connection refused")
        return replica_generation

    monkeypatch.setattr(generation, "read", read)
    with generation.request_scope():
        seen = {"generation": generation.begin(public=True)}
        token = _public_read.set(True)
        seen["source"] = router.db_for_read(Source)
        _public_read.reset(token)
    seen["after"] = router.db_for_read(Source)
    return seen


@override_settings(PUBLIC_READ_DATABASE="replica")
def test_a_replica_that_has_replayed_the_primarys_generation_serves_the_request(monkeypatch):
    assert _begin_with(monkeypatch, 7) == {"generation": 7, "source": "replica", "after": None}
    assert _begin_with(monkeypatch, 9)["source"] == "replica"


@override_settings(PUBLIC_READ_DATABASE="replica")
def test_a_replica_behind_the_primary_or_down_is_passed_over_for_that_request_only(monkeypatch):
    assert _begin_with(monkeypatch, 6) == {"generation": 7, "source": None, "after": None}
    assert _begin_with(monkeypatch, None) == {"generation": 7, "source": None, "after": None}
    assert _begin_with(monkeypatch, 7)["source"] == "replica"  # the next request may use it again
