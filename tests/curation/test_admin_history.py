"""Restoring a version from the history: a confirmation page with the differences first, the restore on POST."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive.models import Source, Status
from curation.roles import CURATOR, EDITOR
from tests.curation.test_admin_workflow import change_form_data
from tests.factories import AgentFactory, PlaceFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_user(make_member):
    return make_member(CURATOR, "anna")


@pytest.fixture
def editor_user(make_member):
    return make_member(EDITOR, "vera")


def restore_url(obj, record):
    return reverse(f"admin:archive_{obj._meta.model_name}_restore", args=[obj.pk, record.history_id])


def edited_source(client, **first):
    """A source saved twice: version 1 as created, version 2 with a new title, summary and place."""
    source = SourceFactory(title="Original title", summary="Signed in Moscow.", **first)
    source.places.add(PlaceFactory(name="Moscow"))
    version_1 = source.history.order_by("-history_date", "-history_id").first()  # still version 1, with Moscow
    ulaanbaatar = PlaceFactory(name="Ulaanbaatar")
    client.post(
        reverse("admin:archive_source_change", args=[source.pk]),
        change_form_data(source, title="Mistaken title", summary="", places=[ulaanbaatar.pk]),
    )
    source.refresh_from_db()
    assert source.version == 2
    return source, version_1


def local_time(record):
    return timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")


def test_the_confirmation_shows_each_difference_and_the_version_and_changes_nothing(client, curator_user):
    client.force_login(curator_user)
    source, version_1 = edited_source(client)
    before = source.history.count()
    response = client.get(restore_url(source, version_1))
    assert response.status_code == 200
    html = response.text
    assert f"<h1>Restore version 1, {local_time(version_1)}</h1>" in html
    assert '<li aria-current="page">Restore version 1</li>' in html
    rows = {change.field: (change.old, change.new) for change in response.context["changes"]}
    assert rows == {
        "title": ("Mistaken title", "Original title"),
        "summary": ("", "Signed in Moscow."),
        "places": ("Ulaanbaatar", "Moscow"),
    }
    assert '<del class="value">Mistaken title</del>' in html and '<ins class="value">Original title</ins>' in html
    assert '<del class="value">Ulaanbaatar</del>' in html and '<ins class="value">Moscow</ins>' in html
    assert "the record stays draft" in html
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.version, source.history.count()) == ("Mistaken title", 2, before)


def test_the_restore_is_a_post_with_its_csrf_token(client, curator_user):
    client.force_login(curator_user)
    source, version_1 = edited_source(client)
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator_user)
    url = restore_url(source, version_1)
    assert client.post(url).status_code == 403  # no token: refused by the CSRF check
    assert Source.objects.get(pk=source.pk).title == "Mistaken title"

    page = client.get(url).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(url, {"csrfmiddlewaretoken": token, "expected_version": 2}, follow=True)
    stored = Source.objects.get(pk=source.pk)
    assert f"Version 1, {local_time(version_1)} of “{stored}” is restored" in response.text
    assert (stored.title, stored.summary, stored.version) == ("Original title", "Signed in Moscow.", 3)
    assert list(stored.places.values_list("name", flat=True)) == ["Moscow"]
    record = stored.history.order_by("-history_date", "-history_id").first()
    assert (record.history_via, record.history_user) == ("restore", curator_user)
    assert record.history_change_reason == f"Restored version 1, {local_time(version_1)}"


def test_a_record_changed_after_the_confirmation_was_shown_is_not_restored(client, curator_user, make_member):
    client.force_login(curator_user)
    source, version_1 = edited_source(client)
    url = restore_url(source, version_1)
    client.get(url)
    other = Client()
    other.force_login(make_member(CURATOR, "boris"))
    other.post(reverse("admin:archive_source_change", args=[source.pk]), change_form_data(source, title="Third"))
    response = client.post(url, {"expected_version": 2}, follow=True)
    assert response.redirect_chain[-1][0] == url  # the confirmation again, with the differences as they now are
    assert "Not restored" in response.text and "changed by someone else" in response.text
    assert '<del class="value">Third</del>' in response.text
    assert Source.objects.get(pk=source.pk).title == "Third"


def test_the_history_names_each_version_by_its_number_and_links_to_its_confirmation(client, curator_user):
    client.force_login(curator_user)
    source, version_1 = edited_source(client)
    html = client.get(reverse("admin:archive_source_history", args=[source.pk])).text
    assert f'<a class="restore" href="{restore_url(source, version_1)}">Restore version 1…</a>' in html
    assert '<small class="number">version 2</small>' in html
    assert f'action="{restore_url(source, version_1)}"' not in html  # a restore starts from its confirmation

    place = PlaceFactory(name="Moscow")
    first = place.history.get()
    place.name = "Moskva"
    place.save()  # places have no version counter: their versions are counted
    html = client.get(reverse("admin:archive_place_history", args=[place.pk])).text
    assert '<small class="number">version 2</small>' in html
    page = client.get(restore_url(place, first)).text
    assert f"<h1>Restore version 1, {local_time(first)}</h1>" in page


def test_restoring_a_published_record_takes_the_right_to_publish_and_says_it_goes_live(
    client, curator_user, editor_user
):
    client.force_login(curator_user)
    source, version_1 = edited_source(client)
    Source.objects.filter(pk=source.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    url = restore_url(source, version_1)

    refused = client.get(url)
    assert refused.status_code == 403
    assert "is published: a restored version would go live at once, and that takes the right to publish" in (
        refused.text
    )
    assert 'name="_restore"' not in refused.text and '<ol class="breadcrumbs">' in refused.text
    refused = client.post(url, {"expected_version": 2})
    assert refused.status_code == 403 and "takes the right to publish" in refused.text
    history = client.get(reverse("admin:archive_source_history", args=[source.pk])).text
    assert "takes the right to publish" in history and 'class="restore"' not in history
    assert Source.objects.get(pk=source.pk).title == "Mistaken title"

    client.force_login(editor_user)
    page = client.get(url).text
    assert "the restored version goes live, for the public to read, as soon as you restore it" in page
    client.post(url, {"expected_version": 2})
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.status) == ("Original title", Status.PUBLISHED)


def test_a_version_of_a_record_scheduled_for_publication_says_when_it_goes_live(client, editor_user):
    client.force_login(editor_user)
    source, version_1 = edited_source(client)
    Source.objects.filter(pk=source.pk).update(status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=2))
    assert (
        "is scheduled for publication: the restored version goes live at"
        in client.get(restore_url(source, version_1)).text
    )


def test_who_may_not_change_the_record_is_refused_and_the_version_must_be_its_own(client, make_member):
    viewer = make_member(CURATOR, "viewer")
    viewer.groups.clear()
    viewer.user_permissions.set(Permission.objects.filter(codename__in=["view_source", "view_agent"]))
    source = SourceFactory()
    client.force_login(viewer)
    assert client.get(restore_url(source, source.history.get())).status_code == 403
    assert client.post(restore_url(source, source.history.get())).status_code == 403

    client.force_login(make_member(CURATOR))
    other = AgentFactory()
    response = client.get(
        reverse("admin:archive_source_restore", args=[source.pk, other.history.get().history_id]), follow=True
    )
    assert "That version does not belong to this record." in response.text
    assert client.put(restore_url(source, source.history.get())).status_code == 405
