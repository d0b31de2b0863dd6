"""What a restore from the history puts back, and what it leaves as it is."""

from simple_history.utils import get_m2m_reverse_field_name

from .diffs import FieldChange, field_changes

# Workflow and bookkeeping fields: shown in the history, never restored from it.
NOT_RESTORED = {"id", "status", "published_at", "created_at", "created_by", "updated_at", "updated_by", "version"}


def restore_links(instance, record) -> None:
    """Put back the links a history record holds. A plain link list is set; links with data of their own (a
    person's role in a source) are rewritten row by row, so each comes back with its role."""
    for field in getattr(record, "_history_m2m_fields", []):
        through = field.remote_field.through
        rows = getattr(record, field.name).all()
        if through._meta.auto_created:
            target = get_m2m_reverse_field_name(field)
            getattr(instance, field.name).set(rows.values_list(target, flat=True))
            continue
        owner = field.m2m_field_name()
        columns = [f.attname for f in through._meta.fields if not f.primary_key and f.name != owner]
        through._default_manager.filter(**{owner: instance}).delete()
        through._default_manager.bulk_create(
            through(**{owner: instance}, **{name: getattr(row, name) for name in columns}) for row in rows
        )


def restore_changes(instance, record) -> list[FieldChange]:
    """What restoring `record` would change, field by field and link by link: `old` is the current value,
    `new` the restored one. Workflow and bookkeeping fields are left out: a restore keeps them as they are."""
    current = instance.history.order_by("-history_date", "-history_id").first()
    if current is None:
        return []
    return [change for change in field_changes(record, current) if change.field not in NOT_RESTORED]
