"""A reader walks the archive's tree in a browser: from a document up through its breadcrumbs to the fonds, then
down again through the fonds's sorted and paged contents, in English and in Russian, at a phone's width too."""

from datetime import date

import pytest
from django.utils import timezone

from archive.models import Source, Status, Unit
from tests.factories import RepositoryFactory, SourceFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree():
    rgaspi = RepositoryFactory(code="RGASPI", abbreviation_original="РГАСПИ", name="Russian State Archive")
    fonds = UnitFactory(repository=rgaspi, number="558", title="Stalin", title_original="Сталин", published=True)
    inventory = UnitFactory(parent=fonds, number="11", title="Hidden inventory", title_original="Скрытая опись")
    file = UnitFactory(parent=inventory, number="374", title="Mongolian file", published=True)
    source = SourceFactory(repository=rgaspi, unit=file, title="Protocol", published=True)
    now = timezone.now()
    Source.objects.bulk_create(
        Source(
            identifier=f"F-{i}",
            slug=f"f-{i}",
            title=f"Letter {i:02}",
            repository=rgaspi,
            unit=fonds,
            folios=str(i),
            date_edtf=f"1936-01-{i:02}",
            date_start=date(1936, 1, i),
            date_end=date(1936, 1, i),
            status=Status.PUBLISHED,
            published_at=now,
        )
        for i in range(1, 31)
    )
    Unit.objects.filter(pk=inventory.pk).update(status=Status.DRAFT)
    return fonds, inventory, file, source


@pytest.mark.parametrize(
    ("language", "width", "trail"),
    [("en", 1366, "RGASPI › f. 558 › op. 11 › d. 374"), ("ru", 390, "РГАСПИ › Ф. 558 › Оп. 11 › Д. 374")],
)
def test_reader_climbs_the_breadcrumbs_and_pages_the_fonds(browser, live_server, tree, language, width, trail):
    fonds, inventory, file, source = tree
    context = browser.new_context(
        locale="ru-RU" if language == "ru" else "en-GB", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + source.get_absolute_url())
        crumbs = page.get_by_role("navigation", name="Место в архиве" if language == "ru" else "Place in the archive")
        assert " ".join(crumbs.inner_text().split()) == trail
        # The unpublished inventory is a number, not a link, and its title is nowhere on the page.
        assert crumbs.get_by_role("link").count() == 3
        assert "Hidden inventory" not in page.content() and "Скрытая опись" not in page.content()
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

        crumbs.get_by_role("link", name="Ф. 558" if language == "ru" else "f. 558").click()
        page.wait_for_url(live_server.url + fonds.get_absolute_url())
        assert page.get_by_role("heading", level=1).inner_text() == ("Сталин" if language == "ru" else "Stalin")
        records = page.locator("#children-title ~ ul.records .record__title")
        assert records.first.inner_text() == "Letter 01"  # by first folio
        page.get_by_role("link", name="по дате" if language == "ru" else "date", exact=True).click()
        pages = page.get_by_role("navigation", name="Страницы" if language == "ru" else "Pages")
        pages.get_by_role("link", name="Страница 2" if language == "ru" else "Page 2", exact=True).click()
        assert "sort=date" in page.url and "page=2" in page.url
        assert records.all_inner_texts() == [f"Letter {i:02}" for i in range(26, 31)]
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
