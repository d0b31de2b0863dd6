"""The source page's JSON-LD, expanded by a JSON-LD processor (pyld) as a harvester would read it.

The schema.org context comes from tests/files/schemaorg-context.jsonld through a local document loader, so the
tests need no network: schema.org's vocabulary as the default, and its typing of url, sameAs and the dates.
"""

import json
import re
from pathlib import Path

import pytest
from django.utils import timezone
from pyld import jsonld

from archive.models import Level, Status, Unit
from tests.factories import RepositoryFactory, SourceFactory

pytestmark = pytest.mark.django_db

CONTEXT = json.loads((Path(__file__).parents[2] / "files" / "schemaorg-context.jsonld").read_text())
SCHEMA = "http://schema.org/"
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _local_loader(url, options=None):
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the test would fetch {url}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CONTEXT}


def _jsonld(client, source) -> dict:
    html = client.get(source.get_absolute_url()).content.decode()
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def _expanded(data: dict) -> dict:
    (node,) = jsonld.expand(data, {"documentLoader": _local_loader})
    return node


def _fonds(**fields) -> Unit:
    return Unit.objects.create(
        identifier="RGASPI-558",
        slug="rgaspi-558",
        repository=RepositoryFactory(),
        level=Level.FONDS,
        number="558",
        title="Stalin, Joseph (personal fonds)",
        **fields,
    )


def test_the_source_expands_as_an_archive_component_held_by_an_archive_organisation(client):
    unit = _fonds(status=Status.PUBLISHED, published_at=timezone.now())
    source = SourceFactory(published=True, unit=unit, summary="A summary.")
    node = _expanded(_jsonld(client, source))
    assert node["@type"] == [f"{SCHEMA}ArchiveComponent"]
    assert node["@id"] == f"http://testserver{source.get_absolute_url()}"
    (archive,) = node[f"{SCHEMA}holdingArchive"]
    assert archive["@type"] == [f"{SCHEMA}ArchiveOrganization"]
    assert archive[f"{SCHEMA}name"] == [{"@value": "Russian State Archive of Socio-Political History"}]
    (part_of,) = node[f"{SCHEMA}isPartOf"]
    assert part_of["@type"] == [f"{SCHEMA}ArchiveComponent"]
    assert part_of[f"{SCHEMA}identifier"] == [{"@value": "RGASPI-558"}]


def test_every_property_survives_the_expansion(client):
    source = SourceFactory(published=True, summary="A summary.", title_original="Протокол")
    data = _jsonld(client, source)
    node = _expanded(data)
    expected = {f"{SCHEMA}{key}" for key in data if not key.startswith("@") and data[key] not in ([], "")}
    assert expected <= node.keys()


def test_an_unpublished_unit_is_not_named(client):
    source = SourceFactory(published=True, unit=_fonds())
    assert "isPartOf" not in _jsonld(client, source)


@pytest.mark.parametrize(
    ("edtf", "iso"),
    [
        ("1936-03-12", "1936-03-12"),
        ("1936-03?", "1936-03"),
        ("1936~", "1936"),
        ("1939-05-11/1939-09-16", "1939-05-11/1939-09-16"),
        ("[1939-05..1939-09]", "1939-05/1939-09"),
    ],
)
def test_dates_are_iso_8601_dates_or_ranges(client, edtf, iso):
    data = _jsonld(client, SourceFactory(published=True, date_edtf=edtf))
    assert data["dateCreated"] == data["temporalCoverage"] == iso
    assert all(ISO_DATE.match(part) for part in iso.split("/"))
    node = _expanded(data)
    assert node[f"{SCHEMA}dateCreated"] == [{"@type": f"{SCHEMA}Date", "@value": iso}]
