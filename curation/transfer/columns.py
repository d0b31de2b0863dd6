"""Column types: how one CSV cell becomes a database value and back. The same object reads and writes,
so an export re-imports unchanged."""

import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from archive.models.base import identifier_validator, wikidata_validator

from .cells import CellError, check_text, edtf_range, normalise_edtf

SEPARATOR = "|"
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class Column:
    """A scalar column stored in the record's own table under `attr`."""

    is_link = False
    empty = ""

    def __init__(self, name: str, attr: str | None = None, *, required: bool = False, help: str = ""):
        self.name = name
        self.attr = attr or name
        self.required = required
        self.help = help

    def parse(self, raw: str):
        return raw

    def dump(self, value, keys=None) -> str:
        return "" if value is None else str(value)

    def describe(self) -> str:
        return self.help


class Text(Column):
    def __init__(self, name, *, max_length: int | None = None, **kwargs):
        super().__init__(name, **kwargs)
        self.max_length = max_length

    def parse(self, raw):
        value = check_text(raw)
        if self.max_length and len(value) > self.max_length:
            raise CellError(f"Too long: {len(value)} characters, at most {self.max_length}.")
        return value


class Identifier(Text):
    def __init__(self, name="identifier", **kwargs):
        super().__init__(name, max_length=64, required=True, **kwargs)

    def parse(self, raw):
        value = super().parse(raw)
        if not identifier_validator.regex.match(value):
            raise CellError(
                "Use letters, digits, dots, colons, hyphens and underscores, starting with a letter or digit."
            )
        return value


class Slug(Column):
    def parse(self, raw):
        if len(raw) > 120 or not SLUG.match(raw):
            raise CellError("A slug is Latin letters, digits, hyphens and underscores, at most 120 characters.")
        return raw


class Code(Column):
    def __init__(self, name, pattern: str, message: str, **kwargs):
        super().__init__(name, **kwargs)
        self.pattern = re.compile(pattern)
        self.message = message

    def parse(self, raw):
        if not self.pattern.match(raw):
            raise CellError(self.message)
        return raw


def wikidata(name="wikidata"):
    return Code(name, wikidata_validator.regex.pattern, "A Wikidata item id looks like Q855.", help="e.g. Q855")


class Choice(Column):
    def __init__(self, name, choices, *, default: str = "", **kwargs):
        super().__init__(name, **kwargs)
        self.choices = choices
        self.empty = default
        self.by_text = {str(v).lower(): v for v in choices.values} | {
            str(label).lower(): v for v, label in choices.choices
        }

    def parse(self, raw):
        try:
            return self.by_text[raw.lower()]
        except KeyError:
            raise CellError(f"Not one of: {', '.join(self.choices.values)}.") from None

    def describe(self):
        return f"One of: {', '.join(self.choices.values)}." + (f" Empty means {self.empty}." if self.empty else "")


class Edtf(Column):
    def parse(self, raw):
        value = normalise_edtf(raw)
        if len(value) > 64:
            raise CellError("An EDTF date is at most 64 characters.")
        edtf_range(value)
        return value


class DecimalColumn(Column):
    empty = None

    def __init__(self, name, *, low, high, **kwargs):
        super().__init__(name, **kwargs)
        self.low, self.high = Decimal(low), Decimal(high)

    def parse(self, raw):
        try:
            value = Decimal(raw.replace(",", ".")).quantize(Decimal("0.000001"))
        except InvalidOperation:
            raise CellError("Not a number; write decimal degrees such as 47.917 or -1.5.") from None
        if not self.low <= value <= self.high:
            raise CellError(f"Must be between {self.low} and {self.high}.")
        return value

    def dump(self, value, keys=None):
        return "" if value is None else format(value.normalize(), "f")


class DateTimeColumn(Column):
    empty = None

    def parse(self, raw):
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = timezone.datetime(day.year, day.month, day.day) if day else None
        if value is None:
            raise CellError("Not a date and time; use ISO 8601, e.g. 2026-11-01T10:00:00+03:00.")
        return timezone.make_aware(value) if timezone.is_naive(value) else value

    def dump(self, value, keys=None):
        return "" if value is None else timezone.localtime(value).isoformat()


class Lines(Text):
    """A text field holding one value per line, written in CSV as values separated by |."""

    def parse(self, raw):
        return "\n".join(part.strip() for part in super().parse(raw).split(SEPARATOR) if part.strip())

    def dump(self, value, keys=None):
        return SEPARATOR.join(line.strip() for line in (value or "").splitlines() if line.strip())


class Reference(Column):
    """A foreign key written as the related record's natural key (identifier or slug, code, username)."""

    empty = None

    def __init__(self, name, model, keys=("identifier", "slug"), **kwargs):
        super().__init__(name, attr=f"{name}_id", **kwargs)
        self.model = model
        self.keys = keys

    def dump(self, value, keys=None):
        return "" if value is None else keys[self.model][value]

    def describe(self):
        return f"The {self.model._meta.verbose_name}'s {' or '.join(self.keys)}. " + self.help


class Links(Column):
    """A many-to-many relation: natural keys separated by |, stored in the through table."""

    is_link = True
    empty = ()

    def __init__(self, name, model, through, owner: str, target: str, keys=("identifier", "slug"), **kwargs):
        super().__init__(name, **kwargs)
        self.model, self.through, self.owner, self.target, self.keys = model, through, owner, target, keys

    def split(self, raw: str) -> list:
        return [part.strip() for part in raw.split(SEPARATOR) if part.strip()]

    def key_of(self, item):
        return item

    def resolved(self, item, ident):
        return ident

    def link_values(self, link) -> tuple:
        return (link,)

    def dump(self, value, keys=None):
        return SEPARATOR.join(sorted(keys[self.model][ident] for ident in value))

    def describe(self):
        return f"{self.model._meta.verbose_name_plural.capitalize()} by {' or '.join(self.keys)}, separated by |."


class RoleLinks(Links):
    """Agents of a source with their role: stalin:creator|genden:mentioned (role defaults to creator)."""

    def __init__(self, *args, roles, default_role, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles, self.default_role = roles, default_role
        self.role_values = frozenset(roles.values)

    def split(self, raw):
        items = []
        for part in super().split(raw):
            key, _, role = part.partition(":")
            role = role.strip().lower() or self.default_role
            if role not in self.role_values:
                raise CellError(f"“{part}”: the role must be one of {', '.join(self.roles.values)}.")
            items.append((key.strip(), role))
        return items

    def key_of(self, item):
        return item[0]

    def resolved(self, item, ident):
        return (ident, item[1])

    def link_values(self, link):
        return link

    def dump(self, value, keys=None):
        return SEPARATOR.join(sorted(f"{keys[self.model][ident]}:{role}" for ident, role in value))

    def describe(self):
        return f"identifier:role separated by |; roles: {', '.join(self.roles.values)} (default {self.default_role})."
