"""The error report: every error as line, column, value, message, and the failing rows ready to fix."""

import csv
from collections import defaultdict
from typing import TextIO

from archive.spreadsheet import escape_formula
from curation.models import ImportBatch


def format_error(line: int, column: str, value: str, message: str) -> str:
    where = f"line {line}" if line else "file"
    if column:
        where += f", column {column}"
    shown = f", value “{value[:60]}”" if value else ""
    return f"{where}{shown}: {message}"


def write_error_csv(batch: ImportBatch, out: TextIO) -> int:
    """The failing rows as they were in the file, with an "error" column; fix them and import that file.
    Errors about the file itself (encoding, header) have no row, so they come as rows of their own."""
    header = batch.failed_rows.get("header") or []
    rows = batch.failed_rows.get("rows") or []
    by_line = defaultdict(list)
    for line, column, _value, message in batch.errors:
        by_line[line].append(f"{column}: {message}" if column else message)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*header, "error"] if header else ["line", "error"])
    written = set()
    for line, *cells in rows:
        writer.writerow([escape_formula(cell) for cell in cells] + [escape_formula("; ".join(by_line[line]))])
        written.add(line)
    for line, messages in by_line.items():
        if line not in written:
            filler = [""] * len(header) if header else [line]
            writer.writerow([*filler, escape_formula(f"line {line}: " + "; ".join(messages))])
    return len(by_line)
