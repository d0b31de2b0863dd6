"""The full citations of a source: Russian after ГОСТ Р 7.0.100–2018, English after Chicago (notes)."""

from archive.citations import full_en, full_ru
from tests.archive.citations.conftest import FRUS
from tests.archive.citations.sample import URL, cite

TITLE = "Telegram No. 76, Bullitt (Moscow) to the Secretary of State"


def test_a_document_known_from_a_publication_cites_the_publication(telegram):
    item = cite(telegram)
    assert full_ru(item) == (
        f"{TITLE} : 2 марта 1936 г. (?) // Опубл.: {FRUS}. — URL: {URL} (дата обращения: 02.12.2026). "
        "— Текст : электронный."
    )
    assert full_en(item) == f"{TITLE}, 2 March 1936 (?), published in {FRUS}, {URL} (accessed 2 December 2026)."


def test_the_archival_reference_is_the_one_archive_citation_builds(telegram):
    item = cite(telegram, publication="")
    assert full_ru(item) == (
        f"{TITLE} : 2 марта 1936 г. (?) // {telegram.citation_ru} — URL: {URL} (дата обращения: 02.12.2026). "
        "— Текст : электронный."
    )
    assert full_en(item) == f"{TITLE}, 2 March 1936 (?), {telegram.citation_en}, {URL} (accessed 2 December 2026)."


def test_the_title_in_the_original_language_leads_the_russian_citation(telegram):
    item = cite(telegram, title_original="Телеграмма № 76")
    assert full_ru(item).startswith("Телеграмма № 76 : 2 марта 1936 г. (?) // ")
    assert full_en(item).startswith(f"{TITLE}, ")


def test_an_undated_document_says_so(telegram):
    item = cite(telegram, date_edtf="")
    assert f"{TITLE} : б. д. // " in full_ru(item)
    assert f"{TITLE}, n.d., published in" in full_en(item)


def test_without_archive_or_publication_the_page_itself_is_cited(telegram):
    item = cite(telegram, repository=None, publication="")
    assert full_ru(item) == (
        f"{TITLE} : 2 марта 1936 г. (?). — URL: {URL} (дата обращения: 02.12.2026). — Текст : электронный."
    )
    assert full_en(item) == f"{TITLE}, 2 March 1936 (?), {URL} (accessed 2 December 2026)."
