"""Archival citations from the unit tree, in Russian archival style and in English.

Russian: РГАСПИ. Ф. 558. Оп. 11. Д. 123. Л. 12-15 об.
English: RGASPI, f. 558, op. 11, d. 123, ll. 12-15v
The fond, opis and delo are the numbers of the source's unit and the units above it; missing parts are left
out, never guessed. A document known from a publication cites it ("Опубл.: …" / "Published in …"), after the
archival reference when a unit or folios are known, else alone.
"""

import re

_VERSO = re.compile(r"\s*об\.?", re.IGNORECASE)
_MANY = re.compile(r"[-–,]")
# What citing a source reads: select_related(*CITED) cites a list in one query.
CITED = ("repository", "unit__parent__parent")
LABELS_RU = {"fonds": "Ф.", "series": "Оп.", "file": "Д."}
LABELS_EN = {"fonds": "f.", "series": "op.", "file": "d."}


def units_of(source) -> list:
    """The source's unit and those above it, from the fonds down; empty when no unit is known."""
    unit = source.unit
    return [] if unit is None else [*unit.ancestors(), unit]


def reference_numbers(source) -> dict[str, str]:
    """{"fonds": "558", "series": "11", "file": "374"}: the numbers of the source's units by level ("" if none)."""
    numbers = dict.fromkeys(LABELS_RU, "")
    numbers.update((unit.level, unit.number) for unit in units_of(source))
    return numbers


def _numbers(source, labels: dict[str, str]) -> list[str]:
    return [f"{labels[unit.level]} {unit.number}" for unit in units_of(source) if unit.number.strip()]


def _folios_en(folios: str) -> str:
    english = _VERSO.sub("v", folios.strip())
    prefix = "ll." if _MANY.search(english) else "l."
    return f"{prefix} {english}"


def _archival_ru(source) -> str:
    repo = source.repository
    if repo is None:
        return ""
    parts = [repo.abbreviation_original or repo.code, *_numbers(source, LABELS_RU)]
    if source.folios.strip():
        parts.append(f"Л. {source.folios.strip()}")
    return ". ".join(parts) + ("" if parts[-1].endswith(".") else ".")


def _archival_en(source) -> str:
    if source.repository is None:
        return ""
    parts = [source.repository.code, *_numbers(source, LABELS_EN)]
    if source.folios.strip():
        parts.append(_folios_en(source.folios))
    return ", ".join(parts)


def _has_reference(source) -> bool:
    return source.unit is not None or bool(source.folios.strip())


def cite_ru(source) -> str:
    publication = source.publication.strip()
    if not publication:
        return _archival_ru(source)
    cited = f"Опубл.: {publication}"
    return f"{_archival_ru(source)} {cited}" if _has_reference(source) else cited


def cite_en(source) -> str:
    publication = source.publication.strip()
    if not publication:
        return _archival_en(source)
    cited = f"Published in {publication}"
    return f"{_archival_en(source)}; {cited}" if _has_reference(source) else cited
