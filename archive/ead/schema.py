"""Validation against the official EAD3 XML Schema (schema/ead3.xsd, release 1.1.1)."""

from pathlib import Path

from lxml import etree

SCHEMA_PATH = Path(__file__).with_name("schema") / "ead3.xsd"


def validate(xml: bytes) -> list[str]:
    """The schema's complaints about `xml`, each with its line; empty when the document is valid EAD3.

    The schema is read at each call (a fraction of a second): exports are rare, and a compiled schema kept between
    calls would be state shared across threads.
    """
    schema = etree.XMLSchema(etree.parse(SCHEMA_PATH))
    document = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True)).getroottree()
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
