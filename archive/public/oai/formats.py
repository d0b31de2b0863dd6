"""The metadata formats, one registry entry each: its prefix, schema, namespace, which records it can describe
(per kind, a condition on their rows, which their tombstones meet too once they are deleted:
records.tombstone_scope),
how it writes one record, when its records change (their datestamp, when it is not their row's own) and the
setting that gives the size of its ListRecords pages."""

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from django.db.models import Q

from archive.models import HarvestKind, Level

from . import dublin_core, ead3, records
from .protocol import OaiError


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str
    scope: dict[str, Q]  # kind: the rows of that kind it describes (no entry: none of that kind)
    prefetch: Callable[[list], None]  # loads what `metadata` reads for a page of records, in a few queries
    metadata: Callable[..., Element]  # (record, context) -> the metadata element
    # kind: its records' datestamp (an expression), when their metadata changes with more than their own row
    datestamps: dict[str, Callable] = field(default_factory=dict)
    page_setting: str = "OPIS_OAI_PAGE_SIZE"  # records a ListRecords page holds (headers: OPIS_OAI_PAGE_SIZE)

    def covers(self, item) -> bool:
        """Whether this format can describe the item: its kind, and its row (a deleted one's: its tombstone)
        meeting that kind's condition."""
        if item.kind not in self.scope:
            return False
        condition = self.scope[item.kind]
        return type(item.row).objects.filter(condition, pk=item.row.pk).exists() if condition else True


FORMATS = {
    entry.prefix: entry
    for entry in (
        Format(
            "oai_dc",
            dublin_core.SCHEMA,
            dublin_core.NAMESPACE,
            {HarvestKind.UNIT: Q(), HarvestKind.SOURCE: Q()},
            dublin_core.prefetch,
            dublin_core.metadata,
        ),
        # A fonds' whole published tree in each record: pages of a few, not of hundreds.
        Format(
            "ead3",
            ead3.SCHEMA,
            ead3.NAMESPACE,
            {HarvestKind.UNIT: Q(level=Level.FONDS)},
            ead3.prefetch,
            ead3.metadata,
            datestamps={HarvestKind.UNIT: records.fonds_datestamp},
            page_setting="OPIS_OAI_EAD3_PAGE_SIZE",
        ),
    )
}


def get(prefix: str) -> Format:
    try:
        return FORMATS[prefix]
    except KeyError:
        raise OaiError("cannotDisseminateFormat", f"This repository has no format “{prefix}”.") from None
