"""EDTF (Extended Date/Time Format, ISO 8601-2) parsing into sortable start and end dates."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException


@dataclass(frozen=True)
class DateRange:
    start: date | None
    end: date | None


def date_range(value: str) -> DateRange:
    """The earliest and latest day an EDTF string can mean; empty input means no date."""
    value = (value or "").strip()
    if not value:
        return DateRange(None, None)
    try:
        parsed = parse_edtf(value)
        start = struct_time_to_date(parsed.lower_strict())
        end = struct_time_to_date(parsed.upper_strict())
    except (EDTFParseException, ValueError, TypeError, AttributeError, OverflowError) as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid EDTF date (examples: 1934-11-27, 1936-03~, 1939-05-11/1939-09-16)."),
            code="invalid_edtf",
            params={"value": value},
        ) from exc
    if start > end:
        raise ValidationError(_("“%(value)s” ends before it starts."), code="invalid_edtf", params={"value": value})
    return DateRange(start, end)


def validate_edtf(value: str) -> None:
    date_range(value)
