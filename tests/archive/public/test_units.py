"""The public pages of the archive's structure: repositories, units and their children, and the breadcrumbs."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from archive.models import Source, Status, Unit
from tests.factories import AgentFactory, RepositoryFactory, SourceFactory, UnitFactory
from tests.visible_text import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def rgaspi():
    return RepositoryFactory(
        code="RGASPI",
        abbreviation_original="РГАСПИ",
        name="Russian State Archive of Socio-Political History",
        name_original="Российский государственный архив социально-политической истории",
        city="Moscow",
        city_original="Москва",
        website="https://rgaspi.su/",
    )


@pytest.fixture
def tree(rgaspi):
    """РГАСПИ. Ф. 558. Оп. 11. Д. 374, all published, and a document in the file."""
    fonds = UnitFactory(repository=rgaspi, number="558", title="J. V. Stalin", slug="f-558", published=True)
    inventory = UnitFactory(parent=fonds, number="11", title="Documents of the 1930s", slug="op-11", published=True)
    file = UnitFactory(parent=inventory, number="374", title="Letters from Mongolia", slug="d-374", published=True)
    source = SourceFactory(repository=rgaspi, unit=file, folios="12-15", published=True)
    return fonds, inventory, file, source


def page(client, url, language="en") -> str:
    client.get(reverse("archive:language"), {"language": language, "next": "/"})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def crumbs(html: str) -> str:
    """The breadcrumbs as a reader sees them: one line."""
    start = html.index('<nav class="breadcrumbs"')
    return " ".join(visible_text(html[start : html.index("</nav>", start)]).split("\n")[1:])


def withdraw(unit: Unit) -> None:
    Unit.objects.filter(pk=unit.pk).update(status=Status.WITHDRAWN)


# Breadcrumbs on the source page


def test_source_breadcrumbs_in_english_and_russian_link_the_published_units(client, tree):
    fonds, inventory, file, source = tree
    english = page(client, source.get_absolute_url())
    assert crumbs(english) == "RGASPI › f. 558 › op. 11 › d. 374"
    for unit in (fonds, inventory, file):
        assert f'href="{unit.get_absolute_url()}"' in english
    assert f'href="{reverse("archive:repository-detail", kwargs={"code": "RGASPI"})}"' in english
    assert crumbs(page(client, source.get_absolute_url(), "ru")) == "РГАСПИ › Ф. 558 › Оп. 11 › Д. 374"


@pytest.mark.parametrize("state", ["draft", "withdrawn", "future"])
def test_a_published_source_in_an_unpublished_unit_shows_the_number_but_never_the_unit(client, tree, state):
    fonds, inventory, file, source = tree
    Unit.objects.filter(pk=inventory.pk).update(
        title="Secret inventory title",
        title_original="Секретное название описи",
        scope_content="Secret scope",
        status=Status.DRAFT if state == "draft" else Status.WITHDRAWN if state == "withdrawn" else Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=3) if state == "future" else None,
    )
    for language, trail in (("en", "RGASPI › f. 558 › op. 11 › d. 374"), ("ru", "РГАСПИ › Ф. 558 › Оп. 11 › Д. 374")):
        html = page(client, source.get_absolute_url(), language)
        assert crumbs(html) == trail
        assert inventory.get_absolute_url() not in html
        assert file.get_absolute_url() in html
        for secret in ("Secret inventory title", "Секретное название описи", "Secret scope"):
            assert secret not in html
        # The file's page: its parent is a number in the breadcrumbs and the reference code, nothing more.
        file_page = page(client, file.get_absolute_url(), language)
        assert inventory.get_absolute_url() not in file_page
        assert "Secret" not in file_page and "Секретное" not in file_page
        assert ("Оп. 11" if language == "ru" else "op. 11") in crumbs(file_page)


def test_a_source_without_a_unit_shows_its_repository_only(client, rgaspi):
    source = SourceFactory(repository=rgaspi, published=True)
    assert crumbs(page(client, source.get_absolute_url())) == "RGASPI"


# The unit page


@pytest.mark.parametrize("state", ["draft", "withdrawn", "future"])
def test_an_unpublished_unit_is_not_found(client, tree, state):
    _, inventory, _, _ = tree
    if state == "future":
        Unit.objects.filter(pk=inventory.pk).update(published_at=timezone.now() + timedelta(hours=1))
    else:
        Unit.objects.filter(pk=inventory.pk).update(status=state, published_at=None)
    assert client.get(inventory.get_absolute_url()).status_code == 404


def test_unit_page_shows_its_isad_description(client, tree):
    fonds, inventory, _, _ = tree
    creator = AgentFactory(name="Joseph Stalin", name_original="Иосиф Сталин")
    Unit.objects.filter(pk=fonds.pk).update(
        title_original="Сталин Иосиф Виссарионович",
        extent="1,695 files",
        administrative_history="General Secretary from 1922.",
        scope_content="Letters, notes and drafts.",
        arrangement="By inventory.",
        access_conditions="Open.",
        reproduction_conditions="Copies on request.",
        finding_aids="Inventories 1 to 11.",
        scripts=["Cyrl"],
    )
    fonds.creators.add(creator)
    html = page(client, fonds.get_absolute_url())
    text = visible_text(html)
    for shown in (
        "RGASPI, f. 558",
        "J. V. Stalin",
        "Сталин Иосиф Виссарионович",
        "1,695 files",
        "General Secretary from 1922.",
        "Letters, notes and drafts.",
        "By inventory.",
        "Open.",
        "Copies on request.",
        "Inventories 1 to 11.",
        "Cyrillic",
    ):
        assert shown in text
    assert f'href="{creator.get_absolute_url()}"' in html
    assert client.get(creator.get_absolute_url()).status_code == 200  # a published unit makes its creator public
    assert "РГАСПИ. Ф. 558. Оп. 11" in page(client, inventory.get_absolute_url(), "ru")


def test_unit_page_lists_only_published_children(client, tree):
    fonds, inventory, _, _ = tree
    UnitFactory(parent=fonds, number="12", title="Draft inventory")
    SourceFactory(repository=fonds.repository, unit=fonds, title="Draft document")
    SourceFactory(repository=fonds.repository, unit=fonds, title="Published document", published=True)
    text = visible_text(page(client, fonds.get_absolute_url()))
    assert "Documents of the 1930s" in text and "Published document" in text
    assert "Draft inventory" not in text and "Draft document" not in text


def titles(html: str) -> list[str]:
    """The titles of the children listed, in order."""
    start = html.index('id="children-title"')
    return re.findall(r'class="record__title" href="[^"]*">([^<]*)</a>', html[start : html.index("</section>", start)])


def test_children_sort_by_number_title_and_date_units_first(client, rgaspi):
    fonds = UnitFactory(repository=rgaspi, number="17", published=True)
    inventories = (("2", "Inventory two", "1930"), ("11", "Inventory eleven", "1920"), ("3", "Inventory three", "1925"))
    for number, title, date in inventories:
        UnitFactory(parent=fonds, number=number, title=title, date_edtf=date, published=True)
    documents = (("10-11", "Doc B", "1936-01-02"), ("9", "Doc C", "1934-05-01"), ("100", "Doc A", "1935"))
    for folios, title, date in documents:
        SourceFactory(repository=rgaspi, unit=fonds, folios=folios, title=title, date_edtf=date, published=True)
    url = fonds.get_absolute_url()
    assert titles(page(client, url)) == [
        "Inventory two", "Inventory three", "Inventory eleven", "Doc C", "Doc B", "Doc A"
    ]  # fmt: skip
    assert titles(page(client, url + "?sort=title")) == [
        "Inventory eleven", "Inventory three", "Inventory two", "Doc A", "Doc B", "Doc C"
    ]  # fmt: skip
    assert titles(page(client, url + "?sort=date")) == [
        "Inventory eleven", "Inventory three", "Inventory two", "Doc C", "Doc A", "Doc B"
    ]  # fmt: skip


def test_children_page_across_units_and_documents_and_clamp(client, rgaspi):
    fonds = UnitFactory(repository=rgaspi, number="17", published=True)
    for i in range(20):
        UnitFactory(parent=fonds, number=str(i + 1), title=f"Inventory {i + 1:02}", published=True)
    for i in range(20):
        SourceFactory(repository=rgaspi, unit=fonds, folios=str(i + 1), title=f"Doc {i + 1:02}", published=True)
    url = fonds.get_absolute_url()
    first, second = titles(page(client, url)), titles(page(client, url + "?page=2"))
    assert first == [f"Inventory {i:02}" for i in range(1, 21)] + [f"Doc {i:02}" for i in range(1, 6)]
    assert second == [f"Doc {i:02}" for i in range(6, 21)]
    assert titles(page(client, url + "?page=99")) == second  # past the end: the last page
    assert titles(page(client, url + "?page=x")) == first
    assert titles(page(client, url + "?sort=nonsense")) == first


def test_a_withdrawn_child_drops_out_of_the_list_at_once(client, tree):
    fonds, inventory, _, _ = tree
    assert "Documents of the 1930s" in page(client, fonds.get_absolute_url())
    inventory.status = Status.WITHDRAWN
    inventory.save()  # through the signals, as the admin saves: the cached page and counts are stale
    assert "Documents of the 1930s" not in page(client, fonds.get_absolute_url())


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_unit_page_queries_do_not_grow_with_its_children(client, rgaspi, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # every request renders the page
    small = UnitFactory(repository=rgaspi, number="1", published=True)
    large = UnitFactory(repository=rgaspi, number="2", published=True)
    UnitFactory(parent=small, number="1", published=True)
    SourceFactory(repository=rgaspi, unit=small, published=True)
    UnitFactory(parent=large, number="1", published=True)
    now = timezone.now()
    Source.objects.bulk_create(
        Source(
            identifier=f"BIG-{i}",
            slug=f"big-{i}",
            title=f"Document {i}",
            repository=rgaspi,
            unit=large,
            folios=str(i),
            status=Status.PUBLISHED,
            published_at=now,
        )
        for i in range(1000)
    )
    for query in ("", "?sort=title", "?sort=date", "?sort=number"):
        assert queries(client, large.get_absolute_url() + query) == queries(client, small.get_absolute_url() + query)
    # A page further on (documents only) reads no more.
    assert queries(client, large.get_absolute_url() + "?page=last") <= queries(client, small.get_absolute_url())


# Repositories


def test_repository_page_shows_its_names_city_website_and_published_fonds_with_counts(client, tree, rgaspi):
    fonds, inventory, file, _ = tree
    UnitFactory(repository=rgaspi, number="17", title="Draft fonds")
    SourceFactory(repository=rgaspi, unit=fonds, published=True)
    SourceFactory(repository=rgaspi, unit=inventory, published=True)
    SourceFactory(repository=rgaspi, unit=file)  # a draft: not counted
    withdraw(file)  # its published document still counts: it shows on its own
    html = page(client, rgaspi.get_absolute_url())
    text = visible_text(html)
    assert rgaspi.get_absolute_url() == "/repositories/RGASPI/"
    for shown in ("Russian State Archive of Socio-Political History", "Moscow", "https://rgaspi.su/", "J. V. Stalin"):
        assert shown in text
    assert "Российский государственный архив социально-политической истории" in text
    assert "3 published documents" in text
    assert "Draft fonds" not in text
    assert "Москва" in visible_text(page(client, rgaspi.get_absolute_url(), "ru"))


def test_repository_index_and_unknown_repositories(client, tree, rgaspi):
    RepositoryFactory(code="GARF", name="State Archive of the Russian Federation")  # nothing published refers to it
    text = visible_text(page(client, reverse("archive:repository-list")))
    assert "Russian State Archive of Socio-Political History" in text
    assert "State Archive of the Russian Federation" not in text
    assert client.get(reverse("archive:repository-detail", kwargs={"code": "GARF"})).status_code == 404


def test_sitemap_lists_published_units_and_public_repositories_only(client, tree, rgaspi):
    fonds, inventory, _, _ = tree
    withdraw(inventory)
    body = client.get(reverse("archive:sitemap")).content.decode()
    assert fonds.get_absolute_url() in body
    assert inventory.get_absolute_url() not in body
    assert rgaspi.get_absolute_url() in body


def test_jsonld_never_names_an_unpublished_unit(client, tree):
    _, inventory, file, source = tree
    withdraw(file)
    html = page(client, source.get_absolute_url())
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["isPartOf"]["name"] == "Documents of the 1930s"  # the lowest published unit above the file
    assert "Letters from Mongolia" not in html


def test_a_curator_previews_a_draft_unit_never_cached(curator_client, tree):
    _, inventory, _, _ = tree
    Unit.objects.filter(pk=inventory.pk).update(status=Status.DRAFT)
    response = curator_client.get(inventory.get_absolute_url())
    assert response.status_code == 200
    assert "Not published" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
    assert '<script type="application/ld+json">' not in response.content.decode()


@pytest.mark.parametrize("sort", ["number", "title", "date"])
def test_a_deep_page_of_documents_skips_in_the_index_alone(rgaspi, sort):
    """The ids of a page deep into a large unit come from an index-only scan of that order's covering index: the
    rows an OFFSET skips cost no heap page each (at 1M sources, 1.1 s cold for the last of 70,000)."""
    from archive.public.children import Children

    unit = UnitFactory(repository=rgaspi, published=True)
    SourceFactory(unit=unit, published=True)
    children = Children(unit, sort)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = children.sources.values_list("pk", flat=True)[5000:5025].explain()
    assert "Index Only Scan" in plan, plan
    assert "Sort" not in plan, plan
