"""Records as they stand in the database, column by column: what export writes, what a re-import
compares against, and what an import batch keeps so it can be undone."""

from collections import defaultdict

from archive.spreadsheet import escape_formula

from .formats import Kind
from .keys import Keys, among


def fetch(kind: Kind, queryset) -> list[dict]:
    """Rows of {column name: database value} plus "id" (and "version" for editorial records)."""
    extra = ["pk", "version"] if kind.editorial else ["pk"]
    if kind.unit_numbers:
        extra += ["unit_id", "fonds_id"]  # row["unit"] and row["fonds"]: what the fond, opis and delo resolve to
    scalars = kind.scalars
    rows = []
    for values in queryset.values_list(*extra, *(column.read for column in scalars)):
        row = {"id": values[0], "version": values[1] if kind.editorial else None}
        if kind.unit_numbers:
            row["unit"], row["fonds"] = values[len(extra) - 2 : len(extra)]
        offset = len(extra)
        for index, column in enumerate(scalars):
            row[column.name] = values[offset + index]
        rows.append(row)
    if rows and kind.links:
        by_id = {row["id"]: row for row in rows}
        for column in kind.links:
            links = defaultdict(list)
            fields = (column.owner, column.target, *(("role",) if hasattr(column, "roles") else ()))
            for owner, *value in column.through.objects.filter(
                among(column.through, column.owner.removesuffix("_id"), by_id)
            ).values_list(*fields):
                links[owner].append(tuple(value) if len(value) > 1 else value[0])
            for pk, row in by_id.items():
                row[column.name] = tuple(sorted(links.get(pk, ())))
    return rows


def dump(kind: Kind, row: dict, keys: Keys) -> dict[str, str]:
    """The CSV cells of one fetched row: natural keys for relations, formulae escaped as on export."""
    return {column.name: escape_formula(column.dump(row[column.name], keys)) for column in kind.columns}


def iter_chunks(kind: Kind, queryset, size: int = 2000):
    """Fetched rows in pk order, a chunk at a time, so memory stays flat however many records there are."""
    last = 0
    queryset = queryset.order_by("pk")
    while True:
        chunk = fetch(kind, queryset.filter(pk__gt=last)[:size])
        if not chunk:
            return
        last = chunk[-1]["id"]
        yield chunk
