"""What an import or an undo leaves beyond its batch: the history of each record and a fresh public cache.

Bulk writes send no model signals, so neither the history (django-simple-history) nor the public page
cache hears of them; the pipeline tells both, inside the import's own transaction, naming the records written (the
facet index then updates those sources instead of being built again).
"""

from archive.public.cache import TAGGED, public_changed
from archive.public.changes import list_tag, record_tag
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
    public_changed(tags=written_tags(model, [*created, *updated]))


def written_tags(model, ids) -> set[str]:
    """The tags of records written or deleted in bulk: each record, its kind's lists, and the lists of the kinds
    it links to (their pages may list or count it). Beyond archive.public.generation.MOST_TAGS, everything."""
    linked = {field.related_model for field in model._meta.get_fields() if field.is_relation and field.concrete}
    return {record_tag(model, pk) for pk in ids} | {list_tag(kind) for kind in {model, *(linked & TAGGED)}}
