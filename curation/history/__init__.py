"""Who changed what, when and through what: the history of the records, kept by django-simple-history.

simple-history records every `save()` and `delete()` through signals. What this package adds, one job a module:

- channels: the channel (admin form, import, workflow…) and batch each history record is labelled with;
- bulk: history for bulk writes, which send no signals, written by the database in one INSERT … SELECT;
- deferred: one record for a save and its many-to-many links, instead of one per link change;
- diffs: the field-level differences a curator sees, the changes since a version, and how a version is named;
- restore: what a restore from the history puts back, and what it would change.

Import from here: `from curation.history import changed_via`.
"""

from .bulk import record_bulk_change, record_bulk_deletion, record_bulk_writes
from .channels import changed_via, current_channel, default_via
from .deferred import defer_history, one_record, record_deferred
from .diffs import FieldChange, changes_since, field_changes, history_with_changes, version_label, version_number
from .restore import NOT_RESTORED, restore_changes, restore_links

__all__ = [
    "NOT_RESTORED",
    "FieldChange",
    "changed_via",
    "changes_since",
    "current_channel",
    "default_via",
    "defer_history",
    "field_changes",
    "history_with_changes",
    "one_record",
    "record_bulk_change",
    "record_bulk_deletion",
    "record_bulk_writes",
    "record_deferred",
    "restore_changes",
    "restore_links",
    "version_label",
    "version_number",
]
