"""Column types: how one CSV cell becomes a database value and back. The same object reads and writes,
so an export re-imports unchanged.

A column takes its rules from the model field of its name (`bind`, called by the kind): whether it is
required, its length, its choices and default, its bounds, the related model. Only what is the CSV's own is
given here: how a value is written in a cell, the natural keys of related records, the help.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator, validate_slug
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from archive.models import Level, Unit
from archive.models.base import identifier_validator, wikidata_validator

from .cells import CellError, check_text, edtf_range, normalise_edtf

SEPARATOR = "|"


class Column:
    """A scalar column stored in the record's own table under `attr`."""

    is_link = False
    empty = ""
    type_name = ""  # as docs/csv.md names it
    # An empty cell is filled in by the import (a slug from the identifier, the importing user as author), so
    # the column is optional even where the field is not.
    filled_on_import = False

    def __init__(self, name: str, *, help: str = "", filled_on_import: bool | None = None):
        self.name = name
        self.field_name = name  # the model field it binds to
        self.attr = name
        self.help = help
        if filled_on_import is not None:
            self.filled_on_import = filled_on_import
        self.required, self.max_length, self.label = False, None, name

    def bind(self, field: models.Field) -> None:
        """Take the rules of the model field: its column, its length, its name for people (verbose name), and
        whether a cell is required (when the field may not be blank and has no default, and the import does not
        fill it in)."""
        self.attr = self.read = field.attname
        self.label = field.verbose_name
        self.required = not field.blank and not field.has_default() and not self.filled_on_import
        self.max_length = field.max_length

    def parse(self, raw: str):
        return raw

    def dump(self, value, keys=None) -> str:
        return "" if value is None else str(value)

    def describe(self) -> str:
        """The column's notes in docs/csv.md."""
        return self.help


class Text(Column):
    type_name = "text"

    def parse(self, raw):
        value = check_text(raw)
        if self.max_length and len(value) > self.max_length:
            raise CellError(f"Too long: {len(value)} characters, at most {self.max_length}.")
        return value

    def describe(self):
        return f"At most {self.max_length} characters. {self.help}".strip() if self.max_length else self.help


class Url(Text):
    """A web address, as the model's URLField accepts it."""

    type_name = "URL"

    def parse(self, raw):
        value = super().parse(raw)
        if value:
            try:
                URLValidator()(value)
            except ValidationError as exc:
                raise CellError("Not a web address: give it in full, starting with https:// or http://.") from exc
        return value


class Identifier(Text):
    type_name = "identifier"

    def __init__(self, name="identifier", **kwargs):
        super().__init__(name, **kwargs)

    def parse(self, raw):
        value = super().parse(raw)
        if not identifier_validator.regex.match(value):
            raise CellError(
                "Use letters, digits, dots, colons, hyphens and underscores, starting with a letter or digit."
            )
        return value


class Slug(Column):
    type_name = "slug"
    filled_on_import = True  # from the identifier

    def parse(self, raw):
        if len(raw) > self.max_length or not validate_slug.regex.match(raw):
            raise CellError(
                f"A slug is Latin letters, digits, hyphens and underscores, at most {self.max_length} characters."
            )
        return raw


class Code(Column):
    """A code of a fixed form, checked by the field's own validator (a Wikidata item id)."""

    type_name = "code"

    def __init__(self, name, validator, message: str, **kwargs):
        super().__init__(name, **kwargs)
        self.validator, self.message = validator, message

    def parse(self, raw):
        if len(raw) > self.max_length or not self.validator.regex.match(raw):
            raise CellError(self.message)
        return raw


def wikidata(name="wikidata"):
    return Code(name, wikidata_validator, "A Wikidata item id looks like Q855.", help="e.g. Q855")


class Choice(Column):
    """One of the field's choices, by value or label (any case); empty means the field's default."""

    type_name = "choice"

    def bind(self, field):
        super().bind(field)
        self.values = [value for value, _ in field.flatchoices]
        self.empty = field.get_default()
        self.by_text = {str(v).lower(): v for v in self.values} | {
            str(label).lower(): v for v, label in field.flatchoices
        }

    def parse(self, raw):
        try:
            return self.by_text[raw.lower()]
        except KeyError:
            raise CellError(f"Not one of: {', '.join(self.values)}.") from None

    def describe(self):
        return f"One of: {', '.join(self.values)}." + (f" Empty means {self.empty}." if self.empty else "")


class Edtf(Column):
    type_name = "EDTF date"

    def parse(self, raw):
        value = normalise_edtf(raw)
        if len(value) > self.max_length:
            raise CellError(f"An EDTF date is at most {self.max_length} characters.")
        edtf_range(value)
        return value


class DecimalColumn(Column):
    """A number with the field's decimal places, between the bounds of its validators."""

    type_name = "decimal"
    empty = None

    def bind(self, field):
        super().bind(field)
        self.step = Decimal(1).scaleb(-field.decimal_places)
        bounds = {
            type(v): Decimal(v.limit_value)
            for v in field.validators
            if isinstance(v, MinValueValidator | MaxValueValidator)
        }
        self.low, self.high = bounds[MinValueValidator], bounds[MaxValueValidator]

    def parse(self, raw):
        try:
            value = Decimal(raw.replace(",", ".")).quantize(self.step)
        except InvalidOperation:
            raise CellError("Not a number; write decimal degrees such as 47.917 or -1.5.") from None
        if not self.low <= value <= self.high:
            raise CellError(f"Must be between {self.low} and {self.high}.")
        return value

    def dump(self, value, keys=None):
        return "" if value is None else format(value.normalize(), "f")


class DateTimeColumn(Column):
    type_name = "date-time"
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

    type_name = "list (|)"

    def parse(self, raw):
        return "\n".join(part.strip() for part in super().parse(raw).split(SEPARATOR) if part.strip())

    def dump(self, value, keys=None):
        return SEPARATOR.join(line.strip() for line in (value or "").splitlines() if line.strip())


class Codes(Column):
    """An array of short codes (a unit's scripts), written as codes separated by |, each at most the array's
    item length."""

    type_name = "codes (|)"
    empty: list = []  # noqa: RUF012 - shared, never mutated: compared with and written as the stored list

    def bind(self, field):
        super().bind(field)
        self.max_length = field.base_field.max_length

    def parse(self, raw):
        codes = [part.strip() for part in check_text(raw).split(SEPARATOR) if part.strip()]
        long = [code for code in codes if len(code) > self.max_length]
        if long:
            raise CellError(f"“{long[0]}” is too long: a code has at most {self.max_length} characters.")
        return codes

    def dump(self, value, keys=None):
        return SEPARATOR.join(value or ())

    def describe(self):
        return f"Codes of at most {self.max_length} characters, separated by |. {self.help}".strip()


class UnitNumber(Text):
    """One level of a source's archival reference, the fond, opis or delo number, read from the unit tree.

    The source stores only its lowest unit (`unit`): the three columns are read from that unit and its
    ancestors, and an import resolves them together to a unit of the row's repository (validation.UnitPaths).
    A column with no `attr` is not written as it stands.
    """

    type_name = "number"
    LABELS = {Level.FONDS: _("fond"), Level.SERIES: _("opis"), Level.FILE: _("delo")}

    def __init__(self, name, level: Level, **kwargs):
        super().__init__(name, **kwargs)
        self.level, self.field_name = level, "unit"

    def bind(self, field):
        super().bind(field)
        self.attr, self.required, self.label = None, False, self.LABELS[self.level]
        self.max_length = Unit._meta.get_field("number").max_length
        self.read = Coalesce(self._number(), Value(""))

    def _number(self):
        """The number of this level on the source's unit's path, as a query expression."""
        if self.level == Level.FONDS:
            return Case(When(unit__level=Level.FONDS, then=F("unit__number")), default=F("unit__fonds__number"))
        if self.level == Level.SERIES:
            return Case(
                When(unit__level=Level.SERIES, then=F("unit__number")),
                When(unit__parent__level=Level.SERIES, then=F("unit__parent__number")),
                default=Value(""),
            )
        return Case(When(unit__level=Level.FILE, then=F("unit__number")), default=Value(""))

    def describe(self):
        return f"At most {self.max_length} characters. {self.help}".strip()


class Reference(Column):
    """A foreign key written as the related record's natural key (identifier or slug, code, username)."""

    type_name = "reference"
    empty = None

    def __init__(self, name, keys=("identifier", "slug"), **kwargs):
        super().__init__(name, **kwargs)
        self.keys = keys

    def bind(self, field):
        super().bind(field)
        self.model = field.related_model

    def dump(self, value, keys=None):
        return "" if value is None else keys[self.model][value]

    def describe(self):
        return f"The {self.model._meta.verbose_name}'s {' or '.join(self.keys)}. {self.help}".strip()


class Links(Column):
    """A many-to-many relation: natural keys separated by |, stored in the through table (its `owner` and
    `target` columns)."""

    type_name = "references (|)"
    is_link = True
    empty = ()

    def __init__(self, name, keys=("identifier", "slug"), **kwargs):
        super().__init__(name, **kwargs)
        self.keys = keys

    def bind(self, field):
        super().bind(field)
        self.model, self.through = field.related_model, field.remote_field.through
        self.owner, self.target = field.m2m_column_name(), field.m2m_reverse_name()

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
    """Agents of a source with their role: stalin:creator|genden:mentioned. The roles and the default one are
    those of the through model's `role` field."""

    type_name = "agent:role list (|)"

    def bind(self, field):
        super().bind(field)
        role = self.through._meta.get_field("role")
        self.roles = [value for value, _ in role.flatchoices]
        self.default_role = role.get_default()
        self.role_values = frozenset(self.roles)

    def split(self, raw):
        items = []
        for part in super().split(raw):
            key, _, role = part.partition(":")
            role = role.strip().lower() or self.default_role
            if role not in self.role_values:
                raise CellError(f"“{part}”: the role must be one of {', '.join(self.roles)}.")
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
        return f"identifier:role separated by |; roles: {', '.join(self.roles)} (default {self.default_role})."
