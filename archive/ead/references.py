"""ISAD(G) reference codes from the unit tree: RGASPI, f. 558, op. 11, d. 374 and РГАСПИ. Ф. 558. Оп. 11. Д. 374.

Units without a number are left out, never guessed. The units are read from the tree (`number`, `ancestors()`),
never from a source's old fond/opis/delo strings.
"""

from archive.citation import _folios_en
from archive.models import Level, Unit

LABELS = {Level.FONDS: ("f.", "Ф."), Level.SERIES: ("op.", "Оп."), Level.FILE: ("d.", "Д.")}


def reference_codes(repository, path: list[Unit], folios: str = "") -> tuple[str, str]:
    """The English and the Russian reference code of the last unit of `path` (the fonds first), or of a document
    on `folios` in it."""
    english, russian = [repository.code], [repository.abbreviation_original or repository.code]
    for unit in path:
        if unit.number.strip():
            en_label, ru_label = LABELS[Level(unit.level)]
            english.append(f"{en_label} {unit.number.strip()}")
            russian.append(f"{ru_label} {unit.number.strip()}")
    if folios.strip():
        # Folios as the site's citations give them (ll. 12-15v), one rule for both.
        english.append(_folios_en(folios))
        russian.append(f"Л. {folios.strip()}")
    return ", ".join(english), ". ".join(russian)
