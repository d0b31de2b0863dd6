"""A curator in a real browser: upload a file with an error, fix it, preview, confirm, undo; the preview at a
laptop's and a phone's width; a background import's progress; undo through its confirmation page."""

import queue
import threading

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import expect

from archive.models import Source
from curation.models import BatchStatus, ImportBatch
from curation.tasks import import_stored_file
from curation.transfer.formats import KINDS
from curation.transfer.importer import run_import
from curation.transfer.lease import ImportLease
from tests.factories import SourceFactory

from .conftest import FILES, stream

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def _login(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")


def _upload(page, path):
    page.click("a.import_link")
    page.set_input_files("#id_import_file", str(path))
    page.click("#import-form input[type=submit]")


def test_curator_fixes_an_error_previews_confirms_and_undoes(page, live_server, importer, rgaspi, tmp_path):
    _login(page, live_server, importer)
    page.goto(live_server.url + reverse("admin:archive_source_changelist"))

    _upload(page, FILES / "unknown_repository.csv")
    page.wait_for_selector(".opis-import-failed")
    assert page.locator("#line-3 td.opis-cell-error .opis-error-message").inner_text() == "Unknown repository “GARF”."
    with page.expect_download() as download:
        page.click("text=Download the failing rows with an error column")
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(download.value.path().read_text(encoding="utf-8-sig").replace("GARF", "RGASPI"), "utf-8")

    page.goto(live_server.url + reverse("admin:archive_source_changelist"))
    _upload(page, fixed)
    page.wait_for_selector("text=1 rows: 1 to create, 0 to update, 0 unchanged; 0 errors")
    assert not Source.objects.exists()
    page.click("input[type=submit][value='Confirm import']")
    page.wait_for_selector(".messagelist .success")
    assert Source.objects.get().identifier == "T-1936-03-12"

    batch = ImportBatch.objects.get(status=BatchStatus.SUCCEEDED)
    page.goto(live_server.url + reverse("admin:curation_importbatch_changelist"))
    page.check(f"input[name=_selected_action][value='{batch.pk}']")
    page.select_option("select[name=action]", "undo_selected")
    page.click("button[name=index]")
    page.wait_for_selector("#confirm-undo")
    assert Source.objects.exists()  # shown, not yet done
    page.click("#confirm-undo")
    page.wait_for_selector("text=undone: 1 deleted, 0 restored")
    assert not Source.objects.exists()


def _wide_file(tmp_path):
    """Every source column, long texts, a changed row, new rows and errors: the widest preview there is."""
    header = KINDS["sources"].header
    long_text = "Запись беседы наркома иностранных дел с полномочным представителем МНР " * 4

    def row(identifier, **cells):
        values = {"identifier": identifier, "title": f"Title of {identifier}", "repository": "RGASPI"}
        values.update(summary=long_text, transcription=long_text, provenance=long_text, **cells)
        return ",".join(f'"{values.get(name, "")}"' for name in header)

    lines = [
        ",".join(header),
        row("W-1"),
        row("W-2", title="A changed title"),
        row("W-3", repository="GARF"),
        row("W-4", date_edtf="1936-13-45"),
        row("W-5"),
    ]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_preview_fits_a_laptop_and_a_phone_with_each_error_beside_its_cell(
    page, live_server, importer, rgaspi, tmp_path, screenshot
):
    SourceFactory(identifier="W-2", title="The old title", repository=rgaspi)
    page.set_viewport_size(LAPTOP)
    _login(page, live_server, importer)
    page.goto(live_server.url + reverse("admin:archive_source_changelist"))

    _upload(page, _wide_file(tmp_path))

    page.wait_for_selector(".opis-import-summary")
    assert page.evaluate(FITS), page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    for line, message in [(4, "Unknown repository “GARF”."), (5, "is not a valid EDTF date")]:
        cell = page.locator(f"#line-{line} td.opis-cell-error")
        expect(cell).to_have_count(1)
        cell.scroll_into_view_if_needed()
        expect(cell.locator(".opis-error-message")).to_contain_text(message)
        expect(cell.locator(".opis-error-message")).to_be_in_viewport()
        box, note = cell.bounding_box(), cell.locator(".opis-error-message").bounding_box()
        assert box["x"] <= note["x"] and note["x"] + note["width"] <= box["x"] + box["width"] + 1
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".opis-table-scroll").first.evaluate("box => box.scrollLeft = 0")
    screenshot(page, "import-preview-1366")

    page.set_viewport_size(PHONE)
    assert page.evaluate(FITS), page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    screenshot(page, "import-preview-390")


def test_a_background_import_shows_its_progress_on_the_batch_page_until_it_ends(
    page, live_server, importer, rgaspi, settings, tmp_path, monkeypatch, screenshot
):
    settings.OPIS_IMPORT_BACKGROUND_ROWS = 10
    path = tmp_path / "many.csv"
    path.write_text(
        "identifier,title,repository\n" + "".join(f"P-{n:04},Progress {n},RGASPI\n" for n in range(1000)), "utf-8"
    )
    # The worker's task runs in this process, and stops after each progress report until the page has shown it.
    reported, resume = queue.Queue(), threading.Semaphore(0)
    report = ImportLease.progress

    def report_and_wait(lease, batch_id, rows):
        report(lease, batch_id, rows)
        reported.put(rows)
        assert resume.acquire(timeout=120), "the test never let the import go on"

    monkeypatch.setattr(ImportLease, "progress", report_and_wait)
    page.set_viewport_size(LAPTOP)
    _login(page, live_server, importer)
    page.goto(live_server.url + reverse("admin:archive_source_changelist"))

    _upload(page, path)

    text = page.locator(".opis-batch-progress-text")
    expect(text).to_have_text("Waiting for the background worker.")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.expected_rows) == (BatchStatus.QUEUED, 1000)
    worker = threading.Thread(target=_run_task, args=(batch.pk,))
    worker.start()
    try:
        for rows, shown in [(250, "Running: 250 of 1,000 rows read."), (750, "Running: 750 of 1,000 rows read.")]:
            assert reported.get(timeout=120) == rows
            expect(text).to_have_text(shown)
            expect(page.locator("#batch-progress progress")).to_have_attribute("value", str(rows))
            expect(page.locator(".field-status .readonly")).to_have_text("Running")
            if rows == 250:
                screenshot(page, "import-batch-progress-1366")
            resume.release()
        assert reported.get(timeout=120) == 1000
        resume.release()
    finally:
        resume.release(10)
        worker.join(timeout=300)
    expect(page.locator("text=The check passed: 1000 to create, 0 to update, 0 unchanged.")).to_be_visible()
    expect(page.locator("#batch-progress")).to_have_count(0)
    batch.refresh_from_db()
    assert (batch.status, batch.progress) == (BatchStatus.PREVIEWED, 1000)


def _run_task(batch_id: int) -> None:
    try:
        import_stored_file.call(batch_id=batch_id)
    finally:
        connections.close_all()  # this thread's own


def test_undo_goes_through_a_confirmation_page_that_shows_the_differences(
    page, live_server, importer, rgaspi, screenshot
):
    SourceFactory(identifier="C-1", title="The old title", repository=rgaspi)
    data = "identifier,title,repository\nN-1,A new source,RGASPI\nC-1,A new title,RGASPI\n"
    batch = run_import("sources", stream(data), user=importer, file_name="changes.csv").batch
    page.set_viewport_size(LAPTOP)
    _login(page, live_server, importer)

    page.goto(live_server.url + batch.get_absolute_url())
    expect(page.locator("#records a", has_text="N-1")).to_be_visible()
    expect(page.locator("a", has_text="View on site")).to_have_count(0)
    screenshot(page, "import-batch-1366")
    page.set_viewport_size(PHONE)
    assert page.evaluate(FITS)
    screenshot(page, "import-batch-390")
    page.set_viewport_size(LAPTOP)

    page.click("#undo-batch")

    expect(page.locator("#undo-deleted")).to_contain_text("N-1")
    restored = page.locator("#undo-restored")
    expect(restored).to_contain_text("C-1")
    expect(restored.locator("del")).to_have_text("A new title")
    expect(restored.locator("ins")).to_have_text("The old title")
    assert Source.objects.filter(identifier="N-1").exists()
    assert page.evaluate(FITS)
    screenshot(page, "import-undo-1366")
    page.set_viewport_size(PHONE)
    assert page.evaluate(FITS)
    screenshot(page, "import-undo-390")

    page.click("#confirm-undo")

    expect(page.locator(".messagelist .success")).to_contain_text("undone: 1 deleted, 1 restored")
    assert not Source.objects.filter(identifier="N-1").exists()
    assert Source.objects.get(identifier="C-1").title == "The old title"
