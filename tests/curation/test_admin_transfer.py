"""The admin door: same pipeline as the command line, preview before writing, rights enforced."""

import csv
import io

import pytest
from django.conf import settings as settings_module
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.models import Source
from curation.models import BatchStatus, ImportBatch
from curation.transfer.formats import KINDS
from tests.factories import SourceFactory, UserFactory

from .conftest import archive_permissions, read

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:archive_source_import")
PROCESS_URL = reverse("admin:archive_source_process_import")
EXPORT_URL = reverse("admin:archive_source_export")


def upload(client, name, data=None, **options):
    payload = {
        "resource": "0",
        "format": "0",
        "mode": "upsert",
        "skip_unchanged": "on",
        "encoding": "",
        "delimiter": "",
        **options,
    }
    payload["import_file"] = SimpleUploadedFile(name, data if data is not None else read(name), "text/csv")
    return client.post(IMPORT_URL, payload)


def confirm(client, preview):
    form = preview.context["confirm_form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["skip_unchanged"] = "on" if data.get("skip_unchanged") else ""
    return client.post(PROCESS_URL, data)


def export_sources() -> list[list[str]]:
    out = io.StringIO()
    call_command("export_records", "sources", stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_preview_shows_the_diff_and_writes_nothing_until_confirmed(client, importer, rgaspi):
    SourceFactory(identifier="T-1934-11-27", title="Old title", repository=rgaspi)
    client.force_login(importer)

    preview = upload(client, "sources_cp1251_semicolon.csv")

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "<del>Old title</del> <ins>Record of the negotiations of 27 November 1934</ins>" in html
    assert "2 rows: 1 to create, 1 to update, 0 unchanged; 0 errors (file read as cp1251)." in html
    assert Source.objects.get(identifier="T-1934-11-27").title == "Old title"

    done = confirm(client, preview)

    assert done.status_code == 302
    assert Source.objects.get(identifier="T-1934-11-27").title == "Record of the negotiations of 27 November 1934"
    batch = ImportBatch.objects.filter(dry_run=False).get()
    assert (batch.status, batch.created, batch.updated, batch.user) == (BatchStatus.SUCCEEDED, 1, 1, importer)


def test_preview_lists_row_errors_with_line_column_and_offers_the_error_csv(client, importer, rgaspi):
    client.force_login(importer)

    preview = upload(client, "unknown_repository.csv")

    html = preview.content.decode()
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert '<td class="opis-cell-error">GARF<p class="opis-error-message">Unknown repository “GARF”.</p></td>' in html
    invalid = preview.context["result"].invalid_rows
    assert [(row.number, dict(row.field_specific_errors)) for row in invalid] == [
        (3, {"repository": ["“GARF”: Unknown repository “GARF”."]})
    ]
    batch = ImportBatch.objects.get()
    errors_url = reverse("admin:curation_importbatch_errors", args=[batch.pk])
    assert errors_url in html
    error_csv = client.get(errors_url).content.decode("utf-8-sig")
    assert error_csv.splitlines()[1].endswith("repository: Unknown repository “GARF”.")
    assert not Source.objects.exists()


def test_a_confirm_refused_after_the_preview_says_so_and_writes_nothing(client, importer, rgaspi):
    client.force_login(importer)
    preview = upload(client, "sources_utf8.csv", mode="create")
    assert "0 errors" in preview.content.decode()
    SourceFactory(identifier="T-1934-11-27", repository=rgaspi)  # created meanwhile, by someone else

    done = client.get(confirm(client, preview)["Location"]).content.decode()

    batch = ImportBatch.objects.filter(dry_run=False).get()
    assert batch.status == BatchStatus.FAILED
    assert f"Import batch <a href='{batch.get_absolute_url()}'>#{batch.pk}</a> failed; nothing was written." in done
    assert "line 2, column identifier, value “T-1934-11-27”: A record with this identifier exists" in done
    assert "It can be undone" not in done
    assert Source.objects.count() == 1


def test_file_errors_show_as_errors(client, importer, rgaspi):
    client.force_login(importer)

    preview = upload(client, "bad_encoding.csv")

    assert "Line 3: The file is mostly UTF-8 but has bytes that are not" in preview.content.decode()
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None


def test_both_doors_give_the_same_result(client, importer, rgaspi):
    call_command(
        "import_records", "sources", "tests/files/sources_cp1251_semicolon.csv", user="importer", stdout=io.StringIO()
    )
    by_command = export_sources()
    assert [row[0] for row in by_command] == ["identifier", "T-1934-11-27", "T-1936-03-12"]
    command_batch = ImportBatch.objects.get()
    Source.objects.all().delete()

    client.force_login(importer)
    confirm(client, upload(client, "sources_cp1251_semicolon.csv"))

    assert export_sources() == by_command
    admin_batch = ImportBatch.objects.filter(dry_run=False).exclude(pk=command_batch.pk).get()
    assert admin_batch.checksum == command_batch.checksum
    assert (admin_batch.created, admin_batch.encoding, admin_batch.delimiter) == (2, "cp1251", ";")


def test_command_fails_with_nonzero_exit_and_names_the_error(importer, rgaspi):
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_records", "sources", "tests/files/bad_date.csv", user="importer", stderr=err)
    assert "line 3, column date_edtf, value “1936-13-45”: “1936-13-45” is not a valid EDTF date" in err.getvalue()
    assert not Source.objects.exists()


def test_admin_export_is_excel_ready_and_neutralises_formulae(client, importer, rgaspi):
    SourceFactory(identifier="S-1", title="=cmd|' /C calc'!A0", title_original="Доклад", repository=rgaspi)
    client.force_login(importer)
    fields = {f"sourceresource_{name}": "on" for name in KINDS["sources"].header}

    response = client.post(EXPORT_URL, {"format": "0", "resource": "0", **fields})

    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0]["title"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["title_original"] == "Доклад"
    assert list(rows[0]) == KINDS["sources"].header


def test_buttons_and_views_need_the_import_and_export_rights(client, rgaspi):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.set(archive_permissions("view_", "change_"))
    client.force_login(viewer)

    changelist = client.get(reverse("admin:archive_source_changelist")).content.decode()

    assert IMPORT_URL not in changelist and EXPORT_URL not in changelist
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, "sources_utf8.csv").status_code == 403
    assert client.post(EXPORT_URL, {"format": "0"}).status_code == 403
    assert not Source.objects.exists()


def test_importer_sees_the_buttons(client, importer):
    client.force_login(importer)

    changelist = client.get(reverse("admin:archive_agent_changelist")).content.decode()

    assert reverse("admin:archive_agent_import") in changelist
    assert reverse("admin:archive_agent_export") in changelist


def test_undo_from_the_batch_list_leads_to_its_confirmation_page(client, importer, rgaspi):
    client.force_login(importer)
    confirm(client, upload(client, "sources_utf8.csv"))
    batch = ImportBatch.objects.get(status=BatchStatus.SUCCEEDED)

    response = client.post(
        reverse("admin:curation_importbatch_changelist"), {"action": "undo_selected", "_selected_action": [batch.pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:curation_importbatch_undo", args=[batch.pk])
    assert Source.objects.count() == 2  # nothing undone yet
    done = client.post(response["Location"], follow=True)
    assert "undone: 2 deleted, 0 restored" in done.content.decode()
    assert not Source.objects.exists()


def test_the_import_form_states_the_upload_limit(client, importer):
    client.force_login(importer)

    page = client.get(IMPORT_URL).content.decode()

    assert "of at most 20.0\xa0MB; larger files: manage.py import_records." in page


def test_admin_refuses_a_file_over_the_documented_limit(client, importer, rgaspi):
    assert settings_module.OPIS_MAX_UPLOAD_BYTES == 20 * 2**20  # the limit docs/csv.md states
    client.force_login(importer)
    row = b"R-1,A title,RGASPI\n"
    data = b"identifier,title,repository\n" + row * (20 * 2**20 // len(row) + 1)
    assert len(data) > 20 * 2**20

    response = upload(client, "big.csv", data)

    assert response.status_code == 200
    assert "“big.csv” is 20.0\xa0MB; the limit is 20.0\xa0MB. Use manage.py import_records" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_admin_limit_follows_the_setting(client, importer, rgaspi, settings):
    settings.OPIS_MAX_UPLOAD_BYTES = 100
    client.force_login(importer)

    response = upload(client, "sources_utf8.csv")

    assert "the limit is 100\xa0bytes. Use manage.py import_records" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.fixture
def run_worker(monkeypatch):
    """The real db_worker, run until the queue is empty. It closes "old" connections between tasks,
    which would close the test's own transaction: that one step is switched off here."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=io.StringIO())


def test_big_files_are_checked_then_imported_by_the_task_worker(client, importer, rgaspi, settings, run_worker):
    settings.OPIS_IMPORT_BACKGROUND_ROWS = 1
    client.force_login(importer)

    response = upload(client, "sources_cp1251_semicolon.csv")

    check = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    assert (check.status, check.dry_run, check.expected_rows) == (BatchStatus.QUEUED, True, 2)
    assert "Waiting for the background worker." in client.get(check.get_absolute_url()).content.decode()

    run_worker()

    check.refresh_from_db()
    assert (check.status, check.created, check.progress, check.encoding) == (BatchStatus.PREVIEWED, 2, 2, "cp1251")
    assert not Source.objects.exists()
    page = client.get(check.get_absolute_url()).content.decode()
    assert "The check passed: 2 to create, 0 to update, 0 unchanged." in page

    client.post(reverse("admin:curation_importbatch_confirm", args=[check.pk]))
    run_worker()

    done = ImportBatch.objects.exclude(pk=check.pk).get()
    assert (done.status, done.created, done.dry_run, done.user) == (BatchStatus.SUCCEEDED, 2, False, importer)
    assert done.expected_rows == 2
    assert Source.objects.count() == 2
    assert done.stored_file == ""


def test_a_background_check_with_errors_cannot_be_confirmed(client, importer, rgaspi, settings, run_worker):
    settings.OPIS_IMPORT_BACKGROUND_ROWS = 1
    client.force_login(importer)
    upload(client, "unknown_repository.csv")

    run_worker()

    check = ImportBatch.objects.get()
    assert (check.status, check.error_count) == (BatchStatus.FAILED, 1)
    assert "Import it now" not in client.get(check.get_absolute_url()).content.decode()
    assert client.post(reverse("admin:curation_importbatch_confirm", args=[check.pk])).status_code == 404
    assert not Source.objects.exists()


def test_preview_escapes_text_once(client, importer, rgaspi):
    SourceFactory(identifier="T-OLD", title="Tōgō's note", repository=rgaspi)
    client.force_login(importer)
    data = "identifier,title,repository\nT-NEW,Mongolian People's Republic,RGASPI\nT-OLD,Molotov's reply,RGASPI\n"
    html = upload(client, "apostrophes.csv", data.encode()).content.decode()
    assert "Mongolian People&#x27;s Republic" in html
    assert "<del>Tōgō&#x27;s note</del> <ins>Molotov&#x27;s reply</ins>" in html
    assert "&amp;#x27;" not in html
