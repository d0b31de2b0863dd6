"""The curators' home: their drafts of every kind, changes without repetition, and what is for administrators."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from archive.models import Status
from curation.roles import ADMINISTRATOR, CURATOR, EDITOR
from tests.factories import CommentaryFactory, EventFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_user(make_member):
    return make_member(CURATOR)


def _dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response


def test_my_drafts_lists_sources_events_and_commentary(client, curator_user):
    SourceFactory(title="My source", created_by=curator_user)
    EventFactory(name="My event", created_by=curator_user)
    CommentaryFactory(title="My note", created_by=curator_user)
    EventFactory(name="Someone else's event")
    EventFactory(name="My published event", created_by=curator_user, published=True)
    response = _dashboard(client, curator_user)
    drafts = {(entry.kind, str(entry.record)) for entry in response.context["my_drafts"]}
    assert {(kind, title.split(": ")[-1]) for kind, title in drafts} == {
        ("source", "My source"),
        ("event", "My event"),
        ("commentary", "My note"),
    }
    section = response.text.split('id="my-drafts"')[1].split("</section>")[0]
    assert "My event" in section and "My note" in section and "Event" in section


def test_in_review_lists_every_kind(client, curator_user):
    SourceFactory(title="Waiting source", status=Status.REVIEW)
    CommentaryFactory(title="Waiting note", status=Status.REVIEW)
    response = _dashboard(client, curator_user)
    assert {entry.kind for entry in response.context["in_review"]} == {"source", "commentary"}


NOW = timezone.now()


def _log(user, obj, *, minutes_ago, flag=CHANGE):
    entry = LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        action_flag=flag,
        change_message="[]",
    )
    LogEntry.objects.filter(pk=entry.pk).update(action_time=NOW - timedelta(minutes=minutes_ago))


def test_recent_changes_put_repeated_saves_on_one_line(client, curator_user):
    source, other = SourceFactory(title="Protocol"), SourceFactory(title="Letter")
    _log(curator_user, source, minutes_ago=60)  # earlier, then interrupted by another record
    _log(curator_user, other, minutes_ago=50)
    for minutes in range(12, 0, -1):
        _log(curator_user, source, minutes_ago=minutes)
    response = _dashboard(client, curator_user)
    lines = [(line.entry.object_repr, line.count) for line in response.context["recent_changes"]]
    assert lines == [(str(source), 12), (str(other), 1), (str(source), 1)]
    newest = response.context["recent_changes"][0]
    assert newest.latest - newest.earliest == timedelta(minutes=11)
    section = response.text.split('id="recent"')[1].split("</section>")[0]
    assert section.count("Protocol") == 2 and "12 times" in section


ADMIN_ONLY = ["admin:axes_accessattempt_changelist", "admin:django_tasks_database_dbtaskresult_changelist"]


@pytest.mark.parametrize("role", [CURATOR, EDITOR, ADMINISTRATOR])
def test_login_throttling_and_task_results_are_refused_to_everyone_but_superusers(client, make_member, role):
    member = make_member(role)
    response = _dashboard(client, member)
    apps = {app["app_label"] for app in response.context["app_list"]}
    assert apps.isdisjoint({"axes", "django_tasks_database"})
    for name in ADMIN_ONLY:
        assert client.get(reverse(name)).status_code == 403, name


def test_superusers_see_login_throttling_and_task_results(client):
    AccessAttempt.objects.create(username="someone", ip_address="127.0.0.1", failures_since_start=1)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = _dashboard(client, superuser)
    apps = {app["app_label"] for app in response.context["app_list"]}
    assert {"axes", "django_tasks_database"} <= apps
    for name in ADMIN_ONLY:
        assert client.get(reverse(name)).status_code == 200, name


def test_recent_changes_count_in_russian(client, curator_user):
    source = SourceFactory(title="Протокол")
    for minutes in (3, 2, 1):
        _log(curator_user, source, minutes_ago=minutes)
    client.force_login(curator_user)
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ru")
    section = response.text.split('id="recent"')[1].split("</section>")[0]
    assert "3 раза" in section
