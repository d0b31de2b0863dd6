"""History records: bulk writes through record_bulk_change, and the roles command."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import F

from archive.models import Agent, Source
from curation.history import changed_via, record_bulk_change
from curation.roles import ADMINISTRATOR, CURATOR, EDITOR
from tests.factories import RepositoryFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_bulk_writes_are_recorded_with_the_stored_values():
    user = UserFactory()
    repository = RepositoryFactory()
    created = Source.objects.bulk_create(
        [Source(identifier=f"B-{i}", slug=f"b-{i}", title=f"Bulk {i}", repository=repository) for i in range(3)]
    )
    assert record_bulk_change(instances=created, user=user, via="import", batch="batch-7") == 3
    Source.objects.filter(pk__in=[s.pk for s in created]).update(title="Renamed", version=F("version") + 1)
    assert record_bulk_change(instances=created, user=user, via="import", batch="batch-8", reason="Re-import") == 3

    records = list(created[0].history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert [(r.title, r.version, r.history_batch) for r in records] == [
        ("Bulk 0", 1, "batch-7"),
        ("Renamed", 2, "batch-8"),
    ]
    assert records[1].history_user == user and records[1].history_via == "import"
    assert records[1].history_change_reason == "Re-import"


def test_bulk_records_include_the_links_as_stored():
    from tests.factories import PlaceFactory

    user, moscow = UserFactory(), PlaceFactory(name="Moscow")
    rows = Source.objects.bulk_create(
        [
            Source(identifier=f"L-{i}", slug=f"l-{i}", title=f"Linked {i}", repository=RepositoryFactory())
            for i in range(2)
        ]
    )
    # An import writes the links in bulk too, after the rows (no signals, so no history of its own).
    Source.places.through.objects.bulk_create([Source.places.through(source=rows[0], place=moscow)])
    record_bulk_change(instances=rows, user=user, via="import", batch="9")
    first = rows[0].history.get()
    assert list(first.places.values_list("place", flat=True)) == [moscow.pk]
    assert not rows[1].history.get().places.exists()
    # The next change shows only what it changed, not links "appearing" because the import left none.
    rows[0].title = "Renamed"
    rows[0].save()
    latest = rows[0].history.latest("history_date")
    assert [c.field for c in latest.diff_against(first).changes] == ["title"]


def test_saves_outside_a_request_are_recorded_as_scripts_unless_labelled():
    agent = Agent.objects.create(identifier="a-1", slug="a-1", name="Choibalsan")
    assert agent.history.get().history_via == "script"
    with changed_via("import", batch="42"):
        agent.name = "Choibalsan, Khorloogiin"
        agent.save()
    latest = agent.history.latest("history_date")
    assert (latest.history_via, latest.history_batch) == ("import", "42")


def test_deletions_are_recorded():
    source = SourceFactory()
    pk = source.pk
    source.delete()
    assert Source.history.filter(id=pk).latest("history_date").history_type == "-"


def test_setup_roles_is_idempotent_and_separates_the_roles():
    call_command("setup_roles")
    call_command("setup_roles")
    assert Group.objects.filter(name__in=[CURATOR, EDITOR, ADMINISTRATOR]).count() == 3
    perms = {
        name: set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        for name in (CURATOR, EDITOR, ADMINISTRATOR)
    }
    assert {"change_source", "add_commentary", "export_source"} <= perms[CURATOR]
    assert not {p for p in perms[CURATOR] if p.startswith(("publish_", "review_", "import_"))}
    assert "delete_source" not in perms[CURATOR] and "delete_source" in perms[EDITOR]
    assert {"publish_source", "review_event", "import_commentary", "import_agent"} <= perms[EDITOR]
    assert "change_user" not in perms[EDITOR] and "change_user" in perms[ADMINISTRATOR]
    assert perms[CURATOR] < perms[EDITOR] < perms[ADMINISTRATOR]


def test_create_curator_can_make_an_account_in_a_role(capsys):
    call_command("create_curator", username="anna", role=CURATOR)
    call_command("create_curator")
    out = capsys.readouterr().out
    assert "Curator account created. Username: anna" in out and "Administrator account created" in out
    anna = Group.objects.get(name=CURATOR).user_set.get()
    assert anna.username == "anna" and anna.is_staff and not anna.is_superuser
    assert not anna.has_perm("archive.publish_source") and anna.has_perm("archive.change_source")


def test_the_people_of_a_source_are_recorded_with_their_roles_and_restored_with_them():
    from archive.models import AgentRole
    from curation.history import field_changes, one_record
    from curation.services import restore_version
    from tests.factories import AgentFactory

    stalin, choibalsan = AgentFactory(name="I. V. Stalin"), AgentFactory(name="Kh. Choibalsan")
    source = SourceFactory()
    with one_record(source):
        source.save()
        source.agent_links.create(agent=stalin, role=AgentRole.CREATOR)
    with one_record(source):
        source.version += 1
        source.save()
        source.agent_links.all().delete()
        source.agent_links.create(agent=stalin, role=AgentRole.SIGNATORY)
        source.agent_links.create(agent=choibalsan, role=AgentRole.RECIPIENT)

    *_, first, second = source.history.order_by("history_id")
    (change,) = [c for c in field_changes(second, first) if c.field == "agents"]
    assert change.old == "I. V. Stalin (Creator)"
    assert set(change.new.split("; ")) == {"I. V. Stalin (Signatory)", "Kh. Choibalsan (Recipient)"}

    restore_version(instance=source, history_id=first.history_id, user=UserFactory(is_superuser=True))
    assert list(source.agent_links.values_list("agent__name", "role")) == [("I. V. Stalin", AgentRole.CREATOR)]
    assert source.history.count() == 4  # created, with Stalin, changed, restored: the restore is a version too
