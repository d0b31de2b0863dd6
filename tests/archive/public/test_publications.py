"""A source page for a document known from a publication, and for one whose holding is not known at all."""

import pytest

from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

FRUS = "Foreign Relations of the United States, Diplomatic Papers: The Soviet Union, 1933-1939, document 299"


def test_a_document_known_from_a_publication_is_cited_by_it(client):
    source = SourceFactory(
        published=True,
        repository=None,
        publication=FRUS,
        publication_url="https://history.state.gov/historicaldocuments/frus1933-39/d299",
    )
    html = client.get(source.get_absolute_url()).text
    assert f'id="citation-en" lang="en">Published in {FRUS}</p>' in html
    assert 'href="https://history.state.gov/historicaldocuments/frus1933-39/d299"' in html
    assert "Repository" not in html


def test_a_document_with_neither_archive_nor_publication_says_so(client):
    source = SourceFactory(published=True, repository=None)
    html = client.get(source.get_absolute_url()).text
    assert "Neither the archive that holds this document nor a publication of it is recorded yet" in html
    assert 'id="citation-en"' not in html


def test_the_list_and_its_csv_export_carry_a_source_without_an_archive(client):
    SourceFactory(published=True, repository=None, publication=FRUS, title="Telegram No. 76")
    assert "Telegram No. 76" in client.get("/sources/").text
    export = b"".join(client.get("/sources/export.csv").streaming_content).decode("utf-8-sig")
    assert FRUS in export
