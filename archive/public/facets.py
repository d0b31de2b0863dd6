"""Facet counts for the source list: for each filter, how many sources each choice would give.

A facet may have several values chosen (`?event=a&event=b`): a source having any of them (OR within a facet), and
every facet's choice (AND across facets). A facet's counts come from the list filtered by every *other* facet's
choices, not its own (the usual convention of faceted search), in one grouped query per facet, never one query per
choice.
"""

import functools
import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, F
from django.db.models.lookups import In
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from archive.models import Language, Source
from archive.models.agents import language_name
from archive.models.base import EditorialModel

if TYPE_CHECKING:
    from .facet_index import FacetIndex

# The most frequent choices of a facet, as AtoM and Omeka show them: a broad list at a million sources has
# tens of thousands of people in it, too many to read in a list (or to send). A chosen value outside them is
# still shown as chosen, with its count.
FACET_CHOICES = 50

# The choices of a facet shown at once; the others (up to FACET_CHOICES) behind a "more" disclosure. Chosen values
# are always shown.
FACET_SHOWN = 6

# Up to this many sources, a facet is counted over the ids of its list, fetched once and shared by every facet
# counted on the same list (index lookups in the link tables), instead of filtering the million-row table
# again in each facet's own query. A chosen value whose alternatives would be counted over a larger list
# shows only itself (see compute_facets).
FACET_IDS_LIMIT = 10_000


@dataclass
class Choice:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    param: str
    label: str
    value_path: str
    label_paths: tuple[str, ...] = ()  # English label, then the original-language label
    # Only a person named twice in one source (as creator and signatory) can count a source twice;
    # elsewhere a plain count is right, and much cheaper than COUNT(DISTINCT).
    distinct: bool = False
    choices: list[Choice] = field(default_factory=list)
    selected: tuple[str, ...] = ()
    narrowed: bool = False  # only the chosen values are shown: their alternatives would cost too much to count
    errors: list[str] = field(default_factory=list)  # why its values were not applied (too many of them)

    @property
    def shown(self) -> list[Choice]:
        """The choices shown at once: the most frequent ones, and every chosen one."""
        return self.choices[:FACET_SHOWN] + [choice for choice in self.choices[FACET_SHOWN:] if choice.selected]

    @property
    def more(self) -> list[Choice]:
        """The other choices, behind a "more" disclosure."""
        return [choice for choice in self.choices[FACET_SHOWN:] if not choice.selected]

    @property
    def source_field(self) -> models.Field:
        """The source's own field the value is reached through: a column, a foreign key or a many-to-many."""
        return Source._meta.get_field(self.value_path.split("__")[0])

    @property
    def target(self) -> tuple[type[models.Model], str] | None:
        """The related record and its field that is the value (Repository, "code"); None for a column."""
        key = self.value_path.partition("__")[2]
        return (self.source_field.related_model, key) if key else None

    @property
    def guarded(self) -> bool:
        """Whether its values are records with their own visibility (events): only the published ones may be named."""
        return self.target is not None and issubclass(self.target[0], EditorialModel)

    def visible(self, now=None) -> models.QuerySet | None:
        """The records a value may name when the facet is guarded (the published ones at `now`); None otherwise."""
        return self.target[0].objects.published(now) if self.guarded else None

    def only_visible(self, queryset, now=None):
        """Sources narrowed to those whose value is a record that may be named (all of them if not guarded).

        Filtering and counting go through this one rule: a value naming an unpublished record (a draft event) gives
        exactly what a value naming no record gives, and is never counted or offered."""
        visible = self.visible(now)
        return queryset if visible is None else queryset.filter(**{f"{self.source_field.name}__in": visible})

    def having(self, queryset, values):
        """Sources having any of these values (OR). Several values of a many-to-many make a semi-join: a source is
        listed once however many of them it has, so other facets counted over the list count it once too. A guarded
        facet's value naming a record that may not be named (an unpublished event) has no sources, as a value naming
        no record has none."""
        if not values:
            return queryset
        field = self.source_field
        if self.target is None:
            return queryset.filter(**{f"{field.name}__in": values})
        model, key = self.target
        named = (self.visible() if self.guarded else model._default_manager.all()).filter(**{f"{key}__in": values})
        if not field.many_to_many or (len(values) == 1 and not self.distinct):
            # A value a source has once at most: a join lists it once, and costs less than a semi-join's dedup.
            return queryset.filter(**{f"{field.name}__in": named})
        through = field.remote_field.through
        links = through._default_manager.filter(**{f"{field.m2m_reverse_field_name()}__in": named})
        return queryset.filter(pk__in=links.values(field.m2m_field_name()))

    def label_for(self, row: dict, russian: bool | None = None) -> str:
        """A value's label in the interface's language (`russian`: whether it is Russian, asked if not given)."""
        value = row[self.value_path]
        if self.source_field.choices:
            return str(dict(self.source_field.flatchoices).get(value, value))
        english = row.get(self.label_paths[0]) if self.label_paths else None
        if self.target and self.target[0] is Language:
            return language_name(value, english or value)
        original = row.get(self.label_paths[1]) if len(self.label_paths) > 1 else None
        if original and (get_language() == "ru" if russian is None else russian):
            return original
        return english or value


@dataclass
class FondsFacet(Facet):
    """The fonds a source is in, by its slug, labelled with its reference and title in the interface's language:
    "Ф. 558: Stalin's personal fond". A fonds is a record with its own visibility: only published ones are offered
    (the facet is guarded), so an unpublished fonds's title is never shown."""

    def label_for(self, row: dict, russian: bool | None = None) -> str:
        title = super().label_for(row, russian)
        number = row.get(self.label_paths[2])
        return f"Ф. {number}: {title}" if number else title


# The facets of the source list, in the order shown: the query-string parameter, its label, the value's path from
# a source, and the paths of the value's labels. The list's filters (archive.public.filters) and the in-memory index
# (archive.public.facet_index) are derived from this table.
FACETS = (
    Facet(
        "repository",
        _("Repository"),
        "repository__code",
        ("repository__code", "repository__abbreviation_original"),
    ),
    FondsFacet("fond", _("Fond"), "fonds__slug", ("fonds__title", "fonds__title_original", "fonds__number")),
    Facet("document_type", _("Document type"), "document_type"),
    Facet("language", _("Language"), "languages__code", ("languages__name",)),
    Facet("event", _("Event"), "events__slug", ("events__name", "events__name_original")),
    Facet(
        "agent",
        _("Person or organisation"),
        "agents__slug",
        ("agents__name", "agents__name_original"),
        distinct=True,
    ),
    Facet("place", _("Place"), "places__slug", ("places__name", "places__name_original")),
    Facet("subject", _("Subject"), "subjects__slug", ("subjects__term", "subjects__term_original")),
)


def chosen_values(values) -> tuple[str, ...]:
    """One facet's values as a query string gives them (`?event=b&event=a`): each once, empty ones left out, sorted
    (the order they were chosen in changes nothing)."""
    return tuple(sorted({value.strip() for value in values if value and value.strip()}))


def chosen(data) -> dict[str, tuple[str, ...]]:
    """The chosen values of every facet that has some: {"event": ("a", "b"), "language": ("ru",)}."""
    found = {facet.param: chosen_values(data.getlist(facet.param)) for facet in FACETS}
    return {param: values for param, values in found.items() if values}


def _grouped(queryset, facet: Facet, chosen: tuple[str, ...] = ()) -> list[dict]:
    """The facet's most frequent values in a list, with their labels and counts; the chosen ones first."""
    # The values grouped below are read through the join this filter makes: only published events are counted.
    queryset = facet.only_visible(queryset.order_by())
    grouped = queryset.values(facet.value_path, *facet.label_paths).annotate(count=Count("pk", distinct=facet.distinct))
    # The chosen values first, however rare: each is shown with its own count (see _cut).
    first = [In(F(facet.value_path), list(chosen)).desc()] if chosen else []
    # The sources without a value make one group (NULL), those with an empty one another (""): two more rows read,
    # then dropped. Excluding them in SQL is an anti-join the planner can misjudge into seconds over a list's ids.
    rows = grouped.order_by(*first, "-count", facet.value_path)[: FACET_CHOICES + len(chosen) + 2]
    return [row for row in rows if row[facet.value_path] not in (None, "")]


def _rows(queryset, facet: Facet, chosen: tuple[str, ...] = ()) -> list[dict]:
    return _cut(_grouped(queryset, facet, chosen), facet, chosen)


def _cut(rows: list[dict], facet: Facet, chosen: tuple[str, ...], look_up: bool = True) -> list[dict]:
    """The FACET_CHOICES most frequent values (by count, then value) and every chosen value, the SQL and the index
    alike. A chosen value no source of the list has gets a row with a count of 0 and its labels (`look_up`: one query
    for the facet, only then), if it names a record that may be named; else none (it is shown as itself)."""
    rows = sorted(rows, key=lambda row: (-row["count"], str(row[facet.value_path])))
    kept = rows[:FACET_CHOICES] + [row for row in rows[FACET_CHOICES:] if str(row[facet.value_path]) in chosen]
    missing = sorted(set(chosen) - {str(row[facet.value_path]) for row in kept})
    return kept + (_unlisted(facet, missing) if look_up else [])


def _unlisted(facet: Facet, values: list[str]) -> list[dict]:
    """Rows with a count of 0 for values no source of the list has, labelled as the grouped query labels them."""
    if not values:
        return []
    if not facet.label_paths:
        return [{facet.value_path: value, "count": 0} for value in values]
    return [{**row, "count": 0} for row in _labels(facet, values)]


def _labels(facet: Facet, keys: list[str]) -> list[dict]:
    """The labels of the records these values name, as rows of the grouped query without the count: {value path:
    key, label path: label}. A guarded facet's records that may not be named (unpublished events) have none."""
    if not keys:
        return []
    model, key = facet.target
    fields = {path: path.split("__", 1)[1] for path in facet.label_paths}
    records = facet.visible() if facet.guarded else model._default_manager.all()
    return [
        {facet.value_path: row[key], **{path: row[name] for path, name in fields.items()}}
        for row in records.filter(**{f"{key}__in": keys}).values(*dict.fromkeys([key, *fields.values()]))
    ]


def _ids(queryset, estimate_first: bool = False) -> dict:
    """{"ids": the ids of a list} up to FACET_IDS_LIMIT, {"ids": None} beyond (a dict, so that a cache keeps
    the answer "too large" too): one query that stops at the limit.

    With `estimate_first`, PostgreSQL's planner is asked first (no rows read): a list it expects to be
    several times the limit is taken as too large without reading up to the limit of its rows at random.
    """
    queryset = queryset.order_by()
    if estimate_first:
        plan = json.loads(queryset.explain(format="json"))
        if plan[0]["Plan"]["Plan Rows"] > 2 * FACET_IDS_LIMIT:
            return {"ids": None}
    ids = set(queryset.values_list("pk", flat=True)[: FACET_IDS_LIMIT + 1])
    return {"ids": sorted(ids) if len(ids) <= FACET_IDS_LIMIT else None}


def filters_in_use(filters, data) -> list:
    """The key of a list for the caches: its filters in use, sorted, without the order (a facet's values as
    chosen_values gives them: `?event=b&event=a` is the list of `?event=a&event=b`)."""
    names = set(filters) - {"sort"}
    facets = {facet.param for facet in FACETS}
    in_use = []
    for key, values in data.lists():
        if key in names:
            values = list(chosen_values(values)) if key in facets else values
            if any(values):
                in_use.append((key, values))
    return sorted(in_use)


def list_ids(filterset, cached=None) -> list[int] | None:
    """The ids of a filtered list up to FACET_IDS_LIMIT (None beyond), cached under the key compute_facets
    uses: the list view counts its rows with them, and its facets are then counted over the same ids."""
    in_use = filters_in_use(filterset.filters, filterset.data)
    return (cached or _uncached)("facet-ids", functools.partial(_ids, filterset.qs), in_use)["ids"]


def _rows_over(ids: list[int], facet: Facet, chosen: tuple[str, ...] = (), only: bool = False) -> list[dict]:
    rows = _grouped(Source.objects.filter(pk__in=ids), facet, chosen)
    # `only`: the chosen values alone, counted over the list they filter (each source of it has one of them).
    return _cut([row for row in rows if str(row[facet.value_path]) in chosen] if only else rows, facet, chosen)


def _uncached(name, compute, *parts):
    return compute()


def compute_facets(filterset_class, data, queryset, cached=_uncached) -> list[Facet]:
    """The facets with their choices, each counted on the list as filtered by every other facet.

    `data` holds valid filters only (archive.public.filters.applicable). `cached(name, compute, *key_parts)` may
    keep each facet's counts (archive.public.cache.cached_value): they depend only on the *other* filters in use
    and this facet's chosen values (shown however rare), so lists that share them share the counts, and the labels
    are chosen per language later.
    """
    full_filter = filterset_class(data, queryset=queryset)
    facets = [replace(facet, choices=[]) for facet in FACETS]  # this list's own, to fill in
    names = set(full_filter.filters) - {"sort"}
    picked = chosen(data)
    probes = {}

    def ids_of(narrowed, in_use, estimate_first=False):
        # One probe per distinct set of filters, itself cached: the facets counted on one list share it.
        key = repr(in_use)
        if key not in probes:
            probes[key] = cached("facet-ids", functools.partial(_ids, narrowed.qs, estimate_first), in_use)["ids"]
        return probes[key]

    full_in_use = filters_in_use(names, data)
    index = served_by_index(full_filter, full_in_use)
    for facet in facets:
        mine = picked.get(facet.param, ())
        if index is not None:
            _choose(facet, _rows_from_index(index, facet, picked), mine)
            continue
        others = data.copy()
        others.pop(facet.param, None)
        others.pop("sort", None)
        narrowed = filterset_class(others, queryset=queryset)
        if not narrowed.is_valid():
            continue
        in_use = filters_in_use(names, others)
        # The list without the chosen values is the larger one: worth an estimate before reading it.
        ids = ids_of(narrowed, in_use, estimate_first=bool(mine))
        if ids is not None:
            rows = cached(f"facet:{facet.param}", functools.partial(_rows_over, ids, facet, mine), in_use, mine)
        elif mine and full_filter.is_valid() and (full_ids := ids_of(full_filter, full_in_use)) is not None:
            # The alternatives to the chosen values would be counted over a far larger list (a whole repository,
            # tens of thousands of sources, seconds of counting): as AtoM does, the facet shows the chosen values
            # only, and removing them offers the others again.
            facet.narrowed = True
            rows = cached(
                f"facet-chosen:{facet.param}",
                functools.partial(_rows_over, full_ids, facet, mine, only=True),
                full_in_use,
            )
        else:
            rows = cached(f"facet:{facet.param}", functools.partial(_rows, narrowed.qs, facet, mine), in_use, mine)
        _choose(facet, rows, mine)
    return facets


def _choose(facet: Facet, rows: list[dict], mine: tuple[str, ...]) -> None:
    facet.selected = mine
    russian = get_language() == "ru"
    facet.choices = sorted(
        (Choice(str(row[facet.value_path]), facet.label_for(row, russian), row["count"]) for row in rows),
        key=lambda choice: (-choice.count, choice.label.lower()),
    )
    for choice in facet.choices:
        choice.selected = choice.value in mine
    listed = {choice.value for choice in facet.choices}
    # A chosen value naming nothing that may be named: still shown as chosen (as itself), so that the next submit
    # keeps it and it can be removed.
    facet.choices += [Choice(value, value, 0, selected=True) for value in mine if value not in listed]


# -- from the in-memory index (archive.public.facet_index) -------------------------------------------------


def served_by_index(filterset, in_use) -> "FacetIndex | None":
    """The current index, when every filter in use is a facet (the index holds them all; not words, not dates)."""
    from .facet_index import current_index  # not at the top: the index is built from this module's FACETS

    served = {facet.param for facet in FACETS}
    if not filterset.is_valid() or any(name not in served for name, _ in in_use):
        return None
    return current_index()


def index_ids(filterset, data):
    """The ids of the list in its order (a numpy array), from the index when it serves the list and keeps
    that order; None otherwise."""
    names = set(filterset.filters) - {"sort"}
    index = served_by_index(filterset, filters_in_use(names, data))
    if index is None:
        return None
    return index.ordered_ids(index.selection(chosen(data)), data.get("sort") or "date")


def _rows_from_index(index, facet: Facet, picked: dict[str, tuple[str, ...]]) -> list[dict]:
    """The facet's rows as the grouped SQL query gives them: value, labels, count; the chosen values' too."""
    mine = picked.get(facet.param, ())
    selected = index.selection(picked, leave_out=facet.param)
    pairs = index.counts(facet.param, selected, FACET_CHOICES, include=mine)
    counted = dict(pairs)
    missing = [value for value in mine if value not in counted]
    if not facet.label_paths:
        rows = [{facet.value_path: key, "count": count} for key, count in pairs]
        return _cut(rows + _unlisted(facet, missing), facet, mine, look_up=False)
    # The labels of the values counted and of the chosen ones no source of the list has: read once per index.
    labels = index.labels(
        facet.param,
        [key for key, _ in pairs] + missing,
        lambda keys: {row[facet.value_path]: row for row in _labels(facet, keys)},
    )
    rows = [{**row, "count": counted.get(key, 0)} for key, row in labels.items()]
    return _cut(rows, facet, mine, look_up=False)
