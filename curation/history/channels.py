"""The channel every history record is labelled with: admin form, bulk action, workflow, restore, import, script.

A block names its channel with `changed_via`; otherwise a request means the admin form and no request a script.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from curation.models import ChangeChannel

_channel: ContextVar[tuple[str, str] | None] = ContextVar("opis_history_channel", default=None)


@contextmanager
def changed_via(via: str, batch: str = "") -> Iterator[None]:
    """Label every history record written inside the block, e.g. `with changed_via("import", batch=str(id))`."""
    token = _channel.set((ChangeChannel(via).value, batch))
    try:
        yield
    finally:
        _channel.reset(token)


@contextmanager
def default_via(via: str) -> Iterator[None]:
    """Like changed_via, unless an outer block already named the channel (a bulk action calling a service)."""
    if _channel.get() is not None:
        yield
    else:
        with changed_via(via):
            yield


def current_channel() -> tuple[str, str]:
    explicit = _channel.get()
    if explicit is not None:
        return explicit
    request = getattr(HistoricalRecords.context, "request", None)
    return (ChangeChannel.ADMIN.value if request is not None else ChangeChannel.SCRIPT.value), ""


@receiver(pre_create_historical_record)
def _stamp_channel(sender, history_instance, **kwargs):
    history_instance.history_via, history_instance.history_batch = current_channel()
