"""One history record for a save and its many-to-many links, written once the links are saved too.

simple-history writes a record on `save()` and another on each change of a tracked link, and a form saves
the record before its links. Deferring the record keeps one version per edit, links included, so restoring
it brings the links back.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from curation.models import TrackedRecords


def defer_history(instance) -> None:
    """Hold back the history of a save until its many-to-many links are saved too (see record_deferred)."""
    if type(instance) in TrackedRecords.by_model:
        instance.skip_history_when_saving = True


def record_deferred(instance, *, created: bool = False) -> None:
    """One history record of the record and its links as they now stand, instead of one per link change."""
    if getattr(instance, "skip_history_when_saving", False):
        del instance.skip_history_when_saving
        TrackedRecords.by_model[type(instance)].create_historical_record(instance, "+" if created else "~")


@contextmanager
def one_record(instance, *, created: bool = False) -> Iterator[None]:
    """Save a record and its links inside the block; it is recorded once, at the end."""
    defer_history(instance)
    yield
    record_deferred(instance, created=created)
