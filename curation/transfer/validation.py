"""Every row checked in full before anything is written: cells, relations, uniqueness, editorial rules.
Errors are (line, column, value, message), all of them, never just the first."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from archive.models import Status
from archive.spreadsheet import unescape_formula
from curation.services import publish_rights_needed, published_change_refusals

from .cells import CellError
from .columns import Text
from .formats import Kind
from .keys import Keys, among
from .stored import fetch
from .unit_paths import UnitPaths, lowest_column

CONTROLLED = {Status.PUBLISHED, Status.WITHDRAWN}
# PostgreSQL cannot store a NUL character in text; it is shown as this symbol in errors and the error CSV.
NUL, NUL_SHOWN = "\x00", "\u2400"
# The error CSV adds this column; a fixed error file imports as it is.
IGNORED_COLUMNS = {"error"}


@dataclass
class RowError:
    line: int
    column: str
    value: str
    message: str

    def as_list(self) -> list:
        """For the batch's JSON (which, like any PostgreSQL text, cannot hold a NUL character)."""
        return [self.line, shown(self.column), shown(self.value), shown(self.message)]


def shown(text: str) -> str:
    """Text as it may be stored and shown: a NUL character replaced by a visible symbol."""
    return text.replace(NUL, NUL_SHOWN) if NUL in text else text


@dataclass
class Planned:
    line: int
    identifier: str
    action: str  # "create", "update" or "unchanged"
    values: dict
    current: dict | None
    changed: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    parent_in_file: str | None = None
    before: dict[str, str] = field(default_factory=dict)  # changed columns' previous cells, for the preview
    after: dict[str, str] = field(default_factory=dict)  # and their cells as they will be stored (a derived slug)
    row: dict | None = None  # the database row to write, once prepared


class HeaderError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class Validator:
    def __init__(self, kind: Kind, header: list[str], *, mode: str, user, keys: Keys):
        self.kind, self.mode, self.user, self.keys = kind, mode, user, keys
        self.positions = [(index, name) for index, name in enumerate(header) if name not in IGNORED_COLUMNS]
        self.header = [name for _, name in self.positions]
        self.file_header = header
        self.width = len(header)
        self.plan = [
            (index, name, kind.by_name[name], not isinstance(kind.by_name.get(name), Text))
            for index, name in self.positions
            if name in kind.by_name
        ]
        self.relations = [kind.by_name[name] for name in self.header if hasattr(kind.by_name.get(name), "model")]
        self.may_publish = user.has_perm(kind.permission("publish")) if kind.editorial else True
        self.seen: dict[str, int] = {}  # identifier -> line
        self.unique_seen: dict[str, dict[str, str]] = {name: {} for name in kind.unique_fields if name != "identifier"}
        self.pending_parents: list[tuple[int, str]] = []
        self.unit_paths = UnitPaths()
        self.tree = None
        if kind.name == "units":
            from .unit_tree import UnitTree  # it builds on this module's RowError

            self.tree = UnitTree(keys)
        self.now = timezone.now()
        self._check_header()

    def _check_header(self):
        errors = []
        unknown = [name for name in self.header if name not in self.kind.by_name]
        for name in unknown:
            errors.append(RowError(1, name, name, f"Unknown column “{name}” for {self.kind.name}."))
        for name in {name for name in self.header if self.header.count(name) > 1}:
            errors.append(RowError(1, name, name, f"Column “{name}” appears more than once."))
        required = [
            c.name for c in self.kind.columns if c.required and not (c.name != "identifier" and self.mode == "update")
        ]
        for name in required:
            if name not in self.header:
                errors.append(RowError(1, name, "", f"Missing required column “{name}”."))
        if errors:
            raise HeaderError(errors)

    # -- one chunk -------------------------------------------------------------------------

    def validate(self, chunk: list[tuple[int, list[str]]]) -> tuple[list[Planned], list[RowError]]:
        parsed, errors = self.parse(chunk)
        return self.check(parsed, errors, self.load(parsed))

    def parse(self, chunk: list[tuple[int, list[str]]]) -> tuple[list[tuple], list[RowError]]:
        """The cells of each row, on their own: no database access, so it may run in another thread."""
        errors: list[RowError] = []
        parsed = [self._parse_row(line, cells, errors) for line, cells in chunk]
        return [item for item in parsed if item is not None], errors

    def load(self, parsed: list[tuple]) -> dict[str, dict]:
        """What checking the rows needs from the database (relations, unique values); returns the current
        records by identifier. The only step that queries."""
        self._load_relations(parsed)
        identifiers = [values["identifier"] for _, values, _ in parsed if values.get("identifier")]
        current = {
            row["identifier"]: row
            for row in fetch(
                self.kind, self.kind.model.objects.filter(among(self.kind.model, "identifier", identifiers))
            )
        }
        self.keys.load_for_export(self.kind, list(current.values()))
        self.publish_rights = publish_rights_needed(model=self.kind.model, pks=[row["id"] for row in current.values()])
        self._load_unique_owners(parsed)
        if self.kind.unit_numbers:
            self.unit_paths.load(
                self._unit_path(values, current.get(values.get("identifier"))) for _, values, _ in parsed
            )
        if self.tree is not None:
            self._load_tree(parsed, current)
        return current

    def _load_tree(self, parsed, current) -> None:
        """For a units file: the parents named that are in the database, and the holders of the rows' numbers."""
        parent, repository = self.kind.by_name["parent"], self.kind.by_name["repository"]
        units = self.keys.for_model(parent.model, parent.keys).ids
        repositories = self.keys.for_model(repository.model, repository.keys).ids
        parents, numbers, places = [], [], []
        for _, values, _ in parsed:
            stored = current.get(values["identifier"]) or {}
            parent = values.get("parent")
            parents.append(units.get(parent) if parent is not None else stored.get("parent"))
            numbers.append(values["number"] if "number" in values else stored.get("number"))
            places.append(repositories.get(values["repository"]) if values.get("repository") else None)
            places.append(stored.get("repository"))
        self.tree.load(parents, numbers, places)

    def _unit_path(self, values, current) -> tuple:
        """(repository id, fond, opis, delo) of a row as it will be: its cells, else the record's current ones."""
        if "repository" in values:
            key = values["repository"]
            repository = self.keys[self.kind.by_name["repository"].model].ids.get(key) if key is not None else None
        else:
            repository = current["repository"] if current else None
        numbers = [
            values[c.name] if c.name in values else (current[c.name] if current else "") for c in self.kind.unit_numbers
        ]
        return (repository, *numbers)

    def check(self, parsed: list[tuple], errors: list[RowError], current: dict) -> tuple[list[Planned], list[RowError]]:
        """Parsed rows against what `load` read: relations, uniqueness, editorial rules. No queries, so it may
        run in another thread while the previous chunk is written."""
        planned = []
        for line, values, raw in parsed:
            row_errors: list[RowError] = []
            plan = self._plan(line, values, raw, current.get(values.get("identifier")), row_errors)
            errors.extend(row_errors)
            if plan is not None and not row_errors:
                planned.append(plan)
                if self.tree is not None:
                    self.tree.add(line, plan.values, plan.parent_in_file, plan.current)
        return planned, errors

    def _parse_row(self, line, cells, errors):
        if NUL in "".join(cells):
            errors.extend(self._nul_errors(line, cells))
            return None
        if len(cells) > self.width:
            extra = [cell for cell in cells[self.width :] if cell.strip()]
            if extra:
                errors.append(
                    RowError(line, "", extra[0], f"The row has {len(cells)} cells but the header only {self.width}.")
                )
                return None
        values, before, width = {}, len(errors), len(cells)
        for index, name, column, plain in self.plan:
            text = cells[index].strip() if index < width else ""
            if not text:
                if column.required:
                    errors.append(RowError(line, name, "", "Required: this cell may not be empty."))
                values[name] = column.empty
                continue
            if plain and text[0] == "'":
                text = unescape_formula(text)  # our export escapes every cell; text columns check their own
            try:
                values[name] = self._parse_cell(column, text)
            except CellError as exc:
                errors.append(RowError(line, name, text, exc.message))
        identifier = values.get("identifier")
        if identifier:
            if identifier in self.seen:
                errors.append(
                    RowError(
                        line,
                        "identifier",
                        identifier,
                        f"Duplicate identifier: already on line {self.seen[identifier]}.",
                    )
                )
            else:
                self.seen[identifier] = line
        if len(errors) > before:
            return None
        return line, values, cells

    def _parse_cell(self, column, text):
        return column.split(text) if column.is_link else column.parse(text)

    def _nul_errors(self, line, cells) -> list[RowError]:
        errors = []
        for index, cell in enumerate(cells):
            if NUL in cell:
                name = self.file_header[index] if index < self.width else f"#{index + 1}"
                errors.append(
                    RowError(
                        line,
                        name,
                        cell.replace(NUL, NUL_SHOWN),
                        f"Contains a NUL character (byte 0, shown as {NUL_SHOWN}) at position {cell.index(NUL) + 1}, "
                        "which the database cannot store: remove it.",
                    )
                )
        return errors

    def _load_relations(self, parsed):
        for column in self.relations:
            name = column.name
            keymap = self.keys.for_model(column.model, column.keys)
            if column.is_link:
                keymap.load_keys(column.key_of(item) for _, values, _ in parsed for item in values[name])
            else:
                keymap.load_keys(values[name] for _, values, _ in parsed if values[name])

    def _load_unique_owners(self, parsed):
        self.unique_owner: dict[str, dict[str, str]] = {}
        model = self.kind.model
        for name in self.unique_seen:
            wanted = [values[name] for _, values, _ in parsed if values.get(name)]
            rows = model.objects.filter(among(model, name, wanted)).values_list(name, "identifier")
            self.unique_owner[name] = dict(rows)

    # -- one row ---------------------------------------------------------------------------

    def _plan(self, line, values, raw, current, errors) -> Planned | None:
        identifier = values["identifier"]
        if current is None and self.mode == "update":
            errors.append(
                RowError(line, "identifier", identifier, "No record with this identifier (mode: update only).")
            )
            return None
        if current is not None and self.mode == "create":
            errors.append(
                RowError(line, "identifier", identifier, "A record with this identifier exists (mode: create only).")
            )
            return None
        parent_in_file = self._resolve(line, values, errors)
        merged = {}
        for column in self.kind.columns:
            if column.name in values:
                merged[column.name] = values[column.name]
            else:
                merged[column.name] = current[column.name] if current else column.empty
        self._derive(line, merged, current, values, errors)
        self._check_unique(line, merged, errors)
        self._check_rules(line, merged, current, errors)
        if self.tree is not None:
            self.tree.check_row(line, merged, parent_in_file, errors)
        if current is None:
            return Planned(line, identifier, "create", merged, None, list(values), raw, parent_in_file)
        changed = [name for name in values if merged[name] != current[name]]
        errors.extend(
            RowError(line, *refusal)
            for refusal in published_change_refusals(
                user=self.user,
                record=identifier,
                changed={name: merged[name] for name in changed},
                needed=self.publish_rights.get(current["id"], ()),
            )
        )
        if parent_in_file and "parent" not in changed:
            changed.append("parent")
        before = {name: self.kind.by_name[name].dump(current[name], self.keys) for name in changed}
        # Only a row without errors is planned, and only its values are all resolved.
        after = {} if errors else self._after(changed, merged, parent_in_file)
        action = "update" if changed else "unchanged"
        return Planned(line, identifier, action, merged, current, changed, raw, parent_in_file, before, after)

    def _after(self, changed, merged, parent_in_file) -> dict[str, str]:
        """Changed cells as they will be stored, for the preview. A parent later in the file has no id yet, and a
        related record that was not looked up has no known key: those cells are shown as written."""
        after = {}
        for name in changed:
            if name == "parent" and parent_in_file:
                continue
            if name == "author" and merged[name] == self.user.pk:
                after[name] = self.user.get_username()  # filled in with the importing user
                continue
            try:
                after[name] = self.kind.by_name[name].dump(merged[name], self.keys)
            except KeyError:
                continue
        return after

    def _resolve(self, line, values, errors) -> str | None:
        parent_in_file = None
        for column in self.relations:
            name = column.name
            keymap = self.keys[column.model]
            if column.is_link:
                missing = [column.key_of(item) for item in values[name] if column.key_of(item) not in keymap.ids]
                if missing:
                    label = column.model._meta.verbose_name_plural
                    errors.append(RowError(line, name, "|".join(missing), f"Unknown {label}: {', '.join(missing)}."))
                    continue
                values[name] = tuple(
                    sorted({column.resolved(item, keymap.ids[column.key_of(item)]) for item in values[name]})
                )
            elif values[name] is not None:
                key = values[name]
                if key in keymap.ids:
                    values[name] = keymap.ids[key]
                elif name == "parent":
                    # The parent may come later in the same file: checked when the file is read to the end.
                    parent_in_file, values[name] = key, None
                    if key == values.get("identifier"):
                        label = self.kind.model._meta.verbose_name
                        errors.append(RowError(line, name, key, f"The {label} cannot be part of itself."))
                    else:
                        self.pending_parents.append((line, key))
                else:
                    label = column.model._meta.verbose_name
                    errors.append(RowError(line, name, key, f"Unknown {label} “{key}”."))
        if "author" in self.kind.by_name and values.get("author", None) is None and "author" in self.header:
            values["author"] = self.user.pk
        return parent_in_file

    def _derive(self, line, merged, current, values, errors):
        if self.kind.has_slug and not merged.get("slug"):
            merged["slug"] = slugify(merged["identifier"])[:120] or None
            if merged["slug"] is None:
                errors.append(RowError(line, "slug", "", "Cannot derive a slug from the identifier; give one."))
        if "author" in self.kind.by_name and merged.get("author") is None:
            merged["author"] = self.user.pk
        if self.kind.unit_numbers:
            self._derive_unit(line, merged, errors)
        if self.tree is not None:
            merged["fonds"] = self.tree.fonds_of(merged["parent"])
        if self.kind.editorial and merged["status"] == Status.PUBLISHED and merged["published_at"] is None:
            merged["published_at"] = self.now

    def _derive_unit(self, line, merged, errors):
        """The unit the fond, opis and delo cells name, under the row's repository (checked by _check_rules)."""
        path = (merged["repository"], *(merged[column.name] for column in self.kind.unit_numbers))
        merged["unit"] = merged["fonds"] = None
        if path[0] is None or any(error.column == "repository" for error in errors):
            return
        found, message = self.unit_paths.resolve(path)
        if found:
            merged["unit"], merged["fonds"] = found
        if message:
            column = lowest_column(path)
            errors.append(RowError(line, column, merged[column], message))

    def _check_unique(self, line, merged, errors):
        for name, seen in self.unique_seen.items():
            value = merged.get(name)
            if not value:
                continue
            # The file first: an earlier chunk may be written already, and the file is what to fix.
            in_file, owner = seen.get(value), self.unique_owner.get(name, {}).get(value)
            if in_file is not None and in_file != merged["identifier"]:
                errors.append(
                    RowError(line, name, value, f"Also given to {in_file} in this file: a {name} must be unique.")
                )
            elif owner is not None and owner != merged["identifier"]:
                errors.append(RowError(line, name, value, f"Already used by {owner}: a {name} must be unique."))
            else:
                seen[value] = merged["identifier"]

    def _check_rules(self, line, merged, current, errors):
        if self.kind.editorial:
            old = current["status"] if current else None
            new = merged["status"]
            if new != old and {new, old} & CONTROLLED and not self.may_publish:
                errors.append(
                    RowError(
                        line,
                        "status",
                        new,
                        f"You may not set status to {new} or change a {old} record: that needs the publish right.",
                    )
                    if old in CONTROLLED
                    else RowError(line, "status", new, f"Setting status to {new} needs the publish right.")
                )
        if self.kind.name == "commentary" and (merged["source"] is None) == (merged["event"] is None):
            if not any(error.column in ("source", "event") for error in errors):
                errors.append(
                    RowError(
                        line,
                        "source",
                        "",
                        "A commentary is about exactly one source or one event: give one of source, event.",
                    )
                )
        if self.kind.name == "sources" and merged["repository"] is None:
            given = [name for name in ("fond", "opis", "delo", "folios") if merged[name]]
            if given and not any(error.column == "repository" for error in errors):
                message = f"A {given[0]} needs the repository that holds it: give the repository's code."
                errors.append(RowError(line, "repository", "", message))
        if self.kind.name == "places" and (merged["latitude"] is None) != (merged["longitude"] is None):
            errors.append(RowError(line, "latitude", "", "Give both latitude and longitude, or neither."))

    def finish(self) -> list[RowError]:
        """Parents named by rows later in the file are checked once every identifier is known; for units, the
        tree the whole file makes."""
        label = self.kind.model._meta.verbose_name
        errors = [
            RowError(line, "parent", key, f"Unknown {label} “{key}” (not in the database nor in this file).")
            for line, key in self.pending_parents
            if key not in self.seen
        ]
        if self.tree is not None:
            errors = sorted([*errors, *self.tree.finish(self.seen)], key=lambda error: error.line)
        return errors
