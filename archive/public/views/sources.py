"""The source list (filters, facets, CSV export) and the source page."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.views.generic import DetailView, ListView

from archive.citation import CITED
from archive.citations import EXPORTS, full_en, full_ru
from archive.iiif.manifest import page_images
from archive.models import (
    Agent,
    Event,
    Language,
    Level,
    Place,
    Repository,
    Source,
    SourceAgent,
    Subject,
    Unit,
)
from archive.public.cache import cached_count, cached_value
from archive.public.changes import listing_tag, record_tag
from archive.public.dependencies import depends_on, links_of, listed_sources, unit_chain
from archive.public.facets import FACETS, Facet, compute_facets, index_ids, list_ids
from archive.public.filters import SourceFilter, applicable, placed_by_listing
from archive.public.jsonld import source_jsonld
from archive.public.search import needs_near_spellings, searchable
from archive.public.source_page import loaded, published_source, source_page_queryset
from archive.public.tree import source_trail

from .citations import FormerSlugMixin, citation_of
from .mixins import LISTED, ClampedPageMixin, PublishedMixin, filter_key

PAGE_SIZES = (10, 25, 50, 100)

# A source list shows sources, filtered and counted by the records of these kinds (its facets), and their links.
FACET_KINDS = (Event, Agent, SourceAgent, Place, Subject, Language, Repository, Unit)
LIST_DEPENDS = (Source, *FACET_KINDS)


def source_filter_class(request):
    """SourceFilter, told once whether the words need near spellings (see archive.public.search.matching)."""
    words = request.GET.get("q", "").strip()
    # Words over the limits are refused by the filter's form (archive.public.search.validate_words): never searched.
    near = needs_near_spellings(Source.objects.published(), words) if words and searchable(words) else False
    return functools.partial(SourceFilter, near_spellings=near)


def filtered_sources(request, filter_class=None) -> SourceFilter:
    """The published sources as the query string filters them: the list, its facets and its CSV export. Every
    filter of the query string, valid or not (archive.public.filters.applicable keeps the valid ones)."""
    queryset = Source.objects.published().select_related(*CITED)
    return (filter_class or source_filter_class(request))(request.GET, queryset=queryset)


class IdsInOrder(Sequence):
    """A list the facet index has already filtered and ordered: a page reads only its own rows, still through
    the published queryset (a source withdrawn since the index was built drops out of its page)."""

    def __init__(self, ids, queryset):
        self.ids, self.queryset = ids, queryset

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = self.ids[index].tolist()
        found = self.queryset.in_bulk(wanted)
        return [found[pk] for pk in wanted if pk in found]


@dataclass
class ActiveFilter:
    """A filter in use, as a removable "chip": its label, its value's label, and the link to the list without it."""

    label: str
    value: str
    remove_url: str


@dataclass
class FilterError:
    """A filter left out for its invalid value: the id of its field, its label and its message."""

    field_id: str
    label: str
    message: str


def without_value(query, name: str, value: str | None = None) -> str:
    """The query string less one value of a parameter (all of them when `value` is None), back on the first page."""
    query = query.copy()
    kept = [] if value is None else [other for other in query.getlist(name) if other.strip() != value]
    if kept:
        query.setlist(name, kept)
    else:
        query.pop(name, None)
    query.pop("page", None)
    return f"?{query.urlencode()}"


class SourceListView(ClampedPageMixin, ListView):
    template_name = "archive/source_list.html"
    context_object_name = "sources"

    def get_paginate_by(self, queryset):
        size = self.request.GET.get("per_page", "")
        return int(size) if size.isdigit() and int(size) in PAGE_SIZES else 25

    def get_queryset(self):
        self.filter_class = source_filter_class(self.request)
        # Every filter as given (the form shows their values and messages), and the valid ones, which make the list.
        self.checked = filtered_sources(self.request, self.filter_class)
        self.filterset = applicable(self.checked)
        ids = index_ids(self.filterset, self.filterset.data)
        if ids is not None:
            return IdsInOrder(ids, self.filterset.queryset.only(*LISTED))
        queryset = self.filterset.qs.only(*LISTED)
        return queryset if queryset.query.order_by else queryset.order_by("date_start", "identifier")

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if isinstance(queryset, IdsInOrder):  # counted by the facet index
            return paginator
        # Counting a filtered million-row list: once per set of filters and change to the records. A list of up
        # to FACET_IDS_LIMIT sources is counted by the ids its facets are counted over (one query for both).
        ids = list_ids(self.filterset, cached=cached_value)
        paginator.count = (
            len(ids)
            if ids is not None
            else cached_count(queryset, "source-list", filter_key(self.filterset.data, ("page", "per_page", "sort")))
        )
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Which sources match, their facets' labels and counts: any record a facet names, any link, and any source;
        # or, for a list by facets and date, which sources the lists hold and the rows this page shows.
        if placed_by_listing(self.filterset.data):
            shown = list(context["object_list"])
            depends_on(listing_tag(Source), FACET_KINDS, shown, listed_sources(shown))
        else:
            depends_on(LIST_DEPENDS)
        facets = compute_facets(self.filter_class, self.filterset.data, Source.objects.published(), cached=cached_value)
        for facet in facets:
            facet.errors = list(self.checked.errors.get(facet.param, ()))
        context.update(
            filter=self.checked,
            facets=facets,
            page_sizes=PAGE_SIZES,
            active_filters=self.active_filters(facets),
            filter_errors=self.filter_errors(),
            # The CSV of the list shown: its valid filters (an invalid one would make the export a 400).
            export_query=without_value(self.filterset.data, "per_page"),
        )
        return context

    def active_filters(self, facets: list[Facet]) -> list[ActiveFilter]:
        """Each filter in use, each chosen value of a facet on its own, with the link removing it."""
        query, data = self.request.GET, self.filterset.data
        facet_params = {facet.param for facet in FACETS}
        plain = [
            ActiveFilter(str(self.filterset.filters[name].label), value, without_value(query, name))
            for name, value in data.items()
            if name in self.filterset.filters and name not in facet_params and name != "sort" and value.strip()
        ]
        chosen = [
            ActiveFilter(str(facet.label), choice.label, without_value(query, facet.param, choice.value))
            for facet in facets
            for choice in facet.choices
            if choice.selected
        ]
        return plain + chosen

    def filter_errors(self) -> list[FilterError]:
        """The filters left out for an invalid value, in the form's order, with their messages."""
        return [
            FilterError(f"id_{name}", str(self.checked.filters[name].label), " ".join(messages))
            for name, messages in self.checked.errors.items()
            if name in self.checked.filters
        ]


class SourceDetailView(FormerSlugMixin, PublishedMixin, DetailView):
    model = Source
    former_field = "source"

    def get_object(self, queryset=None):
        # The page's one query (archive/public/source_page.py): the source, its relations and its neighbours.
        if queryset is None and not self.can_preview():
            source = published_source(self.kwargs[self.slug_url_kwarg])
            if source is None:
                raise Http404("No published source has this slug")
            return source
        return loaded(super().get_object(source_page_queryset(queryset or self.get_queryset())))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        context["previous_in_delo"], context["next_in_delo"] = source.neighbours
        context["crumbs"] = source_trail(source)
        context["jsonld"] = source_jsonld(self.request, source, source.events.all()) if source.is_published else None
        if source.is_published:  # a preview has no permalink or downloads to offer
            context.update(citation_context(self.request, source))
        # Images come through IIIF, which serves published sources only: a preview lists none.
        context["iiif_images"] = page_images(source) if source.is_published else []
        context["has_images"] = bool(source.images.all())
        # Its own links (commentary, images, people's roles), and the documents of its file (its neighbours).
        in_file = source.unit if source.unit_id and source.unit.level == Level.FILE else None
        depends_on(
            source,
            links_of(source, in_file),
            source.repository,
            list(unit_chain(source.unit)),
            events_linked(source),
            [link.agent for link in source.agent_links.all()],
            source.places.all(),
            source.subjects.all(),
            source.languages.all(),
            source.commentary.all(),
            source.images.all(),
            *(context["previous_in_delo"], context["next_in_delo"]),
        )
        return context


def events_linked(source) -> list[str]:
    """The tags of every event the source is linked to, published or not: one published later shows on its page
    from then on (the page lists the published ones only)."""
    through = Source.events.through.objects.filter(source=source)
    return [record_tag(Event, pk) for pk in through.values_list("event_id", flat=True)]


def citation_context(request, source) -> dict:
    """The page's full citations, its meta tags for reference managers and the citation downloads."""
    item = citation_of(request, source)
    downloads = [
        (export.label, reverse("archive:source-cite", kwargs={"slug": source.slug, "format": extension}))
        for extension, export in EXPORTS.items()
    ]
    return {
        "cited": item,
        "full_citation_ru": full_ru(item),
        "full_citation_en": full_en(item),
        "downloads": downloads,
        "page_url": request.build_absolute_uri(source.get_absolute_url()),
    }
