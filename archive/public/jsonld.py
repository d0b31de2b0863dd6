"""schema.org descriptions of the detail pages, as JSON-LD. Built only from what the page itself shows."""

from archive.dates import iso_range
from archive.models import AgentRole


def _absolute(request, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


def _place(request, place) -> dict:
    data = {"@type": "Place", "name": place.name, "url": _absolute(request, place)}
    if place.latitude is not None:
        latitude, longitude = float(place.latitude), float(place.longitude)
        data["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    return data


def _agent(request, agent) -> dict:
    kind = "Person" if agent.kind == "person" else "Organization"
    return {"@type": kind, "name": agent.name, "url": _absolute(request, agent)}


def _archive(repository) -> dict:
    data = {"@type": "ArchiveOrganization", "name": repository.name, "identifier": repository.code}
    optional = {"alternateName": repository.name_original, "url": repository.website}
    if repository.city:
        optional["address"] = {"@type": "PostalAddress", "addressLocality": repository.city}
    return data | {key: value for key, value in optional.items() if value}


def _unit(request, unit) -> dict:
    return {
        "@type": "ArchiveComponent",
        "name": unit.title,
        "identifier": unit.identifier,
        "url": _absolute(request, unit),
    }


def source_jsonld(request, source, events) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "ArchiveComponent",
        "@id": _absolute(request, source),
        "url": _absolute(request, source),
        "identifier": source.identifier,
        "name": source.title,
        "creditText": source.citation_en,
        "inLanguage": [language.code for language in source.languages.all()],
        "about": [{"@type": "Event", "name": event.name, "url": _absolute(request, event)} for event in events],
        "spatialCoverage": [_place(request, place) for place in source.places.all()],
        "keywords": [subject.term for subject in source.subjects.all()],
    }
    if source.repository is not None:
        data["holdingArchive"] = _archive(source.repository)
    part_of = _part_of(request, source.unit) if source.unit_id else None
    if part_of:
        data["isPartOf"] = part_of
    creators = [link.agent for link in source.agent_links.all() if link.role == AgentRole.CREATOR]
    if creators:
        data["creator"] = [_agent(request, agent) for agent in creators]
    optional = {
        "alternateName": source.title_original,
        "description": source.summary,
        # ISO 8601 at the precision known ("1936-03", "1939-05-11/1939-09-16"): schema.org has no EDTF marks.
        "dateCreated": iso_range(source.date_start, source.date_end),
        "temporalCoverage": iso_range(source.date_start, source.date_end),
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def event_jsonld(request, event, children) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": _absolute(request, event),
        "url": _absolute(request, event),
        "name": event.name,
        "location": [_place(request, place) for place in event.places.all()],
        "subEvent": [{"@type": "Event", "name": child.name, "url": _absolute(request, child)} for child in children],
    }
    optional = {
        "alternateName": event.name_original,
        "description": event.description,
        "startDate": event.date_start and event.date_start.isoformat(),
        "endDate": event.date_end and event.date_end.isoformat(),
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def _part_of(request, unit) -> dict | None:
    """The lowest published unit at or above `unit`: an unpublished one is never named."""
    for candidate in [unit, *reversed(unit.ancestors())]:
        if candidate.is_published:
            return _unit(request, candidate)
    return None


def unit_jsonld(request, unit) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "ArchiveComponent",
        "@id": _absolute(request, unit),
        "url": _absolute(request, unit),
        "identifier": unit.identifier,
        "name": unit.title,
        "holdingArchive": {
            "@type": "ArchiveOrganization",
            "name": unit.repository.name,
            "url": _absolute(request, unit.repository),
        },
        "creator": [_agent(request, agent) for agent in unit.creators.all()],
        "inLanguage": [language.code for language in unit.languages.all()],
        "about": [_agent(request, agent) for agent in unit.agents.all()],
        "spatialCoverage": [_place(request, place) for place in unit.places.all()],
        "keywords": [subject.term for subject in unit.subjects.all()],
    }
    part_of = _part_of(request, unit.parent) if unit.parent_id else None
    optional = {
        "alternateName": unit.title_original,
        "description": unit.scope_content,
        "dateCreated": unit.date_edtf,
        "materialExtent": unit.extent,
        "isPartOf": part_of,
    }
    data.update({key: value for key, value in optional.items() if value})
    return data
