"""Archival references written as (fond, opis, delo) strings, turned into units and back, for migrations.

Shared by archive's migration of sources and curation's of their saved versions; it works on the migration's
historical models (given as arguments), never on the current ones. The loader skips this module: its name
starts with an underscore.

A path is (repository id, fond, opis, delo), stripped. Each distinct path gets one unit per level down to the
lowest number given: fonds, then the inventory if an opis is given, then the file if a delo is given (directly
under the fonds when there is no opis). A path with an opis or delo but no fond gets the repository's one fonds
without a number, so nothing given is lost.
"""

from django.utils.text import slugify

FONDS, SERIES, FILE = "fonds", "series", "file"
LABELS = {FONDS: ("Fonds", "Ф."), SERIES: ("Inventory", "Оп."), FILE: ("File", "Д.")}
UNNUMBERED = ("number unknown", "б/н")
IDENTIFIER_LENGTH, SLUG_LENGTH = 64, 120


def clean(value) -> str:
    return (value or "").strip()


def path_of(repository_id, fond, opis, delo) -> tuple:
    return (repository_id, clean(fond), clean(opis), clean(delo))


class Tree:
    """Units found or made for paths, one per (repository, parent, level, number)."""

    def __init__(self, Unit, Repository):
        self.Unit = Unit
        self.codes = dict(Repository.objects.values_list("pk", "code"))
        self.units = {
            (u.repository_id, u.parent_id, u.level, u.number): u
            for u in Unit.objects.exclude(number="").only("pk", "repository_id", "parent_id", "level", "number")
        }
        self.identifiers = set(Unit.objects.values_list("identifier", flat=True))
        self.slugs = set(Unit.objects.values_list("slug", flat=True))
        self.unnumbered = {}  # repository id -> its fonds without a number
        self.made = set()  # pks of the units made here (a curator's own units keep their state)
        self.under = {}  # unit pk -> the units on its path, top down, for publication

    def unit_for(self, path, *, published_at=None):
        """The lowest unit of the path (made where missing), or None for a path with no numbers."""
        repository_id, fond, opis, delo = path
        if not (fond or opis or delo):
            return None
        steps = [(FONDS, fond)] + ([(SERIES, opis)] if opis else []) + ([(FILE, delo)] if delo else [])
        parent, fonds, numbers = None, None, []
        chain = []
        for level, number in steps:
            numbers.append(number or "x")
            unit = self._get_or_make(repository_id, parent, fonds, level, number, numbers)
            chain.append(unit)
            parent, fonds = unit, fonds or unit
        self.under[chain[-1].pk] = chain
        return chain[-1]

    def _get_or_make(self, repository_id, parent, fonds, level, number, numbers):
        parent_id = parent.pk if parent else None
        if not number:  # only a fonds can be unnumbered: an opis or delo is only taken when given
            if repository_id not in self.unnumbered:
                self.unnumbered[repository_id] = self._make(repository_id, None, None, level, "", numbers)
            return self.unnumbered[repository_id]
        key = (repository_id, parent_id, level, number)
        if key not in self.units:
            self.units[key] = self._make(repository_id, parent, fonds, level, number, numbers)
        return self.units[key]

    def _make(self, repository_id, parent, fonds, level, number, numbers):
        label, label_original = LABELS[level]
        shown, shown_original = (number, number) if number else UNNUMBERED
        base = "-".join([self.codes[repository_id], *numbers])
        unit = self.Unit.objects.create(
            identifier=self._unique(_identifier(base)[:IDENTIFIER_LENGTH], self.identifiers, IDENTIFIER_LENGTH),
            slug=self._unique(slugify(base)[:SLUG_LENGTH] or "unit", self.slugs, SLUG_LENGTH),
            repository_id=repository_id,
            level=level,
            parent=parent,
            fonds=fonds,
            number=number,
            title=f"{label} {shown}",
            title_original=f"{label_original} {shown_original}",
        )
        self.made.add(unit.pk)
        return unit

    @staticmethod
    def _unique(value, taken, length):
        candidate, n = value, 1
        while candidate in taken:
            n += 1
            suffix = f"-{n}"
            candidate = value[: length - len(suffix)] + suffix
        taken.add(candidate)
        return candidate

    def publish(self, published: dict) -> None:
        """Publish every unit above a published source: `published` is {lowest unit pk: earliest published_at}."""
        earliest = {}
        for pk, when in published.items():
            for unit in self.under[pk]:
                if unit.pk not in self.made:
                    continue
                if unit.pk not in earliest or when < earliest[unit.pk]:
                    earliest[unit.pk] = when
        for pk, when in earliest.items():
            self.Unit.objects.filter(pk=pk).update(status="published", published_at=when)


def _identifier(base: str) -> str:
    """Letters, digits, dots, colons, hyphens and underscores, as identifiers allow."""
    kept = "".join(c if (c.isascii() and c.isalnum()) or c in "._:-" else "-" for c in base)
    return kept.lstrip("._:-") or "unit"


def strings_of(Unit, unit_ids) -> dict:
    """{unit pk: (fond, opis, delo)} as the strings the path had."""
    units = {u.pk: u for u in Unit.objects.only("pk", "parent_id", "level", "number")}
    strings = {}
    for pk in set(unit_ids) - {None}:
        numbers = {FONDS: "", SERIES: "", FILE: ""}
        unit = units.get(pk)
        while unit is not None:
            numbers[unit.level] = unit.number
            unit = units.get(unit.parent_id)
        strings[pk] = (numbers[FONDS], numbers[SERIES], numbers[FILE])
    return strings


def update_from(connection, table: str, key: tuple[str, ...], values: tuple[str, ...], rows, where: str = "") -> None:
    """UPDATE table SET values FROM rows (key columns then value columns) joined on the key, in one statement."""
    qn = connection.ops.quote_name
    columns = (*key, *values)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE opis_unit_paths (" + ", ".join(f"{qn(c)} text" for c in columns) + ")")
        placeholders = ", ".join(["%s"] * len(columns))
        insert = f"INSERT INTO opis_unit_paths VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(insert, [list(map(_text, r)) for r in rows])
        assignments = ", ".join(f"{qn(c)} = p.{qn(c)}::{_type(c)}" for c in values)
        join = " AND ".join(f"t.{qn(c)} = p.{qn(c)}::{_type(c)}" for c in key)
        # Names from the models, quoted; the values travel as parameters.
        update = f"UPDATE {qn(table)} AS t SET {assignments} FROM opis_unit_paths AS p WHERE {join} {where}"  # noqa: S608
        cursor.execute(update)
        cursor.execute("DROP TABLE opis_unit_paths")


def _text(value):
    return None if value is None else str(value)


def _type(column: str) -> str:
    return "bigint" if column.endswith("_id") else "text"


def derive_fonds(connection, table: str, unit_table: str) -> None:
    """Each row's fonds_id from its unit: the unit's fonds, or the unit itself if it is a fonds."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(table)} AS t SET fonds_id = COALESCE(u.fonds_id, u.id) FROM {qn(unit_table)} AS u "  # noqa: S608
            "WHERE t.unit_id = u.id AND t.fonds_id IS DISTINCT FROM COALESCE(u.fonds_id, u.id)"
        )


def check_constraints_now(connection) -> None:
    """Run the deferred foreign-key checks of the rows just written, so the columns can be dropped (or added)
    in the same transaction: PostgreSQL refuses to alter a table with pending trigger events."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
