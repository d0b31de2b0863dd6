"""A source's fond, opis and delo cells resolved to the unit they name, in bulk for one import."""

from archive.models import Level, Unit

from .keys import among

LEVEL_COLUMNS = (("fond", Level.FONDS), ("opis", Level.SERIES), ("delo", Level.FILE))


class UnitPaths:
    """(repository id, fond, opis, delo) -> (unit id, its fonds's id). A delo without an opis is a file directly
    in the fonds; an empty fond matches the repository's fonds without a number."""

    def __init__(self):
        self.ids: dict[tuple, tuple[int, int]] = {}
        self.loaded: set[tuple] = set()

    def load(self, paths) -> None:
        wanted = {path for path in paths if path[0] is not None and any(path[1:])} - self.loaded
        if not wanted:
            return
        self.loaded |= wanted
        repositories = list({path[0] for path in wanted})
        fonds_numbers = list({path[1] for path in wanted})
        found = {}  # unit pk -> its path
        fonds = Unit.objects.filter(
            among(Unit, "repository", repositories), among(Unit, "number", fonds_numbers), level=Level.FONDS
        )
        for pk, repository, number in fonds.values_list("pk", "repository_id", "number"):
            found[pk] = (repository, number, "", "")
        fonds_of = {pk: pk for pk in found}
        series_numbers = list({path[2] for path in wanted if path[2]})
        if series_numbers and found:
            series = Unit.objects.filter(
                among(Unit, "parent", list(found)), among(Unit, "number", series_numbers), level=Level.SERIES
            )
            for pk, parent, number in series.values_list("pk", "parent_id", "number"):
                found[pk] = (*found[parent][:2], number, "")
                fonds_of[pk] = fonds_of[parent]
        file_numbers = list({path[3] for path in wanted if path[3]})
        if file_numbers and found:
            files = Unit.objects.filter(
                among(Unit, "parent", list(found)), among(Unit, "number", file_numbers), level=Level.FILE
            )
            for pk, parent, number in files.values_list("pk", "parent_id", "number"):
                found[pk] = (*found[parent][:3], number)
                fonds_of[pk] = fonds_of[parent]
        for pk, path in found.items():
            if path in wanted:
                self.ids.setdefault(path, (pk, fonds_of[pk]))

    def resolve(self, path: tuple) -> tuple[tuple[int, int] | None, str | None]:
        """(the unit's id, its fonds's id), or None and why not (for the lowest column given)."""
        if not any(path[1:]):
            return None, None
        if path in self.ids:
            return self.ids[path], None
        named = ", ".join(
            f"{name} {number}" for (name, _), number in zip(LEVEL_COLUMNS, path[1:], strict=True) if number
        )
        return None, f"No such unit ({named}) in the row's repository: add it under Units of description first."


def lowest_column(path: tuple) -> str:
    """The name of the lowest column given: where an unknown unit is reported."""
    return next(name for (name, _), number in reversed(list(zip(LEVEL_COLUMNS, path[1:], strict=True))) if number)
