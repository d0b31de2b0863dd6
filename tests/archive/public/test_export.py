import csv
import io

import pytest
from django.urls import reverse

from archive.spreadsheet import escape_formula, unescape_formula
from tests.factories import SourceFactory, unit_path

pytestmark = pytest.mark.django_db


def _rows(client, query=""):
    response = client.get(reverse("archive:source-export") + query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_follows_the_filters_of_the_list(client):
    SourceFactory(published=True, title="Protocol", document_type="protocol")
    SourceFactory(published=True, title="Letter", document_type="letter")
    rows = _rows(client, "?document_type=letter")
    assert [row["title"] for row in rows] == ["Letter"]
    assert rows[0]["url"].startswith("http://testserver/sources/")


def test_export_neutralises_formulae(client):
    SourceFactory(published=True, title='=HYPERLINK("http://evil")', summary="+1+1", unit=unit_path("-2"))
    row = _rows(client)[0]
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["summary"] == "'+1+1" and row["fond"] == "'-2"


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "'=1", "''"])
def test_escape_formula_prefixes_formula_starts_reversibly(value):
    assert escape_formula(value) == "'" + value
    assert unescape_formula(escape_formula(value)) == value


@pytest.mark.parametrize("value", ["Протокол о взаимопомощи", "'s-Gravenhage", "1934-11-27", ""])
def test_escape_formula_leaves_ordinary_text(value):
    assert escape_formula(value) == value
    assert unescape_formula(value) == value
