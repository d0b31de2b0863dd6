"""A curator imports AtoM's CSV in a real browser: the check names what the file makes, the access points it
creates and the columns kept in notes, or each fault with its line and column; confirm imports; undo removes."""

import pytest
from django.urls import reverse

from archive.models import Level, Subject, Unit
from curation.models import BatchStatus, ImportBatch
from tests.factories import LanguageFactory, RepositoryFactory, SubjectFactory

from .conftest import FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def example_repository(db):
    LanguageFactory(code="en", name="English")
    LanguageFactory(code="ru", name="Russian")
    return RepositoryFactory(code="EXAMPLE", name="Example Repository", abbreviation_original="", name_original="")


def _login(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")


def _check(page, live_server, name):
    page.goto(live_server.url + reverse("admin:curation_importbatch_changelist"))
    page.click("text=Import from AtoM")
    page.select_option("#id_profile", "atom")
    page.set_input_files("#id_import_file", str(FILES / name))
    page.click("#import-form input[type=submit]")
    page.wait_for_selector("#atom-preview")


def test_the_check_counts_what_it_creates_and_names_unknown_columns_then_confirm_and_undo(
    page, live_server, importer, example_repository
):
    SubjectFactory(term="Second example subject")
    _login(page, live_server, importer)

    _check(page, live_server, "atom_unknown_column.csv")

    counts = {
        row.locator("th").inner_text(): [cell.inner_text() for cell in row.locator("td").all()]
        for row in page.locator("#atom-counts tbody tr").all()
    }
    assert counts["Fonds"] == ["1", ""] and counts["Inventory (series)"] == ["1", ""]
    assert counts["Subjects"] == ["1", "1"]  # Example subject is created; the second one is in Opis
    assert counts["People and organisations"] == ["3", "0"]
    unknown = page.locator("#atom-unknown").inner_text()
    assert unknown.startswith("1 column AtoM's template does not have, kept in the notes:")
    assert "radgeneralmaterialdesignation" in unknown
    assert "genreAccessPoints" in page.locator("#atom-homeless").inner_text()
    assert not Unit.objects.exists()  # checked, not written

    page.click("input[type=submit][value='Confirm import']")
    page.wait_for_selector(".messagelist .success")
    fonds = Unit.objects.get(level=Level.FONDS)
    assert "radgeneralmaterialdesignation: Textual record" in fonds.notes
    assert Unit.objects.get(level=Level.SERIES).parent == fonds

    batch = ImportBatch.objects.get(kind="atom", status=BatchStatus.SUCCEEDED)
    page.click("#undo-batch")
    page.wait_for_selector("#confirm-undo")
    page.click("#confirm-undo")
    page.wait_for_selector(".messagelist .success")
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.UNDONE
    assert not Unit.objects.exists()
    assert list(Subject.objects.values_list("term", flat=True)) == ["Second example subject"]


def test_a_faulty_file_is_shown_with_line_and_column_and_nothing_to_confirm(
    page, live_server, importer, example_repository
):
    _login(page, live_server, importer)

    _check(page, live_server, "atom_parent_nowhere.csv")

    row = [cell.inner_text() for cell in page.locator("#atom-errors tbody tr").first.locator("td").all()]
    assert row[:3] == ["4", "parentId", "99"]
    assert page.locator("input[value='Confirm import']").count() == 0
    assert not Unit.objects.exists()
