"""Batches left running by a process that died (killed, crashed, its machine restarted): recognised by their
free lease (curation.transfer.lease) and marked failed with the reason. Nothing of theirs was written: their
transaction ended with their session."""

from collections.abc import Iterable

from django.db import transaction

from curation.models import BatchStatus, ImportBatch

from .lease import lease_is_held


def fail_dead_batches(*, batch_ids: Iterable[int] | None = None) -> list[int]:
    """Mark failed every running batch (or those of `batch_ids`) whose process is gone; returns their ids."""
    running = ImportBatch.objects.filter(status=BatchStatus.RUNNING)
    if batch_ids is not None:
        running = running.filter(pk__in=list(batch_ids))
    return [pk for pk, key in running.values_list("pk", "lease_key") if _fail_if_dead(pk=pk, lease_key=key)]


@transaction.atomic
def _fail_if_dead(*, pk: int, lease_key: int | None) -> bool:
    # A running batch without a lease predates leases: nothing can be running it any more.
    if lease_key is not None and lease_is_held(lease_key):
        return False
    # Still running with the same lease: an import that finished meanwhile has saved its own status first.
    batch = (
        ImportBatch.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, status=BatchStatus.RUNNING, lease_key=lease_key)
        .first()
    )
    if batch is None:
        return False
    owner = f" ({batch.owner})" if batch.owner else ""
    batch.status = BatchStatus.FAILED
    batch.message = (
        f"The importing process{owner} ended before the import finished (killed or crashed), "
        f"after {batch.progress:,} rows read. Nothing was written."
    )
    batch.save(update_fields=["status", "message"])
    return True
