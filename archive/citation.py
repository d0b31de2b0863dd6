"""Archival citations from the structured reference, in Russian archival style and in English.

Russian: РГАСПИ. Ф. 558. Оп. 11. Д. 123. Л. 12-15 об.
English: RGASPI, f. 558, op. 11, d. 123, ll. 12-15v
Missing parts are left out, never guessed. A document known from a publication cites it ("Опубл.: …" /
"Published in …"), after the archival reference when fond, opis, delo or folios are known, else alone.
"""

import re

_VERSO = re.compile(r"\s*об\.?", re.IGNORECASE)
_MANY = re.compile(r"[-–,]")


def _folios_en(folios: str) -> str:
    english = _VERSO.sub("v", folios.strip())
    prefix = "ll." if _MANY.search(english) else "l."
    return f"{prefix} {english}"


def _archival_ru(source) -> str:
    repo = source.repository
    if repo is None:
        return ""
    parts = [repo.abbreviation_original or repo.code]
    for label, value in (("Ф.", source.fond), ("Оп.", source.opis), ("Д.", source.delo), ("Л.", source.folios)):
        if value.strip():
            parts.append(f"{label} {value.strip()}")
    return ". ".join(parts) + ("" if parts[-1].endswith(".") else ".")


def _archival_en(source) -> str:
    if source.repository is None:
        return ""
    parts = [source.repository.code]
    for label, value in (("f.", source.fond), ("op.", source.opis), ("d.", source.delo)):
        if value.strip():
            parts.append(f"{label} {value.strip()}")
    if source.folios.strip():
        parts.append(_folios_en(source.folios))
    return ", ".join(parts)


def _has_reference(source) -> bool:
    return any(value.strip() for value in (source.fond, source.opis, source.delo, source.folios))


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
