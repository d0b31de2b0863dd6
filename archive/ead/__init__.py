"""EAD3 (Encoded Archival Description, version 3) of a fonds: the fonds and everything published under it.

`fonds_ead(fonds)` writes the XML (bytes); `validate(xml)` checks it against the official EAD3 schema shipped in
`schema/`; `find_fonds(text)` finds a fonds by its identifier or its reference ("RGASPI 558"). What goes in and
what stays out is in docs/ead.md.
"""

from .lookup import find_fonds
from .schema import validate
from .writer import fonds_ead

__all__ = ["find_fonds", "fonds_ead", "validate"]
