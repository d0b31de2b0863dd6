"""The workflow in the admin: buttons, bulk actions, crafted POSTs, the history page and stale saves."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.forms.models import model_to_dict
from django.urls import reverse

from archive.models import Source, Status
from curation.roles import CURATOR, EDITOR
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_user(make_member):
    return make_member(CURATOR)


@pytest.fixture
def editor_user(make_member):
    return make_member(EDITOR)


def change_form_data(source, **changes):
    """What the browser posts when a curator saves the change form of a source."""
    data = {k: v for k, v in model_to_dict(source).items() if v is not None}
    data.update(
        languages=[],
        places=[],
        subjects=[],
        events=[],
        repository=source.repository_id,
        expected_version=source.version,
    )
    for prefix in ("agent_links", "images", "commentary"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def change_url(obj):
    return reverse("admin:archive_source_change", args=[obj.pk])


def test_a_crafted_post_cannot_publish_through_the_change_form(client, curator_user):
    source = SourceFactory()
    client.force_login(curator_user)
    response = client.post(change_url(source), change_form_data(source, status="published", published_at="2026-01-01"))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.status == Status.DRAFT and source.published_at is None


def test_the_change_form_shows_status_read_only(client, curator_user):
    client.force_login(curator_user)
    html = client.get(change_url(SourceFactory())).text
    assert 'name="status"' not in html and 'name="published_at"' not in html


def test_change_form_offers_only_the_steps_the_user_may_take(client, curator_user, editor_user):
    source = SourceFactory(status=Status.REVIEW)
    client.force_login(curator_user)
    html = client.get(change_url(source)).text
    assert "workflow-publish" not in html and "workflow-return" not in html
    client.force_login(editor_user)
    html = client.get(change_url(source)).text
    assert "workflow-publish" in html and "workflow-return" in html


def test_a_curator_posting_to_the_publish_step_is_refused(client, curator_user):
    source = SourceFactory(status=Status.REVIEW)
    client.force_login(curator_user)
    url = reverse("admin:archive_source_transition", args=[source.pk, "publish"])
    assert client.post(url, {"expected_version": source.version}).status_code == 403
    assert Source.objects.get(pk=source.pk).status == Status.REVIEW


def test_an_editor_publishes_from_the_change_form(client, editor_user):
    source = SourceFactory(status=Status.REVIEW)
    client.force_login(editor_user)
    url = reverse("admin:archive_source_transition", args=[source.pk, "publish"])
    assert "Publish at" in client.get(url).text
    response = client.post(url, {"expected_version": source.version}, follow=True)
    assert "is now published" in response.text
    assert Source.objects.published().filter(pk=source.pk).exists()


def test_withdrawing_asks_for_a_reason(client, editor_user):
    source = SourceFactory(published=True)
    client.force_login(editor_user)
    url = reverse("admin:archive_source_transition", args=[source.pk, "withdraw"])
    response = client.post(url, {"reason": "", "expected_version": source.version})
    assert response.status_code == 200 and "This field is required" in response.text
    client.post(url, {"reason": "Rights unclear", "expected_version": source.version})
    assert Source.objects.get(pk=source.pk).status == Status.WITHDRAWN


def test_a_step_from_a_page_loaded_before_another_change_is_refused(client, editor_user):
    source = SourceFactory(status=Status.REVIEW)
    client.force_login(editor_user)
    stale = source.version
    Source.objects.filter(pk=source.pk).update(version=stale + 1)
    url = reverse("admin:archive_source_transition", args=[source.pk, "publish"])
    response = client.post(url, {"expected_version": stale}, follow=True)
    assert "changed by someone else" in response.text
    assert Source.objects.get(pk=source.pk).status == Status.REVIEW


def test_bulk_publish_is_not_offered_to_a_curator_and_refused_if_posted(client, curator_user):
    sources = [SourceFactory(status=Status.REVIEW) for _ in range(2)]
    client.force_login(curator_user)
    changelist = reverse("admin:archive_source_changelist")
    assert "publish_selected" not in client.get(changelist).text
    client.post(changelist, {"action": "publish_selected", ACTION_CHECKBOX_NAME: [s.pk for s in sources]})
    assert not Source.objects.filter(status=Status.PUBLISHED).exists()


def test_bulk_publish_by_an_editor_goes_through_the_service(client, editor_user):
    ready = [SourceFactory(status=Status.REVIEW) for _ in range(2)]
    draft = SourceFactory()
    client.force_login(editor_user)
    changelist = reverse("admin:archive_source_changelist")
    response = client.post(
        changelist, {"action": "publish_selected", ACTION_CHECKBOX_NAME: [s.pk for s in [*ready, draft]]}, follow=True
    )
    assert set(Source.objects.published().values_list("pk", flat=True)) == {s.pk for s in ready}
    assert "Publish: 2 records." in response.text
    assert f"{draft}: " in response.text  # the draft is named, with why it was skipped
    assert ready[0].history.latest("history_date").history_via == "action"


def test_bulk_withdraw_asks_for_a_reason_then_records_it(client, editor_user):
    sources = [SourceFactory(published=True) for _ in range(2)]
    client.force_login(editor_user)
    changelist = reverse("admin:archive_source_changelist")
    data = {"action": "withdraw_selected", ACTION_CHECKBOX_NAME: [s.pk for s in sources]}
    response = client.post(changelist, data)
    assert response.status_code == 200 and 'name="reason"' in response.text
    assert not Source.objects.filter(status=Status.WITHDRAWN).exists()
    client.post(changelist, {**data, "confirm": "1", "reason": "Embargo"})
    assert Source.objects.filter(status=Status.WITHDRAWN).count() == 2
    assert sources[1].history.latest("history_date").history_change_reason == "Withdraw: Embargo"


def test_admin_saves_are_recorded_with_user_channel_and_field_differences(client, curator_user):
    source = SourceFactory(title="Record of conversation")
    client.force_login(curator_user)
    response = client.post(change_url(source), change_form_data(source, title="Record of the conversation"))
    assert response.status_code == 302
    record = source.history.latest("history_date")
    assert (record.history_user, record.history_via, record.version) == (curator_user, "admin", 2)
    html = client.get(reverse("admin:archive_source_history", args=[source.pk])).text
    assert "<del>Record of conversation</del>" in html and "<ins>Record of the conversation</ins>" in html


def test_restore_from_the_history_page_is_itself_recorded(client, curator_user):
    source = SourceFactory(title="Original title")
    first = source.history.get()
    client.force_login(curator_user)
    client.post(change_url(source), change_form_data(source, title="Mistaken title"))
    url = reverse("admin:archive_source_restore", args=[source.pk, first.history_id])
    assert client.get(url).status_code == 200  # the confirmation page; the restore is the POST
    assert Source.objects.get(pk=source.pk).title == "Mistaken title"
    response = client.post(url, follow=True)
    assert "is restored" in response.text
    source.refresh_from_db()
    assert source.title == "Original title" and source.version == 3
    assert source.history.latest("history_date").history_via == "restore"


def test_a_stale_save_is_refused_with_the_changes_and_keeps_the_input(client, curator_user, make_member):
    source = SourceFactory(title="Protocol", summary="Old summary", folios="5")
    other = make_member(CURATOR, username="other")
    loaded = change_form_data(source)  # both curators open the same version

    client.force_login(other)
    theirs = {**loaded, "title": "Protocol of 12 March 1936", "folios": "17"}
    assert client.post(change_url(source), theirs).status_code == 302

    client.force_login(curator_user)
    response = client.post(change_url(source), {**loaded, "summary": "My careful new summary", "folios": "495"})
    assert response.status_code == 200
    html = response.text
    assert "Not saved: other saved this record" in html
    assert "Taken into the form from their save: Title “Protocol” → “Protocol of 12 March 1936”" in html
    assert "You both changed it; the form keeps yours: Folios “5” → “17”" in html
    assert "My careful new summary" in html  # nothing typed is lost
    assert 'value="Protocol of 12 March 1936"' in html  # their change is not undone by an untouched field
    assert 'name="folios" value="495"' in html
    assert 'name="expected_version" value="2"' in html
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.summary, stored.version) == ("Protocol of 12 March 1936", "Old summary", 2)

    # Saving the refused form again is a deliberate choice, made knowing the other change.
    again = {**loaded, "title": "Protocol of 12 March 1936", "summary": "My careful new summary", "folios": "495"}
    assert client.post(change_url(source), {**again, "expected_version": 2}).status_code == 302
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.summary, stored.folios, stored.version) == (
        "Protocol of 12 March 1936",
        "My careful new summary",
        "495",
        3,
    )


def test_commentary_inline_cannot_publish_either(client, curator_user):
    source = SourceFactory()
    client.force_login(curator_user)
    data = change_form_data(source)
    data.update(
        {
            "commentary-TOTAL_FORMS": 1,
            "commentary-0-identifier": "C-inline",
            "commentary-0-kind": "context",
            "commentary-0-title": "A note",
            "commentary-0-body": "Text",
            "commentary-0-signature": "A. V.",
            "commentary-0-author": curator_user.pk,
            "commentary-0-status": "published",
            "commentary-0-published_at_0": "2026-01-01",
            "commentary-0-published_at_1": "00:00",
        }
    )
    assert client.post(change_url(source), data).status_code == 302
    note = source.commentary.get()
    assert (note.status, note.published_at, note.created_by) == (Status.DRAFT, None, curator_user)
    assert note.history.get().history_user == curator_user


def test_a_relation_changed_by_someone_else_is_named_and_taken_into_the_form(client, curator_user, make_member):
    from archive.models import Repository

    source = SourceFactory()
    other_archive = Repository.objects.create(code="GARF", name="State Archive of the Russian Federation")
    loaded = change_form_data(source)
    client.force_login(make_member(CURATOR, username="other"))
    client.post(change_url(source), {**loaded, "repository": other_archive.pk})

    client.force_login(curator_user)
    html = client.post(change_url(source), {**loaded, "summary": "Mine"}).text
    assert "Repository “RGASPI: Russian State Archive" in html and "→ “GARF: State Archive" in html
    history = client.get(reverse("admin:archive_source_history", args=[source.pk])).text
    assert "<ins>GARF: State Archive of the Russian Federation</ins>" in history


def test_an_editor_schedules_publication_from_the_admin(client, editor_user):
    source = SourceFactory(status=Status.REVIEW)
    client.force_login(editor_user)
    url = reverse("admin:archive_source_transition", args=[source.pk, "publish"])
    client.post(url, {"at": "2099-03-12T10:00", "expected_version": source.version})
    stored = Source.objects.get(pk=source.pk)
    assert stored.status == Status.PUBLISHED and stored.published_at.year == 2099
    assert not Source.objects.published().filter(pk=source.pk).exists()
    client.logout()  # the editor would see a preview; the public must not see it yet
    assert client.get(stored.get_absolute_url()).status_code == 404


def test_a_save_with_its_links_is_one_version_showing_the_links_by_name(client, curator_user):
    from tests.factories import PlaceFactory

    source = SourceFactory()
    moscow, ulaanbaatar = PlaceFactory(name="Moscow"), PlaceFactory(name="Ulaanbaatar")
    client.force_login(curator_user)
    client.post(change_url(source), change_form_data(source, places=[moscow.pk, ulaanbaatar.pk], title="Linked"))
    assert source.history.count() == 2  # created, then this one save
    html = client.get(reverse("admin:archive_source_history", args=[source.pk])).text
    assert "<ins>Moscow; Ulaanbaatar</ins>" in html and "<ins>Linked</ins>" in html


def test_restore_brings_back_the_links(client, curator_user):
    from tests.factories import PlaceFactory

    source = SourceFactory()
    moscow, ulaanbaatar = PlaceFactory(name="Moscow"), PlaceFactory(name="Ulaanbaatar")
    client.force_login(curator_user)
    client.post(change_url(source), change_form_data(source, places=[moscow.pk]))
    with_moscow = source.history.latest("history_date")
    source.refresh_from_db()
    client.post(change_url(source), change_form_data(source, places=[ulaanbaatar.pk]))
    client.post(reverse("admin:archive_source_restore", args=[source.pk, with_moscow.history_id]))
    assert list(source.places.all()) == [moscow]
    latest = source.history.latest("history_date")
    assert latest.history_via == "restore" and list(latest.places.values_list("place", flat=True)) == [moscow.pk]


def test_links_someone_else_changed_are_taken_into_a_refused_form(client, curator_user, make_member):
    from tests.factories import PlaceFactory

    source = SourceFactory()
    moscow = PlaceFactory(name="Moscow")
    loaded = change_form_data(source)
    client.force_login(make_member(CURATOR, username="other"))
    client.post(change_url(source), {**loaded, "places": [moscow.pk]})
    client.force_login(curator_user)
    html = client.post(change_url(source), {**loaded, "summary": "Mine"}).text
    assert "Taken into the form from their save: Places “” → “Moscow”" in html
    assert f'<option value="{moscow.pk}" selected>Moscow</option>' in html


def test_published_content_is_read_only_for_a_curator(client, curator_user, editor_user):
    source = SourceFactory(published=True, title="Published title")
    client.force_login(curator_user)
    page = client.get(change_url(source))
    assert page.status_code == 200 and 'name="title"' not in page.text
    assert "it is read-only for you" in page.text
    assert client.post(change_url(source), change_form_data(source, title="Changed live")).status_code == 403
    first = source.history.get()
    restore = reverse("admin:archive_source_restore", args=[source.pk, first.history_id])
    assert client.post(restore).status_code == 403
    assert Source.objects.get(pk=source.pk).title == "Published title"

    client.force_login(editor_user)
    assert client.post(change_url(source), change_form_data(source, title="Corrected title")).status_code == 302
    assert Source.objects.get(pk=source.pk).title == "Corrected title"


def test_a_published_note_under_a_draft_source_cannot_be_changed_inline_by_a_curator(client, curator_user):
    from tests.factories import CommentaryFactory

    source = SourceFactory()
    note = CommentaryFactory(
        source=source, body="Checked text", status=Status.PUBLISHED, published_at="2026-01-01T00:00Z"
    )
    client.force_login(curator_user)
    data = change_form_data(source)
    data.update(
        {
            "commentary-TOTAL_FORMS": 1,
            "commentary-INITIAL_FORMS": 1,
            "commentary-0-id": note.pk,
            "commentary-0-source": source.pk,
            "commentary-0-identifier": note.identifier,
            "commentary-0-kind": note.kind,
            "commentary-0-title": note.title,
            "commentary-0-body": "Rewritten live",
            "commentary-0-signature": note.signature,
            "commentary-0-author": note.author_id,
        }
    )
    response = client.post(change_url(source), data)
    assert response.status_code == 200 and "is published; only an editor may change it" in response.text
    note.refresh_from_db()
    assert note.body == "Checked text"


def test_a_choice_changed_by_someone_else_is_taken_by_its_code(client, curator_user, make_member):
    source = SourceFactory(document_type="other")
    loaded = change_form_data(source)
    client.force_login(make_member(CURATOR, username="other"))
    client.post(change_url(source), {**loaded, "document_type": "protocol"})
    client.force_login(curator_user)
    html = client.post(change_url(source), {**loaded, "summary": "Mine"}).text
    assert "Taken into the form from their save: Document type “Other” → “Protocol”" in html
    assert '<option value="protocol" selected>' in html


def test_a_deleted_source_is_listed_and_recovered_as_a_draft_with_its_links(client, editor_user):
    from tests.factories import PlaceFactory

    source = SourceFactory(published=True, title="Deleted by mistake")
    moscow = PlaceFactory(name="Moscow")
    source.places.add(moscow)
    client.force_login(editor_user)
    changelist = client.get(reverse("admin:archive_source_changelist")).text
    assert reverse("admin:archive_source_deleted") in changelist
    client.post(reverse("admin:archive_source_delete", args=[source.pk]), {"post": "yes"})
    assert not Source.objects.filter(pk=source.pk).exists()

    listing = client.get(reverse("admin:archive_source_deleted")).text
    assert "Deleted by mistake" in listing
    deletion = Source.history.filter(id=source.pk, history_type="-").get()
    assert client.get(reverse("admin:archive_source_recover", args=[deletion.history_id])).status_code == 405
    response = client.post(reverse("admin:archive_source_recover", args=[deletion.history_id]))
    assert response.status_code == 302
    recovered = Source.objects.get(pk=source.pk)
    assert (recovered.title, recovered.status, recovered.published_at) == ("Deleted by mistake", Status.DRAFT, None)
    assert list(recovered.places.all()) == [moscow]
    latest = recovered.history.latest("history_date")
    assert (latest.history_via, latest.history_user, latest.history_type) == ("restore", editor_user, "+")
    assert 'class="deleted-record"' not in client.get(reverse("admin:archive_source_deleted")).text


def test_recovering_a_record_that_exists_is_refused(client, editor_user):
    source = SourceFactory()
    client.force_login(editor_user)
    created = source.history.get()
    response = client.post(reverse("admin:archive_source_recover", args=[created.history_id]), follow=True)
    assert "Not recovered: That record is not deleted." in response.text


def test_a_long_history_is_shown_a_page_at_a_time(client, curator_user):
    source = SourceFactory(title="v0")
    for n in range(1, 55):
        source.title = f"v{n}"
        source.save()
    client.force_login(curator_user)
    url = reverse("admin:archive_source_history", args=[source.pk])
    first = client.get(url).text
    assert first.count('class="version"') == 50 and 'class="older"' in first
    assert "<del>v49</del>" in first and "<ins>v5</ins>" in first  # the oldest row on the page shows its diff
    second = client.get(url, {"page": 2}).text
    assert second.count('class="version"') == 5 and 'class="older"' not in second
    assert "First recorded version" in second and second.count('class="restore"') == 5


def publish_url(obj):
    return reverse(f"admin:archive_{obj._meta.model_name}_transition", args=[obj.pk, "publish"])


def test_publishing_a_source_offers_its_commentary_in_review_and_names_what_stays_unpublished(client, editor_user):
    from tests.factories import CommentaryFactory

    source = SourceFactory(status=Status.REVIEW)
    ready = CommentaryFactory(source=source, status=Status.REVIEW, title="Ready note")
    draft = CommentaryFactory(source=source, title="Unfinished note")
    CommentaryFactory(source=source, status=Status.PUBLISHED, published_at="2026-01-01T00:00Z", title="Published note")
    client.force_login(editor_user)
    html = client.get(publish_url(source)).text
    assert f'<input type="checkbox" name="commentary" value="{ready.pk}"' in html
    assert f'value="{draft.pk}"' not in html
    stays = html[html.index('class="form-row notes-left"') :]
    assert "Unfinished note" in stays and "Published note" not in stays and "Ready note" not in stays


def test_only_the_chosen_commentary_is_published_with_the_source_each_with_its_history(client, editor_user):
    from archive.models import Commentary
    from tests.factories import CommentaryFactory

    source = SourceFactory(status=Status.REVIEW)
    chosen, left = (CommentaryFactory(source=source, status=Status.REVIEW) for _ in range(2))
    client.force_login(editor_user)
    response = client.post(
        publish_url(source), {"commentary": [chosen.pk], "expected_version": source.version}, follow=True
    )
    assert f"Published with it: “{chosen.title}”." in response.text
    source.refresh_from_db()
    chosen.refresh_from_db()
    assert source.status == chosen.status == Status.PUBLISHED and chosen.published_at == source.published_at
    assert Commentary.objects.get(pk=left.pk).status == Status.REVIEW
    record = chosen.history.order_by("-history_date", "-history_id").first()
    assert (record.history_user, record.history_via, record.history_change_reason) == (editor_user, "admin", "Publish")
    assert len(left.history.all()) == 1  # untouched: only its creation


def test_a_crafted_choice_of_another_sources_note_publishes_nothing(client, editor_user):
    from archive.models import Commentary
    from tests.factories import CommentaryFactory

    source = SourceFactory(status=Status.REVIEW)
    CommentaryFactory(source=source, status=Status.REVIEW)  # its own note, so the choice is offered
    elsewhere = CommentaryFactory(status=Status.REVIEW)
    client.force_login(editor_user)
    response = client.post(publish_url(source), {"commentary": [elsewhere.pk], "expected_version": source.version})
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert Source.objects.get(pk=source.pk).status == Status.REVIEW
    assert Commentary.objects.get(pk=elsewhere.pk).status == Status.REVIEW


def test_a_user_who_may_not_publish_commentary_is_not_offered_it(client, make_member):
    from django.contrib.auth.models import Permission

    from archive.models import Commentary
    from tests.factories import CommentaryFactory

    user = make_member(CURATOR, "sources-only")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["publish_source", "review_source"]))
    source = SourceFactory(status=Status.REVIEW)
    note = CommentaryFactory(source=source, status=Status.REVIEW, title="Ready note")
    client.force_login(user)
    html = client.get(publish_url(source)).text
    assert 'name="commentary"' not in html
    assert "publishing commentary takes the right to publish commentary" in html and "Ready note" in html
    client.post(publish_url(source), {"commentary": [note.pk], "expected_version": source.version})
    assert Source.objects.get(pk=source.pk).status == Status.PUBLISHED
    assert Commentary.objects.get(pk=note.pk).status == Status.REVIEW


def test_publishing_an_event_offers_its_commentary_too(client, editor_user):
    from tests.factories import CommentaryFactory, EventFactory

    event = EventFactory(status=Status.REVIEW)
    note = CommentaryFactory(source=None, event=event, status=Status.REVIEW)
    client.force_login(editor_user)
    client.post(publish_url(event), {"commentary": [note.pk], "expected_version": event.version})
    note.refresh_from_db()
    assert note.status == Status.PUBLISHED
