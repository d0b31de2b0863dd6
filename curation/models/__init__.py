"""The curators' own records: the history of every change, and the trace of every import batch."""

from .batches import BatchStatus, ImportBatch, ImportBatchRecord, ImportMode, RecordAction
from .tracking import TRACKED_LINKS, TRACKED_MODELS, ChangeChannel, HistoryChannel, TrackedRecords

__all__ = [
    "TRACKED_LINKS",
    "TRACKED_MODELS",
    "BatchStatus",
    "ChangeChannel",
    "HistoryChannel",
    "ImportBatch",
    "ImportBatchRecord",
    "ImportMode",
    "RecordAction",
    "TrackedRecords",
]
