"""What an import or an undo leaves beyond its batch: the history of each record and a fresh public cache.

Bulk writes send no model signals, so neither the history (django-simple-history) nor the public page
cache hears of them; the pipeline tells both, inside the import's own transaction.
"""

from archive.public.cache import public_changed, written_tags
from curation.history import record_bulk_writes
from curation.models import TRACKED_MODELS, ChangeChannel, ImportBatch

CHUNK = 5000


def record_written(
    *, model, created: list[int], updated: list[int], user, batch: ImportBatch, reason: str = "", deleted: bool = False
) -> None:
    """History for the rows written, as stored (parents set last included); the public pages showing them are
    stale from the commit on: the created records' own and those they link to. Updated records (or records
    `deleted` before this call) may have linked elsewhere before, which is not known here: then every page is."""
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
    # In the import's transaction: the pages are stale when (and only if) it commits.
    public_changed(tags=None if updated or deleted else written_tags(model, created))
