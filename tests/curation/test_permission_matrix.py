"""Anonymous, Curator, Editor and Administrator against every admin URL and every state change.

The expectations are written out as rules here, not derived from the permissions they test.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from archive.models import AgentRole, Language, Repository, Source, SourceAgent, Status
from curation.roles import ADMINISTRATOR, CURATOR, EDITOR
from tests.factories import (
    AgentFactory,
    CommentaryFactory,
    EventFactory,
    LanguageFactory,
    PlaceFactory,
    RepositoryFactory,
    SourceFactory,
    SubjectFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, CURATOR, EDITOR, ADMINISTRATOR]
RECORDS = {"source", "event", "commentary", "unit", "agent", "place", "subject", "repository", "language"}
EDITORIAL = ["source", "event", "commentary", "unit"]


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
        "unit": UnitFactory(),
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
FACTORIES = {"source": SourceFactory, "event": EventFactory, "commentary": CommentaryFactory, "unit": UnitFactory}


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


# --- authorities shown by published records ---
# An authority (person, place, subject, repository, language) has no workflow of its own. Once a published
# source or event shows it, changing it changes what the public reads: only those who may publish (Editor,
# Administrator) may change or delete it. A Curator may change it while nothing published shows it, and may
# always add a new one.
AUTHORITIES = {
    "agent": (AgentFactory, "name"),
    "place": (PlaceFactory, "name"),
    "subject": (SubjectFactory, "term"),
    "repository": (lambda: RepositoryFactory(code="GARF"), "name"),
    "language": (lambda: LanguageFactory(code="mn", name="Mongolian"), "name"),
}
SHOWN_BY = {  # how a published record of each kind names an authority
    ("agent", "source"): lambda source, obj: SourceAgent.objects.create(
        source=source, agent=obj, role=AgentRole.CREATOR
    ),
    ("agent", "event"): lambda event, obj: event.participants.add(obj),
    ("place", "source"): lambda source, obj: source.places.add(obj),
    ("place", "event"): lambda event, obj: event.places.add(obj),
    ("subject", "source"): lambda source, obj: source.subjects.add(obj),
    ("repository", "source"): lambda source, obj: Source.objects.filter(pk=source.pk).update(repository=obj),
    ("language", "source"): lambda source, obj: source.languages.add(obj),
}
AUTHORITY_CASES = [
    *[(model, None) for model in AUTHORITIES],
    *[(model, record) for model, record in SHOWN_BY],
]


def may_change_authority(role: str, shown_by: str | None) -> bool:
    if role == ANONYMOUS:
        return False
    return shown_by is None or role in {EDITOR, ADMINISTRATOR}


def authority(model: str, shown_by: str | None):
    factory, _ = AUTHORITIES[model]
    obj = factory()
    if shown_by is not None:
        record = (SourceFactory if shown_by == "source" else EventFactory)(published=True)
        SHOWN_BY[model, shown_by](record, obj)
    return obj


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "shown_by"), AUTHORITY_CASES, ids=lambda v: v or "unpublished")
def test_changing_an_authority_that_published_records_show(login, role, model, shown_by):
    obj = authority(model, shown_by)
    field = AUTHORITIES[model][1]
    url = reverse(f"admin:archive_{model}_change", args=[obj.pk])
    client = login(role)
    form = client.get(url)
    data = {k: v for k, v in model_to_dict(obj).items() if v is not None} | {field: "Renamed"}
    response = client.post(url, data)
    obj.refresh_from_db()
    if role == ANONYMOUS:
        assert response.url.startswith(reverse("admin:login")) and getattr(obj, field) != "Renamed"
    elif may_change_authority(role, shown_by):
        assert 'name="_save"' in form.text
        assert response.status_code == 302 and getattr(obj, field) == "Renamed"
    else:  # read-only, saying why; a crafted post is refused
        assert form.status_code == 200 and 'name="_save"' not in form.text
        assert "read-only for you" in form.text
        assert response.status_code == 403 and getattr(obj, field) != "Renamed"


RESTORABLE = [
    *[(model, False) for model in ("source", "event", "commentary", "unit", "agent", "place", "subject")],
    *[(model, True) for model in EDITORIAL],  # published: changing the public text takes the right to publish
    *[(model, True) for model in ("agent", "place", "subject")],  # shown by a published source: the same
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("model", "published"), RESTORABLE, ids=lambda v: {True: "published", False: "unpublished"}.get(v, v)
)
def test_restore_from_history(login, role, model, published):
    obj = make_objects()[model]
    first = obj.history.get()
    obj.save()  # a second version to restore from
    if published and model in EDITORIAL:
        type(obj).objects.filter(pk=obj.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    elif published:
        SHOWN_BY[model, "source"](SourceFactory(published=True), obj)
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
@pytest.mark.parametrize("model", ["source", "event", "commentary", "unit", "agent", "place", "subject"])
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
