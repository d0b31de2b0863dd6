"""Export: the same columns the import reads, natural keys for relations, every cell formula-escaped."""

import csv
from collections.abc import Iterator
from typing import TextIO

from django.db.models import Q

from archive.models import Level, Unit

from .formats import Kind
from .keys import Keys
from .stored import dump, iter_chunks


def export_rows(kind: Kind, queryset) -> Iterator[list[str]]:
    """The header, then one list of cells per record, read a chunk at a time."""
    yield kind.header
    keys = Keys()
    for chunk in iter_chunks(kind, queryset):
        keys.load_for_export(kind, chunk)
        for row in chunk:
            cells = dump(kind, row, keys)
            yield [cells[name] for name in kind.header]


def write_csv(kind: Kind, queryset, out: TextIO, *, delimiter: str = ",", progress=None) -> int:
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    count = -1
    for count, cells in enumerate(export_rows(kind, queryset)):
        writer.writerow(cells)
        if progress and count and count % 2000 == 0:
            progress(count)
    return max(count, 0)


def units_under(unit: Unit):
    """The unit and every unit under it: what `export_records units --under IDENTIFIER` writes."""
    if unit.level == Level.FONDS:
        return Unit.objects.filter(Q(pk=unit.pk) | Q(fonds=unit))  # one indexed lookup, whatever the depth
    return Unit.objects.filter(Q(pk=unit.pk) | Q(parent=unit) | Q(parent__parent=unit))
