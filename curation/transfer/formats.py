"""The CSV format of each kind of record: its columns, in order. docs/csv.md documents the same list.

Each column is a field of the kind's model and takes its rules from it (columns.Column.bind): lengths,
choices, defaults, whether it is required. What is given here is the CSV's own: the order, how a value is
written (text, a | list, a reference by natural key) and the help.
"""

from dataclasses import dataclass, field

from django.db import models

from archive.models import Agent, Commentary, Event, Level, Place, Source, Subject, Unit
from archive.models.base import EditorialModel

from .columns import (
    Choice,
    Codes,
    Column,
    DateTimeColumn,
    DecimalColumn,
    Edtf,
    Identifier,
    Lines,
    Links,
    Reference,
    RoleLinks,
    Slug,
    Text,
    UnitNumber,
    Url,
    wikidata,
)


@dataclass
class Kind:
    name: str
    model: type[models.Model]
    columns: list[Column]
    title_field: str
    unique_fields: tuple[str, ...] = ("identifier", "slug")
    by_name: dict[str, Column] = field(init=False)

    def __post_init__(self):
        self.by_name = {column.name: column for column in self.columns}
        for column in self.columns:
            column.bind(self.model._meta.get_field(column.field_name))

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def scalars(self) -> list[Column]:
        return [column for column in self.columns if not column.is_link]

    @property
    def links(self) -> list[Links]:
        return [column for column in self.columns if column.is_link]

    @property
    def unit_numbers(self) -> list[UnitNumber]:
        """The fond, opis and delo columns, which together name the record's unit."""
        return [column for column in self.columns if isinstance(column, UnitNumber)]

    @property
    def editorial(self) -> bool:
        return issubclass(self.model, EditorialModel)

    @property
    def dated(self) -> bool:
        return "date_edtf" in self.by_name

    @property
    def has_slug(self) -> bool:
        return "slug" in self.by_name

    def permission(self, action: str) -> str:
        return f"archive.{action}_{self.model._meta.model_name}"


def _editorial_columns() -> list[Column]:
    return [
        Choice("status", help="Publishing or withdrawing needs the publish right."),
        DateTimeColumn("published_at", help="ISO 8601; filled with the import time when published and empty."),
    ]


def _dates() -> list[Column]:
    return [
        Text("date_text", help="As written, e.g. 27 ноября 1934."),
        Edtf("date_edtf", help="EDTF, or 27.11.1934 (day.month.year), e.g. 1934-11-27, 1936-03~."),
    ]


SOURCES = Kind(
    "sources",
    Source,
    [
        Identifier(help="Required; re-imports find the record by it."),
        Slug("slug", help="Latin letters, digits, hyphens; derived from the identifier when empty."),
        Text("title"),
        Text("title_original"),
        Choice("document_type"),
        Reference(
            "repository",
            keys=("code",),
            help="Empty when the document is known only from a publication; a fond, opis, delo or folios need it.",
        ),
        UnitNumber("fond", Level.FONDS, help="The fonds number, e.g. 558: a fonds of the row's repository."),
        UnitNumber("opis", Level.SERIES, help="The inventory number, e.g. 11: an inventory of that fonds."),
        UnitNumber("delo", Level.FILE, help="The file number, e.g. 374: a file of that inventory (or fonds)."),
        Text("folios"),
        Text("publication", help="The edition the document is published in (title, volume, year, document number)."),
        Url("publication_url", help="Where the published text can be read online."),
        *_dates(),
        Links("languages", keys=("code",)),
        Choice("script"),
        Choice("originality"),
        Choice("form"),
        Text("access_marking"),
        Text("summary"),
        Text("transcription"),
        Text("translation"),
        Text("physical_description"),
        Text("provenance"),
        Text("rights"),
        RoleLinks("agents"),
        Links("places"),
        Links("subjects"),
        Links("events"),
        *_editorial_columns(),
    ],
    title_field="title",
)

EVENTS = Kind(
    "events",
    Event,
    [
        Identifier(),
        Slug("slug"),
        Text("name"),
        Text("name_original"),
        Choice("event_type"),
        Reference("parent", help="May name an event earlier or later in the same file."),
        *_dates(),
        Links("places"),
        Links("participants"),
        Text("description"),
        *_editorial_columns(),
    ],
    title_field="name",
)

UNITS = Kind(
    "units",
    Unit,
    [
        Identifier(help="Required; re-imports find the unit by it, and rows name their parent by it."),
        Slug("slug"),
        Reference("repository", keys=("code",), help="The parent's repository too."),
        Choice("level"),
        Reference(
            "parent",
            keys=("identifier",),
            help="Empty for a fonds, else a unit of a higher level: in the database, or earlier or later in the "
            "same file.",
        ),
        Text("number", help="As the archive writes it; unique among the parent's units of the level."),
        Text("title"),
        Text("title_original"),
        *_dates(),
        Text("extent"),
        Links("creators"),
        Text("administrative_history"),
        Text("scope_content"),
        Text("arrangement"),
        Text("access_conditions"),
        Text("reproduction_conditions"),
        Links("languages", keys=("code",)),
        Codes("scripts", help="ISO 15924, e.g. Cyrl|Latn."),
        Text("finding_aids"),
        Text("notes"),
        Links("agents"),
        Links("places"),
        Links("subjects"),
        *_editorial_columns(),
    ],
    title_field="title",
)

COMMENTARY = Kind(
    "commentary",
    Commentary,
    [
        Identifier(),
        Reference("source", help="Give a source or an event, not both."),
        Reference("event", help="Give a source or an event, not both."),
        Choice("kind"),
        Text("title"),
        Text("body", help="Markdown; raw HTML is refused."),
        Reference("author", keys=("username",), filled_on_import=True, help="Empty means the importing user."),
        Text("signature"),
        Lines("references", help="Works cited, separated by |."),
        *_editorial_columns(),
    ],
    title_field="title",
    unique_fields=("identifier",),
)

AGENTS = Kind(
    "agents",
    Agent,
    [
        Identifier(),
        Slug("slug"),
        Choice("kind"),
        Text("name"),
        Text("name_original"),
        Lines("name_variants", help="Other spellings, separated by |."),
        Text("dates_text"),
        Edtf("dates_edtf", help="e.g. 1878/1953."),
        Text("description"),
        wikidata(),
    ],
    title_field="name",
)

PLACES = Kind(
    "places",
    Place,
    [
        Identifier(),
        Slug("slug"),
        Text("name"),
        Text("name_original"),
        Lines("name_variants", help="Other names, separated by |."),
        DecimalColumn("latitude", help="Decimal degrees, north positive; with longitude or neither."),
        DecimalColumn("longitude", help="Decimal degrees, east positive."),
        wikidata(),
    ],
    title_field="name",
)

SUBJECTS = Kind(
    "subjects",
    Subject,
    [
        Identifier(),
        Slug("slug"),
        Text("term"),
        Text("term_original"),
        Text("scope_note"),
    ],
    title_field="term",
    unique_fields=("identifier", "slug", "term"),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in (SOURCES, UNITS, EVENTS, COMMENTARY, AGENTS, PLACES, SUBJECTS)}


def kind_for_model(model) -> Kind:
    return next(kind for kind in KINDS.values() if kind.model is model)
