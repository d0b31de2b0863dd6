"""The CSV format of each kind of record: its columns, in order. docs/csv.md documents the same list."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models

from archive.models import (
    Agent,
    AgentKind,
    AgentRole,
    Commentary,
    CommentaryKind,
    DocumentForm,
    DocumentType,
    Event,
    EventType,
    Language,
    Originality,
    Place,
    Repository,
    Script,
    Source,
    SourceAgent,
    Status,
    Subject,
)
from archive.models.base import EditorialModel

from .columns import (
    Choice,
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
        Choice("status", Status, default=Status.DRAFT, help="Publishing or withdrawing needs the publish right."),
        DateTimeColumn("published_at", help="ISO 8601; filled with the import time when published and empty."),
    ]


def _dates() -> list[Column]:
    return [
        Text("date_text", max_length=120, help="As written, e.g. 27 ноября 1934."),
        Edtf("date_edtf", help="EDTF, or 27.11.1934 (day.month.year), e.g. 1934-11-27, 1936-03~."),
    ]


def _links(name, model, owner_model, target, keys=("identifier", "slug")):
    through = getattr(owner_model, name).through
    owner = f"{owner_model._meta.model_name}_id"
    return Links(name, model, through, owner, f"{target}_id", keys=keys)


SOURCES = Kind(
    "sources",
    Source,
    [
        Identifier(help="Required; re-imports find the record by it."),
        Slug("slug", help="Latin letters, digits, hyphens; derived from the identifier when empty."),
        Text("title", max_length=500, required=True),
        Text("title_original", max_length=500),
        Choice("document_type", DocumentType, default=DocumentType.OTHER),
        Reference("repository", Repository, keys=("code",), required=True),
        Text("fond", max_length=32),
        Text("opis", max_length=32),
        Text("delo", max_length=32),
        Text("folios", max_length=64),
        *_dates(),
        _links("languages", Language, Source, "language", keys=("code",)),
        Choice("script", Script),
        Choice("originality", Originality),
        Choice("form", DocumentForm),
        Text("access_marking", max_length=120),
        Text("summary"),
        Text("transcription"),
        Text("translation"),
        Text("physical_description"),
        Text("provenance"),
        Text("rights"),
        RoleLinks(
            "agents",
            Agent,
            SourceAgent,
            "source_id",
            "agent_id",
            roles=AgentRole,
            default_role=AgentRole.CREATOR,
        ),
        _links("places", Place, Source, "place"),
        _links("subjects", Subject, Source, "subject"),
        _links("events", Event, Source, "event"),
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
        Text("name", max_length=255, required=True),
        Text("name_original", max_length=255),
        Choice("event_type", EventType, default=EventType.OTHER),
        Reference("parent", Event, help="May name an event earlier or later in the same file."),
        *_dates(),
        _links("places", Place, Event, "place"),
        _links("participants", Agent, Event, "agent"),
        Text("description"),
        *_editorial_columns(),
    ],
    title_field="name",
)

COMMENTARY = Kind(
    "commentary",
    Commentary,
    [
        Identifier(),
        Reference("source", Source, help="Give a source or an event, not both."),
        Reference("event", Event, help="Give a source or an event, not both."),
        Choice("kind", CommentaryKind, default=CommentaryKind.CONTEXT),
        Text("title", max_length=255, required=True),
        Text("body", required=True, help="Markdown; raw HTML is refused."),
        Reference("author", get_user_model(), keys=("username",), help="Empty means the importing user."),
        Text("signature", max_length=255, required=True),
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
        Choice("kind", AgentKind, default=AgentKind.PERSON),
        Text("name", max_length=255, required=True),
        Text("name_original", max_length=255),
        Lines("name_variants", help="Other spellings, separated by |."),
        Text("dates_text", max_length=64),
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
        Text("name", max_length=255, required=True),
        Text("name_original", max_length=255),
        Lines("name_variants", help="Other names, separated by |."),
        DecimalColumn("latitude", low=-90, high=90, help="Decimal degrees, north positive; with longitude or neither."),
        DecimalColumn("longitude", low=-180, high=180, help="Decimal degrees, east positive."),
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
        Text("term", max_length=255, required=True),
        Text("term_original", max_length=255),
        Text("scope_note"),
    ],
    title_field="term",
    unique_fields=("identifier", "slug", "term"),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in (SOURCES, EVENTS, COMMENTARY, AGENTS, PLACES, SUBJECTS)}


def kind_for_model(model) -> Kind:
    return next(kind for kind in KINDS.values() if kind.model is model)
