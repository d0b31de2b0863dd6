"""What a fonds' EAD3 holds: its published units and documents, as a tree, in a handful of queries.

A unit or a document appears only when it is published and every unit above it is too: a published file in an
unpublished inventory, and a published document in an unpublished file, stay out of the fonds' EAD, since the
component they belong in cannot be shown and putting them higher up would misstate where they are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch

from archive.models import Event, Source, SourceAgent, Unit

UNIT_RELATIONS = ("creators", "agents", "places", "subjects", "languages")


def number_order(unit: Unit) -> tuple:
    """Numbers as an archivist reads them: 2 before 11 (shorter first), then as written; unnumbered units last."""
    return (not unit.number, len(unit.number), unit.number, unit.identifier)


@dataclass
class Contents:
    """The published tree under a fonds: child units and documents by the id of the unit that holds them."""

    units: dict[int, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    sources: dict[int, list[Source]] = field(default_factory=lambda: defaultdict(list))


def published_contents(fonds: Unit, now: datetime | None = None) -> Contents:
    contents = Contents()
    units = Unit.objects.published(now).filter(fonds=fonds).select_related("repository")
    units = units.prefetch_related(*UNIT_RELATIONS)
    by_parent = defaultdict(list)
    for unit in units:
        by_parent[unit.parent_id].append(unit)
    reachable, queue = {fonds.pk}, [fonds.pk]
    while queue:
        parent = queue.pop()
        children = sorted(by_parent.get(parent, []), key=number_order)
        contents.units[parent] = children
        reachable.update(child.pk for child in children)
        queue.extend(child.pk for child in children)
    for source in _published_sources(reachable, now):
        contents.sources[source.unit_id].append(source)
    return contents


def _published_sources(unit_ids: set[int], now: datetime | None):
    links = SourceAgent.objects.select_related("agent").order_by("role", "agent__name")
    return (
        Source.objects.published(now)
        .filter(unit__in=unit_ids)
        .defer("search_vector", "transcription", "translation")
        .order_by("date_start", "identifier")
        .prefetch_related(
            Prefetch("agent_links", queryset=links),
            "places",
            "subjects",
            "languages",
            Prefetch("events", queryset=Event.objects.published(now).order_by("date_start", "name")),
        )
    )
