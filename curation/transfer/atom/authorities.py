"""AtoM's authority-record CSV into agents: one agent per row; an agent Opis has by that name already is left
as it is (counted as matched), so the creators an ISAD(G) import made are not made twice."""

import re

from django.db.models.functions import Lower

from archive.models import Agent, AgentKind
from curation.transfer import writing
from curation.transfer.cells import CellError
from curation.transfer.history_and_cache import record_written
from curation.transfer.validation import RowError

from .columns import AUTHORITIES, NOTES, by_lower_name, notes_block, text, values
from .plan import authority_keys
from .write import blank_row, model_label

COLUMNS = by_lower_name(AUTHORITIES)
KINDS = {"person": AgentKind.PERSON, "family": AgentKind.PERSON, "corporate body": AgentKind.ORGANISATION}
YEARS = re.compile(r"^(\d{4})(?:\s*[-–—]\s*(\d{4}))?$")
VARIANTS = ("parallelformsofname", "standardizedformsofname", "otherformsofname")
LIMITS = {"authorizedFormOfName": 255, "datesOfExistence": 64}


def import_authorities(header, rows, result, user, *, dry_run: bool) -> None:
    from .run import Report

    errors = result.errors
    agents = [agent for line, cells in rows if (agent := _agent(line, dict(zip(header, cells, strict=False)), errors))]
    seen: dict[str, int] = {}
    for line, agent in agents:
        key = agent["name"].lower()
        if key in seen:
            message = f"Line {seen[key]} describes an agent of the same name."
            errors.append(RowError(line, "authorizedFormOfName", agent["name"], message))
        seen.setdefault(key, line)
    existing = set()
    for field in ("name", "name_original"):
        found = Agent.objects.annotate(key=Lower(field)).filter(key__in=list(seen)).values_list("key", flat=True)
        existing.update(found)
    new = [(line, agent) for line, agent in agents if agent["name"].lower() not in existing]
    result.report = Report(
        made={"agents": len(new)},
        matched={"agents": len(agents) - len(new)},
        homeless=[COLUMNS[name].name for name in header if name in COLUMNS and COLUMNS[name].homeless],
        unknown=[name for name in header if name not in COLUMNS and name != "error"],
    )
    batch = result.batch
    batch.created, batch.unchanged = len(new), len(agents) - len(new)
    batch.message = result.report.summary()[:2000]
    if errors or dry_run or not new:
        return
    rows_out = []
    for _, agent in new:
        identifier, slug = authority_keys(Agent, agent["name"])
        rows_out.append({**blank_row(Agent), **agent, "identifier": identifier, "slug": slug})
    ids = writing.insert(Agent, rows_out)
    records = [
        {
            "batch_id": batch.pk,
            "object_id": pk,
            "identifier": row["identifier"],
            "action": "created",
            "version": None,
            "before": None,
            "after": None,
            "model": model_label(Agent),
        }
        for row, pk in zip(rows_out, ids, strict=True)
    ]
    from curation.models import ImportBatchRecord

    writing.insert_records(ImportBatchRecord, records)
    record_written(model=Agent, created=ids, updated=[], user=user, batch=batch)


def _agent(line: int, named: dict, errors: list[RowError]) -> tuple[int, dict] | None:
    before = len(errors)
    cells = {}
    for lower, raw in named.items():
        name = COLUMNS[lower].name if lower in COLUMNS else lower
        try:
            cells[name] = text(raw)
        except CellError as exc:
            errors.append(RowError(line, name, raw, exc.message))
            continue
        limit = LIMITS.get(name)
        if limit and len(cells[name]) > limit:
            errors.append(RowError(line, name, cells[name][:60], f"Too long: at most {limit} characters."))
    name = cells.get("authorizedFormOfName", "")
    if not name:
        errors.append(RowError(line, "authorizedFormOfName", "", "Required: this cell may not be empty."))
    entity = cells.get("typeOfEntity", "")
    kind = KINDS.get(entity.lower(), AgentKind.PERSON) if entity else AgentKind.PERSON
    if entity and entity.lower() not in KINDS:
        errors.append(RowError(line, "typeOfEntity", entity, "Not one of: Person, Family, Corporate body."))
    dates = cells.get("datesOfExistence", "")
    years = YEARS.match(dates)
    variants = [v for lower in VARIANTS for v in values(named.get(lower, "")) if v]
    notes = [(column, cells[column]) for column in cells if _homeless(column) and cells[column]]
    if entity.lower() == "family":
        notes.insert(0, ("typeOfEntity", entity))
    if len(errors) > before:
        return None
    english = cells.get("culture", "").lower() in ("", "en")
    description = "\n\n".join(part for part in (cells.get("history", ""), notes_block(notes)) if part)
    return line, {
        "kind": kind,
        "name": name,
        "name_original": "" if english else name,
        "name_variants": "\n".join(variants),
        "dates_text": dates,
        "dates_edtf": "/".join(part for part in years.groups() if part) if years else "",
        "description": description,
    }


def _homeless(name: str) -> bool:
    column = COLUMNS.get(name.lower())
    return column is None and name != "error" or column is not None and column.unit == NOTES
