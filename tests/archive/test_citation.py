import pytest

from archive.models import Repository, Source


def _source(**reference) -> Source:
    repository = Repository(code="RGASPI", abbreviation_original="РГАСПИ", name="RGASPI")
    return Source(repository=repository, **reference)


@pytest.mark.parametrize(
    ("reference", "russian", "english"),
    [
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
        ({"fond": "17", "opis": "", "delo": "", "folios": ""}, "РГАСПИ. Ф. 17.", "RGASPI, f. 17"),
        ({"fond": "", "opis": "", "delo": "", "folios": ""}, "РГАСПИ.", "RGASPI"),
        (
            {"fond": "495", "opis": "", "delo": "", "folios": "3 об."},
            "РГАСПИ. Ф. 495. Л. 3 об.",
            "RGASPI, f. 495, l. 3v",
        ),
    ],
)
def test_citations_use_only_the_parts_that_are_known(reference, russian, english):
    source = _source(**reference)
    assert source.citation_ru == russian
    assert source.citation_en == english


def test_citation_falls_back_to_code_without_russian_abbreviation():
    source = Source(repository=Repository(code="GARF", name="State Archive"), fond="R-5446")
    assert source.citation_ru == "GARF. Ф. R-5446."


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
    source = _source(publication=FRUS)
    assert (source.citation_ru, source.citation_en) == (f"Опубл.: {FRUS}", f"Published in {FRUS}")
