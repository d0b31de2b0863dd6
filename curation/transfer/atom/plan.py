"""The whole AtoM ISAD(G) file against the database: the tree (a parent anywhere in the file, or already in Opis),
its levels, repositories, languages, identifiers and access points. Reads, never writes; every fault is a
RowError naming the line and the AtoM column."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify

from archive.models import Agent, Language, Level, Place, Repository, Source, Status, Subject, Unit
from archive.models.base import identifier_validator
from curation.transfer.validation import RowError

from .columns import ISAD, by_lower_name
from .rows import ITEM, Described

COLUMNS = by_lower_name(ISAD)


@dataclass
class AccessPoints:
    """One model's access points named in the file: those Opis has (by lowercased name) and those to create."""

    model: type
    matched: dict[str, int] = field(default_factory=dict)
    created: dict[str, str] = field(default_factory=dict)  # lowercased -> the name as first written
    ids: dict[str, int] = field(default_factory=dict)  # lowercased -> id, once written

    def id_of(self, name: str) -> int:
        key = name.lower()
        return self.matched[key] if key in self.matched else self.ids[key]


@dataclass
class AtomPlan:
    units: list[Described]  # parents before children
    sources: list[Described]
    agents: AccessPoints
    places: AccessPoints
    subjects: AccessPoints
    histories: dict[str, str]  # a created creator's history, by lowercased name
    homeless: list[str]  # AtoM's columns with no field in Opis: kept in the notes
    unknown: list[str]  # columns AtoM's ISAD template does not have: kept in the notes too


def plan_file(header: list[str], described: list[Described], *, user, errors: list[RowError]) -> AtomPlan:
    by_key = {item.legacy_id: item for item in described if item.legacy_id}
    existing = _existing_parents({item.parent_slug for item in described if item.parent_slug})
    for item in described:
        _link_parent(item, by_key, existing, errors)
    ordered = _ordered(described, errors)
    repositories = _repositories()
    for item in ordered:
        _check_place(item, repositories, errors)
    _check_unique(ordered, errors)
    _check_languages(described, errors)
    _check_rights(described, user, errors)
    agents, places, subjects = _access_points(described)
    histories = {}
    for item in described:
        for name, history in item.creators:
            if name.lower() in agents.created and history:
                histories.setdefault(name.lower(), history)
    homeless = [COLUMNS[name].name for name in header if name in COLUMNS and COLUMNS[name].homeless]
    unknown = [name for name in header if name not in COLUMNS and name != "error"]
    return AtomPlan(
        units=[item for item in ordered if not item.is_item],
        sources=[item for item in ordered if item.is_item],
        agents=agents,
        places=places,
        subjects=subjects,
        histories=histories,
        homeless=homeless,
        unknown=unknown,
    )


def _existing_parents(slugs: set[str]) -> dict[str, dict]:
    fields = ("id", "identifier", "slug", "level", "repository_id", "fonds_id")
    found = {}
    for row in Unit.objects.filter(Q(slug__in=slugs) | Q(identifier__in=slugs)).values(*fields):
        found[row["slug"]] = found[row["identifier"]] = row
    return found


def _link_parent(item, by_key, existing, errors):
    if item.parent_id:
        item.parent = by_key.get(item.parent_id)
        if item.parent is None:
            message = f"No row of this file has legacyId {item.parent_id}: the parent is nowhere."
            errors.append(RowError(item.line, "parentId", item.parent_id, message))
        elif item.parent is item:
            errors.append(RowError(item.line, "parentId", item.parent_id, "A description cannot be its own parent."))
            item.parent = None
    elif item.parent_slug:
        item.parent_unit = existing.get(item.parent_slug)
        if item.parent_unit is None:
            message = f"No unit in Opis has the slug or identifier “{item.parent_slug}”."
            errors.append(RowError(item.line, "qubitParentSlug", item.parent_slug, message))


def _ordered(described: list[Described], errors: list[RowError]) -> list[Described]:
    """Parents before children; a chain of parents that comes back to where it started is refused."""
    depth: dict[int, int] = {}
    for item in described:
        chain, node = [], item
        while node is not None and id(node) not in depth:
            if node in chain:
                cycle = chain[chain.index(node) :]
                path = " → ".join(member.legacy_id for member in (*cycle, node))
                for member in cycle:
                    message = f"The parents go round in a circle: {path}."
                    errors.append(RowError(member.line, "parentId", member.parent_id, message))
                    depth[id(member)] = 0
                    member.parent = None
                break
            chain.append(node)
            node = node.parent
        base = depth.get(id(node), -1) if node is not None else -1
        for offset, member in enumerate(reversed(chain)):
            depth.setdefault(id(member), base + 1 + offset)
    return sorted(described, key=lambda item: depth[id(item)])


def _repositories() -> dict[str, dict]:
    names = {}
    for row in Repository.objects.values("id", "code", "name", "name_original", "abbreviation_original"):
        for key in ("name", "name_original", "code", "abbreviation_original"):
            if row[key]:
                names.setdefault(row[key].lower(), row)
    return names


def _parent_values(item) -> dict | None:
    """What a child needs of its parent: level, repository, identifier, whether it is a unit."""
    if item.parent is not None:
        parent = item.parent
        return {"level": parent.level, "repository_id": parent.repository_id, "identifier": parent.identifier}
    return item.parent_unit


def _check_place(item: Described, repositories: dict, errors: list[RowError]) -> None:
    """The level against the parent's, the repository (given or the parent's), and the identifier and slug."""
    parent = _parent_values(item)
    line = item.line
    if item.level == Level.FONDS and parent is not None:
        errors.append(RowError(line, "levelOfDescription", "Fonds", "A fonds is at the top: it has no parent."))
    elif item.level in (Level.SERIES, Level.FILE) and parent is None and not (item.parent_id or item.parent_slug):
        message = "A series or a file belongs to a fonds or a series: give its parentId or qubitParentSlug."
        errors.append(RowError(line, "parentId", "", message))
    elif parent is not None and parent["level"] == ITEM:
        errors.append(RowError(line, "parentId", item.parent_id, "An item cannot hold other descriptions."))
    elif parent is not None and item.level in Level.values and parent["level"] in Level.values:
        if Level(item.level).rank <= Level(parent["level"]).rank:
            message = f"A {Level(item.level).label} cannot be part of a {Level(parent['level']).label}."
            errors.append(RowError(line, "levelOfDescription", item.level, message))
    inherited = parent["repository_id"] if parent else None
    code = ""
    if item.repository:
        found = repositories.get(item.repository.lower())
        if found is None:
            message = f"No repository in Opis is called “{item.repository}”: add it first, or use its code."
            errors.append(RowError(line, "repository", item.repository, message))
            return
        if inherited and found["id"] != inherited:
            errors.append(RowError(line, "repository", item.repository, "The parent is in another repository."))
        item.repository_id, code = found["id"], found["code"]
    else:
        item.repository_id = inherited
        if item.repository_id is None and not item.is_item:
            errors.append(RowError(line, "repository", "", "Required for a unit at the top: the repository's name."))
    part = item.number.replace(" ", "")
    if not part or not identifier_validator.regex.match(part):
        part = f"L{item.legacy_id}" if item.legacy_id else f"line{line}"
    prefix = parent["identifier"] if parent else code or "atom"
    item.identifier = f"{prefix}-{part}" if prefix else part
    if len(item.identifier) > 64:
        message = f"The identifier made from it, {item.identifier}, is longer than 64 characters."
        errors.append(RowError(line, "identifier", item.number, message))
    item.slug = slugify(item.identifier)[:120]


def _check_unique(ordered: list[Described], errors: list[RowError]) -> None:
    """Identifiers and slugs unique in the file and in Opis; a unit's number unique among its siblings."""
    for model, items in ((Unit, [i for i in ordered if not i.is_item]), (Source, [i for i in ordered if i.is_item])):
        for key in ("identifier", "slug"):
            taken = set(
                model.objects.filter(**{f"{key}__in": [getattr(i, key) for i in items]}).values_list(key, flat=True)
            )
            seen: dict[str, int] = {}
            for item in items:
                value = getattr(item, key)
                if value in seen:
                    message = f"Gives the {key} {value} as line {seen[value]} does: the identifiers must differ."
                    errors.append(RowError(item.line, "identifier", item.number, message))
                elif value in taken:
                    message = f"A {model._meta.verbose_name} with the {key} {value} is already in Opis."
                    errors.append(RowError(item.line, "identifier", item.number, message))
                seen.setdefault(value, item.line)
    units = [item for item in ordered if not item.is_item and item.number]
    siblings: dict[tuple, int] = {}
    for item in units:
        parent = id(item.parent) if item.parent else ("db", item.parent_unit["id"] if item.parent_unit else None)
        key = (item.repository_id, parent, item.level, item.number)
        if key in siblings:
            message = f"Line {siblings[key]} gives the same number at the same place in the repository."
            errors.append(RowError(item.line, "identifier", item.number, message))
        siblings.setdefault(key, item.line)
    outside = [item for item in units if item.parent is None]
    taken = set(
        Unit.objects.filter(number__in=[i.number for i in outside]).values_list(
            "repository_id", "parent_id", "level", "number"
        )
    )
    for item in outside:
        parent_id = item.parent_unit["id"] if item.parent_unit else None
        if (item.repository_id, parent_id, item.level, item.number) in taken:
            message = "A unit with this number is already at this place in the repository."
            errors.append(RowError(item.line, "identifier", item.number, message))


def _check_languages(described: list[Described], errors: list[RowError]) -> None:
    known = set(Language.objects.values_list("code", flat=True))
    for item in described:
        missing = [code for code in item.languages if code not in known]
        if missing:
            message = f"Unknown languages: {', '.join(missing)} (ISO 639 codes; add a language to Opis first)."
            errors.append(RowError(item.line, "language", "|".join(missing), message))


def _check_rights(described: list[Described], user, errors: list[RowError]) -> None:
    for item in described:
        if item.status != Status.PUBLISHED:
            continue
        model = "source" if item.is_item else "unit"
        if not user.has_perm(f"archive.publish_{model}"):
            message = "Importing as Published needs the publish right; import as Draft and have an editor publish."
            errors.append(RowError(item.line, "publicationStatus", "Published", message))


def _access_points(described: list[Described]) -> tuple[AccessPoints, AccessPoints, AccessPoints]:
    agents = _match(
        Agent, ("name", "name_original"), [n for i in described for n in (*i.names, *(c for c, _ in i.creators))]
    )
    places = _match(Place, ("name", "name_original"), [n for i in described for n in i.places])
    subjects = _match(Subject, ("term", "term_original"), [n for i in described for n in i.subjects])
    return agents, places, subjects


def _match(model, fields: tuple[str, str], names: list[str]) -> AccessPoints:
    points = AccessPoints(model)
    wanted = {name.lower(): name for name in reversed(names)}  # the first spelling wins
    for name in fields:
        found = model.objects.annotate(key=Lower(name)).filter(key__in=[k for k in wanted if k not in points.matched])
        for key, pk in found.order_by("pk").values_list("key", "pk"):
            points.matched.setdefault(key, pk)
    points.created = {key: name for key, name in wanted.items() if key not in points.matched}
    return points


def authority_keys(model, name: str) -> tuple[str, str]:
    """The identifier and slug of an access point the import creates: from its name, the same every time."""
    digest = hashlib.sha1(f"{model._meta.model_name}:{name.lower()}".encode()).hexdigest()[:10]  # noqa: S324
    identifier = f"atom-{model._meta.model_name}-{digest}"
    base = slugify(name)[:100]
    return identifier, f"{base}-{digest[:6]}" if base else identifier
