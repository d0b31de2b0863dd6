"""The metadata formats, one registry entry each: its prefix, schema, namespace, which records it can describe
(per kind, a condition on their rows) and how it writes one record. EAD3 for fonds is one more entry:
`Format("ead3", EAD3_SCHEMA, EAD3_NS, {HarvestKind.UNIT: Q(level=Level.FONDS)}, ead3.prefetch, ead3.metadata)`."""

from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from django.db.models import Q

from archive.models import HarvestKind

from . import dublin_core
from .protocol import OaiError


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str
    scope: dict[str, Q]  # kind: the rows of that kind it describes (no entry: none of that kind)
    prefetch: Callable[[list], None]  # loads what `metadata` reads for a page of records, in a few queries
    metadata: Callable[..., Element]  # (record, context) -> the metadata element

    def covers(self, item) -> bool:
        """Whether this format can describe the item (a deleted one: whether it covers its kind)."""
        if item.kind not in self.scope:
            return False
        if item.record is None:
            return True
        condition = self.scope[item.kind]
        return type(item.record).objects.filter(condition, pk=item.record.pk).exists() if condition else True


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
    )
}


def get(prefix: str) -> Format:
    try:
        return FORMATS[prefix]
    except KeyError:
        raise OaiError("cannotDisseminateFormat", f"This repository has no format “{prefix}”.") from None
