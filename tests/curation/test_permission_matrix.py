"""Anonymous, Curator, Editor and Administrator against every admin URL and every state change.

The expectations are written out as rules here, not derived from the permissions they test.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from archive.models import Language, Repository, Status
from curation.roles import ADMINISTRATOR, CURATOR, EDITOR
from tests.factories import (
    AgentFactory,
    CommentaryFactory,
    EventFactory,
    PlaceFactory,
    SourceFactory,
    SubjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, CURATOR, EDITOR, ADMINISTRATOR]
RECORDS = {"source", "event", "commentary", "agent", "place", "subject", "repository", "language"}
EDITORIAL = ["source", "event", "commentary"]


def expected(role: str, app: str, model: str, view: str) -> int:
    """HTTP status each role must get: 200 allowed, 403 refused (anonymous: 302 to the login page)."""
    if role == ANONYMOUS:
        return 302
    if app in {"axes", "django_tasks_database"}:
        return 403  # login throttling and task results: superusers only (tests/curation/test_dashboard.py)
    if (app, model) == ("curation", "importbatch"):
        # Every member may read the import log; batches are made by imports and undone, never added or deleted.
        return 403 if view in {"add", "delete"} else 200
    if role == ADMINISTRATOR:
        return 200
    if app == "archive" and model in RECORDS:
        if view == "delete":
            return 200 if role == EDITOR else 403
        return 200
    return 403  # user accounts, groups, login-throttling records: administrators only


def make_objects():
    return {
        "source": SourceFactory(),
        "event": EventFactory(),
        "commentary": CommentaryFactory(),
        "agent": AgentFactory(),
        "place": PlaceFactory(),
        "subject": SubjectFactory(),
        "repository": Repository.objects.first(),
        "language": Language.objects.create(code="mn", name="Mongolian"),
        "user": UserFactory(username="someone"),
        "group": Group.objects.get(name=CURATOR),
    }


@pytest.fixture
def login(client, make_member):
    def as_role(role):
        if role != ANONYMOUS:
            client.force_login(make_member(role))
        return client

    return as_role


REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


def test_the_matrix_covers_every_registered_model():
    labels = {m._meta.label_lower for m in REGISTERED}
    assert {f"archive.{name}" for name in RECORDS} <= labels
    assert {m._meta.app_label for m in REGISTERED} == {"archive", "auth", "axes", "curation", "django_tasks_database"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label_lower)
def test_admin_urls(login, role, model):
    objects = make_objects()
    client = login(role)
    app, name = model._meta.app_label, model._meta.model_name
    views = ["changelist", "add"]
    obj = objects.get(name)
    if obj is not None:
        views += ["change", "history", "delete"]
    for view in views:
        args = [obj.pk] if view in {"change", "history", "delete"} else []
        response = client.get(reverse(f"admin:{app}_{name}_{view}", args=args))
        want = expected(role, app, name, view)
        assert response.status_code == want, f"{role} {view} {name}: {response.status_code}, expected {want}"
        if want == 302:
            assert response.url.startswith(reverse("admin:login"))


ALLOWED_STEPS = {
    ANONYMOUS: set(),
    CURATOR: {"submit"},
    EDITOR: {"submit", "return", "publish", "withdraw"},
    ADMINISTRATOR: {"submit", "return", "publish", "withdraw"},
}
STEPS = {  # step: (state before, state after)
    "submit": (Status.DRAFT, Status.REVIEW),
    "return": (Status.REVIEW, Status.DRAFT),
    "publish": (Status.REVIEW, Status.PUBLISHED),
    "withdraw": (Status.PUBLISHED, Status.WITHDRAWN),
}
FACTORIES = {"source": SourceFactory, "event": EventFactory, "commentary": CommentaryFactory}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", EDITORIAL)
@pytest.mark.parametrize("step", STEPS)
def test_state_changes_through_the_admin(login, role, model, step):
    before, after = STEPS[step]
    extra = {"status": before, "published_at": timezone.now() if before == Status.PUBLISHED else None}
    obj = FACTORIES[model](**extra)
    client = login(role)
    url = reverse(f"admin:archive_{model}_transition", args=[obj.pk, step])
    response = client.post(url, {"reason": "Checked against the inventory", "expected_version": obj.version})
    obj.refresh_from_db()
    if step in ALLOWED_STEPS[role]:
        assert response.status_code == 302 and obj.status == after
    else:
        assert response.status_code in {302, 403} and obj.status == before
        if role == ANONYMOUS:
            assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", [CURATOR, EDITOR, ADMINISTRATOR])
@pytest.mark.parametrize("model", EDITORIAL)
@pytest.mark.parametrize("step", STEPS)
def test_state_changes_as_bulk_actions(login, role, model, step):
    before, after = STEPS[step]
    extra = {"status": before, "published_at": timezone.now() if before == Status.PUBLISHED else None}
    obj = FACTORIES[model](**extra)
    client = login(role)
    client.post(
        reverse(f"admin:archive_{model}_changelist"),
        {"action": f"{step}_selected", "_selected_action": [obj.pk], "confirm": "1", "reason": "Bulk check"},
    )
    obj.refresh_from_db()
    assert obj.status == (after if step in ALLOWED_STEPS[role] else before)


RESTORABLE = [
    *[(model, False) for model in ("source", "event", "commentary", "agent", "place", "subject")],
    *[(model, True) for model in EDITORIAL],  # published: changing the public text takes the right to publish
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("model", "published"), RESTORABLE, ids=lambda v: {True: "published", False: "unpublished"}.get(v, v)
)
def test_restore_from_history(login, role, model, published):
    obj = make_objects()[model]
    first = obj.history.get()
    obj.save()  # a second version to restore from
    if published:
        type(obj).objects.filter(pk=obj.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    client = login(role)
    response = client.post(reverse(f"admin:archive_{model}_restore", args=[obj.pk, first.history_id]))
    restored = obj.history.filter(history_via="restore").exists()
    if role == ANONYMOUS:
        assert response.url.startswith(reverse("admin:login")) and not restored
    elif role == CURATOR and published:
        assert response.status_code == 403 and not restored
    else:
        assert response.status_code == 302 and restored


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", ["source", "event", "commentary", "agent", "place", "subject"])
def test_deleted_records_and_recovery(login, role, model):
    obj = make_objects()[model]
    pk = obj.pk
    obj.delete()
    deletion = type(obj).history.get(id=pk, history_type="-")
    client = login(role)
    listing = client.get(reverse(f"admin:archive_{model}_deleted"))
    response = client.post(reverse(f"admin:archive_{model}_recover", args=[deletion.history_id]))
    recovered = type(obj).objects.filter(pk=pk).exists()
    if role == ANONYMOUS:
        assert listing.url.startswith(reverse("admin:login")) and response.url.startswith(reverse("admin:login"))
        assert not recovered
    else:  # recovering is adding a record again, as a draft: every role may add
        assert listing.status_code == 200 and response.status_code == 302 and recovered
