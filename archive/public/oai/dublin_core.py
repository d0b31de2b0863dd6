"""oai_dc: unqualified Dublin Core (https://www.openarchives.org/OAI/2.0/oai_dc.xsd) for units and sources.

Text is the record's own (English title, then the original-language title); dates are the ISO 8601 day or
interval derived from the record's EDTF date; a unit or source refers to the unit above it by that unit's OAI
identifier, only when that unit is published.
"""

from collections import defaultdict
from xml.etree.ElementTree import Element, SubElement

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import NoReverseMatch
from django.utils import translation

from archive.models import AgentRole, Source, SourceAgent, Unit

NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def prefetch(records: list) -> None:
    """The relations every record's metadata reads, for a whole page at once; and which units above them are
    published (`above`: the unit a record may name in dc:relation)."""
    by_type = defaultdict(list)
    for record in records:
        by_type[type(record)].append(record)
    creators = Prefetch(
        "agent_links",
        SourceAgent.objects.filter(role=AgentRole.CREATOR).select_related("agent"),
        to_attr="creator_links",
    )
    prefetch_related_objects(by_type[Source], "languages", "subjects", "places", creators)
    prefetch_related_objects(by_type[Unit], "languages", "subjects", "places", "creators")
    above = {_above_id(record) for record in records} - {None}
    published = set(Unit.objects.published().filter(pk__in=above).values_list("pk", "identifier"))
    names = dict(published)
    for record in records:
        record.oai_above = names.get(_above_id(record))


def _above_id(record) -> int | None:
    return record.unit_id if isinstance(record, Source) else record.parent_id


def metadata(record, context) -> Element:
    root = Element(f"{{{NAMESPACE}}}dc", {f"{{{XSI}}}schemaLocation": f"{NAMESPACE} {SCHEMA}"})
    with translation.override("en"):
        fields = source_fields(record, context) if isinstance(record, Source) else unit_fields(record, context)
    for name, value in fields:
        if value:
            SubElement(root, f"{{{DC}}}{name}").text = str(value).strip()
    return root


def _date(record) -> str:
    if record.date_start is None:
        return ""
    if record.date_start == record.date_end:
        return record.date_start.isoformat()
    return f"{record.date_start.isoformat()}/{record.date_end.isoformat()}"


def _url(record, context) -> str:
    try:
        return context.absolute(record.get_absolute_url())
    except NoReverseMatch:  # the unit pages are not in every deployment yet: no link rather than a broken one
        return ""


def _common(record, context, *, kind: str, type_: str) -> list[tuple[str, str]]:
    fields = [("title", record.title), ("title", record.title_original)]
    fields += [("subject", subject.term) for subject in record.subjects.all()]
    fields += [("date", _date(record)), ("type", type_)]
    fields += [("identifier", _url(record, context)), ("identifier", record.identifier)]
    fields += [("language", language.code) for language in record.languages.all()]
    if record.oai_above:
        fields.append(("relation", context.oai_identifier("unit", record.oai_above)))
    fields += [("coverage", place.name) for place in record.places.all()]
    return fields


def source_fields(source: Source, context) -> list[tuple[str, str]]:
    fields = _common(source, context, kind="source", type_="Text")
    fields += [("creator", link.agent.name) for link in source.creator_links]
    fields += [
        ("description", source.summary),
        ("type", source.get_document_type_display()),
        ("source", source.citation_en),
        ("rights", source.rights),
    ]
    if source.repository:
        fields.append(("publisher", source.repository.name))
    return fields


def unit_fields(unit: Unit, context) -> list[tuple[str, str]]:
    fields = _common(unit, context, kind="unit", type_="Collection")
    fields += [("creator", agent.name) for agent in unit.creators.all()]
    fields += [
        ("description", unit.scope_content),
        ("type", unit.get_level_display()),
        ("format", unit.extent),
        ("rights", unit.reproduction_conditions),
        ("publisher", unit.repository.name),
    ]
    return fields
