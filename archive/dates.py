"""Dates for display: an EDTF value in words, in the active language, keeping what it says of certainty.

"1936-03?" is "March 1936 (?)", "1936~" is "about 1936" ("около 1936 г."), "[1939-05..1939-09]" is one date
between May and September 1939, "193X" the 1930s. Russian puts months and seasons in the case the phrase
needs ("около марта", "с мая по сентябрь"). A value beyond these forms falls back to the range it covers.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language

from .dates_words import WORDS, Words

_POINT = re.compile(r"^(?P<year>\d{3}[\dX])(?:-(?P<part>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?(?P<mark>[?~%]?)$")
_SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}


@dataclass(frozen=True)
class Point:
    """One date of an EDTF value at the precision it was given."""

    year: str
    month: int | None = None
    day: int | None = None
    season: str | None = None
    mark: str = ""

    @property
    def decade(self) -> bool:
        return self.year.endswith("X")


def _point(text: str) -> Point | None:
    match = _POINT.match(text.strip())
    if not match or "X" in match["year"][:3]:
        return None
    part, day = match["part"], match["day"]
    if part in (None, "XX"):
        return None if day not in (None, "XX") else Point(match["year"], mark=match["mark"])
    number = int(part)
    if number in _SEASONS and day is None:
        return Point(match["year"], season=_SEASONS[number], mark=match["mark"])
    if not 1 <= number <= 12:
        return None
    if day in (None, "XX"):
        return Point(match["year"], month=number, mark=match["mark"])
    if match["year"].endswith("X") or int(day) > calendar.monthrange(int(match["year"]), number)[1]:
        return None
    return Point(match["year"], month=number, day=int(day), mark=match["mark"])


def _plain(words: Words, point: Point, case: str, with_year: bool = True) -> str:
    if point.decade:
        return words.decade(point.year[:3] + "0", case)
    if point.season:
        return words.season(point.season, point.year, case)
    if point.month is None:
        return words.year(point.year)
    return words.month(point.month, point.year if with_year else "", case, day=point.day)


def _marked(words: Words, point: Point, case: str = "nom", with_year: bool = True) -> str:
    text = _plain(words, point, "gen" if point.mark in ("~", "%") else case, with_year)
    if point.mark in ("~", "%"):
        text = words.about.format(text)
    if point.mark in ("?", "%"):
        text = words.uncertain.format(text)
    return text


def _same_year(first: Point, last: Point) -> bool:
    return (
        first.year == last.year
        and not first.decade
        and first.month is not None
        and last.month is not None
        and not first.mark
    )


def _interval(words: Words, first: str, last: str) -> str | None:
    if first in ("", "..") and last in ("", ".."):
        return None
    if first in ("", ".."):
        end = _point(last)
        return end and words.until[first == ""].format(_marked(words, end, "gen"))
    if last in ("", ".."):
        start = _point(first)
        return start and words.since[last == ""].format(_marked(words, start, "gen"))
    start, end = _point(first), _point(last)
    if start is None or end is None:
        return None
    return words.span.format(_marked(words, start, with_year=not _same_year(start, end)), _marked(words, end))


def _set(words: Words, body: str, one_of: bool) -> str | None:
    items = [item.strip() for item in body.split(",")]
    if one_of and len(items) == 1 and ".." in items[0]:
        first, _, last = items[0].partition("..")
        start, end = _point(first), _point(last)
        if start and end:
            first_text = _marked(words, start, "gen", with_year=not _same_year(start, end))
            return words.one_between.format(first_text, _marked(words, end, "acc"))
        return None
    points = [_point(item) for item in items]
    if not items or None in points:
        return None
    texts = [_marked(words, point) for point in points]
    return words.one_of.format(", ".join(texts)) if one_of else words.join_all(texts)


def in_words(value: str, language: str | None = None) -> str:
    """The EDTF value in words in the language (the active one by default); "" where no phrase fits."""
    words = WORDS.get((language or get_language() or "en")[:2], WORDS["en"])
    value = (value or "").strip()
    if value.startswith("[") and value.endswith("]"):
        return _set(words, value[1:-1], one_of=True) or ""
    if value.startswith("{") and value.endswith("}"):
        return _set(words, value[1:-1], one_of=False) or ""
    if "/" in value:
        first, _, last = value.partition("/")
        return _interval(words, first, last) or ""
    point = _point(value)
    return _marked(words, point) if point else ""


def display_range(start: date | None, end: date | None, language: str | None = None) -> str:
    """The days from start to end at the precision they have: 1934-11-01 to 1934-11-30 is November 1934."""
    if start is None or end is None:
        return ""
    first, last = _range_end(start, end, first=True), _range_end(start, end, first=False)
    return in_words(first if first == last else f"{first}/{last}", language)


def _range_end(start: date, end: date, *, first: bool) -> str:
    day = start if first else end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{day.year:04d}"
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def display(value: str, start: date | None, end: date | None, language: str | None = None) -> str:
    """A record's date for the public: its EDTF in words, else the range of days it covers."""
    return in_words(value, language) or display_range(start, end, language)


def iso_range(start: date | None, end: date | None) -> str:
    """The days from start to end as ISO 8601 at the precision they have: "1936-03-12", "1936-03",
    "1939-05-11/1939-09-16"; "" without dates. Uncertainty marks (EDTF "?", "~") have no ISO 8601 form."""
    if start is None or end is None:
        return ""
    first, last = _range_end(start, end, first=True), _range_end(start, end, first=False)
    return first if first == last else f"{first}/{last}"
