"""The admin's language switcher in a real browser: by keyboard to Russian and back, at a desktop and a phone
width, with screenshots of the Russian admin (ru-*.png; in docs/screenshots/ through `make screenshots`)."""

from pathlib import Path

import pytest
from django.urls import reverse

from archive.models import Source
from curation.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
LEFTOVER_ENGLISH = ("Axes", "Tasks Database Backend", "Task Result", "Select an option", "Commentary", "Curation")


def _login(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")


def _choose_by_keyboard(page, label: str, language_name: str):
    """Focus the switcher's list by its label, step to the language with the arrow keys, Tab to the switcher's
    button and press Enter."""
    select = page.get_by_label(label, exact=True)
    select.focus()
    names = select.evaluate("el => Array.from(el.options, option => option.text)")
    steps = names.index(language_name) - select.evaluate("el => el.selectedIndex")
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    assert select.evaluate("el => el.options[el.selectedIndex].text") == language_name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.form && document.activeElement.form.id") == "admin-language"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _no_horizontal_overflow(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator("#admin-language").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run('#header', {resultTypes: ['violations']})")
    return [f"{violation['id']}: {violation['help']}" for violation in result["violations"]]


def test_a_curator_switches_the_admin_to_russian_and_back_by_keyboard(browser, live_server, curator, screenshot):
    load_demo()
    source = Source.objects.get(identifier="RGASPI-DEMO-1936-03-12")
    # axe is injected as an inline script, which the CSP rightly refuses; the policy is tested elsewhere.
    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _login(page, live_server, curator)
        assert page.locator("html").get_attribute("lang") == "en"
        _choose_by_keyboard(page, "Language", "Русский")
        assert page.locator("html").get_attribute("lang") == "ru"
        assert page.url == live_server.url + reverse("admin:index")
        assert _violations(page) == []

        pages = {
            "dashboard": reverse("admin:index"),
            "sources": reverse("admin:archive_source_changelist"),
            "source": reverse("admin:archive_source_change", args=[source.pk]),
        }
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for name, url in pages.items():
                page.goto(live_server.url + url)
                text = page.locator("body").inner_text()
                for english in LEFTOVER_ENGLISH:
                    assert english not in text, (name, english)
                if name == "dashboard":
                    assert "Попытки входа" not in text  # a curator has no access to them
                    assert "Комментарии" in text and "Документы" in text
                if name != "sources":  # the list of records scrolls sideways in its own box, as Django's does
                    _no_horizontal_overflow(page)
                # The record's form down to its stamps of when it was made would differ at every run: its first screen.
                full_page = name != "source"
                screenshot(page, f"ru-admin-{name}-{width}", full_page=full_page)

        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(live_server.url + pages["sources"])
        _choose_by_keyboard(page, "Язык", "English")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.url == live_server.url + pages["sources"]
        assert page.locator("#content h1").inner_text() == "Select source to change"
    finally:
        context.close()


def test_the_sign_in_page_switches_to_russian(browser, live_server, screenshot):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("admin:login"))
        _choose_by_keyboard(page, "Language", "Русский")
        assert page.locator("html").get_attribute("lang") == "ru"
        assert page.get_by_role("button", name="Войти").is_visible()
        _no_horizontal_overflow(page)
        screenshot(page, "ru-admin-login-390")
    finally:
        context.close()
