"""Where a unit or a source sits in its archive, as the public sees it: breadcrumbs and ISAD(G) reference codes.

A unit's number is part of the reference of everything inside it, so an unpublished unit's number is shown as plain
text (РГАСПИ › Ф. 558 › Оп. 11 › Д. 374); its title and its link never are. The units must come with their parents
loaded (select_related("parent__parent")): the tree is three levels deep, so no query is made here.
"""

from dataclasses import dataclass

from django.utils.translation import get_language

from archive.models import Level, Repository, Unit

# The archival abbreviations of the levels, Russian and English (as in archive/citation.py).
LABELS = {Level.FONDS: ("Ф.", "f."), Level.SERIES: ("Оп.", "op."), Level.FILE: ("Д.", "d.")}


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""  # empty: shown as plain text


def russian() -> bool:
    return (get_language() or "").startswith("ru")


def repository_label(repository: Repository) -> str:
    """РГАСПИ in Russian, RGASPI in English."""
    return (repository.abbreviation_original if russian() else "") or repository.code


def unit_label(unit: Unit) -> str:
    """Ф. 558 in Russian, f. 558 in English; the title of a published unit without a number; else empty."""
    if unit.number:
        russian_label, english_label = LABELS[Level(unit.level)]
        return f"{russian_label if russian() else english_label} {unit.number}"
    if unit.is_published:
        return (unit.title_original if russian() else "") or unit.title
    return ""


def unit_crumb(unit: Unit, *, link: bool = True) -> Crumb | None:
    label = unit_label(unit)
    if not label:
        return None
    return Crumb(label, unit.get_absolute_url() if link and unit.is_published else "")


def trail(repository: Repository | None, units: list[Unit]) -> list[Crumb]:
    """The repository, then each unit from the fonds down: linked when published, a number only when not."""
    crumbs = [Crumb(repository_label(repository), repository.get_absolute_url())] if repository else []
    return crumbs + [crumb for unit in units if (crumb := unit_crumb(unit))]


def source_trail(source) -> list[Crumb]:
    """A source's breadcrumbs: its repository and the units above it, its own unit included."""
    if source.unit_id is None:
        return trail(source.repository, [])
    unit = source.unit
    return trail(unit.repository, [*unit.ancestors(), unit])


def unit_trail(unit: Unit) -> list[Crumb]:
    """A unit page's breadcrumbs: its repository and the units above it, then the unit itself, not linked."""
    own = unit_crumb(unit, link=False)
    return trail(unit.repository, unit.ancestors()) + ([own] if own else [])


def reference_code(unit: Unit) -> str:
    """The ISAD(G) reference code: РГАСПИ. Ф. 558. Оп. 11 in Russian, RGASPI, f. 558, op. 11 in English. Units
    without a number are left out, never guessed."""
    parts = [repository_label(unit.repository)]
    for part in (*unit.ancestors(), unit):
        if part.number:
            russian_label, english_label = LABELS[Level(part.level)]
            parts.append(f"{russian_label if russian() else english_label} {part.number}")
    return ". ".join(parts) if russian() else ", ".join(parts)
