"""Helpers for the OAI-PMH tests: a request through the test client, its answer validated against the published
schemas shipped in archive/public/oai/schemas/ (the envelope and every metadata record in it)."""

from functools import cache
from pathlib import Path

from lxml import etree

import archive.public.oai

SCHEMAS = Path(archive.public.oai.__file__).parent / "schemas"
NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
NS["oai_dc"] = "http://www.openarchives.org/OAI/2.0/oai_dc/"


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "harvest.xsd")))


def validated(content: bytes):
    tree = etree.fromstring(content)
    schema().assertValid(tree)
    return tree


def oai(client, method: str = "get", **params):
    response = getattr(client, method)("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return validated(response.content)


def error_codes(tree) -> list[str]:
    return [error.get("code") for error in tree.findall("oai:error", NS)]


def identifiers(tree) -> list[str]:
    return [node.text for node in tree.iterfind(".//oai:header/oai:identifier", NS)]


def token(tree) -> str | None:
    node = tree.find(".//oai:resumptionToken", NS)
    return None if node is None else (node.text or None)


def harvest(client, verb: str = "ListIdentifiers", **params) -> list:
    """Every page of a list, following its tokens to the end."""
    pages = [oai(client, verb=verb, **params)]
    while token(pages[-1]):
        pages.append(oai(client, verb=verb, resumptionToken=token(pages[-1])))
    return pages
