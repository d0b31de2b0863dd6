"""In a real browser: restoring a version goes through a page that shows what it will change."""

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import Source, Status
from curation.roles import EDITOR
from tests.curation.test_workflow_browser import login
from tests.factories import SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_restores_a_version_of_a_published_source_through_the_confirmation(page, live_server, make_member):
    source = SourceFactory(title="Record of conversation", summary="Signed in Moscow.")
    editor = make_member(EDITOR, "vera")
    login(page, live_server, editor)
    page.goto(live_server.url + reverse("admin:archive_source_change", args=[source.pk]))
    page.fill("#id_title", "Mistaken title")
    page.fill("#id_summary", "")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    Source.objects.filter(pk=source.pk).update(status=Status.PUBLISHED, published_at=timezone.now())

    page.goto(live_server.url + reverse("admin:archive_source_history", args=[source.pk]))
    link = page.locator("tr.version").last.locator("a.restore")
    assert link.inner_text() == "Restore version 1…"
    link.click()
    page.wait_for_selector("#restore-confirm")
    assert page.inner_text("h1").startswith("Restore version 1, ")
    assert "goes live" in page.inner_text(".goes-live")
    assert page.inner_text(".change-title .old") == "Mistaken title"
    assert page.inner_text(".change-title .new") == "Record of conversation"
    assert page.inner_text(".change-summary .new") == "Signed in Moscow."
    assert Source.objects.get(pk=source.pk).title == "Mistaken title"  # looking changes nothing

    page.click("input[name=_restore]")
    page.wait_for_selector(".messagelist .success")
    assert "is restored" in page.inner_text(".messagelist")
    assert "restore from history" in page.locator("tr.version").first.inner_text()
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.summary, stored.status) == ("Record of conversation", "Signed in Moscow.", "published")
