"""A curator in a real browser: upload a file with an error, fix it, preview, confirm, undo."""

import pytest
from django.urls import reverse

from archive.models import Source
from curation.models import BatchStatus, ImportBatch

from .conftest import FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")


def _upload(page, path):
    page.click("a.import_link")
    page.set_input_files("#id_import_file", str(path))
    page.click("#content input[type=submit]")


def test_curator_fixes_an_error_previews_confirms_and_undoes(page, live_server, importer, rgaspi, tmp_path):
    _login(page, live_server, importer)
    page.goto(live_server.url + reverse("admin:archive_source_changelist"))

    _upload(page, FILES / "unknown_repository.csv")
    page.wait_for_selector("text=Some rows failed to validate")
    assert page.locator(".validation-error-list").first.inner_text().count("Unknown repository “GARF”.") == 1
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
    page.wait_for_selector("text=undone: 1 deleted, 0 restored")
    assert not Source.objects.exists()
