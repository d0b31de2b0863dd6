"""Cell-level rules of the import: formulae, HTML, dates."""

import re
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError

from archive.edtf import DateRange, date_range
from archive.models.base import MARKUP
from archive.spreadsheet import unescape_formula

RUSSIAN_DATE = re.compile(r"^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$")
PLAIN_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_text(raw: str) -> str:
    """Plain-text cells: refuse live formulae and HTML, undo our own escaping."""
    if raw.startswith(("=", "+", "-", "@")):
        raise CellError(
            f"Starts with “{raw[0]}”, which a spreadsheet runs as a formula; "
            f"to keep it as text, put an apostrophe before it ('{raw[0]}…)."
        )
    match = MARKUP.search(raw)  # the models' own rule: what the admin refuses, the import refuses
    if match:
        raise CellError(f"Contains HTML markup ({match.group(0)[:40]}); plain text only (Markdown in commentary).")
    return unescape_formula(raw)


def normalise_edtf(raw: str) -> str:
    """ISO/EDTF as is; 27.11.1934, 11.1934 and ranges of them (the Russian day.month.year habit) to ISO."""
    parts = raw.split("/")
    converted = []
    for part in parts:
        match = RUSSIAN_DATE.match(part.strip())
        if match:
            day, month, year = match.groups()
            part = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
        converted.append(part.strip())
    return "/".join(converted)


@lru_cache(maxsize=65536)
def edtf_range(value: str) -> DateRange:
    """Cached: files repeat dates, and the EDTF grammar is slow for the plain day the fast path handles."""
    match = PLAIN_ISO.match(value)
    if match and match.group(3):
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
        else:
            return DateRange(day, day)
    try:
        return date_range(value)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from exc
