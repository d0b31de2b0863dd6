"""The EAD3 document of a fonds: <control> about the file itself, <archdesc> for the fonds, and a <c> for every
published inventory, file and document under it, nested as in the archive."""

from datetime import UTC, datetime

from django.utils import timezone
from lxml import etree

from archive.models import AgentRole, Unit

from .content import Contents, published_contents
from .elements import (
    NS,
    ORIGINAL_LANGUAGE,
    agent_name,
    dates,
    el,
    langmaterial,
    note,
    place_name,
    subject_term,
)
from .references import reference_codes

AGENCY = "Opis"
ISAD = (
    "ISAD(G): General International Standard Archival Description, second edition "
    "(International Council on Archives, 2000)"
)


def fonds_ead(fonds: Unit, *, now: datetime | None = None, instance_url: str = "") -> bytes:
    """The fonds and everything published under it as an EAD3 document (UTF-8 bytes). `instance_url` is where
    the document itself can be fetched, when known."""
    now = now or timezone.now()
    contents = published_contents(fonds, now)
    root = el("ead", control(fonds, now, instance_url), archdesc(fonds, contents))
    root = etree.fromstring(etree.tostring(root))  # one namespace declaration, on <ead>
    etree.cleanup_namespaces(root, top_nsmap={None: NS})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def control(fonds: Unit, now: datetime, instance_url: str) -> etree._Element:
    moment = now.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat()
    return el(
        "control",
        el("recordid", fonds.identifier, instanceurl=instance_url),
        el(
            "filedesc",
            el(
                "titlestmt",
                el("titleproper", fonds.title, lang="en"),
                el("titleproper", fonds.title_original, lang=ORIGINAL_LANGUAGE) if fonds.title_original else None,
            ),
            el("publicationstmt", el("publisher", AGENCY)),
        ),
        el("maintenancestatus", value="derived"),
        el("publicationstatus", value="published"),
        el("maintenanceagency", el("agencyname", AGENCY)),
        el("languagedeclaration", el("language", "English", langcode="en"), el("script", "Latin", scriptcode="Latn")),
        el("conventiondeclaration", el("abbr", "ISAD(G)"), el("citation", ISAD)),
        el(
            "maintenancehistory",
            el(
                "maintenanceevent",
                el("eventtype", value="derived"),
                el("eventdatetime", f"{moment}Z", standarddatetime=moment),
                el("agenttype", value="machine"),
                el("agent", AGENCY),
                el("eventdescription", "Written from the records published in Opis at this time."),
            ),
        ),
        langencoding="otherlangencoding",
        scriptencoding="iso15924",
        dateencoding="iso8601",
        repositoryencoding="otherrepositoryencoding",
    )


def archdesc(fonds: Unit, contents: Contents) -> etree._Element:
    children = components(fonds, [fonds], contents)
    return el(
        "archdesc",
        unit_did(fonds, [fonds], repository=True),
        unit_notes(fonds),
        el("dsc", children) if children else None,
        level="fonds",
    )


def components(unit: Unit, path: list[Unit], contents: Contents) -> list[etree._Element]:
    """The <c> elements inside `unit`: its published child units (by number), then its published documents (by
    date)."""
    units = [unit_component(child, [*path, child], contents) for child in contents.units.get(unit.pk, [])]
    return units + [source_component(source, path) for source in contents.sources.get(unit.pk, [])]


def unit_component(unit: Unit, path: list[Unit], contents: Contents) -> etree._Element:
    return el("c", unit_did(unit, path), unit_notes(unit), components(unit, path, contents), level=unit.level)


def unit_did(unit: Unit, path: list[Unit], *, repository: bool = False) -> etree._Element:
    english, russian = reference_codes(unit.repository, path)
    return el(
        "did",
        el("unitid", english, localtype="referencecode", repositorycode=unit.repository.code),
        el("unitid", russian, localtype="referencecode", lang=ORIGINAL_LANGUAGE),
        el("unitid", unit.identifier, localtype="identifier"),
        el("unittitle", unit.title, lang="en"),
        el("unittitle", unit.title_original, lang=ORIGINAL_LANGUAGE) if unit.title_original else None,
        dates(unit),
        el("physdesc", unit.extent, localtype="extent") if unit.extent.strip() else None,
        repository_element(unit.repository) if repository else None,
        origination(unit.creators.all()),
        langmaterial(unit.languages.all(), unit.scripts),
    )


def unit_notes(unit: Unit) -> list:
    return [
        note("bioghist", unit.administrative_history),
        note("scopecontent", unit.scope_content),
        note("arrangement", unit.arrangement),
        note("accessrestrict", unit.access_conditions),
        note("userestrict", unit.reproduction_conditions),
        note("otherfindaid", unit.finding_aids),
        access_points(unit.agents.all(), unit.places.all(), unit.subjects.all()),
    ]


def repository_element(repository) -> etree._Element:
    original = el("corpname", el("part", repository.name_original), lang=ORIGINAL_LANGUAGE)
    city = repository.city or repository.city_original
    return el(
        "repository",
        el("corpname", el("part", repository.name), lang="en", identifier=repository.code),
        original if repository.name_original else None,
        el("address", el("addressline", city)) if city else None,
    )


def origination(creators, **attrs) -> etree._Element | None:
    names = [agent_name(agent, **attrs) for agent in creators]
    return el("origination", names, label="Creator") if names else None


def access_points(agents, places, subjects) -> etree._Element | None:
    """<controlaccess> with the people and organisations, places and subjects a unit is about."""
    points = [
        *(agent_name(agent) for agent in agents),
        *(place_name(place) for place in places),
        *(subject_term(subject) for subject in subjects),
    ]
    return el("controlaccess", points) if points else None


def source_component(source, path: list[Unit]) -> etree._Element:
    english, russian = reference_codes(path[-1].repository, path, source.folios)
    links = list(source.agent_links.all())
    creators = [link.agent for link in links if link.role == AgentRole.CREATOR]
    others = [link for link in links if link.role != AgentRole.CREATOR]
    return el(
        "c",
        el(
            "did",
            el("unitid", english, localtype="referencecode", repositorycode=path[-1].repository.code),
            el("unitid", russian, localtype="referencecode", lang=ORIGINAL_LANGUAGE),
            el("unitid", source.identifier, localtype="identifier"),
            el("unittitle", source.title, lang="en"),
            el("unittitle", source.title_original, lang=ORIGINAL_LANGUAGE) if source.title_original else None,
            dates(source),
            physical(source),
            origination(creators, relator="creator"),
            langmaterial(source.languages.all(), [source.script] if source.script else []),
        ),
        note("scopecontent", source.summary),
        note("custodhist", source.provenance),
        note("userestrict", source.rights),
        publication(source),
        source_access_points(source, others),
        level="item",
    )


def physical(source) -> list:
    return [
        el("physdesc", source.physical_description, localtype="description") if source.physical_description else None,
        el("physdesc", source.get_form_display(), localtype="form") if source.form else None,
        el("physdesc", source.get_originality_display(), localtype="originality") if source.originality else None,
        el("physdesc", source.access_marking, localtype="accessmarking", lang=ORIGINAL_LANGUAGE)
        if source.access_marking
        else None,
    ]


def publication(source) -> etree._Element | None:
    if not source.publication.strip():
        return None
    link = el("ref", source.publication_url, href=source.publication_url) if source.publication_url else None
    return el("bibliography", el("bibref", source.publication.strip(), " " if link is not None else None, link))


def source_access_points(source, others) -> etree._Element | None:
    """The people and organisations named with their role (recipient, signatory, mentioned), places, subjects,
    the document type and the published events the document bears on."""
    kind = el("genreform", el("part", str(source.get_document_type_display())), localtype="documenttype")
    events = [el("subject", el("part", event.name), localtype="event") for event in source.events.all()]
    agents = [agent_name(link.agent, relator=link.role) for link in others]
    return el(
        "controlaccess",
        agents,
        [place_name(place) for place in source.places.all()],
        [subject_term(subject) for subject in source.subjects.all()],
        kind,
        events,
    )
