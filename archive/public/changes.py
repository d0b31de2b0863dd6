"""What changed in the public records, by tag: the change log the page cache and the facet index read.

A tag names what a change touched, and what a page shows:

- a record: ``<model_name>:<pk>``, the model's ``_meta.model_name`` and primary key (``source:12``, ``event:3``,
  ``agent:7``, ``unit:5``…);
- a list of one kind: ``list:<model_name>`` (``list:source``, ``list:event``…), changed by every save or deletion
  of a record of that kind;
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


def list_tag(model: type[Model] | Model) -> str:
    """The tag of the lists of one kind, e.g. ``list:source``."""
    return f"list:{model._meta.model_name}"


def tags_of(*things) -> set[str]:
    """Tags for records (their own tag), models (their list tag), strings (tags already) and iterables of these."""
    tags: set[str] = set()
    for thing in things:
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


# Stale: for an entry that depends on everything, any change after it was built (the generation rose); otherwise a
# tag of its own (or '*') stamped after it was built, or an unfolded row naming one (or '*').
GENERATION = (
    "COALESCE((SELECT value FROM archive_publicgeneration WHERE id = 1), 0)"
    " + (SELECT count(*) FROM archive_publicchange)"
)
STALE = f"""
    SELECT generation, CASE WHEN %(everything)s THEN generation > %(built)s ELSE (
        EXISTS (SELECT 1 FROM archive_publictag WHERE tag = ANY(%(tags)s::text[]) AND changed > %(built)s)
        OR EXISTS (SELECT 1 FROM archive_publicchange WHERE tags && %(tags)s::text[])
    ) END
    FROM (SELECT {GENERATION} AS generation) AS now
"""  # noqa: S608 (GENERATION is a constant)
SINCE = """
    SELECT tag FROM archive_publictag WHERE changed > %s
    UNION SELECT unnest(tags) FROM archive_publicchange
"""


def read_stale(tags: Iterable[str], built: int, using: str = DEFAULT_DB_ALIAS) -> tuple[int, bool]:
    """The generation now and whether something built at generation `built` from `tags` is stale, in one
    statement."""
    tags = set(tags)
    everything = not tags or EVERYTHING in tags
    tags.add(EVERYTHING)
    with connections[using].cursor() as cursor:
        cursor.execute(STALE, {"everything": everything, "built": built, "tags": sorted(tags)})
        generation, is_stale = cursor.fetchone()
    return generation, is_stale


def stale(tags: Iterable[str], built: int, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether something built at generation `built`, showing what `tags` name, has changed since (one statement).
    Tags ``['*']`` (or none) mean it shows everything: any change makes it stale."""
    return read_stale(tags, built, using)[1]


def changes_since(generation: int, using: str = DEFAULT_DB_ALIAS) -> set[str] | None:
    """The tags changed since `generation` (a generation read earlier, e.g. when an index was built), or None when
    everything may have changed ('*' among them). Committed changes not yet folded count, in the same statement."""
    with connections[using].cursor() as cursor:
        cursor.execute(SINCE, [generation])
        tags = {tag for (tag,) in cursor.fetchall()}
    return None if EVERYTHING in tags else tags
