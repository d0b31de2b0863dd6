"""The curators' forms: one message per error, no stamps before there is anything to stamp, help written for
the field it is on, and dates in the history as the admin shows dates."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from archive.models import Commentary, Source, Status
from curation.roles import CURATOR, EDITOR
from curation.services import apply_transition
from tests.factories import RepositoryFactory, SourceFactory

pytestmark = pytest.mark.django_db

STAMPS = ("created_at", "created_by", "updated_at", "updated_by", "version", "published_at")


@pytest.fixture
def curator_user(make_member):
    return make_member(CURATOR)


@pytest.fixture
def client_for(client):
    def signed_in(user):
        client.force_login(user)
        return client

    return signed_in


def _add_source_data(**changes):
    data = {
        "identifier": "RGASPI-1936-1",
        "slug": "protocol-1936",
        "title": "Protocol",
        "repository": RepositoryFactory().pk,
        "document_type": "protocol",
        "originality": "original",
        "form": "typescript",
    }
    for prefix in ("agent_links", "images", "commentary"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


@pytest.mark.parametrize("value", ["весна 1936", "1939-09-16/1939-05-11"])
def test_a_bad_edtf_date_is_reported_once(client_for, curator_user, value):
    response = client_for(curator_user).post(reverse("admin:archive_source_add"), _add_source_data(date_edtf=value))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["date_edtf"]
    assert len(errors) == 1 and value in errors[0]
    assert response.text.count(errors[0]) == 1
    assert not Source.objects.exists()


@pytest.mark.parametrize("model", ["source", "event", "commentary"])
def test_the_add_form_shows_no_stamps(client_for, curator_user, model):
    response = client_for(curator_user).get(reverse(f"admin:archive_{model}_add"))
    shown = {field for fieldset in response.context["adminform"] for line in fieldset for field in line.fields}
    assert shown.isdisjoint(STAMPS)
    for label in ("Created at", "Updated by", "Version", "Published at"):
        assert f">{label}:<" not in response.text


def test_the_change_form_keeps_the_stamps(client_for, curator_user):
    source = SourceFactory(created_by=curator_user)
    response = client_for(curator_user).get(reverse("admin:archive_source_change", args=[source.pk]))
    shown = {field for fieldset in response.context["adminform"] for line in fieldset for field in line.fields}
    assert set(STAMPS) <= shown


def test_commentary_identifier_has_help_of_its_own():
    source_help = str(Source._meta.get_field("identifier").help_text)
    note_help = str(Commentary._meta.get_field("identifier").help_text)
    assert note_help != source_help
    assert "RGASPI" not in note_help and "note" in note_help


def test_commentary_forms_show_the_notes_own_identifier_help(client_for, curator_user):
    response = client_for(curator_user).get(reverse("admin:archive_commentary_add"))
    assert str(Commentary._meta.get_field("identifier").help_text) in response.text
    assert str(Source._meta.get_field("identifier").help_text) not in response.text


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "30 November 2026, 09:31"), ("ru", "30 ноября 2026 г. 9:31")]
)
def test_history_shows_publication_times_as_the_admin_does(client_for, make_member, language, expected):
    editor = make_member(EDITOR)
    source = SourceFactory(status=Status.REVIEW)
    published_at = datetime(2026, 11, 30, 6, 31, 51, 70738, tzinfo=UTC)  # 09:31 in Moscow, the site's time zone
    apply_transition(instance=source, user=editor, name="publish", at=published_at)
    client = client_for(editor)
    response = client.get(reverse("admin:archive_source_history", args=[source.pk]), HTTP_ACCEPT_LANGUAGE=language)
    cell = re.search(r'<tr class="change change-published_at">.*?</tr>', response.text, re.S).group(0)
    assert "2026-11-30 06:31:51" not in cell and "+00:00" not in cell
    with translation.override(language):
        assert expected in cell.replace("\xa0", " ")
