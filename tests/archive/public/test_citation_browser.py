"""A reader copies the full citation and downloads the BibTeX file in a real browser."""

import bibtexparser
import pytest

from tests.factories import SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Telegram No. 76, Bullitt (Moscow) to the Secretary of State"
FRUS = "Foreign Relations of the United States, Diplomatic Papers: The Soviet Union, 1933-1939, document 299"


def test_copy_the_full_citation_and_download_bibtex(browser, live_server):
    source = SourceFactory(
        identifier="FRUS-1933-39-d299",
        slug="telegram-76",
        title=TITLE,
        date_edtf="1936-03-02?",
        date_text="",
        repository=None,
        publication=FRUS,
        published=True,
    )
    context = browser.new_context(
        locale="en-GB", permissions=["clipboard-read", "clipboard-write"], accept_downloads=True
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + source.get_absolute_url())
        page.locator("[data-copy=citation-full-en]").click()
        page.wait_for_selector(".citation__status:has-text('Citation copied.')")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        permalink = f"{live_server.url}/id/FRUS-1933-39-d299"
        assert copied.startswith(f"{TITLE}, 2 March 1936 (?), published in {FRUS}, {permalink} (accessed ")
        with page.expect_download() as download:
            page.get_by_role("link", name="BibTeX").click()
        assert download.value.suggested_filename == "FRUS-1933-39-d299.bib"
        (entry,) = bibtexparser.parse_file(download.value.path()).entries
        assert entry.fields_dict["title"].value == TITLE
    finally:
        context.close()
