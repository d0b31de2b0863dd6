"""Units of description through the editorial services: the workflow, its permissions, locking and moving a unit."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from archive.models import Status, Unit
from curation import services
from curation.roles import ADMINISTRATOR, CURATOR, EDITOR
from tests.factories import RepositoryFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(make_member):
    return make_member(CURATOR)


@pytest.fixture
def editor(make_member):
    return make_member(EDITOR)


@pytest.fixture
def tree():
    """Two fonds of one repository: 558 with inventories a and b (a holding a file), 17 with one inventory."""
    stalin = UnitFactory(number="558", title="I. V. Stalin")
    a, b = UnitFactory(parent=stalin), UnitFactory(parent=stalin)
    central = UnitFactory(number="17", title="Central Committee of the Communist Party")
    return {
        "558": stalin,
        "a": a,
        "b": b,
        "file": UnitFactory(parent=a),
        "17": central,
        "c": UnitFactory(parent=central),
    }


def latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def stored(unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


# --- the workflow ---


def test_a_unit_goes_from_draft_through_review_to_publication_and_is_withdrawn(curator, editor):
    fonds = UnitFactory()
    services.apply_transition(instance=fonds, user=curator, name="submit")
    assert stored(fonds).status == Status.REVIEW
    services.apply_transition(instance=fonds, user=editor, name="publish")
    assert Unit.objects.published().filter(pk=fonds.pk).exists()
    services.apply_transition(instance=fonds, user=editor, name="withdraw", reason="Title to be checked")
    assert not Unit.objects.published().filter(pk=fonds.pk).exists()
    assert stored(fonds).version == fonds.version == 4
    record = latest(fonds)
    assert (record.status, record.history_user, record.history_via) == (Status.WITHDRAWN, editor, "service")
    assert record.history_change_reason == "Withdraw: Title to be checked"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(CURATOR, {"submit"}), *((role, {"submit", "return", "publish", "withdraw"}) for role in (EDITOR, ADMINISTRATOR))],
)
def test_who_may_take_which_step_on_a_unit(make_member, role, allowed):
    user = make_member(role)
    before = {"submit": Status.DRAFT, "return": Status.REVIEW, "publish": Status.REVIEW, "withdraw": Status.PUBLISHED}
    for step, status in before.items():
        unit = UnitFactory(published=True) if status == Status.PUBLISHED else UnitFactory(status=status)
        if step in allowed:
            services.apply_transition(instance=unit, user=user, name=step, reason="Checked")
            assert stored(unit).status != status
        else:
            with pytest.raises(PermissionDenied):
                services.apply_transition(instance=unit, user=user, name=step, reason="Checked")
            assert stored(unit).status == status


def test_the_unit_rights_are_given_to_the_groups_that_hold_the_source_rights():
    for role in (CURATOR, EDITOR, ADMINISTRATOR):
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        for action in ("view", "add", "change", "delete", "review", "publish"):
            assert (f"{action}_unit" in codenames) == (f"{action}_source" in codenames), (role, action)


def test_a_step_from_a_stale_version_of_a_unit_is_refused_and_names_the_change(curator):
    unit = UnitFactory(title="Stalin")
    seen = unit.version
    unit.title, unit.version = "I. V. Stalin", unit.version + 1
    unit.save()
    with pytest.raises(services.StaleVersionError) as refused:
        services.apply_transition(instance=unit, user=curator, name="submit", expected_version=seen)
    assert [change.field for change in refused.value.changes] == ["title"]
    assert stored(unit).status == Status.DRAFT


def test_restoring_a_version_of_a_unit_puts_back_its_content_and_links_never_its_state(editor):
    from tests.factories import AgentFactory

    stalin = AgentFactory(name="I. V. Stalin")
    fonds = UnitFactory(title="Stalin")
    fonds.creators.add(stalin)
    fonds.save()  # version with the creator
    first = latest(fonds)
    fonds.title = "Fonds of I. V. Stalin"
    fonds.save()
    fonds.creators.clear()
    Unit.objects.filter(pk=fonds.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    restored = services.restore_version(instance=stored(fonds), history_id=first.history_id, user=editor)
    assert restored.title == "Stalin" and list(restored.creators.all()) == [stalin]
    assert restored.status == Status.PUBLISHED
    assert latest(fonds).history_via == "restore"


# --- moving a unit ---


def test_moving_a_file_to_another_inventory_is_one_edit_in_the_history(tree, curator):
    file = tree["file"]
    records = file.history.count()
    services.unit_move(unit=file, parent=tree["b"], user=curator, expected_version=file.version)
    moved = stored(file)
    assert moved.parent == tree["b"] and moved.fonds == tree["558"]
    assert file.parent == tree["b"] and file.version == moved.version == 2
    assert file.history.count() == records + 1
    record = latest(file)
    assert record.parent_id == tree["b"].pk and record.history_user == curator and record.history_via == "service"
    assert record.history_change_reason == f"Moved from {tree['a'].identifier} to {tree['b'].identifier}"


def test_an_inventory_moving_to_another_fonds_takes_its_files_along(tree, editor):
    services.unit_move(unit=tree["a"], parent=tree["17"], user=editor)
    assert stored(tree["a"]).fonds == tree["17"]
    file = stored(tree["file"])
    assert file.fonds == tree["17"] and file.parent == tree["a"] and file.version == 1  # derived, not edited
    record = latest(file)
    assert record.fonds_id == tree["17"].pk and record.history_change_reason == f"Moved with {tree['a'].identifier}"
    assert set(Unit.objects.filter(fonds=tree["558"])) == {tree["b"]}


def test_a_move_can_be_undone_from_the_history_and_the_branch_follows(tree, editor):
    before = latest(tree["a"])
    services.unit_move(unit=tree["a"], parent=tree["17"], user=editor)
    services.restore_version(instance=stored(tree["a"]), history_id=before.history_id, user=editor)
    assert stored(tree["a"]).parent == tree["558"] and stored(tree["a"]).fonds == tree["558"]
    assert stored(tree["file"]).fonds == tree["558"]
    assert latest(tree["file"]).history_via == "restore"


def test_a_parent_of_another_repository_or_of_a_wrong_level_is_refused(tree, curator):
    garf = UnitFactory(repository=RepositoryFactory(code="GARF", name="State Archive of the Russian Federation"))
    refusals = [
        (tree["file"], garf, "The parent unit is in another repository."),
        (tree["file"], tree["file"], "A unit at the level “File” cannot be part of one at the level “File”."),  # itself
        (
            tree["a"],
            tree["b"],
            "A unit at the level “Inventory (series)” cannot be part of one at the level “Inventory (series)”.",
        ),
        (
            tree["b"],
            tree["file"],
            "A unit at the level “Inventory (series)” cannot be part of one at the level “File”.",
        ),
        (
            tree["558"],
            tree["17"],
            "A unit at the level “Fonds” cannot be part of one at the level “Fonds”.",
        ),  # a fonds has no parent
    ]
    for unit, parent, message in refusals:
        with pytest.raises(ValidationError) as refused:
            services.unit_move(unit=unit, parent=parent, user=curator)
        assert message in refused.value.message_dict["parent"], (unit, parent)
        assert stored(unit).parent_id == unit.parent_id and stored(unit).version == 1


def test_a_move_into_a_place_where_the_number_is_taken_is_refused(tree, curator):
    UnitFactory(parent=tree["b"], number=tree["file"].number)
    with pytest.raises(ValidationError, match="already taken"):
        services.unit_move(unit=tree["file"], parent=tree["b"], user=curator)
    assert stored(tree["file"]).parent == tree["a"]


def test_a_move_from_a_stale_version_is_refused(tree, curator):
    file = tree["file"]
    seen = file.version
    services.unit_move(unit=file, parent=tree["b"], user=curator)
    with pytest.raises(services.StaleVersionError):
        services.unit_move(unit=file, parent=tree["a"], user=curator, expected_version=seen)
    assert stored(file).parent == tree["b"]


def test_moving_a_published_unit_takes_the_right_to_publish(tree, curator, editor):
    Unit.objects.filter(pk=tree["file"].pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    file = stored(tree["file"])
    with pytest.raises(PermissionDenied):
        services.unit_move(unit=file, parent=tree["b"], user=curator)
    assert stored(file).parent == tree["a"]
    services.unit_move(unit=file, parent=tree["b"], user=editor)
    assert stored(file).parent == tree["b"] and stored(file).status == Status.PUBLISHED
