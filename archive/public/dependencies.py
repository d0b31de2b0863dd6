"""What a public page shows, declared by its view, so that the page cache keeps it until one of those changes.

A page depends on its own record and on every record it shows (archive/public/changes.py names them by tags):
`depends_on(source, source.events.all(), Event)`. A page that lists or counts the records linking to one (an
event's sources, a unit's children, what a person appears in) depends on that record's links tag too
(`links_of(event)`). A list of one kind depends on that kind (`Event`: its list tag, moved by any record of that
kind saved, deleted or relinked), and on whatever else decides what it shows. The declarations of one
request add up in its scope (archive/public/generation.py); a page that declares nothing depends on everything
(any change makes it stale): a view is safe before it declares anything, and its declarations must name all that
it shows once it does.
"""

from collections.abc import Iterable

from django.db.models import Model

from .changes import EVERYTHING, links_tag, tags_of
from .generation import present_request

# Above this many tags a page depends on everything.
MOST_TAGS = 2_000


def depends_on(*things) -> None:
    """The present page shows these: records, models (their lists), tags, or iterables of them."""
    request = present_request()
    if request is None:
        return
    tags = tags_of(*things)
    request.tags = tags if request.tags is None else request.tags | tags


def links_of(*records: Model | None) -> set[str]:
    """The links tags of these records: their pages list what links to them."""
    return {links_tag(record, record.pk) for record in records if record is not None}


def declared() -> set[str]:
    """What the present page declared it shows; everything ('*') if it declared nothing, or more than MOST_TAGS
    (checking that many on each hit would cost more than rendering the page again after any change)."""
    request = present_request()
    if request is None or not request.tags or len(request.tags) > MOST_TAGS:
        return {EVERYTHING}
    return set(request.tags)


def loaded(record: Model | None, name: str) -> Model | None:
    """The related record `name` if it is loaded already (select_related, or read before): never a query."""
    return None if record is None else record._state.fields_cache.get(name)


def unit_chain(unit: Model | None) -> Iterable[Model]:
    """A unit and the parents loaded with it."""
    while unit is not None:
        yield unit
        unit = loaded(unit, "parent")


def listed_sources(sources: Iterable[Model]) -> set[str]:
    """What a list of sources names besides the sources (includes/source_item.html): their repositories and the
    units of their citations, as far as they are loaded (archive.citation.CITED; mixins.LISTED). The sources
    themselves are left to the tag the list hangs from: any change to one names the links tag of each record
    it links to (an event's, a person's) and its kind's list, so an agent in 7,000 sources adds 7,000 tags to
    no page."""
    tags = set()
    for source in sources:
        if repository_id := source.__dict__.get("repository_id"):
            tags.add(f"repository:{repository_id}")
        if unit_id := source.__dict__.get("unit_id"):
            tags.add(f"unit:{unit_id}")
        tags |= tags_of(list(unit_chain(loaded(source, "unit"))))
    return tags
