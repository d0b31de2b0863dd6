"""A source's citation as the files reference managers import: BibTeX (biblatex fields), RIS and CSL-JSON."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from .record import Cited, Creator

# BibTeX's special characters, each as LaTeX writes it in text.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _LATEX))
# What a BibTeX key may hold: an identifier as archive.models.base.identifier_validator allows it.
_NOT_IN_KEY = re.compile(r"[^A-Za-z0-9._:-]")


def _latex(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda match: _LATEX[match.group(0)], " ".join(text.split()))


def _bibtex_name(creator: Creator) -> str:
    # An organisation's name in braces is one name, not a family name and given names.
    return _latex(creator.name) if creator.person else f"{{{_latex(creator.name)}}}"


def _date_parts(iso: str) -> list[list[int]]:
    return [[int(number) for number in end.split("-")] for end in iso.split("/")] if iso else []


def bibtex(item: Cited) -> str:
    fields = {
        "author": " and ".join(_bibtex_name(creator) for creator in item.creators),
        "title": item.title,
        "origtitle": item.title_original,
        "date": item.iso_date,
        "year": item.iso_date[:4],
        "howpublished": item.archival_en,
        "organization": item.repository,
        "location": item.repository_place,
        "note": f"Published in {item.publication}" if item.publication else "",
        "language": ", ".join(item.languages),
        "url": item.url,
        "urldate": item.accessed.isoformat(),
    }
    verbatim = {"url", "urldate", "date", "year"}
    lines = [
        f"  {name} = {{{value if name in verbatim or name == 'author' else _latex(value)}}},"
        for name, value in fields.items()
        if value
    ]
    return "@misc{" + _NOT_IN_KEY.sub("-", item.identifier) + ",\n" + "\n".join(lines) + "\n}\n"


def _ris_date(item: Cited) -> str:
    # RIS dates are YYYY/MM/DD/other; a range keeps its start, and the whole range goes in "other".
    start = (_date_parts(item.iso_date) or [[]])[0]
    numbers = [f"{start[0]:04d}" if start else ""] + [f"{n:02d}" for n in start[1:]]
    numbers += [""] * (3 - len(numbers))
    other = item.iso_date if "/" in item.iso_date else ""
    return "/".join([*numbers, other])


def ris(item: Cited) -> str:
    tags = [("TY", "MANSCPT"), ("ID", item.identifier)]
    tags += [("AU", creator.name) for creator in item.creators]
    tags += [
        ("TI", item.title),
        ("DA", _ris_date(item) if item.iso_date else ""),
        ("PY", item.iso_date[:4]),
        # The tags Zotero reads as archive location and archive.
        ("AN", item.archival_en),
        ("DB", item.repository),
        ("CY", item.repository_place),
        ("N1", f"Published in {item.publication}" if item.publication else ""),
        *(("LA", language) for language in item.languages),
        ("UR", item.url),
        ("Y2", item.accessed.strftime("%Y/%m/%d")),
    ]
    lines = [f"{tag}  - {' '.join(value.split())}" for tag, value in tags if value]
    return "\r\n".join([*lines, "ER  - ", ""])


def _csl_name(creator: Creator) -> dict:
    family, comma, given = creator.name.partition(",")
    if creator.person and comma:
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": creator.name}


def csl_json(item: Cited) -> str:
    data = {
        "id": item.identifier,
        "type": "manuscript",
        "title": item.title,
        "original-title": item.title_original,
        "author": [_csl_name(creator) for creator in item.creators],
        "archive": item.repository,
        "archive-place": item.repository_place,
        "archive_location": item.archival_en,
        "note": f"Published in {item.publication}" if item.publication else "",
        "language": item.languages[0] if item.languages else "",
        "URL": item.url,
        "accessed": {"date-parts": [[item.accessed.year, item.accessed.month, item.accessed.day]]},
    }
    if item.iso_date:
        data["issued"] = {"date-parts": _date_parts(item.iso_date)}
        if item.approximate:
            data["issued"]["circa"] = True
    return json.dumps([{key: value for key, value in data.items() if value}], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Export:
    """One download format: its file name ending, its media type and its writer."""

    extension: str
    media_type: str
    label: str
    write: Callable[[Cited], str]


EXPORTS = {
    export.extension: export
    for export in (
        Export("bib", "application/x-bibtex; charset=utf-8", "BibTeX", bibtex),
        Export("ris", "application/x-research-info-systems; charset=utf-8", "RIS", ris),
        Export("json", "application/vnd.citationstyles.csl+json; charset=utf-8", "CSL-JSON", csl_json),
    )
}
