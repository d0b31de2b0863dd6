"""Batches whose importing process died are recognised, marked failed with the reason, and offered again.

Every import holds a lease (a PostgreSQL advisory lock on a connection of its own) while its batch runs; the
lease ends with the process. The batch list, the batch page and the next import fail the running batches whose
lease is free: no clocks involved."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from archive.models import Source
from curation.models import BatchStatus, ImportBatch, ImportBatchRecord
from curation.transfer.importer import run_import
from curation.transfer.lease import ImportLease
from tests.connections import database_url

from .conftest import read, stream

ROOT = Path(settings.BASE_DIR)


def _running_batch(lease_key, **fields) -> ImportBatch:
    fields = {"kind": "sources", "file_name": "sources.csv", "progress": 15750, **fields}
    return ImportBatch.objects.create(
        status=BatchStatus.RUNNING, lease_key=lease_key, owner="worker-1, pid 4242", **fields
    )


def _free_key() -> int:
    """A lease key as a killed process leaves it: recorded on its batch, held by no one."""
    with ImportLease() as lease:
        return lease.key


@pytest.mark.django_db
def test_the_batch_page_fails_a_batch_whose_process_died_and_says_why(client, importer):
    batch = _running_batch(_free_key(), user=importer)
    client.force_login(importer)

    page = client.get(batch.get_absolute_url()).content.decode()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert batch.message == (
        "The importing process (worker-1, pid 4242) ended before the import finished (killed or crashed), "
        "after 15,750 rows read. Nothing was written."
    )
    assert batch.message in page
    assert 'id="batch-progress"' not in page and 'http-equiv="refresh"' not in page
    assert "upload the file again from the" in page and reverse("admin:archive_source_import") in page


@pytest.mark.django_db
def test_a_batch_whose_process_lives_stays_running(client, importer):
    with ImportLease() as lease:
        batch = _running_batch(lease.key, user=importer)
        client.force_login(importer)

        page = client.get(batch.get_absolute_url()).content.decode()
        listing = client.get(reverse("admin:curation_importbatch_changelist"))

        assert listing.status_code == 200
        batch.refresh_from_db()
        assert batch.status == BatchStatus.RUNNING
        assert "Running: 15,750 rows read so far." in page


@pytest.mark.django_db
def test_the_batch_list_fails_dead_batches(client, importer):
    dead = [_running_batch(_free_key()), _running_batch(None)]  # the second from before leases existed
    client.force_login(importer)

    listing = client.get(reverse("admin:curation_importbatch_changelist"))

    assert listing.status_code == 200
    assert {batch.status for batch in ImportBatch.objects.filter(pk__in=[b.pk for b in dead])} == {BatchStatus.FAILED}


@pytest.mark.django_db
def test_the_next_import_fails_dead_batches(importer, rgaspi):
    dead = _running_batch(_free_key(), kind="agents")

    assert run_import("sources", stream(read("sources_utf8.csv")), user=importer).ok

    dead.refresh_from_db()
    assert dead.status == BatchStatus.FAILED and dead.message.endswith("Nothing was written.")


@pytest.fixture
def run_worker(monkeypatch):
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_dead_background_import_keeps_its_upload_and_the_page_offers_a_retry(client, importer, rgaspi, run_worker):
    stored = default_storage.save("imports/dead.csv", ContentFile(read("sources_utf8.csv")))
    dead = _running_batch(_free_key(), user=importer, stored_file=stored, file_name="sources_utf8.csv")
    client.force_login(importer)

    page = client.get(dead.get_absolute_url()).content.decode()

    retry_url = reverse("admin:curation_importbatch_retry", args=[dead.pk])
    assert f'action="{retry_url}"' in page and "Retry" in page
    response = client.post(retry_url)
    retried = ImportBatch.objects.exclude(pk=dead.pk).get()
    assert response["Location"] == retried.get_absolute_url()
    assert (retried.status, retried.stored_file, retried.dry_run) == (BatchStatus.QUEUED, stored, False)

    run_worker()

    retried.refresh_from_db()
    assert (retried.status, retried.created) == (BatchStatus.SUCCEEDED, 2)
    assert Source.objects.count() == 2
    dead.refresh_from_db()
    assert (dead.status, dead.stored_file) == (BatchStatus.FAILED, "")
    assert f"Retried as batch #{retried.pk}." in dead.message
    assert client.post(retry_url).status_code == 302 and ImportBatch.objects.count() == 2  # once only


# -- fault injection: kill -9 of a real import --------------------------------------------------------


def _database_url() -> str:
    """The database this test runs against (pytest's test database), as a URL for another process."""
    return database_url(connection.settings_dict)


def _import_command(path: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "archive.settings.test"}
    command = [sys.executable, "manage.py", "import_records", "sources", str(path), "--user", "importer"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _poll_batch(process, rows: int) -> ImportBatch:
    """The command's batch, once it is running and has read and written every row (deadline: one minute)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch = ImportBatch.objects.filter(status=BatchStatus.RUNNING, progress=rows).first()
        if batch is not None:
            return batch
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)  # a poll interval, not a wait for something to happen
    pytest.fail("the import never showed its progress")


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_way_is_failed_with_the_reason_and_a_rerun_writes_everything_once(
    client, importer, rgaspi, tmp_path
):
    rows = 3000
    path = tmp_path / "sources.csv"
    path.write_text(
        "identifier,title,repository\n" + "".join(f"K-{n:05},Kill test {n},RGASPI\n" for n in range(rows)),
        encoding="utf-8",
    )
    # The history of the written rows comes last, inside the import's transaction: while this connection
    # holds the history table, the import has written every row (uncommitted) and cannot finish.
    blocker = psycopg.connect(_database_url().replace("postgres://", "postgresql://"))
    blocker.execute("LOCK TABLE curation_historicalsource IN SHARE MODE")
    process = _import_command(path)
    try:
        batch = _poll_batch(process, rows)
        assert batch.owner.endswith(f"pid {process.pid}")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        process.kill()
        blocker.rollback()
        blocker.close()
    assert process.returncode == -signal.SIGKILL
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING and not Source.objects.exists()  # killed, rolled back, not yet seen

    client.force_login(importer)
    page = client.get(batch.get_absolute_url()).content.decode()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert batch.message.startswith(f"The importing process ({batch.owner}) ended before the import finished")
    assert "after 3,000 rows read. Nothing was written." in batch.message and batch.message in page
    assert "manage.py import_records sources FILE" in page

    rerun = _import_command(path)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    assert "3000 rows, 3000 created" in out.decode()
    done = ImportBatch.objects.get(status=BatchStatus.SUCCEEDED)
    assert Source.objects.count() == rows
    assert Source.objects.values("identifier").distinct().count() == rows
    assert ImportBatchRecord.objects.filter(batch=done).count() == rows
    assert Source.history.count() == rows
    assert list(ImportBatch.objects.order_by("pk").values_list("status", flat=True)) == [
        BatchStatus.FAILED,
        BatchStatus.SUCCEEDED,
    ]
