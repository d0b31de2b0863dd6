"""The public site in a real browser against the demo collection: browse, filter, search, cite, switch
language; and axe-core finds no accessibility violation on the main pages."""

from pathlib import Path

import pytest
from django.urls import reverse

from archive.models import Source
from curation.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "vendor" / "axe.min.js"
PROTOCOL = "protocol-of-mutual-assistance-1936"
AXE_PAGES = [
    reverse("archive:home"),
    reverse("archive:source-list") + "?language=ru",
    # Several values chosen, one of them a count of 0, and a bad date: checkboxes, chips and the messages.
    reverse("archive:source-list") + "?document_type=treaty&document_type=conversation&language=ru&language=en"
    "&event=no-such-event&event=battles-of-khalkhin-gol-1939&date_from=spring",
    reverse("archive:source-detail", kwargs={"slug": PROTOCOL}),
    reverse("archive:event-list"),
    reverse("archive:event-detail", kwargs={"slug": "battles-of-khalkhin-gol-1939"}),
    reverse("archive:search") + "?q=Khalkhin",
]


@pytest.fixture
def demo(db):
    load_demo()


def _violations(page) -> list[str]:
    # The page's own markup; the IIIF viewer's frame holds Mirador's document, upstream markup (docs/iiif.md).
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations'], iframes: false})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_axe_finds_no_violations_on_the_main_pages(browser, live_server, demo, language):
    # axe is injected as an inline script, which our CSP rightly refuses; the policy is tested elsewhere.
    context = browser.new_context(locale="ru-RU" if language == "ru" else "en-GB", bypass_csp=True)
    page = context.new_page()
    try:
        for url in AXE_PAGES:
            page.goto(live_server.url + url)
            assert page.locator("html").get_attribute("lang") == language
            assert _violations(page) == [], url
    finally:
        context.close()


def test_browse_filter_and_open_a_source(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources").click()
    page.wait_for_selector("h2.results-count")
    assert page.locator("h2.results-count").inner_text() == f"{Source.objects.published().count()} sources"
    treaties = Source.objects.published().filter(document_type="treaty").count()
    treaty = page.get_by_role("group", name="Document type").get_by_role(
        "checkbox", name=f"Treaty or agreement ({treaties})"
    )
    treaty.check()
    page.get_by_role("button", name="Apply filters").first.click()  # the one above the facets
    page.wait_for_url("**document_type=treaty**")
    assert page.locator("h2.results-count").inner_text() == f"{treaties} sources"
    assert treaty.is_checked()
    page.get_by_role("link", name="Protocol of Mutual Assistance between the USSR").click()
    page.wait_for_url(f"**/sources/{PROTOCOL}/")
    assert "Protocol of Mutual Assistance" in page.locator("h1").inner_text()


def test_copy_the_citation(browser, live_server, demo):
    context = browser.new_context(locale="en-GB", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("archive:source-detail", kwargs={"slug": PROTOCOL}))
        expected = page.locator("#citation-ru").inner_text().strip()
        page.locator("[data-copy=citation-ru]").click()
        page.wait_for_selector(".citation__status:has-text('Citation copied.')")
        assert page.evaluate("() => navigator.clipboard.readText()") == expected
        assert expected.startswith("РГАСПИ")
    finally:
        context.close()


def test_search_from_the_header_finds_the_battles(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search the archive").fill("Халхин гол")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/**")
    assert page.get_by_role("link", name="Battles of Khalkhin Gol", exact=True).is_visible()


def test_switch_language_keeps_the_page(page, live_server, demo):
    page.goto(live_server.url + reverse("archive:event-list"))
    page.select_option("#language-select", "ru")
    page.get_by_role("button", name="Change").click()
    page.wait_for_selector("html[lang=ru]")
    assert page.url == live_server.url + reverse("archive:event-list")
    assert page.locator("h1").inner_text() == "Хронология событий"
    assert page.get_by_role("link", name="Бои на Халхин-Голе").is_visible()


def test_keyboard_user_reaches_content_through_the_skip_link(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_on_a_phone_one_link_leads_past_the_filters_to_the_results(page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(live_server.url + reverse("archive:source-list"))
    results = page.locator("#results-title")
    assert not results.is_visible() or results.bounding_box()["y"] > 700  # below the stacked filters
    past = f"Past the filters to the {Source.objects.published().count()} sources"
    page.get_by_role("link", name=past).click()
    assert -1 < results.bounding_box()["y"] < 700  # scrolled to it (to within a subpixel)

    page.set_viewport_size({"width": 1280, "height": 800})  # filters beside the results: no link needed
    assert not page.get_by_role("link", name=past).is_visible()
