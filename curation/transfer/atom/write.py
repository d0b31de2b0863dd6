"""Writing a checked AtoM plan in bulk (COPY): the access points to create, the units parents first, the sources,
their links, and the batch records undo works from. Bulk writes bypass save(), so what save() derives (dates,
a unit's fonds, the stamps) is derived here."""

from django.db.models import GeneratedField
from django.utils import timezone

from archive.models import AgentRole, Language, Script, Source, SourceAgent, Status, Unit
from curation.models import ImportBatchRecord, RecordAction
from curation.transfer import writing
from curation.transfer.history_and_cache import record_written

from .columns import notes_block
from .plan import AccessPoints, AtomPlan, authority_keys
from .rows import Described


def model_label(model) -> str:
    return model._meta.label_lower


def blank_row(model) -> dict:
    """Every stored column of the model at its default, as a row for COPY."""
    row = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or isinstance(field, GeneratedField):
            continue
        row[field.attname] = field.get_default()
    return row


class AtomWriter:
    def __init__(self, plan: AtomPlan, *, batch, user):
        self.plan, self.batch, self.user = plan, batch, user
        self.now = timezone.now()
        self.records: list[dict] = []
        self.written: dict[type, list[int]] = {}

    def write(self) -> None:
        for points, build in (
            (self.plan.agents, self._agent),
            (self.plan.places, self._place),
            (self.plan.subjects, self._subject),
        ):
            self._authorities(points, build)
        self._units()
        self._sources()
        writing.insert_records(ImportBatchRecord, self.records)
        for model, ids in self.written.items():
            record_written(model=model, created=ids, updated=[], user=self.user, batch=self.batch)

    # -- access points ---------------------------------------------------------------------

    def _authorities(self, points: AccessPoints, build) -> None:
        if not points.created:
            return
        rows = []
        for key, name in points.created.items():
            identifier, slug = authority_keys(points.model, name)
            rows.append(
                (
                    key,
                    identifier,
                    {**blank_row(points.model), "identifier": identifier, "slug": slug, **build(key, name)},
                )
            )
        ids = writing.insert(points.model, [row for _, _, row in rows])
        for (key, identifier, _), pk in zip(rows, ids, strict=True):
            points.ids[key] = pk
            self._record(points.model, pk, identifier, version=None)

    def _agent(self, key, name):
        return {"name": name, "description": self.plan.histories.get(key, "")}

    def _place(self, key, name):
        return {"name": name}

    def _subject(self, key, name):
        return {"term": name}

    # -- units and sources -----------------------------------------------------------------

    def _editorial(self, model, item: Described) -> dict:
        return {
            **blank_row(model),
            "identifier": item.identifier,
            "slug": item.slug,
            "title": item.title,
            "title_original": item.title_original,
            "repository_id": item.repository_id,
            "date_text": item.date_text,
            "date_edtf": item.date_edtf,
            "date_start": item.date_start,
            "date_end": item.date_end,
            "status": item.status,
            "published_at": self.now if item.status == Status.PUBLISHED else None,
            "created_by_id": self.user.pk,
            "updated_by_id": self.user.pk,
            "created_at": self.now,
            "updated_at": self.now,
            "version": 1,
        }

    def _units(self) -> None:
        units = self.plan.units
        if not units:
            return
        rows = []
        for item in units:
            texts = item.texts
            histories = [
                f"{name}: {history}" if len(item.creators) > 1 else history
                for name, history in item.creators
                if history
            ]
            rows.append(
                {
                    **self._editorial(Unit, item),
                    "level": item.level,
                    "number": item.number,
                    "extent": texts.get("extentAndMedium", ""),
                    "scope_content": texts.get("scopeAndContent", ""),
                    "arrangement": texts.get("arrangement", ""),
                    "access_conditions": texts.get("accessConditions", ""),
                    "reproduction_conditions": texts.get("reproductionConditions", ""),
                    "finding_aids": texts.get("findingAids", ""),
                    "administrative_history": "\n\n".join(histories),
                    "scripts": item.scripts,
                    "notes": notes_block(item.notes),
                }
            )
        # Ids first, so a child knows its parent's and its fonds' before any row is written.
        ids = writing._allocate_ids(Unit, len(units))
        for item, row, pk in zip(units, rows, ids, strict=True):
            item.id = row["id"] = pk
        for item, row in zip(units, rows, strict=True):
            row["parent_id"] = item.parent.id if item.parent else (item.parent_unit or {}).get("id")
            row["fonds_id"] = _fonds_of(item)
        writing.copy_rows(Unit._meta.db_table, list(rows[0]), (list(row.values()) for row in rows))
        for item in units:
            self._record(Unit, item.id, item.identifier, version=1)
        self._links(Unit, units)

    def _sources(self) -> None:
        sources = self.plan.sources
        if not sources:
            return
        rows = []
        for item in sources:
            texts = item.texts
            scripts = item.scripts
            rows.append(
                {
                    **self._editorial(Source, item),
                    "unit_id": item.parent.id if item.parent else (item.parent_unit or {}).get("id"),
                    "summary": texts.get("scopeAndContent", ""),
                    "physical_description": "\n\n".join(
                        texts[name] for name in ("extentAndMedium", "physicalCharacteristics") if texts.get(name)
                    ),
                    "provenance": "\n\n".join(
                        [texts[name] for name in ("archivalHistory", "acquisition") if texts.get(name)]
                        + ([notes_block(item.notes)] if item.notes else [])
                    ),
                    "rights": texts.get("reproductionConditions", ""),
                    "publication": texts.get("publicationNote", ""),
                    "script": _one_script(scripts),
                }
            )
        ids = writing.insert(Source, rows)
        for item, pk in zip(sources, ids, strict=True):
            item.id = pk
            self._record(Source, pk, item.identifier, version=1)
        self._links(Source, sources)

    def _links(self, model, items: list[Described]) -> None:
        plan = self.plan
        languages = dict(Language.objects.values_list("code", "pk"))
        simple = {
            "languages": [(i.id, languages[code]) for i in items for code in i.languages],
            "places": [(i.id, plan.places.id_of(name)) for i in items for name in i.places],
            "subjects": [(i.id, plan.subjects.id_of(name)) for i in items for name in i.subjects],
        }
        creators = {(i.id, plan.agents.id_of(name)) for i in items for name, _ in i.creators}
        named = {(i.id, plan.agents.id_of(name)) for i in items for name in i.names}
        if model is Unit:
            simple["creators"] = sorted(creators)
            simple["agents"] = sorted(named)
        else:
            roles = {(s, a, AgentRole.CREATOR) for s, a in creators} | {(s, a, AgentRole.MENTIONED) for s, a in named}
            writing.copy_rows(SourceAgent._meta.db_table, ["source_id", "agent_id", "role"], sorted(roles))
        for name, links in simple.items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            unique = sorted(set(links))
            if unique:
                columns = [field.m2m_column_name(), field.m2m_reverse_name()]
                writing.copy_rows(through._meta.db_table, columns, unique)

    def _record(self, model, pk: int, identifier: str, *, version: int | None) -> None:
        self.written.setdefault(model, []).append(pk)
        self.records.append(
            {
                "batch_id": self.batch.pk,
                "object_id": pk,
                "identifier": identifier,
                "action": RecordAction.CREATED,
                "version": version,
                "before": None,
                "after": None,
                "model": model_label(model),
            }
        )


def _fonds_of(item: Described) -> int | None:
    """The top of the branch, as Unit.derive_fonds gives it."""
    if item.parent is not None:
        parent = item.parent
        return parent.id if parent.parent is None and parent.parent_unit is None else _fonds_of(parent)
    if item.parent_unit is not None:
        return item.parent_unit["fonds_id"] or item.parent_unit["id"]
    return None


def _one_script(codes: list[str]) -> str:
    """A source has one script: the one given when Opis knows it, Other or mixed (Zyyy) for several or another."""
    if not codes:
        return ""
    return codes[0] if len(codes) == 1 and codes[0] in Script.values else Script.OTHER
