"""Background imports with Django's Tasks framework (django-tasks-db backend; run `manage.py db_worker`).

The admin hands a file of more rows than OPIS_IMPORT_BACKGROUND_ROWS to the worker instead of importing it
inside the request, so the curator sees its progress on the batch page. The pipeline is the same; the worker
first checks the file (dry run), and the curator confirms from the batch page, which queues the real import
of the stored upload. A batch that failed for a reason outside the file (its process died, another import got
in the way) keeps the stored upload and can be retried."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task

from curation.models import BatchStatus, ImportBatch
from curation.transfer.importer import run_import
from curation.transfer.profiles import may_import


def background_threshold() -> int:
    """Files of more data rows than this (counted as lines, curation.transfer.reading.count_rows) are imported by
    the background worker."""
    return getattr(settings, "OPIS_IMPORT_BACKGROUND_ROWS", 2000)


class RetryRefused(Exception):
    pass


@task
def import_stored_file(*, batch_id: int) -> dict:
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
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
                batch=batch,
            )
    except Exception as exc:
        # Nothing half-written (run_import's transaction is rolled back); the upload is kept for a retry.
        ImportBatch.objects.filter(pk=batch_id, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]).update(
            status=BatchStatus.FAILED, message=f"Failed, nothing was written: {exc}"
        )
        raise
    # The upload is kept while it may still be used: a passed check awaits its confirmation, and a failure
    # that was not the file's fault may be retried.
    if not result.retryable and (not batch.dry_run or result.errors):
        default_storage.delete(batch.stored_file)
        ImportBatch.objects.filter(pk=batch_id).update(stored_file="")
    return {"status": result.batch.status, "errors": len(result.errors)}


def queue_import(*, batch: ImportBatch) -> ImportBatch:
    batch.status = BatchStatus.QUEUED
    batch.save()
    import_stored_file.enqueue(batch_id=batch.pk)
    return batch


def can_retry(batch: ImportBatch) -> bool:
    """A failed batch whose upload is still stored: it failed for a reason outside the file."""
    return batch.status == BatchStatus.FAILED and bool(batch.stored_file)


@transaction.atomic
def retry_batch(*, batch: ImportBatch, user) -> ImportBatch:
    """Queue a new batch for a failed batch's stored upload, with the same options (a check stays a check).
    The failed batch stays as the record of what happened; the upload moves to the new one."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not may_import(user, batch.kind):
        raise PermissionDenied(f"Retrying an import of {batch.kind} needs the right to import it.")
    if not can_retry(batch):
        raise RetryRefused(f"Batch #{batch.pk} cannot be retried: only a failed batch with its upload kept can.")
    retry = batch.queued_again(user=user, dry_run=batch.dry_run, expected_rows=batch.expected_rows)
    batch.message = f"{batch.message} Retried as batch #{retry.pk}.".strip()
    batch.save(update_fields=["stored_file", "message"])
    return queue_import(batch=retry)
