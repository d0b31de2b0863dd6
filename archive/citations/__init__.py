"""Full citations of a published source and the files reference managers import.

`record.cited()` gathers what a citation says of a source once; `text` writes it as a note in Russian
(ГОСТ Р 7.0.100–2018) and in English (Chicago notes); `exports` as BibTeX, RIS and CSL-JSON. The archival
reference itself comes from archive.citation, the one place that builds it.
"""

from .exports import EXPORTS, Export
from .record import Cited, cited
from .text import full_en, full_ru

__all__ = ["EXPORTS", "Cited", "Export", "cited", "full_en", "full_ru"]
