"""The curators' forms and home in a real browser: the slug follows the title under the site's CSP with a clean
console, title fields use the form's width on a desktop and a phone, and the home lists what a curator needs.

The tests save screenshots of these pages through the screenshot fixture (docs/screenshots with `make screenshots`)."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from archive.models import Source
from curation.demo import load_demo
from curation.roles import CURATOR
from tests.factories import CommentaryFactory, EventFactory, SourceFactory

from .browser_helpers import signed_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def curator_user(make_member):
    return make_member(CURATOR)


def _console(page) -> list[str]:
    """Every error and warning the page writes to the console (a CSP refusal is one), and uncaught errors."""
    messages = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in {"error", "warning"} else None)
    page.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
    return messages


@pytest.mark.parametrize(
    ("locale", "model", "typed", "slug"),
    [
        ("en-GB", "source", "Protocol of the meeting, 12 March 1936", "protocol-of-the-meeting-12-march-1936"),
        ("ru-RU", "source", "Протокол заседания", "protokol-zasedaniya"),
        ("en-GB", "event", "Battles of Khalkhin Gol", "battles-of-khalkhin-gol"),
        ("en-GB", "place", "Ulaanbaatar", "ulaanbaatar"),
    ],
)
def test_the_slug_follows_the_title_under_the_sites_csp(browser, live_server, curator_user, locale, model, typed, slug):
    context = signed_in_context(browser, live_server, curator_user, locale=locale)
    try:
        page = context.new_page()
        console = _console(page)
        page.goto(live_server.url + reverse(f"admin:archive_{model}_add"))
        title = "#id_title" if model == "source" else "#id_name"
        page.click(title)
        page.keyboard.type(typed)
        assert page.input_value("#id_slug") == slug
        assert console == []
    finally:
        context.close()


def _width(page, selector: str) -> float:
    return page.locator(selector).bounding_box()["width"]


@pytest.fixture
def draft(curator_user):
    """A draft of the demo collection a curator may edit, with a note under it."""
    load_demo()
    source = Source.objects.get(identifier="DEMO-1935-03-23-CER-AGREEMENT")
    CommentaryFactory(source=source, title="Context of the talks", author=curator_user, created_by=curator_user)
    return source


def test_title_fields_use_the_forms_width_on_a_desktop(browser, live_server, curator_user, draft, screenshot):
    source = draft
    context = signed_in_context(browser, live_server, curator_user, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("admin:archive_source_add"))
        form = _width(page, "fieldset.module.aligned >> nth=0")
        for field in ("#id_title", "#id_title_original", "#id_summary", "#id_transcription"):
            assert _width(page, field) >= min(0.8 * form, 600), field
        assert _width(page, "#id_identifier") < 400  # codes keep a code's width
        screenshot(page, "admin-source-add-1366")
        page.goto(live_server.url + reverse("admin:archive_source_change", args=[source.pk]))
        assert _width(page, "#id_title") >= 600
        assert _width(page, "#id_commentary-0-title") >= 600  # a note under the source, too
        screenshot(page, "admin-source-change-1366")
    finally:
        context.close()


def test_title_fields_fit_a_phone(browser, live_server, curator_user, draft, screenshot):
    source = draft
    context = signed_in_context(browser, live_server, curator_user, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("admin:archive_source_add"))
        for field in ("#id_title", "#id_summary"):
            box = page.locator(field).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], field
            assert box["width"] >= 0.75 * PHONE["width"], field
        screenshot(page, "admin-source-add-390")
        page.goto(live_server.url + reverse("admin:archive_source_change", args=[source.pk]))
        for field in ("#id_title", "#id_commentary-0-title", "#id_commentary-0-body"):
            box = page.locator(field).bounding_box()
            assert box["x"] + box["width"] <= PHONE["width"], field
        screenshot(page, "admin-source-change-390")
    finally:
        context.close()


def test_the_curators_home(browser, live_server, curator_user, screenshot):
    load_demo()
    source = SourceFactory(title="Protocol of the meeting", created_by=curator_user)
    EventFactory(name="Talks in Moscow", created_by=curator_user)
    CommentaryFactory(title="Context of the talks", created_by=curator_user)
    now = timezone.now()
    for minutes in range(12, 0, -1):
        entry = LogEntry.objects.create(
            user=curator_user,
            content_type=ContentType.objects.get_for_model(Source),
            object_id=str(source.pk),
            object_repr=str(source),
            action_flag=CHANGE,
            change_message="[]",
        )
        LogEntry.objects.filter(pk=entry.pk).update(action_time=now - timedelta(minutes=minutes))
    for viewport, name in ((DESKTOP, "admin-dashboard-1366"), (PHONE, "admin-dashboard-390")):
        context = signed_in_context(browser, live_server, curator_user, viewport=viewport)
        try:
            page = context.new_page()
            page.goto(live_server.url + reverse("admin:index"))
            drafts = page.locator("#my-drafts + ul li").all_inner_texts()
            assert [text.split(" (")[0] for text in drafts] == [
                "Commentary · Context of the talks",
                "Event · Talks in Moscow",
                f"Source · {source}",
            ]
            changes = page.locator(".recent-changes li").all_inner_texts()
            assert len(changes) == 1 and changes[0].endswith("12 times")
            assert page.get_by_role("link", name="Access attempts").count() == 0
            screenshot(page, name)
        finally:
            context.close()
