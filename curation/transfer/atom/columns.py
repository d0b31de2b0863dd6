"""Where each column of AtoM's CSV templates goes in Opis: one table per template, read by the import and
printed in docs/csv.md (tests/curation/test_import_atom.py checks the two agree).

A column whose home is NOTES is kept, labelled with its AtoM name, in the unit's notes (a source's provenance
note, an agent's description): nothing in the file is dropped. A column AtoM's template does not have at all
goes there too, and the preview names both sorts.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from archive.edtf import DateRange
from curation.transfer.cells import CellError, check_text

NOTES = "notes"
NULL = "NULL"  # AtoM's placeholder that keeps parallel | lists aligned
SEPARATOR = "|"


@dataclass(frozen=True)
class AtomColumn:
    name: str  # as AtoM spells it
    unit: str  # where it goes for a fonds, series or file
    source: str  # where it goes for an item (a source)

    @property
    def homeless(self) -> bool:
        return self.unit == NOTES and self.source == NOTES


def _c(name, unit, source=None):
    return AtomColumn(name, unit, unit if source is None else source)


# The columns of AtoM 2.x's lib/task/import/example/isad/example_information_objects_isad.csv (both layouts of
# the 2.x series: the one with accessionNumber, and the one with digitalObjectChecksum).
ISAD = [
    _c("legacyId", "the tree: the key parentId refers to"),
    _c("parentId", "parent: the row with this legacyId, earlier or later in the file"),
    _c("qubitParentSlug", "parent: an existing unit, by slug or identifier"),
    _c("accessionNumber", NOTES),
    _c("identifier", "number, and the last part of identifier", "the last part of identifier"),
    _c("title", "title (culture en) or title_original (other cultures)"),
    _c("levelOfDescription", "level", "a source (Item)"),
    _c("extentAndMedium", "extent", "physical_description"),
    _c("repository", "repository, by name, original name, code or abbreviation"),
    _c("archivalHistory", NOTES, "provenance"),
    _c("acquisition", NOTES, "provenance"),
    _c("scopeAndContent", "scope_content", "summary"),
    _c("appraisal", NOTES),
    _c("accruals", NOTES),
    _c("arrangement", "arrangement", NOTES),
    _c("accessConditions", "access_conditions", NOTES),
    _c("reproductionConditions", "reproduction_conditions", "rights"),
    _c("language", "languages (ISO 639 codes)"),
    _c("script", "scripts (ISO 15924 codes)", "script (the first code Opis knows; Zyyy for several)"),
    _c("languageNote", NOTES),
    _c("physicalCharacteristics", NOTES, "physical_description"),
    _c("findingAids", "finding_aids", NOTES),
    _c("locationOfOriginals", NOTES),
    _c("locationOfCopies", NOTES),
    _c("relatedUnitsOfDescription", NOTES),
    _c("publicationNote", NOTES, "publication"),
    _c("digitalObjectPath", NOTES),
    _c("digitalObjectURI", NOTES),
    _c("digitalObjectChecksum", NOTES),
    _c("generalNote", NOTES),
    _c("subjectAccessPoints", "subjects, matched by term or created"),
    _c("placeAccessPoints", "places, matched by name or created"),
    _c("nameAccessPoints", "agents (name access points), matched by name or created", "agents, role mentioned"),
    _c("genreAccessPoints", NOTES),
    _c("descriptionIdentifier", NOTES),
    _c("institutionIdentifier", NOTES),
    _c("rules", NOTES),
    _c("descriptionStatus", NOTES),
    _c("levelOfDetail", NOTES),
    _c("revisionHistory", NOTES),
    _c("languageOfDescription", NOTES),
    _c("scriptOfDescription", NOTES),
    _c("sources", NOTES),
    _c("archivistNote", NOTES),
    _c("publicationStatus", "status: Published or Draft"),
    _c("physicalObjectName", NOTES),
    _c("physicalObjectLocation", NOTES),
    _c("physicalObjectType", NOTES),
    _c("alternativeIdentifiers", NOTES),
    _c("alternativeIdentifierLabels", NOTES),
    _c("eventDates", "date_text, as written (events joined by ; )"),
    _c("eventTypes", "Creation and Accumulation make creators; other types name access points"),
    _c("eventStartDates", "date_edtf, from the earliest start"),
    _c("eventEndDates", "date_edtf, to the latest end"),
    _c("eventActors", "creators, matched by name or created", "agents, role creator"),
    _c("eventActorHistories", "administrative_history; the description of a creator it creates"),
    _c("culture", "which fields the texts fill: en the English ones, any other the original-language ones"),
]

# lib/task/import/example/authority_records/example_authority_records.csv
AUTHORITIES = [
    _c("culture", "en: name; another culture: name_original (and name when no en row gives it)"),
    _c("typeOfEntity", "kind: Person and Family → person, Corporate body → organisation"),
    _c("authorizedFormOfName", "name or name_original; an agent of that name already in Opis is left unchanged"),
    _c("parallelFormsOfName", "name_variants"),
    _c("standardizedFormsOfName", "name_variants"),
    _c("otherFormsOfName", "name_variants"),
    _c("corporateBodyIdentifiers", NOTES),
    _c("datesOfExistence", "dates_text as written; dates_edtf when it reads as years (1878-1953)"),
    _c("history", "description"),
    _c("places", NOTES),
    _c("legalStatus", NOTES),
    _c("functions", NOTES),
    _c("mandates", NOTES),
    _c("internalStructures", NOTES),
    _c("generalContext", NOTES),
    _c("descriptionIdentifier", NOTES),
    _c("institutionIdentifier", NOTES),
    _c("rules", NOTES),
    _c("status", NOTES),
    _c("levelOfDetail", NOTES),
    _c("revisionHistory", NOTES),
    _c("sources", NOTES),
    _c("maintenanceNotes", NOTES),
    _c("actorOccupations", NOTES),
    _c("actorOccupationNotes", NOTES),
]


def by_lower_name(columns: list[AtomColumn]) -> dict[str, AtomColumn]:
    """The reader lowercases headers; errors and notes use AtoM's own spelling."""
    return {column.name.lower(): column for column in columns}


def values(cell: str) -> list[str]:
    """A | list with AtoM's NULL placeholders as empty strings, positions kept (parallel columns line up)."""
    cell = cell.strip()
    if not cell:
        return []
    return ["" if part.strip() == NULL else part.strip() for part in cell.split(SEPARATOR)]


def text(cell: str) -> str:
    """A single text cell: a whole-cell NULL is empty; formulae and markup refused as in every import."""
    cell = cell.strip()
    return "" if cell == NULL else check_text(cell)


ATOM_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def edtf_date(raw: str) -> str:
    """AtoM's YYYY, YYYY-MM, YYYY-MM-DD and its 00 placeholders (2016-00-00 a year, 2016-03-00 a month) in EDTF."""
    match = ATOM_DATE.match(raw.strip())
    if not match:
        raise CellError(f"“{raw}” is not a date: AtoM writes YYYY, YYYY-MM or YYYY-MM-DD (2016-00-00 for a year).")
    year, month, day = match.groups()
    if month in (None, "00"):
        if day not in (None, "00"):
            raise CellError(f"“{raw}” has a day but no month.")
        value = year
    elif day in (None, "00"):
        value = f"{year}-{month}"
    else:
        value = f"{year}-{month}-{day}"
    try:
        # A month past 12 would read as an EDTF season (2016-21 is spring): only calendar months and days here.
        bounds(value)
    except ValueError as exc:
        raise CellError(f"“{raw}” is not a real date.") from exc
    return value


def bounds(value: str) -> DateRange:
    """The first and last day of a YYYY, YYYY-MM or YYYY-MM-DD date: what archive.edtf gives for these forms,
    without its grammar, which costs a tenth of a second a date."""
    year, month, day = (int(part) for part in (value.split("-") + ["0", "0"])[:3])
    if day:
        start = end = date(year, month, day)
    elif month:
        start, end = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
    return DateRange(start, end)


def notes_block(pairs: list[tuple[str, str]]) -> str:
    """Homeless cells, each under its AtoM column name."""
    return "\n".join(f"{name}: {value}" for name, value in pairs if value)
