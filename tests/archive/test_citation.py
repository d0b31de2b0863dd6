import pytest

from archive.models import Repository, Source
from tests.factories import RepositoryFactory, SourceFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _unit(fond="", opis="", delo="", repository=None):
    """The lowest unit of the path, made with the units above it."""
    unit = None
    for level, number in (("fonds", fond), ("series", opis), ("file", delo)):
        if number:
            unit = UnitFactory(parent=unit, level=level, number=number, repository=repository or RepositoryFactory())
    return unit


def _source(fond="", opis="", delo="", **fields) -> Source:
    return SourceFactory.build(repository=RepositoryFactory(), unit=_unit(fond, opis, delo), **fields)


@pytest.mark.parametrize(
    ("reference", "russian", "english"),
    [
        (
            {"fond": "558", "opis": "11", "delo": "374", "folios": "12–15"},
            "РГАСПИ. Ф. 558. Оп. 11. Д. 374. Л. 12–15.",
            "RGASPI, f. 558, op. 11, d. 374, ll. 12–15",
        ),
        (
            {"fond": "558", "opis": "11", "delo": "123", "folios": "12-15 об."},
            "РГАСПИ. Ф. 558. Оп. 11. Д. 123. Л. 12-15 об.",
            "RGASPI, f. 558, op. 11, d. 123, ll. 12-15v",
        ),
        (
            {"fond": "558", "opis": "11", "delo": "123", "folios": "7"},
            "РГАСПИ. Ф. 558. Оп. 11. Д. 123. Л. 7.",
            "RGASPI, f. 558, op. 11, d. 123, l. 7",
        ),
        ({"fond": "17"}, "РГАСПИ. Ф. 17.", "RGASPI, f. 17"),
        ({"fond": "17", "opis": "3"}, "РГАСПИ. Ф. 17. Оп. 3.", "RGASPI, f. 17, op. 3"),
        ({"fond": "17", "delo": "5"}, "РГАСПИ. Ф. 17. Д. 5.", "RGASPI, f. 17, d. 5"),  # a file in the fonds itself
        ({}, "РГАСПИ.", "RGASPI"),
        ({"fond": "495", "folios": "3 об."}, "РГАСПИ. Ф. 495. Л. 3 об.", "RGASPI, f. 495, l. 3v"),
    ],
)
def test_citations_use_only_the_parts_that_are_known(reference, russian, english):
    source = _source(**reference)
    assert source.citation_ru == russian
    assert source.citation_en == english


def test_the_citation_follows_the_tree_when_a_file_moves():
    source = _source(fond="558", opis="11", delo="374")
    source.unit.parent = UnitFactory(parent=source.unit.fonds, number="1")
    assert source.citation_ru == "РГАСПИ. Ф. 558. Оп. 1. Д. 374."


def test_citation_falls_back_to_code_without_russian_abbreviation():
    garf = RepositoryFactory(code="GARF", abbreviation_original="", name="State Archive")
    source = SourceFactory.build(repository=garf, unit=UnitFactory(repository=garf, number="R-5446"))
    assert source.citation_ru == "GARF. Ф. R-5446."


def test_a_unit_without_a_number_is_left_out():
    source = _source(fond="", folios="2")
    source.unit = UnitFactory(number="", repository=source.repository)
    assert source.citation_ru == "РГАСПИ. Л. 2."


FRUS = "Foreign Relations of the United States, 1935, vol. III, doc. 92"


def test_a_document_known_from_a_publication_cites_it_alone():
    source = Source(repository=None, publication=FRUS)
    assert source.citation_ru == f"Опубл.: {FRUS}"
    assert source.citation_en == f"Published in {FRUS}"


def test_a_publication_follows_the_archival_reference():
    source = _source(fond="558", publication="Сталин И. В. Сочинения. Т. 14")
    assert source.citation_ru == "РГАСПИ. Ф. 558. Опубл.: Сталин И. В. Сочинения. Т. 14"
    assert source.citation_en == "RGASPI, f. 558; Published in Сталин И. В. Сочинения. Т. 14"


def test_a_source_with_neither_cites_nothing_rather_than_guess():
    source = Source(repository=None)
    assert (source.citation_ru, source.citation_en) == ("", "")


def test_a_publication_stands_alone_when_only_the_archive_is_known():
    source = Source(repository=Repository(code="RGASPI", abbreviation_original="РГАСПИ"), publication=FRUS)
    assert (source.citation_ru, source.citation_en) == (f"Опубл.: {FRUS}", f"Published in {FRUS}")
