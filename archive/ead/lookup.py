"""Finding a fonds from what a curator types: its identifier (RGASPI-558) or reference (RGASPI 558, РГАСПИ Ф. 558)."""

import re

from django.db.models import Q

from archive.models import Unit

_REFERENCE = re.compile(r"^(?P<repository>[^\s,.]+)[\s,.]+(?:(?:f|ф)\.?\s*)?(?P<number>\S+)$", re.IGNORECASE)


def find_fonds(text: str) -> Unit | None:
    """The fonds with this identifier, else the one with this repository (code or abbreviation) and number;
    whatever its status (the caller decides what may be shown). None when there is none."""
    text = text.strip()
    fonds = Unit.objects.fonds().select_related("repository")
    found = fonds.filter(identifier=text).first()
    match = _REFERENCE.match(text)
    if found is None and match:
        held = Q(repository__code__iexact=match["repository"]) | Q(
            repository__abbreviation_original__iexact=match["repository"]
        )
        found = fonds.filter(held, number=match["number"]).first()
    return found
