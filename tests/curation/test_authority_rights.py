"""People, places, subjects, repositories and languages that published records show are published content.

The role-by-role matrix is in test_permission_matrix.py; here the rule's edges and the other ways in (delete,
CSV import)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from archive.models import Agent, AgentRole, Place, SourceAgent, Status
from curation.roles import CURATOR, EDITOR
from curation.transfer.importer import run_import
from tests.factories import AgentFactory, PlaceFactory, SourceFactory

from .conftest import stream

pytestmark = pytest.mark.django_db


def rename(client, agent, name):
    url = reverse("admin:archive_agent_change", args=[agent.pk])
    return client.post(url, {k: v for k, v in model_to_dict(agent).items() if v is not None} | {"name": name})


@pytest.mark.parametrize(
    ("source_state", "read_only"),
    [
        ({"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)}, True),
        ({"status": Status.DRAFT}, False),
        ({"status": Status.REVIEW}, False),
        ({"status": Status.WITHDRAWN}, False),
    ],
    ids=["scheduled", "draft", "review", "withdrawn"],
)
def test_a_scheduled_publication_counts_as_published_content(client, make_member, source_state, read_only):
    # As for the source itself (curation.services.can_edit): the editor approved what will be read at that time.
    agent = AgentFactory(name="Molotov")
    SourceAgent.objects.create(source=SourceFactory(**source_state), agent=agent, role=AgentRole.CREATOR)
    client.force_login(make_member(CURATOR))
    response = rename(client, agent, "Skryabin")
    agent.refresh_from_db()
    assert (response.status_code, agent.name) == ((403, "Molotov") if read_only else (302, "Skryabin"))


def test_a_curator_adds_new_people_even_when_published_records_show_others(client, make_member):
    shown = AgentFactory()
    SourceAgent.objects.create(source=SourceFactory(published=True), agent=shown, role=AgentRole.CREATOR)
    client.force_login(make_member(CURATOR))
    data = {"identifier": "zhukov", "slug": "zhukov", "kind": "person", "name": "Zhukov, Georgy"}
    response = client.post(reverse("admin:archive_agent_add"), data)
    assert response.status_code == 302 and Agent.objects.filter(identifier="zhukov").exists()


@pytest.fixture
def deleter(db):
    """May change and delete places, but publish nothing: a role the groups do not make, to test the rule alone."""
    from tests.factories import UserFactory

    user = UserFactory(username="deleter", is_staff=True)
    codenames = ("view_place", "change_place", "delete_place")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="archive", codename__in=codenames))
    return user


def test_deleting_a_place_published_records_show_takes_the_right_to_publish(client, deleter):
    shown, unused = PlaceFactory(name="Tamsag-Bulak"), PlaceFactory(name="Nowhere")
    SourceFactory(published=True).places.add(shown)
    client.force_login(deleter)
    assert client.post(reverse("admin:archive_place_delete", args=[shown.pk]), {"post": "yes"}).status_code == 403
    # The list's bulk delete action asks the same question of every selected place.
    changelist = reverse("admin:archive_place_changelist")
    action = {"action": "delete_selected", "_selected_action": [shown.pk, unused.pk], "post": "yes"}
    response = client.post(changelist, action)
    assert response.status_code == 403 or "Cannot delete" in response.text
    assert Place.objects.filter(pk=shown.pk).exists()
    client.post(reverse("admin:archive_place_delete", args=[unused.pk]), {"post": "yes"})
    assert not Place.objects.filter(pk=unused.pk).exists()


# --- CSV import: an update by identifier is an edit like any other ---


@pytest.fixture
def curator_who_imports(make_member):
    """A Curator trusted with importing people: may import, still may not publish."""
    user = make_member(CURATOR, username="curator-imports")
    user.user_permissions.add(Permission.objects.get(codename="import_agent"))
    return type(user).objects.get(pk=user.pk)


def test_a_curators_import_may_not_rename_a_person_published_records_show(curator_who_imports):
    shown, unpublished = AgentFactory(identifier="molotov", name="Molotov"), AgentFactory(identifier="beria")
    SourceAgent.objects.create(source=SourceFactory(published=True), agent=shown, role=AgentRole.CREATOR)
    SourceFactory().agent_links.create(agent=unpublished, role=AgentRole.CREATOR)
    data = "identifier,name\r\nberia,Beria L. P.\r\nmolotov,Skryabin\r\n"
    result = run_import("agents", stream(data), user=curator_who_imports)
    assert [(e.line, e.column, e.value) for e in result.errors] == [(3, "name", "Skryabin")]
    assert "published" in result.errors[0].message and "archive.publish_source" in result.errors[0].message
    assert set(Agent.objects.values_list("name", flat=True)) == {"Molotov", unpublished.name}  # nothing written


def test_an_import_that_leaves_a_shown_person_as_it_is_passes(curator_who_imports):
    shown = AgentFactory(identifier="molotov", name="Molotov")
    SourceAgent.objects.create(source=SourceFactory(published=True), agent=shown, role=AgentRole.CREATOR)
    data = "identifier,name\r\nmolotov,Molotov\r\nzhukov,Zhukov\r\n"
    result = run_import("agents", stream(data), user=curator_who_imports)
    assert not result.errors and Agent.objects.filter(identifier="zhukov").exists()


def test_an_editors_import_renames_a_person_published_records_show(make_member):
    shown = AgentFactory(identifier="molotov", name="Molotov")
    SourceAgent.objects.create(source=SourceFactory(published=True), agent=shown, role=AgentRole.CREATOR)
    result = run_import("agents", stream("identifier,name\r\nmolotov,Skryabin\r\n"), user=make_member(EDITOR))
    shown.refresh_from_db()
    assert not result.errors and shown.name == "Skryabin"
