"""Dates for display: the derived range at the precision it has, in the active language's format."""

import calendar
from datetime import date

from django.utils.formats import date_format


def _is_whole_month(start: date, end: date) -> bool:
    return (
        (start.year, start.month) == (end.year, end.month)
        and start.day == 1
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )


def _is_whole_year(start: date, end: date) -> bool:
    return start.year == end.year and (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31)


def _point(start: date, end: date) -> str:
    if start == end:
        return date_format(start, "DATE_FORMAT")
    if _is_whole_month(start, end):
        return date_format(start, "YEAR_MONTH_FORMAT")
    if _is_whole_year(start, end):
        return str(start.year)
    return ""


def display_range(start: date | None, end: date | None) -> str:
    """1939-05-11/1939-09-16 gives "11 May 1939 – 16 September 1939"; 1934-11 gives "November 1934"."""
    if start is None or end is None:
        return ""
    whole = _point(start, end)
    if whole:
        return whole
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        return f"{date_format(start, 'YEAR_MONTH_FORMAT')} – {date_format(end, 'YEAR_MONTH_FORMAT')}"
    return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"
