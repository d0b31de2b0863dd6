"""The place of each row of a `units` file in the tree: its parent's level and repository, its number among its
siblings, no unit its own ancestor. Rows may name parents later in the file, so what needs the whole file is
checked once it is read (`UnitTree.finish`); the number, which the database holds unique, is checked row by row
before the row's chunk is written."""

from dataclasses import dataclass

from archive.models import Level, Unit

from .keys import among
from .validation import RowError


@dataclass
class Placed:
    """A unit as a row of the file puts it, or as the database holds it."""

    identifier: str
    level: str
    repository: int | None
    parent: str | None  # the parent's identifier
    line: int = 0  # 0: as the database holds it
    id: int | None = None


class UnitTree:
    def __init__(self, keys):
        self.keys = keys  # the import's natural keys: unit identifiers by id
        self.rows: dict[str, Placed] = {}  # the file's rows without errors, by identifier
        self.stored: dict[int, tuple] = {}  # database units: id -> (identifier, level, repository, fonds, parent)
        self.numbers: dict[tuple, str] = {}  # (repository, parent identifier, level, number) -> identifier
        self.changed: list[tuple[int, Placed, dict]] = []  # existing units given another level or repository

    # -- per chunk (the check thread) ------------------------------------------------------------

    def load(self, parent_ids, numbers, repositories) -> None:
        """The database units named as parents, and the holders of the chunk's numbers in its repositories."""
        self._load_stored(parent_ids)
        numbers, repositories = [n for n in set(numbers) if n], list(set(repositories) - {None})
        if not numbers or not repositories:
            return
        holders = Unit.objects.filter(among(Unit, "number", numbers), among(Unit, "repository", repositories))
        for identifier, repository, parent, level, number in holders.values_list(
            "identifier", "repository_id", "parent__identifier", "level", "number"
        ):
            self.numbers.setdefault((repository, parent, level, number), identifier)

    def _load_stored(self, ids) -> None:
        missing = [pk for pk in set(ids) if pk is not None and pk not in self.stored]
        if missing:
            for pk, *values in Unit.objects.filter(among(Unit, "id", missing)).values_list(
                "pk", "identifier", "level", "repository_id", "fonds_id", "parent_id"
            ):
                self.stored[pk] = tuple(values)

    def fonds_of(self, parent_id: int | None) -> int | None:
        """What Unit.derive_fonds gives a unit under this stored parent."""
        if parent_id is None:
            return None
        return self.stored[parent_id][3] or parent_id

    def parent_identifier(self, merged: dict, parent_in_file: str | None) -> str | None:
        if parent_in_file:
            return parent_in_file
        return None if merged["parent"] is None else self.keys.for_model(Unit, ("identifier",))[merged["parent"]]

    def check_row(self, line: int, merged: dict, parent_in_file: str | None, errors: list[RowError]) -> None:
        """A fonds at the top, anything else under a parent; the number free among the parent's units."""
        level, has_parent = merged["level"], merged["parent"] is not None or parent_in_file is not None
        if level == Level.FONDS and has_parent:
            parent = self.parent_identifier(merged, parent_in_file)
            errors.append(RowError(line, "parent", parent, "A fonds has no parent: leave this cell empty."))
        elif level != Level.FONDS and not has_parent:
            errors.append(RowError(line, "parent", "", f"A unit at the level “{level}” needs a parent unit."))
        number = merged["number"]
        if not number or errors:
            return
        key = (merged["repository"], self.parent_identifier(merged, parent_in_file), level, number)
        holder = self.numbers.get(key)
        if holder is not None and holder != merged["identifier"]:
            where = "this file" if holder in self.rows else "the database"
            message = f"Already given to {holder} in {where}: the number must be unique at this place."
            errors.append(RowError(line, "number", number, message))
        else:
            self.numbers[key] = merged["identifier"]

    def add(self, line: int, merged: dict, parent_in_file: str | None, current: dict | None) -> None:
        """A row without errors, for the checks of the whole tree."""
        placed = Placed(
            merged["identifier"],
            merged["level"],
            merged["repository"],
            self.parent_identifier(merged, parent_in_file),
            line,
            current["id"] if current else None,
        )
        self.rows[placed.identifier] = placed
        if current and (current["level"], current["repository"]) != (placed.level, placed.repository):
            self.changed.append((current["id"], placed, current))

    # -- once the file is read -------------------------------------------------------------------

    def finish(self, seen: dict[str, int]) -> list[RowError]:
        """Every row's parent: no cycle, a higher level, the same repository; and the units already under a unit
        whose level or repository changes still fit under it. `seen` is every identifier in the file (a row with
        errors of its own is not checked again)."""
        stored = self._stored_by_identifier()
        errors = []
        for row in self.rows.values():
            if row.parent is None:
                continue
            if self._in_cycle(row, stored, seen):
                message = f"A unit may not become its own ancestor: “{row.parent}” is under {row.identifier}."
                errors.append(RowError(row.line, "parent", row.parent, message))
                continue
            parent = self.rows.get(row.parent) or (None if row.parent in seen else stored.get(row.parent))
            if parent is not None:
                errors.extend(self._fits(row, parent))
        errors.extend(self._children_fit(seen))
        return sorted(errors, key=lambda error: error.line)

    def _stored_by_identifier(self) -> dict[str, Placed]:
        """The stored units named as parents and those above them, up to their fonds (a query a level: the tree is
        shallow)."""
        asked: set[int] = set()
        while True:
            missing = {values[4] for values in self.stored.values()} - {None, *self.stored} - asked
            if not missing:
                break
            asked |= missing
            self._load_stored(missing)
        return {
            identifier: Placed(identifier, level, repository, self.stored.get(parent, (None,))[0], id=pk)
            for pk, (identifier, level, repository, _fonds, parent) in self.stored.items()
        }

    def _in_cycle(self, row: Placed, stored: dict[str, Placed], seen: dict[str, int]) -> bool:
        visited, step = {row.identifier}, row.parent
        while step is not None:
            if step in visited:
                return step == row.identifier
            visited.add(step)
            above = self.rows.get(step) or (None if step in seen else stored.get(step))
            step = above.parent if above else None
        return False

    def _fits(self, row: Placed, parent: Placed) -> list[RowError]:
        if parent.repository != row.repository:
            message = f"The parent unit {parent.identifier} is in another repository."
            return [RowError(row.line, "parent", parent.identifier, message)]
        if Level(row.level).rank <= Level(parent.level).rank:
            message = f"A unit at the level “{row.level}” cannot be part of one at the level “{parent.level}”."
            return [RowError(row.line, "parent", parent.identifier, message)]
        return []

    def _children_fit(self, seen: dict[str, int]) -> list[RowError]:
        """Units not in the file under a unit the file gives another level or repository (as the admin's form
        refuses it)."""
        if not self.changed:
            return []
        by_id = {pk: placed for pk, placed, _ in self.changed}
        children = Unit.objects.filter(among(Unit, "parent", list(by_id))).values_list(
            "identifier", "level", "repository_id", "parent_id"
        )
        errors, reported = [], set()
        for identifier, level, repository, parent_id in children.order_by("identifier"):
            row = by_id[parent_id]
            if identifier in seen or row.identifier in reported:
                continue  # a child in the file is checked as its own row
            child = Placed(identifier, level, repository, row.identifier)
            if repository != row.repository:
                message = f"Units under it ({identifier}) are in its repository: move them first."
                errors.append(RowError(row.line, "repository", "", message))
                reported.add(row.identifier)
            elif self._fits(child, row):
                message = f"Units under it ({identifier}) are of this level or above: move them first."
                errors.append(RowError(row.line, "level", row.level, message))
                reported.add(row.identifier)
        return errors
