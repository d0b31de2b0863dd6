"""The admin's preview of an import as a table: the file's own columns, its new, changed and failing rows in file
order with each error in the cell it is about, and its unchanged rows apart (the page folds them)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from curation.transfer.formats import Kind
from curation.transfer.importer import PREVIEW_ROWS, ImportResult
from curation.transfer.validation import IGNORED_COLUMNS, shown

CELL_CHARS = 300  # a longer cell is cut in the preview: the whole text is in the file
LONG_CELL_CHARS = 60  # a cell this long gets a wider column
MAX_FILE_ERRORS = 100  # listed above the table; all of them are in the error CSV
ACTIONS = {"create": "new", "update": "update", "unchanged": "unchanged"}
ACTION_LABELS = {"new": _("New"), "update": _("Changed"), "unchanged": _("Unchanged"), "error": _("Error")}


@dataclass
class Column:
    name: str
    label: str  # the model field's verbose name


@dataclass
class Cell:
    value: str
    old: str | None = None  # the value before, when the row changes this cell
    errors: list[str] = field(default_factory=list)

    @property
    def classes(self) -> str:
        """The cell's marks: an error, a change, a long text (a wider column)."""
        marks = ["opis-cell-error" if self.errors else "opis-cell-changed" if self.old is not None else ""]
        if max(len(self.value), len(self.old or "")) > LONG_CELL_CHARS:
            marks.append("opis-cell-long")
        return " ".join(mark for mark in marks if mark)


@dataclass
class Row:
    line: int
    action: str  # "new", "update", "unchanged" or "error"
    cells: list[Cell]
    messages: list[str] = field(default_factory=list)  # errors not about one of the shown cells
    error_columns: list[str] = field(default_factory=list)  # the labels of the cells with errors

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class Preview:
    columns: list[Column]
    rows: list[Row]  # new, changed and failing rows, in file order
    unchanged: list[Row]
    unchanged_count: int
    error_lines: list[int]  # the failing rows' lines, in file order
    file_errors: list[str]  # errors of the file as a whole, or of rows not in the table (the first MAX_FILE_ERRORS)
    more_file_errors: int
    truncated: bool  # the file has more rows than the preview holds


def build_preview(kind: Kind, imported: ImportResult) -> Preview:
    header = imported.header
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in kind.by_name and name not in IGNORED_COLUMNS:
            positions.setdefault(name, index)
    columns = [Column(name, capfirst(kind.by_name[name].label)) for name in positions]

    def cells_of(raw: list[str]) -> list[Cell]:
        return [Cell(_cut(raw[index]) if index < len(raw) else "") for index in positions.values()]

    rows: dict[int, Row] = {}
    for plan in imported.preview:
        row = Row(plan.line, ACTIONS[plan.action], cells_of(plan.raw))
        if plan.action == "update":
            for cell, name in zip(row.cells, positions, strict=True):
                if name in plan.before:
                    cell.old = _cut(plan.before[name])
                    cell.value = _cut(plan.after.get(name, cell.value))
        rows[plan.line] = row
    for line, raw in imported.error_rows[:PREVIEW_ROWS]:
        rows[line] = Row(line, "error", cells_of([shown(cell) for cell in raw]))

    file_errors, error_lines = [], []
    by_line = defaultdict(list)
    for error in imported.errors:
        by_line[error.line].append(error)
    index_of = {name: i for i, name in enumerate(positions)}
    for line, errors in sorted(by_line.items()):
        row = rows.get(line)
        if row is None or line < 2:
            file_errors.extend(_where(error) + error.message for error in errors)
            continue
        row.action = "error"
        error_lines.append(line)
        for error in errors:
            if error.column in index_of:
                row.cells[index_of[error.column]].errors.append(error.message)
                label = columns[index_of[error.column]].label
                if label not in row.error_columns:
                    row.error_columns.append(label)
            else:
                row.messages.append(f"{error.column}: {error.message}" if error.column else error.message)

    ordered = sorted(rows.values(), key=lambda row: row.line)
    batch = imported.batch
    planned = batch.created + batch.updated + batch.unchanged
    return Preview(
        columns=columns,
        rows=[row for row in ordered if row.action != "unchanged"],
        unchanged=[row for row in ordered if row.action == "unchanged"],
        unchanged_count=batch.unchanged,
        error_lines=error_lines,
        file_errors=file_errors[:MAX_FILE_ERRORS],
        more_file_errors=max(len(file_errors) - MAX_FILE_ERRORS, 0),
        truncated=planned > len(imported.preview) or len(imported.error_rows) > PREVIEW_ROWS,
    )


def _cut(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS] + "…"


def _where(error) -> str:
    if not error.line:
        return ""
    return f"Line {error.line}, column {error.column}: " if error.column else f"Line {error.line}: "
