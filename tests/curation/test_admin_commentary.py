"""Commentary in the admin: a note typed under a new source is saved with it, on the first save."""

import pytest
from django.urls import reverse

from archive.models import Commentary, Source, Status
from curation.roles import CURATOR
from tests.factories import CommentaryFactory, EventFactory, RepositoryFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_user(make_member):
    return make_member(CURATOR, "anna")


def new_source_data(**changes):
    """What the browser posts when a curator fills in the new-source form, without any inline row."""
    data = {
        "identifier": "RGASPI-558-11-123",
        "slug": "record-1934",
        "title": "Record of conversation",
        "repository": RepositoryFactory().pk,
        "document_type": "conversation",
    }
    for prefix in ("agent_links", "images", "commentary"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def note_rows(*notes, initial=0):
    """Inline commentary rows as posted: each a dict of its fields."""
    data = {"commentary-TOTAL_FORMS": len(notes), "commentary-INITIAL_FORMS": initial}
    for i, note in enumerate(notes):
        data.update({f"commentary-{i}-{name}": value for name, value in note.items()})
    return data


NOTE = {"kind": "context", "title": "The setting", "body": "Talks in *Moscow*.", "signature": "A. V. Ivanova"}


def test_a_note_typed_into_the_new_source_form_is_saved_with_it_on_the_first_save(client, curator_user):
    client.force_login(curator_user)
    response = client.post(reverse("admin:archive_source_add"), new_source_data(**note_rows(NOTE)))
    assert response.status_code == 302
    source = Source.objects.get(identifier="RGASPI-558-11-123")
    note = Commentary.objects.get()
    assert note.source == source and note.event is None
    assert (note.title, note.author, note.identifier) == ("The setting", curator_user, "RGASPI-558-11-123-c1")
    assert (note.status, note.created_by, note.updated_by) == (Status.DRAFT, curator_user, curator_user)
    record = note.history.get()
    assert (record.history_type, record.history_user) == ("+", curator_user)


def test_the_new_note_rows_say_identifier_and_author_may_be_left_empty(client, curator_user):
    client.force_login(curator_user)
    html = client.get(reverse("admin:archive_source_add")).text
    assert "Leave empty to have one made from the identifier of the source or event" in html
    assert "leave empty for yourself" in html


def test_a_typed_identifier_and_a_chosen_author_are_kept_and_further_notes_numbered(client, curator_user, make_member):
    other = make_member(CURATOR, "boris")
    client.force_login(curator_user)
    rows = note_rows(
        {**NOTE, "identifier": "my-note", "author": other.pk},
        {**NOTE, "title": "Second"},
        {**NOTE, "title": "Third"},
    )
    response = client.post(reverse("admin:archive_source_add"), new_source_data(**rows))
    assert response.status_code == 302, response.context["inline_admin_formsets"][2].formset.errors
    notes = {note.title: (note.identifier, note.author) for note in Commentary.objects.all()}
    assert notes == {
        "The setting": ("my-note", other),
        "Second": ("RGASPI-558-11-123-c1", curator_user),
        "Third": ("RGASPI-558-11-123-c2", curator_user),
    }


def test_a_note_added_under_an_existing_event_takes_the_next_free_identifier(client, curator_user):
    event = EventFactory(identifier="EV-1936-treaty")
    CommentaryFactory(source=None, event=event, identifier="EV-1936-treaty-c1")
    client.force_login(curator_user)
    data = {
        "identifier": event.identifier,
        "slug": event.slug,
        "name": event.name,
        "event_type": event.event_type,
        "date_edtf": event.date_edtf,
        "date_text": event.date_text,
        "expected_version": event.version,
        **note_rows(NOTE),
    }
    response = client.post(reverse("admin:archive_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    note = Commentary.objects.get(title="The setting")
    assert (note.event, note.identifier, note.author) == (event, "EV-1936-treaty-c2", curator_user)


def test_a_saved_note_keeps_its_identifier_required(client, curator_user):
    source = SourceFactory()
    note = CommentaryFactory(source=source, identifier="kept-id")
    client.force_login(curator_user)
    from tests.curation.test_admin_workflow import change_form_data

    data = change_form_data(source)
    data.update(note_rows({**NOTE, "id": note.pk, "source": source.pk, "identifier": "", "author": ""}, initial=1))
    response = client.post(reverse("admin:archive_source_change", args=[source.pk]), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][2].formset.errors[0]
    assert set(errors) == {"identifier", "author"}
    assert Commentary.objects.get(pk=note.pk).identifier == "kept-id"


def test_a_note_without_a_title_is_refused_and_the_new_source_is_not_saved_either(client, curator_user):
    client.force_login(curator_user)
    response = client.post(reverse("admin:archive_source_add"), new_source_data(**note_rows({**NOTE, "title": ""})))
    assert response.status_code == 200
    assert not Source.objects.exists() and not Commentary.objects.exists()


def test_the_add_form_of_a_note_proposes_the_curator_as_its_author(client, curator_user):
    client.force_login(curator_user)
    form = client.get(reverse("admin:archive_commentary_add")).context["adminform"].form
    assert form.initial["author"] == curator_user.pk
