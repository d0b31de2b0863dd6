"""People, organisations and places: not editorial records themselves, public only through published records.

`public()` is their visibility rule: one that no published source or event refers to answers 404, for curators
too, exactly as an address that names nothing."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from archive.citation import CITED
from archive.models import Agent, Event, Place, Source, SourceAgent, Unit
from archive.public.dependencies import depends_on, links_of, listed_sources
from archive.public.maps import MAP_MARKERS, map_data

from .mixins import ClampedPageMixin


class AuthorityDetailMixin:
    """An authority's page shows it and the published sources and events that name it (each of those, linked,
    unlinked, published or withdrawn, names it too)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        depends_on(
            self.object, links_of(self.object), listed_sources(self.object.sources.all()), self.object.events.all()
        )
        return context


class AgentDetailView(AuthorityDetailMixin, DetailView):
    model = Agent

    def get_queryset(self):
        return Agent.objects.public().prefetch_related(
            Prefetch("sources", queryset=Source.objects.published().select_related(*CITED).distinct()),
            Prefetch("events", queryset=Event.objects.published()),
        )


class PlaceDetailView(AuthorityDetailMixin, DetailView):
    model = Place

    def get_queryset(self):
        return Place.objects.public().prefetch_related(
            Prefetch("sources", queryset=Source.objects.published().select_related(*CITED)),
            Prefetch("events", queryset=Event.objects.published()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.latitude is not None:
            context["map"] = map_data(self.request, [self.object])
        return context


class AuthorityListMixin(ClampedPageMixin):
    """An alphabetical index of the public authorities of one kind, paged."""

    paginate_by = 100

    def get_queryset(self):
        # Which authorities are public: any source, event or unit published, withdrawn or relinked.
        depends_on(self.model, Source, Event, Unit, SourceAgent)
        return self.model.objects.public().defer("search_vector").order_by("name", "pk")


class AgentListView(AuthorityListMixin, ListView):
    model = Agent
    template_name = "archive/agent_list.html"
    context_object_name = "agents"


class PlaceListView(AuthorityListMixin, ListView):
    model = Place
    template_name = "archive/place_list.html"
    context_object_name = "places"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        located = self.get_queryset().filter(latitude__isnull=False)
        context["map"] = map_data(self.request, located[:MAP_MARKERS])
        return context
