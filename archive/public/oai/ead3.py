"""ead3: a published fonds and everything published under it as EAD3, the document its download gives
(archive/ead/, `/units/<slug>/ead.xml`), written by the same function.

The `<ead>` root is the writer's, with the xsi:schemaLocation that the protocol asks of a record's metadata
(section 2.5); its `recordid` names the download's address as the document's instance.
"""

from xml.etree.ElementTree import Element, fromstring

from django.urls import reverse

from archive.ead import fonds_ead
from archive.ead.elements import NS as NAMESPACE
from archive.models import Unit

# Where the Library of Congress, which hosts the standard (http://www.loc.gov/ead/), publishes the schema that
# archive/ead/schema/ead3.xsd is a copy of.
SCHEMA = "https://www.loc.gov/ead/ead3.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

__all__ = ["NAMESPACE", "SCHEMA", "metadata", "prefetch"]


def prefetch(records: list) -> None:
    """Nothing: the writer reads each fonds' published tree itself, in a number of queries that does not grow with
    the fonds."""


def metadata(fonds: Unit, context) -> Element:
    url = context.absolute(reverse("archive:unit-ead", kwargs={"slug": fonds.slug}))
    root = fromstring(fonds_ead(fonds, instance_url=url))  # noqa: S314 (our own writer's output, no entities)
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA}")
    return root
