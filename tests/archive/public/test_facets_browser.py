"""The source list's facets in a real browser, at a desktop's and a phone's width, in both languages: two values of
one facet and one of another chosen with checkboxes, one removed by its chip, pages gone through by their numbers;
nothing is wider than the screen, and axe-core finds no violation on the filtered, paged list."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from archive.models import DocumentType, Language, Repository, Source
from curation.demo import load_demo
from tests.archive.public.test_public_browser import _violations
from tests.factories import SourceFactory, unit_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1366, "phone": 390}
READERS = [(width, language) for width in WIDTHS for language in ("en", "ru")]
EXTRA_REPORTS = 75  # with the demo's Russian reports and treaties: eight pages of ten


@pytest.fixture
def reader(browser, request):
    """A browser page at a width and in a language: the test's parameters."""
    width, language = request.param
    context = browser.new_context(
        locale="ru-RU" if language == "ru" else "en-GB",
        viewport={"width": WIDTHS[width], "height": 900},
        bypass_csp=True,  # for axe, injected as a script; the policy is tested elsewhere
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, width, language
    context.close()


@pytest.fixture
def collection(db):
    """The demo collection and a run of Russian reports from the summer of 1939, so that the list has pages."""
    load_demo()
    rgaspi, russian = Repository.objects.get(code="RGASPI"), Language.objects.get(code="ru")
    for number in range(1, EXTRA_REPORTS + 1):
        day = date(1939, 5, 11) + timedelta(days=number)
        source = SourceFactory(
            published=True,
            repository=rgaspi,
            document_type=DocumentType.REPORT,
            title=f"Report of the 57th Special Corps on the fighting at Khalkhin Gol, No. {number}",
            title_original=f"Донесение 57-го особого корпуса о боях на Халхин-Голе № {number}",
            date_edtf=day.isoformat(),
            date_text=day.strftime("%d.%m.%Y"),
            unit=unit_path("37977", "1", str(number), repository=rgaspi),
        )
        source.languages.add(russian)


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _words(language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "pages": translation.gettext("Pages"),
            "page": translation.gettext("Page"),
            "last": translation.gettext("Last"),
            "first": translation.gettext("First"),
            "next": translation.gettext("Next"),
            "apply": translation.gettext("Apply filters"),
            "treaty": str(DocumentType.TREATY.label),
        }


def _listed(types: list[str]) -> int:
    return Source.objects.published().filter(document_type__in=types, languages__code="ru").distinct().count()


def _count(page) -> int:
    return int(page.locator("h2.results-count").inner_text().split()[0])


@pytest.mark.parametrize("reader", READERS, indirect=True, ids=[f"{w}-{lang}" for w, lang in READERS])
def test_choose_values_remove_one_and_go_through_the_pages(reader, live_server, collection, screenshot):
    page, width, language = reader
    words = _words(language)
    page.goto(live_server.url + reverse("archive:source-list") + "?per_page=10")
    assert _fits(page)

    # Two document types (any of them) and one language (as well).
    page.check("#id_document_type input[value=report]")
    page.check("#id_document_type input[value=treaty]")
    page.check("#id_language input[value=ru]")
    page.get_by_role("button", name=words["apply"]).last.click()  # the one at the end of the form
    page.wait_for_url("**language=ru**")
    both = _listed(["report", "treaty"])
    assert both > 60 and _count(page) == both
    for value in ("report", "treaty"):
        assert page.locator(f"#id_document_type input[value={value}]").is_checked()
    assert page.locator("#id_language input[value=ru]").is_checked()
    assert not page.locator("#id_document_type input[value=conversation]").is_checked()
    assert page.locator(".active-filters a.chip").count() == 3
    assert _fits(page)
    screenshot(page, f"reader-facets-{width}-{language}")

    # Pages by their numbers, the filters kept.
    pages = page.get_by_role("navigation", name=words["pages"])
    last = -(-both // 10)
    assert pages.locator("[aria-current=page]").inner_text().split()[-1] == "1"
    pages.get_by_role("link", name=f"{words['page']} 3", exact=True).click()
    page.wait_for_url("**page=3**")
    assert pages.locator("[aria-current=page]").inner_text().split()[-1] == "3"
    assert page.locator("#id_document_type input[value=treaty]").is_checked() and _count(page) == both
    assert _fits(page)
    if language == "en":
        screenshot(page, f"reader-facets-page-3-{width}")
    pages.get_by_role("link", name=words["last"], exact=True).click()
    page.wait_for_url(f"**page={last}**")
    assert pages.locator("[aria-current=page]").inner_text().split()[-1] == str(last)
    assert page.locator(".record").count() == both - (last - 1) * 10
    pages.get_by_role("link", name=words["first"], exact=True).click()
    page.wait_for_url("**page=1**")
    assert "language=ru" in page.url and page.url.count("document_type=") == 2
    if language == "en" and width == "desktop":
        assert _violations(page) == []

    # One chip removed: that value only.
    page.locator(".active-filters a.chip", has_text=words["treaty"]).click()
    page.wait_for_url(lambda url: "treaty" not in url)
    assert _count(page) == _listed(["report"])
    assert not page.locator("#id_document_type input[value=treaty]").is_checked()
    assert page.locator("#id_document_type input[value=report]").is_checked()
    assert page.locator("#id_language input[value=ru]").is_checked()
    assert page.locator(".active-filters a.chip").count() == 2
    assert _fits(page)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_axe_finds_no_violations_on_a_filtered_paged_list_with_a_bad_date(browser, live_server, collection, language):
    context = browser.new_context(locale="ru-RU" if language == "ru" else "en-GB", bypass_csp=True)
    page = context.new_page()
    try:
        query = "?document_type=report&document_type=treaty&language=ru&date_from=1939-13&per_page=10&page=4"
        page.goto(live_server.url + reverse("archive:source-list") + query)
        assert page.locator("#id_date_from").get_attribute("aria-invalid") == "true"
        assert page.get_by_role("navigation", name=_words(language)["pages"]).is_visible()
        assert _violations(page) == []
    finally:
        context.close()
