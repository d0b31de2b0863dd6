"""History for bulk writes (`bulk_create`, `bulk_update`, `QuerySet.update`, COPY), which send no signals.

Whoever writes in bulk calls one of these afterwards, in the same transaction. The database writes the
records itself, one INSERT … SELECT per historical table: the record's tracked fields as stored (so F()
expressions and derived fields are recorded as they are), the history stamps, then its links.
"""

from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone

from curation.models import ChangeChannel, TrackedRecords


def record_bulk_change(*, instances: Iterable[models.Model], user, via: str, batch: str = "", reason: str = "") -> int:
    """Record history for rows written with bulk_create/bulk_update/update(), after the write.

    A row with history already is recorded as changed, any other as created. Returns the number of records.
    """
    instances = list(instances)
    if not instances:
        return 0
    model = instances[0]._meta.concrete_model
    ids = [obj.pk for obj in instances]
    existing = set(model.history.filter(id__in=ids).values_list("id", flat=True).distinct())
    return record_bulk_writes(model=model, ids=ids, updated=existing, user=user, via=via, batch=batch, reason=reason)


def record_bulk_writes(
    *, model, ids: list[int], updated: set[int], user, via: str, batch: str = "", reason: str = ""
) -> int:
    """Like record_bulk_change, for callers that know the ids and which of them were updated, not created."""
    return _insert_history(model, ids, updated, "", user=user, via=via, batch=batch, reason=reason)


def record_bulk_deletion(*, model, ids: list[int], user, via: str, batch: str = "", reason: str = "") -> int:
    """Record the deletion of these rows, with their links, before a bulk delete (which sends no signals)."""
    return _insert_history(model, ids, set(), "-", user=user, via=via, batch=batch, reason=reason)


# Table and column names below come from model metadata and are quoted; every value is a parameter.


def _insert_history(model, ids: list[int], updated: set[int], history_type: str, *, user, via, batch, reason) -> int:
    """One history record per id (type "~" for ids in `updated`, "+" for the others, or `history_type` for
    all), with its links as they stand. Returns the number of records."""
    via = ChangeChannel(via).value
    if not ids:
        return 0
    qn = connection.ops.quote_name
    history_model = model.history.model
    tracked = history_model.tracked_fields
    targets = [history_model._meta.get_field(f.name).column for f in tracked]
    stamps = [
        "history_type",
        "history_date",
        "history_user_id",
        "history_change_reason",
        "history_via",
        "history_batch",
    ]
    columns = ", ".join(qn(c) for c in [*targets, *stamps])
    selected = ", ".join(f"t.{qn(f.column)}" for f in tracked)
    sql = (
        f"INSERT INTO {qn(history_model._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {selected}, CASE WHEN t.id = ANY(%s) THEN %s ELSE %s END, %s, %s, %s, %s, %s "
        f"FROM {qn(model._meta.db_table)} AS t WHERE t.id = ANY(%s) ORDER BY t.id RETURNING history_id, id"
    )
    kinds = (history_type, history_type) if history_type else ("~", "+")
    params = [list(updated), *kinds, timezone.now(), getattr(user, "pk", None), reason, via, batch, list(ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    _insert_links(model, records)
    return len(records)


def _insert_links(model, records: list[tuple[int, int]]) -> None:
    """The links of the recorded rows as they stand: one INSERT … SELECT per tracked link field."""
    recorder = TrackedRecords.by_model.get(model)
    if recorder is None or not records:
        return
    qn = connection.ops.quote_name
    history_ids, owners = [r[0] for r in records], [r[1] for r in records]
    for field, link_history in recorder.m2m_models.items():
        if field.model is not model:
            continue  # simple-history keeps one m2m_models dict for every tracked model
        through = field.remote_field.through
        owner = through._meta.get_field(field.m2m_field_name()).column
        names = [f.name for f in through._meta.fields]
        targets = ", ".join(qn(link_history._meta.get_field(name).column) for name in names)
        selected = ", ".join(f"l.{qn(through._meta.get_field(name).column)}" for name in names)
        sql = (
            f"INSERT INTO {qn(link_history._meta.db_table)} (history_id, {targets}) "  # noqa: S608
            f"SELECT h.history_id, {selected} FROM {qn(through._meta.db_table)} AS l "
            f"JOIN unnest(%s::integer[], %s::bigint[]) AS h(history_id, owner) ON l.{qn(owner)} = h.owner"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [history_ids, owners])
