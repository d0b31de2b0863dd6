"""Background imports with Django's Tasks framework (django-tasks-db backend; run `manage.py db_worker`).

The admin hands a file over this size to the worker instead of importing it inside the request. The
pipeline is the same; the worker first checks the file (dry run), and the curator confirms from the
batch page, which queues the real import of the stored upload."""

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections
from django.tasks import task

from curation.models import BatchStatus, ImportBatch
from curation.transfer.importer import run_import

logger = logging.getLogger(__name__)


def background_threshold() -> int:
    return getattr(settings, "OPIS_IMPORT_BACKGROUND_BYTES", 5 * 2**20)


class _ProgressWriter:
    """Rows read so far, written on a connection of its own: the import's transaction is not yet
    committed, and the batch page must see progress while it runs."""

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self.connection = connections.create_connection("default")

    def __call__(self, rows: int) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("UPDATE curation_importbatch SET progress = %s WHERE id = %s", [rows, self.batch_id])
        except DatabaseError:
            logger.debug("progress of batch %s not written (database busy)", self.batch_id)

    def close(self):
        self.connection.close()


@task
def import_stored_file(*, batch_id: int) -> dict:
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    progress = _ProgressWriter(batch_id)
    try:
        with default_storage.open(batch.stored_file, "rb") as stream:
            result = run_import(
                batch.kind,
                stream,
                user=batch.user,
                file_name=batch.file_name,
                mode=batch.mode,
                dry_run=batch.dry_run,
                skip_unchanged=batch.skip_unchanged,
                encoding=batch.encoding_option or None,
                delimiter=batch.delimiter_option or None,
                progress=progress,
                batch=batch,
            )
    except Exception as exc:
        # The import's own transaction has been rolled back: nothing half-written. Say why.
        ImportBatch.objects.filter(pk=batch_id).update(status=BatchStatus.FAILED, message=f"Failed: {exc}")
        raise
    finally:
        progress.close()
    if not batch.dry_run or result.errors:
        default_storage.delete(batch.stored_file)
        ImportBatch.objects.filter(pk=batch_id).update(stored_file="")
    return {"status": result.batch.status, "errors": len(result.errors)}


def queue_import(*, batch: ImportBatch) -> ImportBatch:
    batch.status = BatchStatus.QUEUED
    batch.save()
    import_stored_file.enqueue(batch_id=batch.pk)
    return batch
