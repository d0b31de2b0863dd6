"""What an import or an undo leaves beyond its batch: the history of each record and a fresh public cache.

Bulk writes send no model signals, so neither the history (django-simple-history) nor the public page
cache hears of them; the pipeline tells both, inside the import's own transaction.
"""

from collections.abc import Iterable

from django.db import transaction

from archive.cache import public_changed
from curation.history import record_bulk_change
from curation.models import TRACKED_MODELS, ChangeChannel, ImportBatch

CHUNK = 2000


def record_written(*, model, ids: Iterable[int], user, batch: ImportBatch, reason: str = "") -> None:
    if model in TRACKED_MODELS:
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            record_bulk_change(
                instances=[model(pk=pk) for pk in ids[start : start + CHUNK]],
                user=user,
                via=ChangeChannel.IMPORT,
                batch=str(batch.pk),
                reason=reason,
            )
    # After commit: a page rendered before the commit must not be cached under the new generation.
    transaction.on_commit(public_changed)
