"""In a real browser: two curators on one source lose nothing; a draft goes to publication and back."""

import pytest
from django.test import Client
from django.urls import reverse

from archive.models import Source, Status
from curation.roles import CURATOR, EDITOR
from tests.factories import SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")


def test_two_curators_editing_one_source_lose_nothing(page, second_page, live_server, make_member):
    source = SourceFactory(title="Protocol", summary="")
    first, second = make_member(CURATOR, "anna"), make_member(CURATOR, "boris")
    url = live_server.url + reverse("admin:archive_source_change", args=[source.pk])
    login(page, live_server, first)
    login(second_page, live_server, second)
    page.goto(url)
    second_page.goto(url)  # both now hold version 1

    page.fill("#id_title", "Protocol of Mutual Assistance")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    second_page.fill("#id_summary", "Signed in Ulaanbaatar on 12 March 1936.")
    second_page.click("input[name=_continue]")
    error = second_page.wait_for_selector(".errorlist.nonfield")
    assert "Not saved: anna saved this record" in error.inner_text()
    assert "Title “Protocol” → “Protocol of Mutual Assistance”" in error.inner_text()
    assert second_page.input_value("#id_summary") == "Signed in Ulaanbaatar on 12 March 1936."
    assert second_page.input_value("#id_title") == "Protocol of Mutual Assistance"
    assert Source.objects.get(pk=source.pk).summary == ""

    second_page.click("input[name=_continue]")
    second_page.wait_for_selector(".messagelist .success")
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.summary, stored.version) == (
        "Protocol of Mutual Assistance",
        "Signed in Ulaanbaatar on 12 March 1936.",
        3,
    )


def take_step(page, step, reason=None):
    page.click(f"a.workflow-{step}")
    page.wait_for_selector("#workflow-confirm")
    if reason is not None:
        page.fill("#id_reason", reason)
    page.click("input[name=_transition]")
    page.wait_for_selector(".messagelist .success")


def test_a_draft_goes_to_publication_is_withdrawn_and_restored(page, second_page, live_server, make_member):
    source = SourceFactory(title="Record of conversation", slug="record-1934")
    curator, editor = make_member(CURATOR, "anna"), make_member(EDITOR, "vera")
    change = live_server.url + reverse("admin:archive_source_change", args=[source.pk])
    public = source.get_absolute_url()
    anonymous = Client()  # what the public sees: logged-in editors get a preview instead of a 404

    refused = []  # the admin must work under the content security policy: nothing refused
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    login(page, live_server, curator)
    page.goto(change)
    page.fill("#id_title", "Record of the conversation of 27 November 1934")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert page.locator("a.workflow-publish").count() == 0  # a curator is never offered publication
    take_step(page, "submit")

    login(second_page, live_server, editor)
    second_page.goto(change)
    take_step(second_page, "publish")
    assert anonymous.get(public).status_code == 200
    assert "Record of the conversation of 27 November 1934" in anonymous.get(public).text

    second_page.goto(change)
    take_step(second_page, "withdraw", reason="Folios to be checked against the inventory")
    assert anonymous.get(public).status_code == 404  # the editor still sees a preview; the public does not

    # The curator restores the first title from the history; the restore is itself a recorded version.
    page.goto(live_server.url + reverse("admin:archive_source_history", args=[source.pk]))
    history = page.inner_text("#versions")
    assert "Withdraw: Folios to be checked against the inventory" in history
    assert "vera" in history and "anna" in history
    assert "Status\tIn review\tPublished" in history and "Status\tPublished\tWithdrawn" in history
    page.locator("tr.version").last.locator("a.restore").click()
    page.wait_for_selector("#restore-confirm")
    page.click("input[name=_restore]")
    page.wait_for_selector(".messagelist .success")
    first_row = page.locator("tr.version").first
    assert "restore from history" in first_row.inner_text()
    assert "Record of conversation" in first_row.locator(".change-title .new").inner_text()
    stored = Source.objects.get(pk=source.pk)
    assert stored.title == "Record of conversation" and stored.status == Status.WITHDRAWN
    assert refused == []
