"""Facet counts for the source list: for each filter, how many sources each choice would give.

A facet's counts come from the list filtered by every *other* active filter (choosing another value
replaces this one), in one grouped query per facet, never one query per choice.
"""

import functools
import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from archive.models import Language, Source
from archive.models.agents import language_name
from archive.models.base import EditorialModel

if TYPE_CHECKING:
    from .facet_index import FacetIndex

# The most frequent choices of a facet, as AtoM and Omeka show them: a broad list at a million sources has
# tens of thousands of people in it, too many to read in a select (or to send). A chosen value outside them is
# still shown as chosen.
FACET_CHOICES = 50

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
    selected: str = ""
    narrowed: bool = False  # only the chosen value is shown: its alternatives would cost too much to count

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

    def label_for(self, row: dict) -> str:
        value = row[self.value_path]
        if self.source_field.choices:
            return str(dict(self.source_field.flatchoices).get(value, value))
        english = row.get(self.label_paths[0]) if self.label_paths else None
        if self.target and self.target[0] is Language:
            return language_name(value, english or value)
        original = row.get(self.label_paths[1]) if len(self.label_paths) > 1 else None
        if original and get_language() == "ru":
            return original
        return english or value


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
    Facet("fond", _("Fond"), "fond"),
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


def _grouped(queryset, facet: Facet):
    # The values grouped below are read through the join this filter makes: only published events are counted.
    queryset = facet.only_visible(queryset.order_by())
    return (
        queryset.exclude(**{f"{facet.value_path}__isnull": True})
        .exclude(**{facet.value_path: ""})
        .values(facet.value_path, *facet.label_paths)
        .annotate(count=Count("pk", distinct=facet.distinct))
        .order_by("-count", facet.value_path)[:FACET_CHOICES]
    )


def _rows(queryset, facet: Facet) -> list[dict]:
    return list(_grouped(queryset, facet))


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
    """The key of a list for the caches: its filters in use, sorted, without the order."""
    names = set(filters) - {"sort"}
    return sorted((key, values) for key, values in data.lists() if key in names and any(values))


def list_ids(filterset, cached=None) -> list[int] | None:
    """The ids of a filtered list up to FACET_IDS_LIMIT (None beyond), cached under the key compute_facets
    uses: the list view counts its rows with them, and its facets are then counted over the same ids."""
    in_use = filters_in_use(filterset.filters, filterset.data)
    return (cached or _uncached)("facet-ids", functools.partial(_ids, filterset.qs), in_use)["ids"]


def _rows_over(ids: list[int], facet: Facet, only: str | None = None) -> list[dict]:
    rows = _rows(Source.objects.filter(pk__in=ids), facet)
    # Every source of the list has the chosen value, so it is the most frequent one and never cut off.
    return rows if only is None else [row for row in rows if str(row[facet.value_path]) == only]


def _uncached(name, compute, *parts):
    return compute()


def compute_facets(filterset_class, data, queryset, cached=_uncached, total: int | None = None) -> list[Facet]:
    """The facets with their choices, counted on the list as filtered by every other facet.

    `cached(name, compute, *key_parts)` may keep each facet's counts (archive.public.cache.cached_value): they
    depend only on the *other* filters in use, so every list that shares them shares the counts (all the
    subjects of one repository, whatever subject is chosen), and the labels are chosen per language later.
    `total` is the count of the list itself: what a chosen value outside the most frequent choices gives.
    """
    filterset = filterset_class(data, queryset=queryset)
    facets = [replace(facet, choices=[]) for facet in FACETS]  # this list's own, to fill in
    names = set(filterset.filters) - {"sort"}
    probes = {}

    def ids_of(narrowed, in_use, estimate_first=False):
        # One probe per distinct set of filters, itself cached: the facets counted on one list share it.
        key = repr(in_use)
        if key not in probes:
            probes[key] = cached("facet-ids", functools.partial(_ids, narrowed.qs, estimate_first), in_use)["ids"]
        return probes[key]

    full_in_use = filters_in_use(names, data)
    full_filter = filterset_class(data, queryset=queryset)
    index = served_by_index(full_filter, full_in_use)
    for facet in facets:
        if index is not None:
            _choose(facet, _rows_from_index(index, facet, data), data, total)
            continue
        others = data.copy()
        others.pop(facet.param, None)
        others.pop("sort", None)
        narrowed = filterset_class(others, queryset=queryset)
        if not narrowed.is_valid():
            continue
        in_use = filters_in_use(names, others)
        chosen = data.get(facet.param, "")
        # The list without a chosen value is the larger one: worth an estimate before reading it.
        ids = ids_of(narrowed, in_use, estimate_first=bool(data.get(facet.param)))
        if ids is not None:
            rows = cached(f"facet:{facet.param}", functools.partial(_rows_over, ids, facet), in_use)
        elif chosen and full_filter.is_valid() and (full_ids := ids_of(full_filter, full_in_use)) is not None:
            # The alternatives to a chosen value would be counted over a far larger list (a whole repository,
            # tens of thousands of sources, seconds of counting): as AtoM does, the facet shows the chosen
            # value only, and removing the filter offers the others again.
            facet.narrowed = True
            rows = cached(
                f"facet-chosen:{facet.param}", functools.partial(_rows_over, full_ids, facet, chosen), full_in_use
            )
        else:
            rows = cached(f"facet:{facet.param}", functools.partial(_rows, narrowed.qs, facet), in_use)
        _choose(facet, rows, data, total)
    return facets


def _choose(facet: Facet, rows: list[dict], data, total: int | None) -> None:
    selected = facet.selected = data.get(facet.param, "")
    facet.choices = sorted(
        (Choice(str(row[facet.value_path]), facet.label_for(row), row["count"]) for row in rows),
        key=lambda choice: (-choice.count, choice.label.lower()),
    )
    for choice in facet.choices:
        choice.selected = choice.value == selected
    if selected and not any(choice.selected for choice in facet.choices):
        # Still shown as chosen, so the form does not silently drop it on the next submit.
        facet.choices.append(Choice(selected, selected, total or 0, selected=True))


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
    return index.ordered_ids(index.selection(_chosen(data)), data.get("sort") or "date")


def _chosen(data) -> dict[str, str]:
    return {facet.param: data.get(facet.param) for facet in FACETS if data.get(facet.param)}


def _rows_from_index(index, facet: Facet, data) -> list[dict]:
    """The facet's rows as the grouped SQL query gives them: value, labels, count."""
    pairs = index.counts(facet.param, index.selection(_chosen(data), leave_out=facet.param), FACET_CHOICES)
    if not facet.label_paths:
        return [{facet.value_path: key, "count": count} for key, count in pairs]
    model, key = facet.target
    fields = {path: path.split("__", 1)[1] for path in facet.label_paths}
    labels = {
        row[key]: row
        for row in model._default_manager.filter(**{f"{key}__in": [k for k, _ in pairs]}).values(key, *fields.values())
    }
    return [
        {facet.value_path: k, "count": count, **{path: labels[k][field] for path, field in fields.items()}}
        for k, count in pairs
        if k in labels
    ]
