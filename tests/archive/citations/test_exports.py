"""The citation downloads, read back by the parsers reference-manager users have: bibtexparser, rispy and
citeproc-py (a CSL processor, which reads CSL-JSON as Zotero and Pandoc do)."""

import json

import bibtexparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from archive.citations.exports import bibtex, csl_json, ris
from archive.models import Agent, AgentKind
from tests.archive.citations.conftest import FRUS
from tests.archive.citations.sample import URL, cite

TITLE = "Telegram No. 76, Bullitt (Moscow) to the Secretary of State"


def _bibtex_entry(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), LatexDecodingMiddleware()])
    assert not library.failed_blocks
    (entry,) = library.entries
    return entry


def test_bibtex_parses_with_every_field(telegram):
    entry = _bibtex_entry(bibtex(cite(telegram)))
    assert (entry.entry_type, entry.key) == ("misc", "FRUS-1933-39-d299")
    fields = {field.key: field.value for field in entry.fields}
    assert fields == {
        "author": ["Bullitt, William C."],
        "title": TITLE,
        "date": "1936-03-02",
        "year": "1936",
        "howpublished": "NARA",
        "organization": "National Archives and Records Administration",
        "note": f"Published in {FRUS}",
        "language": "en",
        "url": URL,
        "urldate": "2026-12-02",
    }


def test_bibtex_keeps_latex_special_characters_and_organisations_whole(telegram):
    Agent.objects.update(name="Workers' and Peasants' Red Army", kind=AgentKind.ORGANISATION)
    text = bibtex(cite(telegram, title="100% of the 57th_Corps: {costs} $ # ~ \\ end ^"))
    fields = _bibtex_entry(text).fields_dict
    assert fields["title"].value == "100% of the 57th_Corps: {costs} $ # ~ \\ end ˆ"  # pylatexenc's circumflex
    assert r"\textasciicircum{}}," in text
    # Braced, the organisation is one author, not "Workers'" and "Peasants' Red Army".
    assert fields["author"].value == ["{Workers' and Peasants' Red Army}"]


def test_a_date_range_is_an_iso_range_in_bibtex(telegram):
    entry = _bibtex_entry(bibtex(cite(telegram, date_edtf="1939-05-11/1939-09-16")))
    assert entry.fields_dict["date"].value == "1939-05-11/1939-09-16"


def test_ris_parses_with_zoteros_tags(telegram):
    (record,) = rispy.loads(ris(cite(telegram)))
    assert record["type_of_reference"] == "MANSCPT"
    assert record["id"] == "FRUS-1933-39-d299"
    assert record["authors"] == ["Bullitt, William C."]
    assert record["title"] == TITLE
    assert record["date"] == "1936/03/02/"
    assert record["year"] == "1936"
    assert record["accession_number"] == "NARA"  # Zotero's archive location
    assert record["name_of_database"] == "National Archives and Records Administration"  # Zotero's archive
    assert record["notes"] == [f"Published in {FRUS}"]
    assert record["language"] == "en"
    assert record["urls"] == [URL]
    assert record["access_date"] == "2026/12/02"


def test_a_date_range_in_ris_keeps_its_start_and_the_whole_range(telegram):
    (record,) = rispy.loads(ris(cite(telegram, date_edtf="1939-05-11/1939-09-16")))
    assert record["date"] == "1939/05/11/1939-05-11/1939-09-16"


def test_csl_json_renders_in_a_csl_processor(telegram):
    items = json.loads(csl_json(cite(telegram)))
    assert items[0]["issued"] == {"date-parts": [[1936, 3, 2]], "circa": True}
    assert items[0]["author"] == [{"family": "Bullitt", "given": "William C."}]
    bibliography = CitationStylesBibliography(
        CitationStylesStyle("harvard-cite-them-right", validate=False), CiteProcJSON(items), formatter.plain
    )
    bibliography.register(Citation([CitationItem("FRUS-1933-39-d299")]))
    (entry,) = [str(item) for item in bibliography.bibliography()]
    assert entry == f"Bullitt, W.C. (1936) “{TITLE}”. Available at: {URL} (Accessed: December 2, 2026)."


def test_csl_json_has_the_required_fields_and_a_range_as_two_dates(telegram):
    (item,) = json.loads(csl_json(cite(telegram, date_edtf="1939-05-11/1939-09-16")))
    assert {"id", "type"} <= item.keys()
    assert item["type"] == "manuscript"
    assert item["issued"] == {"date-parts": [[1939, 5, 11], [1939, 9, 16]]}
    assert item["accessed"] == {"date-parts": [[2026, 12, 2]]}
    assert item["archive"] == "National Archives and Records Administration"
