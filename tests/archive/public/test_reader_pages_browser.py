"""What a reader sees at a desktop's and a phone's width, in both languages: dates in words, the error page,
a page past the end of the list. Nothing is wider than the screen."""

import pytest
from django.urls import reverse

from curation.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1366, "phone": 390}
BULLITT = "bullitt-telegram-76-1936"


@pytest.fixture
def reader(browser, request):
    """A browser page at a width and in a language: the test's parameters."""
    width, language = request.param
    context = browser.new_context(
        locale="ru-RU" if language == "ru" else "en-GB", viewport={"width": WIDTHS[width], "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, width, language
    context.close()


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


READERS = [(width, language) for width in WIDTHS for language in ("en", "ru")]
EXPECTED = {
    "en": {"uncertain": "2 March 1936 (?)", "span": "29 July – 11 August 1938", "missing": "Page not found"},
    "ru": {
        "uncertain": "2 марта 1936 г. (?)",
        "span": "29 июля – 11 августа 1938 г.",
        "missing": "Страница не найдена",
    },
}


@pytest.mark.parametrize("reader", READERS, indirect=True, ids=[f"{w}-{lang}" for w, lang in READERS])
def test_dates_errors_and_pages_read_well_at_every_width(reader, live_server, screenshot):
    page, width, language = reader
    load_demo()
    expected = EXPECTED[language]

    page.goto(live_server.url + reverse("archive:source-detail", kwargs={"slug": BULLITT}))
    assert expected["uncertain"] in page.locator(".metadata").inner_text()
    assert _fits(page)
    screenshot(page, f"reader-source-uncertain-date-{width}-{language}")

    page.goto(live_server.url + reverse("archive:event-list"))
    assert expected["span"] in page.locator("main").inner_text()
    assert _fits(page)
    screenshot(page, f"reader-timeline-{width}-{language}")

    response = page.goto(live_server.url + "/sources/no-such-document/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == expected["missing"]
    assert page.locator("#error-search-q").is_visible() and _fits(page)
    screenshot(page, f"reader-not-found-{width}-{language}")

    response = page.goto(live_server.url + reverse("archive:source-list") + "?page=99")
    assert response.status == 200 and page.locator(".record").count() > 0
    assert _fits(page)
