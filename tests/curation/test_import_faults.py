"""Faults the checks must catch before anything is written, and what another import does meanwhile.

A NUL character anywhere in the file (PostgreSQL cannot store one) is an error of its row and column, found
by the check (dry run) like any other. Another import that commits between this import's check and its write
(same new identifiers, or changes to the same records) makes the write an ordinary refusal naming those rows
and the other batch. The import's batch always ends failed or succeeded, never left running."""

import threading

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from archive.models import Agent, Event, Source
from curation.models import BatchStatus, ImportBatch
from curation.transfer import history_and_cache, writing
from curation.transfer.importer import run_import
from curation.transfer.reading import SAMPLE_BYTES
from tests.factories import EventFactory

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


# -- another import meanwhile (two real connections) ------------------------------------------------


def _in_own_thread(work):
    """Runs `work` in a thread of its own, hence on a database connection of its own; returns its result."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as exc:  # re-raised in the test
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _agents(*rows) -> bytes:
    return ("identifier,slug,name\r\n" + "".join(f"{i},{slug},Agent {i}\r\n" for i, slug in rows)).encode()


@pytest.mark.django_db(transaction=True)
def test_another_import_creating_the_same_identifiers_meanwhile_is_an_ordinary_refusal(importer, monkeypatch):
    """Import A has written (not committed) when import B checks; A commits as B writes. B is refused."""
    main = threading.get_ident()
    a_has_written, b_writes = threading.Event(), threading.Event()
    record_written, insert = history_and_cache.record_written, writing.insert

    def a_waits_for_b(**kwargs):
        if threading.get_ident() != main:
            a_has_written.set()
            assert b_writes.wait(60)
        return record_written(**kwargs)

    def b_lets_a_commit(model, rows):
        if threading.get_ident() == main:
            b_writes.set()  # B's insert now waits for A's commit, or finds A committed
        return insert(model, rows)

    monkeypatch.setattr(history_and_cache, "record_written", a_waits_for_b)
    monkeypatch.setattr(writing, "insert", b_lets_a_commit)
    thread, a = _in_own_thread(
        lambda: run_import("agents", stream(_agents(("x", "x"), ("y", "y"), ("z", "z"))), user=importer)
    )
    assert a_has_written.wait(60)

    b = run_import("agents", stream(_agents(("w", "x"), ("y", "y"), ("z", "z"))), user=importer)
    thread.join()

    assert "error" not in a and a["value"].batch.status == BatchStatus.SUCCEEDED
    first = a["value"].batch.pk
    assert [error.as_list() for error in b.errors] == [
        [
            2,
            "slug",
            "x",
            f"Refused: its slug “x” was given to x meanwhile by import batch #{first}. "
            "Nothing was written; import the file again.",
        ],
        [
            3,
            "identifier",
            "y",
            f"Refused: person or organisation “y” was created meanwhile by import batch #{first}. "
            "Nothing was written; import the file again.",
        ],
        [
            4,
            "identifier",
            "z",
            f"Refused: person or organisation “z” was created meanwhile by import batch #{first}. "
            "Nothing was written; import the file again.",
        ],
    ]
    assert ImportBatch.objects.get(pk=b.batch.pk).status == BatchStatus.FAILED
    assert sorted(Agent.objects.values_list("identifier", flat=True)) == ["x", "y", "z"]


def _events(*rows) -> bytes:
    return ("identifier,name\r\n" + "".join(f"{i},{name}\r\n" for i, name in rows)).encode()


@pytest.mark.django_db(transaction=True)
def test_a_lost_update_names_the_records_the_other_import_changed(importer, monkeypatch):
    """Import A checks E-1..E-3; before A writes, import B changes E-2 and commits. A's refusal names E-2 (the
    other import's record), not E-1 or E-3 (which A itself was writing)."""
    for number in (1, 2, 3):
        EventFactory(identifier=f"E-{number}", name=f"Event {number}")
    main = threading.get_ident()
    update = writing.update
    other = {}

    def b_writes_first(model, rows, **kwargs):
        if threading.get_ident() == main and not other:
            thread, other["b"] = _in_own_thread(
                lambda: run_import("events", stream(_events(("E-2", "Renamed by B"))), user=importer)
            )
            thread.join()
        return update(model, rows, **kwargs)

    monkeypatch.setattr(writing, "update", b_writes_first)

    a = run_import("events", stream(_events(("E-1", "A1"), ("E-2", "A2"), ("E-3", "A3"))), user=importer)

    b = other["b"]["value"].batch
    assert b.status == BatchStatus.SUCCEEDED
    assert [error.as_list() for error in a.errors] == [
        [
            3,
            "identifier",
            "E-2",
            f"Changed meanwhile by import batch #{b.pk}: it was version 1 when this file was "
            "checked, version 2 now. Nothing was written; import the file again.",
        ]
    ]
    assert ImportBatch.objects.get(pk=a.batch.pk).status == BatchStatus.FAILED
    assert dict(Event.objects.values_list("identifier", "name")) == {
        "E-1": "Event 1",
        "E-2": "Renamed by B",
        "E-3": "Event 3",
    }
