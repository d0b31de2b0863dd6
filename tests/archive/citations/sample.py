"""A citation read on a fixed day at a fixed permalink, so that the tests can spell it out."""

from datetime import date

from archive.citations import cited

ACCESSED = date(2026, 12, 2)
URL = "https://opis.example/id/FRUS-1933-39-d299"


def cite(source, **changes):
    """The citation of the source as read on ACCESSED at URL, after saving `changes` to it."""
    for field, value in changes.items():
        setattr(source, field, value)
    source.save()
    return cited(source, url=URL, accessed=ACCESSED)
