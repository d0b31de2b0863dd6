"""Writing validated rows in bulk: COPY for new rows, links and batch records, COPY into a temporary table
and one UPDATE … FROM for changed rows. Both bypass save(), so the stamps it would set, the derived dates
and the rendered commentary are set here."""

import json

from django.db import connection

from archive.markdown import render_markdown

from .cells import edtf_range
from .formats import Kind
from .keys import among


class LostUpdate(Exception):
    """Records changed between validation and writing (another import or curator saved them): `ids`."""

    def __init__(self, message: str, ids: set[int]):
        super().__init__(message)
        self.ids = ids


def record_attrs(kind: Kind, values: dict, *, user, now, created: bool, old_version: int | None) -> dict:
    attrs = {column.attr: values[column.name] for column in kind.scalars if column.attr}
    if kind.unit_numbers:
        attrs["unit_id"], attrs["fonds_id"] = values["unit"], values["fonds"]
    if kind.name == "units":
        attrs["fonds_id"] = values["fonds"]  # derived from the parent, as Unit.save does
    if kind.dated:
        span = edtf_range(values["date_edtf"]) if values["date_edtf"] else None
        attrs["date_start"], attrs["date_end"] = (span.start, span.end) if span else (None, None)
    if kind.name == "commentary":
        attrs["body_html"] = render_markdown(values["body"])
    if kind.editorial:
        attrs["updated_by_id"] = user.pk
        attrs["updated_at"] = now
        attrs["version"] = 1 if created else old_version + 1
        if created:
            attrs["created_by_id"] = user.pk
            attrs["created_at"] = now
    return attrs


# -- inserts ----------------------------------------------------------------------------------


def insert(model, rows: list[dict]) -> list[int]:
    """Insert rows (dicts of attnames); returns their new ids in order."""
    if not rows:
        return []
    ids = _allocate_ids(model, len(rows))
    for pk, row in zip(ids, rows, strict=True):
        row["id"] = pk
    copy_rows(model._meta.db_table, list(rows[0]), (list(row.values()) for row in rows))
    return ids


def _allocate_ids(model, count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


def copy_rows(table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        raw = getattr(cursor.cursor, "cursor", cursor.cursor)  # Django's debug wrapper, then psycopg's cursor
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


# -- updates ----------------------------------------------------------------------------------


def update(model, rows: list[dict], *, versioned: bool) -> None:
    """Update rows by "id"; with versioned, only where "version" is still the one read (else LostUpdate)."""
    if not rows:
        return
    # Table and column names below come from model metadata and are quoted; values travel by COPY.
    table = model._meta.db_table
    qn = connection.ops.quote_name
    fields = [name for name in rows[0] if name != "id"]
    temp = f"opis_import_{table}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        columns = ", ".join(qn(f) for f in fields)
        create = f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT id, {columns} FROM {qn(table)} WITH NO DATA"  # noqa: S608
        cursor.execute(create)
    copy_rows(temp, ["id", *fields], ([row["id"], *(row[f] for f in fields)] for row in rows))
    assignments = ", ".join(f"{qn(f)} = s.{qn(f)}" for f in fields)
    condition = "t.id = s.id" + (" AND t.version = s.version - 1" if versioned else "")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(table)} AS t SET {assignments} FROM {temp} AS s WHERE {condition} RETURNING t.id"  # noqa: S608
        )
        # The rows not updated are those someone else changed since they were read (or deleted): not the ones
        # this write has just changed itself, which now carry the new version too.
        lost = {row["id"] for row in rows} - {pk for (pk,) in cursor.fetchall()}
        if lost:
            raise LostUpdate(_lost_message(model, lost), lost)
        cursor.execute(f"DROP TABLE {temp}")


def _lost_message(model, lost: set[int]) -> str:
    identifiers = sorted(model._default_manager.filter(pk__in=lost).values_list("identifier", flat=True))
    shown = ", ".join(identifiers[:20]) + (f" and {len(identifiers) - 20} more" if len(identifiers) > 20 else "")
    return f"Changed by someone else meanwhile: {shown or 'records deleted since'}."


# -- links (many-to-many) ---------------------------------------------------------------------


def replace_links(column, owners: list[int], links: list[tuple]) -> None:
    """Delete the owners' current links in this column and insert the given (owner, *target) rows."""
    through = column.through
    if owners:
        through.objects.filter(among(through, column.owner.removesuffix("_id"), owners)).delete()
    if not links:
        return
    fields = [column.owner, column.target, *(("role",) if hasattr(column, "roles") else ())]
    copy_rows(through._meta.db_table, fields, links)


def insert_records(record_model, rows: list[dict]) -> None:
    """Batch records (undo snapshots), JSON columns serialised for COPY."""
    if not rows:
        return
    json_fields = {"before", "after"}
    columns = list(rows[0])
    copy_rows(
        record_model._meta.db_table,
        columns,
        (
            [
                json.dumps(row[c], ensure_ascii=False) if c in json_fields and row[c] is not None else row[c]
                for c in columns
            ]
            for row in rows
        ),
    )
