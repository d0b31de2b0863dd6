"""Building EAD3 elements: text made safe for XML, paragraphs, names, dates and languages.

lxml escapes &, <, > and quotes itself; what it refuses are the characters XML 1.0 has no place for (control
characters pasted from word processors), which are dropped here.
"""

import re
from datetime import date

from lxml import etree

from archive.dates import display
from archive.models import AgentKind, Script

NS = "http://ead3.archivists.org/schema/"
# Titles and names "in the original language" are Russian, as the public pages mark them (lang="ru").
ORIGINAL_LANGUAGE = "ru"
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def el(tag: str, *content, **attrs) -> etree._Element:
    """An EAD element: strings become text, elements children; None and empty lists are skipped, as are
    attributes whose value is empty."""
    attrib = {name: clean(str(value)) for name, value in attrs.items() if value not in (None, "")}
    node = etree.Element(f"{{{NS}}}{tag}", attrib, nsmap={None: NS})
    for item in content:
        for part in item if isinstance(item, list | tuple) else (item,):
            if part is None:
                continue
            if isinstance(part, str):
                if len(node):
                    node[-1].tail = (node[-1].tail or "") + clean(part)
                else:
                    node.text = (node.text or "") + clean(part)
            else:
                node.append(part)
    return node


def paragraphs(text: str) -> list[etree._Element]:
    """Plain text as <p> elements: a blank line starts a paragraph, a single line break is an <lb/>."""
    result = []
    for block in _PARAGRAPH_BREAK.split((text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines:
            content = [lines[0]]
            for line in lines[1:]:
                content += [el("lb"), line]
            result.append(el("p", *content))
    return result


def note(tag: str, text: str, **attrs) -> etree._Element | None:
    """A description element (scopecontent, arrangement…) holding `text` as paragraphs; None when it is empty."""
    blocks = paragraphs(text)
    return el(tag, *blocks, **attrs) if blocks else None


def agent_name(agent, **attrs) -> etree._Element:
    """<persname> for a person, <corpname> for an organisation, with its Wikidata item when known."""
    tag = "persname" if agent.kind == AgentKind.PERSON else "corpname"
    wikidata = {"source": "wikidata", "identifier": agent.wikidata} if agent.wikidata else {}
    return el(tag, el("part", agent.name), **wikidata, **attrs)


def place_name(place) -> etree._Element:
    coordinates = None
    if place.latitude is not None and place.longitude is not None:
        coordinates = el("geographiccoordinates", f"{place.latitude} {place.longitude}", coordinatesystem="WGS84")
    wikidata = {"source": "wikidata", "identifier": place.wikidata} if place.wikidata else {}
    return el("geogname", el("part", place.name), coordinates, **wikidata)


def subject_term(subject) -> etree._Element:
    return el("subject", el("part", subject.term))


def _certainty(edtf: str) -> str | None:
    if "%" in edtf or ("~" in edtf and "?" in edtf):
        return "approximate-uncertain"
    if "~" in edtf:
        return "approximate"
    return "uncertain" if "?" in edtf else None


def _day(day: date, tag: str) -> etree._Element:
    return el(tag, day.isoformat(), standarddate=day.isoformat())


def dates(record) -> list[etree._Element]:
    """The record's date as the public pages give it (in words, and as written), and its EDTF range as
    <unitdatestructured>: one day, or the first and last day it can mean."""
    start, end = record.date_start, record.date_end
    result = []
    if start:
        normal = start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
        words = display(record.date_edtf, start, end, "en") or normal
        result.append(el("unitdate", words, unitdatetype="inclusive", normal=normal))
    if record.date_text.strip():
        result.append(el("unitdate", record.date_text.strip(), label="As written"))
    if start:
        single = _day(start, "datesingle") if start == end else None
        span = None if single is not None else el("daterange", _day(start, "fromdate"), _day(end, "todate"))
        result.append(
            el("unitdatestructured", single, span, unitdatetype="inclusive", certainty=_certainty(record.date_edtf))
        )
    return result


def _script(code: str) -> etree._Element:
    label = Script(code).label if code in Script.values else code
    return el("script", str(label), scriptcode=code)


def langmaterial(languages, scripts: list[str]) -> etree._Element | None:
    """The languages of the material, with their scripts when known (a <languageset> needs both)."""
    languages = [el("language", language.name, langcode=language.code) for language in languages]
    if not languages:
        return None
    if scripts:
        return el("langmaterial", el("languageset", languages, [_script(code) for code in scripts]))
    return el("langmaterial", languages)
