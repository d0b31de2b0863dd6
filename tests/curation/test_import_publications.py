"""Documents known only from a publication: imported without an archive, and refused with an orphan reference."""

import pytest

from archive.models import Source
from curation.transfer.importer import run_import

from .conftest import read, stream

pytestmark = pytest.mark.django_db


def test_a_document_known_from_a_publication_imports_without_a_repository(importer):
    result = run_import("sources", stream(read("sources_known_from_publications.csv")), user=importer)
    assert not result.errors
    source = Source.objects.get(identifier="T-1935-GREW")
    assert source.repository is None
    assert (
        source.citation_en
        == "Published in Foreign Relations of the United States, 1935, vol. III (The Far East), doc. 92"
    )


def test_a_fond_without_a_repository_is_refused_at_its_row_and_writes_nothing(importer):
    result = run_import("sources", stream(read("reference_without_repository.csv")), user=importer)
    assert [(error.line, error.column) for error in result.errors] == [(3, "repository")]
    assert result.errors[0].message == "A fond needs the repository that holds it: give the repository's code."
    assert not Source.objects.exists()
