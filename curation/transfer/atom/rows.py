"""One AtoM ISAD(G) description, read from its row (and its rows in other cultures) without the database."""

from dataclasses import dataclass, field
from datetime import date

from archive.models import Level, Status
from curation.transfer.cells import CellError
from curation.transfer.validation import RowError

from .columns import ISAD, NOTES, by_lower_name, edtf_date, text, values
from .columns import bounds as date_bounds

ITEM = "item"  # a source, not a unit
# AtoM's level names (its default taxonomy and the Russian ones) to Opis levels. Opis has three levels above the
# document, so a Subfonds is an inventory-level division (series) and a Collection or Record group a fonds.
LEVELS = {
    "fonds": Level.FONDS,
    "фонд": Level.FONDS,
    "collection": Level.FONDS,
    "record group": Level.FONDS,
    "subfonds": Level.SERIES,
    "series": Level.SERIES,
    "опись": Level.SERIES,
    "file": Level.FILE,
    "дело": Level.FILE,
    "item": ITEM,
    "документ": ITEM,
}
REFUSED_LEVELS = {
    "subseries": "Opis has no level between an inventory (series) and a file: describe a subseries as a series "
    "of the fonds, or its files directly under the series.",
    "part": "Opis describes no level below the document: merge the part into its item.",
}
STATUSES = {"": Status.DRAFT, "draft": Status.DRAFT, "published": Status.PUBLISHED}
CREATING = {"creation", "accumulation", "создание", "накопление"}
COLUMNS = by_lower_name(ISAD)
ENGLISH = {"", "en"}
LIMITS = {"title": 500, "identifier": 32, "extentAndMedium": 255, "eventDates": 120}


@dataclass
class Described:
    """A unit or a source to create, as the file gives it; `parent`, ids and keys are filled in by the plan."""

    line: int
    legacy_id: str
    level: str
    parent_id: str
    parent_slug: str
    number: str
    title: str
    title_original: str
    repository: str
    date_text: str = ""
    date_edtf: str = ""
    date_start: date | None = None
    date_end: date | None = None
    status: str = Status.DRAFT
    texts: dict[str, str] = field(default_factory=dict)  # AtoM column -> cell, for the columns with a home
    notes: list[tuple[str, str]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    creators: list[tuple[str, str]] = field(default_factory=list)  # (name, history)
    # Filled by the plan.
    parent: "Described | None" = None
    parent_unit: dict | None = None  # an existing unit (qubitParentSlug): id, identifier, level, repository, fonds
    repository_id: int | None = None
    identifier: str = ""
    slug: str = ""
    id: int | None = None

    @property
    def is_item(self) -> bool:
        return self.level == ITEM


def read_rows(header: list[str], rows: list[tuple[int, list[str]]], errors: list[RowError]) -> list[Described]:
    """Each description once: rows sharing a legacyId are one description in several cultures (the en row gives
    the English fields, another culture the original-language title; its other texts are kept in the notes)."""
    grouped: dict[str, list[tuple[int, dict]]] = {}
    order = []
    for line, cells in rows:
        named = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}
        key = named.get("legacyid", "").strip() or f"line {line}"
        if key not in grouped:
            grouped[key] = []
            order.append(key)
        grouped[key].append((line, named))
    described = []
    for key in order:
        item = _one(grouped[key], errors)
        if item is not None:
            described.append(item)
    return described


def _culture(named: dict) -> str:
    return named.get("culture", "").strip().lower()


def _one(group: list[tuple[int, dict]], errors: list[RowError]) -> Described | None:
    seen: dict[str, int] = {}
    for line, named in group:
        culture = _culture(named) or "en"
        if culture in seen:
            message = (
                f"legacyId {named.get('legacyid', '').strip()} has a {culture} row already, on line {seen[culture]}."
            )
            errors.append(RowError(line, "legacyId", named.get("legacyid", ""), message))
            return None
        seen[culture] = line
    primary = next(((line, named) for line, named in group if _culture(named) in ENGLISH), group[0])
    before = len(errors)
    described = _read(*primary, errors)
    for line, named in group:
        if line != primary[0] and described is not None:
            _translation(described, line, named, errors)
    return None if len(errors) > before else described


def _cell(line, named, name, errors, *, limit=None) -> str:
    try:
        value = text(named.get(name.lower(), ""))
    except CellError as exc:
        errors.append(RowError(line, name, named.get(name.lower(), ""), exc.message))
        return ""
    limit = limit or LIMITS.get(name)
    if limit and len(value) > limit:
        errors.append(RowError(line, name, value[:60], f"Too long: {len(value)} characters, at most {limit}."))
    return value


def _read(line: int, named: dict, errors: list[RowError]) -> Described | None:
    level_text = named.get("levelofdescription", "").strip()
    level = LEVELS.get(level_text.lower())
    if level is None:
        message = REFUSED_LEVELS.get(level_text.lower()) or (
            "Required: the level (Fonds, Series, File or Item; Фонд, Опись, Дело or Документ)."
            if not level_text
            else f"Unknown level “{level_text}”: use Fonds, Subfonds, Collection, Series, File or Item "
            "(Фонд, Опись, Дело, Документ)."
        )
        errors.append(RowError(line, "levelOfDescription", level_text, message))
    title = _cell(line, named, "title", errors)
    if not title:
        errors.append(RowError(line, "title", "", "Required: this cell may not be empty."))
    english = _culture(named) in ENGLISH
    status_text = named.get("publicationstatus", "").strip()
    if status_text.lower() not in STATUSES:
        errors.append(RowError(line, "publicationStatus", status_text, "Not one of: Published, Draft."))
    described = Described(
        line=line,
        legacy_id=named.get("legacyid", "").strip(),
        level=level or "",
        parent_id=named.get("parentid", "").strip(),
        parent_slug=named.get("qubitparentslug", "").strip(),
        number=_cell(line, named, "identifier", errors),
        title=title,
        title_original="" if english else title,
        repository=_cell(line, named, "repository", errors),
        status=STATUSES.get(status_text.lower(), Status.DRAFT),
    )
    if described.parent_id and described.parent_slug:
        errors.append(
            RowError(line, "qubitParentSlug", described.parent_slug, "Give parentId or qubitParentSlug, not both.")
        )
    _events(described, named, errors)
    _lists(described, named, errors)
    _texts(described, named, errors)
    return described


def _events(described: Described, named: dict, errors: list[RowError]) -> None:
    """The events' dates as one span (earliest start to latest end), their dates as written, their actors."""
    line = described.line
    columns = ("eventDates", "eventTypes", "eventStartDates", "eventEndDates", "eventActors", "eventActorHistories")
    lists = {name: values(named.get(name.lower(), "")) for name in columns}
    count = max(len(cells) for cells in lists.values())
    written, starts, ends = [], [], []
    for index in range(count):
        event = {name: cells[index] if index < len(cells) else "" for name, cells in lists.items()}
        for name in ("eventDates", "eventActors", "eventActorHistories", "eventTypes"):
            try:
                event[name] = text(event[name])
            except CellError as exc:
                errors.append(RowError(line, name, event[name], exc.message))
        if event["eventDates"]:
            written.append(event["eventDates"])
        bounds = []
        for name, found in (("eventStartDates", starts), ("eventEndDates", ends)):
            if not event[name]:
                bounds.append(None)
                continue
            try:
                bounds.append(edtf_date(event[name]))
                found.append(bounds[-1])
            except CellError as exc:
                errors.append(RowError(line, name, event[name], exc.message))
                bounds.append(None)
        if bounds[0] and bounds[1] and date_bounds(bounds[1]).end < date_bounds(bounds[0]).start:
            errors.append(RowError(line, "eventEndDates", event["eventEndDates"], "The event ends before it starts."))
        actor = event["eventActors"]
        if actor:
            if event["eventTypes"].lower() in CREATING or not event["eventTypes"]:
                described.creators.append((actor, event["eventActorHistories"]))
            else:
                described.names.append(actor)
                if event["eventActorHistories"]:
                    described.notes.append((f"eventActorHistories ({actor})", event["eventActorHistories"]))
    described.date_text = "; ".join(written)
    if len(described.date_text) > LIMITS["eventDates"]:
        errors.append(RowError(line, "eventDates", described.date_text[:60], "Too long: at most 120 characters."))
    first = min(starts or ends, key=lambda value: date_bounds(value).start, default="")
    last = max(ends or starts, key=lambda value: date_bounds(value).end, default="")
    if first:
        described.date_edtf = first if first == last else f"{first}/{last}"
        described.date_start, described.date_end = date_bounds(first).start, date_bounds(last).end
        if described.date_end < described.date_start:
            message = f"The events end ({last}) before they start ({first})."
            errors.append(RowError(line, "eventEndDates", last, message))


def _lists(described: Described, named: dict, errors: list[RowError]) -> None:
    line = described.line
    for name, target, limit in (
        ("subjectAccessPoints", described.subjects, 255),
        ("placeAccessPoints", described.places, 255),
        ("nameAccessPoints", described.names, 255),
    ):
        for value in values(named.get(name.lower(), "")):
            try:
                value = text(value)
            except CellError as exc:
                errors.append(RowError(line, name, value, exc.message))
                continue
            if len(value) > limit:
                errors.append(RowError(line, name, value[:60], f"Too long: at most {limit} characters."))
            elif value and value not in target:
                target.append(value)
    for code in values(named.get("language", "")):
        if code and code.lower() not in described.languages:
            described.languages.append(code.lower())
    for code in values(named.get("script", "")):
        if not code:
            continue
        if not (len(code) == 4 and code.isascii() and code.isalpha()):
            errors.append(RowError(line, "script", code, "An ISO 15924 script code is four letters, e.g. Cyrl, Latn."))
        elif code.capitalize() not in described.scripts:
            described.scripts.append(code.capitalize())


HANDLED = {
    "legacyid",
    "parentid",
    "qubitparentslug",
    "identifier",
    "title",
    "levelofdescription",
    "repository",
    "publicationstatus",
    "culture",
    "language",
    "script",
    "subjectaccesspoints",
    "placeaccesspoints",
    "nameaccesspoints",
    *(name.lower() for name in ("eventDates", "eventTypes", "eventStartDates", "eventEndDates", "eventActors")),
    "eventactorhistories",
}


def _texts(described: Described, named: dict, errors: list[RowError]) -> None:
    """The other cells: to their field when the level gives them one, else to the notes under their name."""
    for lower, raw in named.items():
        if lower in HANDLED or lower == "error" or not raw.strip() or raw.strip() == "NULL":
            continue
        column = COLUMNS.get(lower)
        name = column.name if column else lower
        home = (column.source if described.is_item else column.unit) if column else NOTES
        # A unit's extent is a short field; every other home (and the notes) is free text.
        limit = LIMITS.get(name) if home == "extent" else 100_000
        value = _cell(described.line, named, name, errors, limit=limit)
        if home == NOTES:
            described.notes.append((name, value))
        else:
            described.texts[name] = value


def _translation(described: Described, line: int, named: dict, errors: list[RowError]) -> None:
    """Another culture's row of the same description: its title is the original-language title; its other
    texts, where they differ, are kept in the notes with the culture named."""
    culture = _culture(named)
    title = _cell(line, named, "title", errors)
    if title:
        described.title_original = title
    for lower, raw in named.items():
        if lower in HANDLED or not raw.strip() or raw.strip() == "NULL":
            continue
        column = COLUMNS.get(lower)
        name = column.name if column else lower
        value = _cell(line, named, name, errors, limit=100_000)
        if value and value != described.texts.get(name) and (name, value) not in described.notes:
            described.notes.append((f"{name} ({culture})", value))
