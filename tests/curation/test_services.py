"""The editorial workflow: who may take which step from which state, and what each step records."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from archive.models import Commentary, Event, Source, Status
from curation import services
from curation.roles import ADMINISTRATOR, CURATOR, EDITOR
from tests.factories import AgentFactory, CommentaryFactory, EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(make_member):
    return make_member(CURATOR)


@pytest.fixture
def editor(make_member):
    return make_member(EDITOR)


def latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_a_draft_goes_through_review_to_publication_and_is_withdrawn(curator, editor):
    source = SourceFactory()
    services.apply_transition(instance=source, user=curator, name="submit")
    assert Source.objects.get(pk=source.pk).status == Status.REVIEW

    services.apply_transition(instance=source, user=editor, name="publish")
    stored = Source.objects.get(pk=source.pk)
    assert stored.status == Status.PUBLISHED and stored.published_at <= timezone.now()
    assert stored.updated_by == editor
    assert Source.objects.published().filter(pk=source.pk).exists()

    services.apply_transition(instance=source, user=editor, name="withdraw", reason="Folio numbers to be checked")
    assert not Source.objects.published().filter(pk=source.pk).exists()
    record = latest(source)
    assert record.history_user == editor
    assert record.history_via == "service"
    assert record.history_change_reason == "Withdraw: Folio numbers to be checked"
    assert record.status == Status.WITHDRAWN


def test_every_step_raises_the_version(curator, editor):
    source = SourceFactory()
    services.apply_transition(instance=source, user=curator, name="submit")
    services.apply_transition(instance=source, user=editor, name="return", reason="Add the folios")
    assert source.version == 3 == Source.objects.get(pk=source.pk).version


@pytest.mark.parametrize(
    "model_factory", [SourceFactory, EventFactory, CommentaryFactory], ids=["source", "event", "commentary"]
)
def test_a_curator_cannot_publish_anything(curator, model_factory):
    obj = model_factory(status=Status.REVIEW)
    with pytest.raises(PermissionDenied):
        services.apply_transition(instance=obj, user=curator, name="publish")
    obj.refresh_from_db()
    assert obj.status == Status.REVIEW and obj.published_at is None


def test_a_curator_cannot_return_or_withdraw(curator):
    source = SourceFactory(status=Status.REVIEW)
    with pytest.raises(PermissionDenied):
        services.apply_transition(instance=source, user=curator, name="return", reason="no")
    published = SourceFactory(published=True)
    with pytest.raises(PermissionDenied):
        services.apply_transition(instance=published, user=curator, name="withdraw", reason="no")


def test_publishing_needs_review_first(editor):
    draft = EventFactory()
    with pytest.raises(services.WorkflowError, match="draft"):
        services.apply_transition(instance=draft, user=editor, name="publish")
    assert Event.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_unknown_step_or_a_record_without_a_workflow_is_refused(editor):
    source = SourceFactory(status=Status.REVIEW)
    with pytest.raises(services.WorkflowError):
        services.apply_transition(instance=source, user=editor, name="archive")
    with pytest.raises(services.WorkflowError):
        services.apply_transition(instance=AgentFactory(), user=editor, name="publish")
    assert Source.objects.get(pk=source.pk).status == Status.REVIEW


def test_only_published_records_can_be_withdrawn(editor):
    note = CommentaryFactory(status=Status.REVIEW)
    with pytest.raises(services.WorkflowError):
        services.apply_transition(instance=note, user=editor, name="withdraw", reason="Wrong target")


@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_and_withdrawing_need_a_reason(editor, reason):
    source = SourceFactory(status=Status.REVIEW)
    with pytest.raises(services.WorkflowError, match="reason"):
        services.apply_transition(instance=source, user=editor, name="return", reason=reason)
    assert Source.objects.get(pk=source.pk).status == Status.REVIEW


def test_scheduled_publication_shows_only_when_its_time_comes(editor):
    source = SourceFactory(status=Status.REVIEW)
    tomorrow = timezone.now() + timedelta(days=1)
    services.apply_transition(instance=source, user=editor, name="publish", at=tomorrow)
    stored = Source.objects.get(pk=source.pk)
    assert stored.status == Status.PUBLISHED and stored.published_at == tomorrow
    assert not Source.objects.published().filter(pk=source.pk).exists()
    Source.objects.filter(pk=source.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert Source.objects.published().filter(pk=source.pk).exists()


def test_a_step_on_a_stale_version_is_refused_and_names_the_change(curator, editor):
    source = SourceFactory(title="Protocol")
    seen = source.version
    source.title = "Protocol of Mutual Assistance"
    source.version += 1
    source.save()
    with pytest.raises(services.StaleVersionError) as refused:
        services.apply_transition(instance=source, user=curator, name="submit", expected_version=seen)
    assert [change.field for change in refused.value.changes] == ["title"]
    assert Source.objects.get(pk=source.pk).status == Status.DRAFT


def test_administrators_may_take_every_step(make_member):
    admin = make_member(ADMINISTRATOR)
    note = CommentaryFactory()
    services.apply_transition(instance=note, user=admin, name="submit")
    services.apply_transition(instance=note, user=admin, name="publish")
    services.apply_transition(instance=note, user=admin, name="withdraw", reason="Superseded")
    assert Commentary.objects.get(pk=note.pk).status == Status.WITHDRAWN


def test_restore_puts_content_back_but_never_the_state(curator, editor):
    source = SourceFactory(title="First title")
    first = latest(source)
    source.title = "Second title"
    source.save()
    services.apply_transition(instance=source, user=curator, name="submit")
    services.apply_transition(instance=source, user=editor, name="publish")

    with pytest.raises(PermissionDenied):  # published content changes only with the right to publish
        services.restore_version(instance=source, history_id=first.history_id, user=curator)
    restored = services.restore_version(instance=source, history_id=first.history_id, user=editor)
    assert restored.title == "First title"
    assert restored.status == Status.PUBLISHED  # restoring content cannot unpublish (or publish)
    record = latest(source)
    assert record.history_via == "restore" and record.history_user == editor
    assert record.history_change_reason.startswith("Restored version 1, ")


def test_restore_of_a_version_of_another_record_is_refused(curator):
    one, other = SourceFactory(), SourceFactory()
    with pytest.raises(services.WorkflowError):
        services.restore_version(instance=one, history_id=latest(other).history_id, user=curator)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_steps_from_one_version_cannot_both_win(make_member):
    import threading

    editor = make_member(EDITOR)
    pk = SourceFactory(status=Status.REVIEW).pk
    barrier, results = threading.Barrier(2), []

    def attempt(step):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            step(Source.objects.get(pk=pk))
            results.append("saved")
        except services.StaleVersionError:
            results.append("refused")
        finally:
            thread_connection.close()

    steps = [
        lambda s: services.apply_transition(instance=s, user=editor, name="publish", expected_version=1),
        lambda s: services.apply_transition(
            instance=s, user=editor, name="return", reason="Not yet", expected_version=1
        ),
    ]
    threads = [threading.Thread(target=attempt, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["refused", "saved"]
    assert Source.objects.get(pk=pk).version == 2


def test_a_new_note_is_given_the_next_free_identifier_made_from_its_target():
    source = SourceFactory(identifier="RGASPI-558-11-123")
    assert services.commentary_identifier(target=source) == "RGASPI-558-11-123-c1"
    CommentaryFactory(source=source, identifier="RGASPI-558-11-123-c1")
    CommentaryFactory(source=source, identifier="RGASPI-558-11-123-c3")
    assert services.commentary_identifier(target=source) == "RGASPI-558-11-123-c2"
    long = SourceFactory(identifier="X" * 64)
    made = services.commentary_identifier(target=long)
    assert made == "X" * 61 + "-c1" and len(made) == 64


def test_publishing_a_source_publishes_the_chosen_notes_with_it_each_with_its_history(editor):
    source = SourceFactory(status=Status.REVIEW)
    chosen, left = (CommentaryFactory(source=source, status=Status.REVIEW) for _ in range(2))
    at = timezone.now() + timedelta(days=1)
    services.apply_transition(instance=source, user=editor, name="publish", at=at, commentary=[chosen.pk])
    chosen.refresh_from_db()
    left.refresh_from_db()
    assert (chosen.status, chosen.published_at, left.status) == (Status.PUBLISHED, at, Status.REVIEW)
    record = latest(chosen)
    assert (record.history_user, record.history_via, record.history_change_reason) == (editor, "service", "Publish")


def test_a_note_that_cannot_be_published_leaves_the_source_unpublished_too(editor, make_member):
    source = SourceFactory(status=Status.REVIEW)
    draft = CommentaryFactory(source=source)
    elsewhere = CommentaryFactory(status=Status.REVIEW)
    for note, error in ((draft, services.WorkflowError), (elsewhere, services.WorkflowError)):
        with pytest.raises(error):
            services.apply_transition(instance=source, user=editor, name="publish", commentary=[note.pk])
        assert Source.objects.get(pk=source.pk).status == Status.REVIEW

    from django.contrib.auth.models import Permission

    sources_only = make_member(CURATOR, "sources-only")
    sources_only.user_permissions.add(Permission.objects.get(codename="publish_source"))
    sources_only = type(sources_only).objects.get(pk=sources_only.pk)
    ready = CommentaryFactory(source=source, status=Status.REVIEW)
    with pytest.raises(PermissionDenied):
        services.apply_transition(instance=source, user=sources_only, name="publish", commentary=[ready.pk])
    assert Source.objects.get(pk=source.pk).status == Status.REVIEW
    assert Commentary.objects.get(pk=ready.pk).status == Status.REVIEW


def test_notes_go_along_only_with_the_publication_of_their_source_or_event(editor):
    source = SourceFactory(published=True)
    note = CommentaryFactory(source=source, status=Status.REVIEW)
    with pytest.raises(services.WorkflowError):
        services.apply_transition(instance=source, user=editor, name="withdraw", reason="Check", commentary=[note.pk])
    assert Source.objects.get(pk=source.pk).status == Status.PUBLISHED
    assert Commentary.objects.get(pk=note.pk).status == Status.REVIEW


def test_an_edit_of_a_published_source_takes_the_right_to_publish_and_leaves_one_history_record(curator, editor):
    source = SourceFactory(title="Old title", status=Status.PUBLISHED, published_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.edit_record(instance=source, user=curator, values={"title": "By a curator"})

    services.edit_record(instance=source, user=editor, values={"title": "New title"}, reason="Typo")

    source.refresh_from_db()
    assert (source.title, source.status, source.version) == ("New title", Status.PUBLISHED, 2)
    record = latest(source)
    assert (record.title, record.history_user, record.history_change_reason) == ("New title", editor, "Typo")


def test_an_edit_from_a_stale_version_or_of_a_workflow_field_is_refused(editor):
    source = SourceFactory(title="Old title")
    services.edit_record(instance=source, user=editor, values={"title": "First"}, expected_version=1)
    with pytest.raises(services.StaleVersionError):
        services.edit_record(instance=source, user=editor, values={"title": "Second"}, expected_version=1)
    with pytest.raises(services.WorkflowError):
        services.edit_record(instance=source, user=editor, values={"status": Status.PUBLISHED})
    source.refresh_from_db()
    assert (source.title, source.status) == ("First", Status.DRAFT)
