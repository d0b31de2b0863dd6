"""The admin's import preview and export pages as a curator reads them: the summary first, the rows that matter in
file order with each error in its cell, unchanged rows folded, the admin's breadcrumbs, readable column names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Source
from curation.transfer.importer import run_import
from tests.factories import CommentaryFactory, SourceFactory

from .conftest import stream
from .html import find, find_all, page, text
from .test_admin_transfer import EXPORT_URL, IMPORT_URL, upload

pytestmark = pytest.mark.django_db

# Line 2 new, 3 unchanged, 4 changed, 5 an error the check finds (an unknown repository), 6 an error found when the
# cells are read (a date), 7 new, 8 unchanged.
MIXED = (
    "identifier,title,repository,date_edtf\n"
    "N-1,New one,RGASPI,1934\n"
    "U-1,Unchanged,RGASPI,\n"
    "C-1,Changed title,RGASPI,\n"
    "E-1,Unknown repository,GARF,\n"
    "E-2,Bad date,RGASPI,1936-13-45\n"
    "N-2,New two,RGASPI,\n"
    "U-2,Also unchanged,RGASPI,\n"
)
CLEAN = "\n".join(line for line in MIXED.splitlines() if not line.startswith("E-")) + "\n"


@pytest.fixture
def existing(rgaspi):
    SourceFactory(identifier="U-1", title="Unchanged", repository=rgaspi, date_edtf="")
    SourceFactory(identifier="U-2", title="Also unchanged", repository=rgaspi, date_edtf="")
    SourceFactory(identifier="C-1", title="Old title", repository=rgaspi, date_edtf="")


def _rows(node) -> list[tuple[int, str]]:
    rows = [dict(row.attributes) for row in find_all(node, "tr")]
    return [
        (int(row["id"].removeprefix("line-")), row["class"].removeprefix("opis-row-"))
        for row in rows
        if row.get("id", "").startswith("line-")
    ]


def _main_table(html):
    return find(html, "table", class_="opis-import-rows")


def test_new_changed_and_failing_rows_come_in_file_order_and_unchanged_rows_are_folded(client, importer, existing):
    client.force_login(importer)

    html = page(upload(client, "mixed.csv", MIXED.encode()))

    assert _rows(_main_table(html)) == [(2, "new"), (4, "update"), (5, "error"), (6, "error"), (7, "new")]
    folded = find(html, "details", class_="opis-unchanged")
    assert text(find(folded, "summary")).startswith("2 unchanged rows")
    assert _rows(folded) == [(3, "unchanged"), (8, "unchanged")]
    assert not Source.objects.filter(identifier__in=["N-1", "N-2"]).exists()


def test_a_clean_preview_lists_the_changes_then_folds_the_unchanged_rows(client, importer, existing):
    client.force_login(importer)

    html = page(upload(client, "clean.csv", CLEAN.encode()))

    assert _rows(_main_table(html)) == [(2, "new"), (4, "update"), (5, "new")]
    changed = find(html, "tr", id="line-4")
    assert "Old title" in text(find(changed, "del")) and "Changed title" in text(find(changed, "ins"))
    assert _rows(find(html, "details", class_="opis-unchanged")) == [(3, "unchanged"), (6, "unchanged")]


def test_each_error_is_shown_in_the_cell_it_is_about_and_the_cell_is_marked(client, importer, existing):
    client.force_login(importer)

    html = page(upload(client, "mixed.csv", MIXED.encode()))

    table = _main_table(html)
    header = [text(th) for th in find_all(find(table, "thead"), "th")]
    date_column = next(i for i, label in enumerate(header) if label.endswith("date_edtf"))
    repository_column = next(i for i, label in enumerate(header) if label.endswith("repository"))
    bad_date = find_all(find(table, "tr", id="line-6"), "td")[date_column - 1]  # the first column is a <th>
    assert "opis-cell-error" in dict(bad_date.attributes)["class"].split()
    assert text(bad_date).startswith("1936-13-45")
    assert "is not a valid EDTF date" in text(find(bad_date, "p", class_="opis-error-message"))
    unknown = find_all(find(table, "tr", id="line-5"), "td")[repository_column - 1]
    assert "opis-cell-error" in dict(unknown.attributes)["class"].split()
    assert text(find(unknown, "p", class_="opis-error-message")) == "Unknown repository “GARF”."
    # Only the failing cells are marked.
    assert len(find_all(table, "td", class_="opis-cell-error")) == 2


def test_the_summary_and_the_error_csv_come_before_the_rows_and_the_form(client, importer, existing):
    client.force_login(importer)

    body = upload(client, "mixed.csv", MIXED.encode()).content.decode()

    summary = body.index("7 rows: 2 to create, 1 to update, 2 unchanged; 2 errors")
    download = body.index("Download the failing rows with an error column")
    table = body.index('class="opis-import-rows"')
    form = body.index('id="import-form"')
    assert summary < download < table < form
    assert body.index('href="#line-5"') < table  # the failing lines, linked from the summary


def test_a_clean_preview_shows_its_summary_and_confirm_button_before_the_rows(client, importer, existing):
    client.force_login(importer)

    body = upload(client, "clean.csv", CLEAN.encode()).content.decode()

    summary = body.index("5 rows: 2 to create, 1 to update, 2 unchanged; 0 errors")
    assert summary < body.index('value="Confirm import"') < body.index('class="opis-import-rows"')


def test_the_export_page_labels_columns_with_the_fields_verbose_names(client, importer):
    client.force_login(importer)

    labels = [text(label) for label in find_all(page(client.get(EXPORT_URL)), "label")]
    assert "Title in the original language (title_original)" in labels  # the CSV column's name after it
    assert "Date (EDTF) (date_edtf)" in labels
    assert "Title Original" not in labels and "Date Edtf" not in labels


@pytest.mark.parametrize("url", [IMPORT_URL, EXPORT_URL])
def test_the_import_and_export_pages_have_the_admin_breadcrumb_bar(client, importer, url):
    client.force_login(importer)

    html = page(client.get(url))

    crumbs = find(html, "ol", class_="breadcrumbs")
    links = [dict(a.attributes)["href"] for a in find_all(crumbs, "a")]
    assert links == [
        reverse("admin:index"),
        reverse("admin:app_list", args=["archive"]),
        reverse("admin:archive_source_changelist"),
    ]
    assert text(find(crumbs, "li", **{"aria-current": "page"})) in {"Import", "Export"}


def test_a_changed_cell_shows_the_value_as_it_will_be_stored(client, importer, rgaspi):
    SourceFactory(identifier="D-1", slug="old-slug", title="A title", repository=rgaspi)
    client.force_login(importer)

    html = page(upload(client, "slug.csv", b"identifier,slug,title\nD-1,,A title\n"))

    cell = find(find(html, "tr", id="line-2"), "td", class_="opis-cell-changed")
    assert (text(find(cell, "del")), text(find(cell, "ins"))) == ("old-slug", "d-1")  # derived from the identifier


def test_an_author_filled_in_by_the_import_is_previewed_as_the_importing_user(client, importer):
    note = CommentaryFactory(identifier="K-1", title="A note", signature="A. Historian")
    data = (
        f"identifier,source,title,body,author,signature\nK-1,{note.source.identifier},A note,A *note*.,,A. Historian\n"
    )
    client.force_login(importer)

    response = client.post(
        reverse("admin:archive_commentary_import"),
        {
            "resource": "0",
            "format": "0",
            "mode": "upsert",
            "skip_unchanged": "on",
            "import_file": SimpleUploadedFile("notes.csv", data.encode(), "text/csv"),
        },
    )

    cell = find(find(page(response), "tr", id="line-2"), "td", class_="opis-cell-changed")
    assert (text(find(cell, "del")), text(find(cell, "ins"))) == (note.author.username, "importer")


def test_the_preview_and_the_undo_page_in_russian(client, importer, existing):
    client.force_login(importer)
    client.cookies["django_language"] = "ru"

    preview = upload(client, "mixed.csv", MIXED.encode()).content.decode()

    assert "Ничего не импортировано: в файле есть ошибки" in preview
    assert "2 строки без изменений" in preview and "Ошибки в полях:" in preview
    batch = run_import("sources", stream(CLEAN), user=importer).batch
    undo = client.get(reverse("admin:curation_importbatch_undo", args=[batch.pk])).content.decode()
    assert "2 записи будут удалены" in undo and "Да, отменить этот импорт" in undo


def test_a_tampered_confirmation_is_shown_with_its_errors(client, importer):
    client.force_login(importer)

    response = client.post(reverse("admin:archive_source_process_import"), {"mode": "upsert"})

    assert response.status_code == 200
    assert 'class="opis-confirm-import"' in response.content.decode()
    assert response.context["confirm_form"].errors
