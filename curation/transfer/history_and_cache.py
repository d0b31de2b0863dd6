"""What an import or an undo leaves beyond its batch: the history of each record and a fresh public cache.

Bulk writes send no model signals, so neither the history (django-simple-history) nor the public page
cache hears of them; the pipeline tells both, inside the import's own transaction.
"""

from archive.public.cache import public_changed
from curation.history import record_bulk_writes
from curation.models import TRACKED_MODELS, ChangeChannel, ImportBatch

CHUNK = 5000


def record_written(
    *, model, created: list[int], updated: list[int], user, batch: ImportBatch, reason: str = ""
) -> None:
    """History for the rows written, as stored (parents set last included); the public cache is stale from the
    commit on."""
    if model in TRACKED_MODELS:
        ids, updated = [*created, *updated], set(updated)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            record_bulk_writes(
                model=model,
                ids=chunk,
                updated=updated.intersection(chunk),
                user=user,
                via=ChangeChannel.IMPORT,
                batch=str(batch.pk),
                reason=reason,
            )
    # In the import's transaction: the public generation moves when (and only if) it commits.
    public_changed()
