"""Faults the checks must catch before anything is written.

A NUL character anywhere in the file (PostgreSQL cannot store one) is an error of its row and column, found
by the check (dry run) like any other. The import's batch always ends failed or succeeded, never left running."""

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Source
from curation.models import BatchStatus, ImportBatch
from curation.transfer import writing
from curation.transfer.importer import run_import
from curation.transfer.reading import SAMPLE_BYTES

from .conftest import read, stream

NUL_MESSAGE = (
    "Contains a NUL character (byte 0, shown as \u2400) at position 16, which the database cannot store: remove it."
)


def _with_nul_far_down() -> tuple[bytes, int]:
    rows = "".join(f"R-{n},Запись беседы № {n},RGASPI\r\n" for n in range(2, 2000)).encode()
    assert len(rows) > SAMPLE_BYTES  # the NUL comes after the sample that detection reads
    return b"identifier,title,repository\r\n" + rows + b"R-X,A title with a \x00 byte,RGASPI\r\n", 2000


@pytest.mark.django_db
def test_a_nul_byte_after_the_sample_is_an_error_of_its_line_and_column_in_the_check(importer, rgaspi):
    data, line = _with_nul_far_down()

    result = run_import("sources", stream(data), user=importer, dry_run=True)

    assert [error.as_list() for error in result.errors] == [[line, "title", "A title with a \u2400 byte", NUL_MESSAGE]]
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.error_count) == (BatchStatus.FAILED, 1)
    assert batch.failed_rows["rows"] == [[line, "R-X", "A title with a \u2400 byte", "RGASPI"]]


@pytest.mark.django_db
def test_a_nul_byte_is_refused_by_the_admin_preview_and_never_reaches_confirm(client, importer, rgaspi):
    data, line = _with_nul_far_down()
    client.force_login(importer)
    payload = {"resource": "0", "format": "0", "mode": "upsert", "skip_unchanged": "on"}
    payload["import_file"] = SimpleUploadedFile("sources.csv", data, "text/csv")

    preview = client.post(reverse("admin:archive_source_import"), payload)

    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is None
    invalid = preview.context["result"].invalid_rows
    assert [(row.number, dict(row.field_specific_errors)) for row in invalid] == [
        (line, {"title": [f"“A title with a \u2400 byte”: {NUL_MESSAGE}"]})
    ]
    error_csv = client.get(reverse("admin:curation_importbatch_errors", args=[ImportBatch.objects.get().pk]))
    assert error_csv.status_code == 200
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_a_nul_byte_within_the_sample_is_named_too_and_nothing_is_written(importer, rgaspi):
    result = run_import("sources", stream(read("nul_in_cell.csv")), user=importer)

    assert [error.as_list()[:2] for error in result.errors] == [[3, "title"]]
    assert ImportBatch.objects.get().status == BatchStatus.FAILED
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_a_database_refusal_while_writing_fails_the_batch_with_the_reason(importer, rgaspi, monkeypatch):
    def refuse(*args, **kwargs):
        raise psycopg.errors.DataError("invalid byte sequence for encoding")

    monkeypatch.setattr(writing, "copy_rows", refuse)

    result = run_import("sources", stream(read("sources_utf8.csv")), user=importer)

    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert result.errors[0].message == (
        "The database refused the import, nothing was written: invalid byte sequence for encoding"
    )
    assert not Source.objects.exists()
