"""What changed in the public records, by tag: the change log the page cache and the facet index read.

A tag names what a change touched, and what a page shows:

- a record: ``<model_name>:<pk>``, the model's ``_meta.model_name`` and primary key (``source:12``, ``event:3``,
  ``agent:7``, ``unit:5``…): the record itself changed (saved, deleted, or its own many-to-many links);
- the records linking to one: ``links:<model_name>:<pk>`` (``links:event:3``): a record that links to it (by a
  foreign key or a many-to-many link, before or after the change) was saved, deleted, linked or unlinked. A page
  that lists or counts what links to a record (an event's sources, a unit's children) depends on it; a page that
  only names the record (a source page naming its event) depends on the record's own tag, so editing one source
  leaves the pages of the other sources of its event, fonds and repository as they were;
- a list of one kind: ``list:<model_name>`` (``list:source``, ``list:event``…), changed by every save or deletion
  of a record of that kind;
- which records of one kind a list holds and counts: ``listing:<model_name>``, named with the list tag by every
  write but a save that leaves the fields registered in `LISTING` as they were (a source's title edited: the lists
  filtered by facets and sorted by date hold and count the same sources in the same order). A list that declares it
  instead of the list tag declares the records it shows too;
- everything: ``'*'``. A change without tags changed everything; a page without tags depends on everything.

Every change row (archive_publicchange, inserted by `public_changed()` in the writer's transaction) carries its
tags. The fold after the commit (archive/public/generation.py) deletes the rows and stamps each of their tags in
archive_publictag with the generation it read, which counts the folded rows themselves: higher than any
generation a request read before the change committed, no higher than any generation read after the fold. A row
not yet folded has no generation: whoever reads it counts it as newer than anything built.

`stale()` and `changes_since()` read the stamped tags and the unfolded rows in one statement, one snapshot, so a
change is never missed between the fold deleting its row and stamping its tags.
"""

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

EVERYTHING = "*"


def record_tag(model: type[Model] | Model, pk) -> str:
    """The tag of one record, e.g. ``source:12``."""
    return f"{model._meta.model_name}:{pk}"


def links_tag(model: type[Model] | Model, pk) -> str:
    """The tag of the records linking to one record, e.g. ``links:event:3``."""
    return f"links:{model._meta.model_name}:{pk}"


def list_tag(model: type[Model] | Model) -> str:
    """The tag of the lists of one kind, e.g. ``list:source``."""
    return f"list:{model._meta.model_name}"


def listing_tag(model: type[Model] | Model) -> str:
    """The tag of which records of one kind the lists hold, count and place, e.g. ``listing:source``."""
    return f"listing:{model._meta.model_name}"


def kind_tags(model: type[Model] | Model) -> set[str]:
    """What any write to a record of this kind changes of its lists: their rows and which records they hold."""
    return {list_tag(model), listing_tag(model)}


# Per model, the fields that decide which of its records a list holds, counts and where (registered at start by
# the app that knows them, archive.apps): a save changing none of them names no listing tag.
LISTING: dict[type[Model], tuple[str, ...]] = {}


def tags_of(*things) -> set[str]:
    """Tags for records (their own tag), models (their list tag), strings (tags already) and iterables of these."""
    tags: set[str] = set()
    for thing in things:
        if thing is None:
            continue
        if isinstance(thing, str):
            tags.add(thing)
        elif isinstance(thing, type) and issubclass(thing, Model):
            tags.add(list_tag(thing))
        elif isinstance(thing, Model):
            if thing.pk is not None:
                tags.add(record_tag(thing, thing.pk))
        elif isinstance(thing, Iterable):
            tags |= tags_of(*thing)
        else:
            raise TypeError(f"Not a record, a model or a tag: {thing!r}")
    return tags


class Generation(int):
    """A generation as read, with the ids of the change rows it counted not yet folded: those committed before it
    was read (or are the reader's own), so whatever is read after it shows their changes. At most UNFOLDED_SEEN
    of them: a row left out only counts as newer than what was built."""

    unfolded: tuple[int, ...] = ()

    def __new__(cls, value: int, unfolded=()):
        generation = super().__new__(cls, value)
        generation.unfolded = tuple(unfolded or ())
        return generation


UNFOLDED_SEEN = 1000
GENERATION = (
    "COALESCE((SELECT value FROM archive_publicgeneration WHERE id = 1), 0)"
    " + (SELECT count(*) FROM archive_publicchange)"
)
UNFOLDED = "ARRAY(SELECT id FROM archive_publicchange ORDER BY id LIMIT 1000)"  # UNFOLDED_SEEN
# Stale: for an entry that depends on everything, any change after it was built (the generation rose); otherwise a
# tag of its own (or '*') stamped after it was built, or an unfolded row naming one (or '*') that it did not see.
STALE = f"""
    SELECT generation, {UNFOLDED}, CASE WHEN %(everything)s THEN generation > %(built)s ELSE (
        EXISTS (SELECT 1 FROM archive_publictag WHERE tag = ANY(%(tags)s::text[]) AND changed > %(built)s)
        OR EXISTS (
            SELECT 1 FROM archive_publicchange
            WHERE tags && %(tags)s::text[] AND NOT (id = ANY(%(seen)s::bigint[]))
        )
    ) END
    FROM (SELECT {GENERATION} AS generation) AS now
"""  # noqa: S608 (GENERATION is a constant)
SINCE = """
    SELECT tag FROM archive_publictag WHERE changed > %s
    UNION SELECT unnest(tags) FROM archive_publicchange
"""


def read_stale(
    tags: Iterable[str], built: int, seen: Iterable[int] = (), using: str = DEFAULT_DB_ALIAS
) -> tuple[Generation, bool]:
    """The generation now and whether something built at generation `built` (which saw the unfolded rows `seen`)
    from `tags` is stale, in one statement."""
    tags = set(tags)
    everything = not tags or EVERYTHING in tags
    tags.add(EVERYTHING)
    parameters = {"everything": everything, "built": built, "tags": sorted(tags), "seen": list(seen)}
    with connections[using].cursor() as cursor:
        cursor.execute(STALE, parameters)
        generation, unfolded, is_stale = cursor.fetchone()
    return Generation(generation, unfolded), is_stale


def stale(tags: Iterable[str], built: int, seen: Iterable[int] = (), using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether something built at generation `built`, showing what `tags` name, has changed since (one statement).
    `seen`: the unfolded change rows the generation it was built at counted (`Generation.unfolded`), whose
    changes it shows. Tags ``['*']`` (or none) mean it shows everything: any change makes it stale."""
    return read_stale(tags, built, seen, using)[1]


def changes_since(generation: int, using: str = DEFAULT_DB_ALIAS) -> set[str] | None:
    """The tags changed since `generation` (a generation read earlier, e.g. when an index was built), or None when
    everything may have changed ('*' among them). Committed changes not yet folded count, in the same statement."""
    with connections[using].cursor() as cursor:
        cursor.execute(SINCE, [generation])
        tags = {tag for (tag,) in cursor.fetchall()}
    return None if EVERYTHING in tags else tags
