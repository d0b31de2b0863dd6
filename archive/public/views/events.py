"""The timeline of events and the event page."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from archive.citation import CITED
from archive.models import Commentary, Event, Source
from archive.public.cache import cached_count
from archive.public.dependencies import depends_on, links_of, listed_sources
from archive.public.jsonld import event_jsonld

from .citations import FormerSlugMixin
from .mixins import LISTED, PublishedMixin, without_search_vector

# An event may be documented by thousands of sources: the page shows the earliest, and links to all of them
# in the source list filtered by the event.
EVENT_SOURCES = 50


class EventListView(ListView):
    """All published events in date order; the template groups them by year."""

    template_name = "archive/event_list.html"
    context_object_name = "events"

    def get_queryset(self):
        events = Event.objects.published().select_related("parent").order_by("date_start", "name")
        depends_on(Event)  # every published event, and its parent's name
        return without_search_vector(events.defer("description", "parent__description"))


class EventDetailView(FormerSlugMixin, PublishedMixin, DetailView):
    model = Event
    former_field = "event"

    def get_queryset(self):
        return without_search_vector(
            super()
            .get_queryset()
            .select_related("parent")
            .prefetch_related(
                "places",
                "participants",
                Prefetch("children", queryset=Event.objects.published()),
                Prefetch("commentary", queryset=Commentary.objects.published().select_related("author")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        sources = Source.objects.published().filter(events=event)
        context["sources"] = list(
            sources.select_related(*CITED).only(*LISTED).order_by("date_start", "identifier")[:EVENT_SOURCES]
        )
        context["source_count"] = (
            len(context["sources"])
            if len(context["sources"]) < EVENT_SOURCES
            else cached_count(sources, "event-sources", event.pk)
        )
        context["all_sources_url"] = f"{reverse('archive:source-list')}?{urlencode({'event': event.slug})}"
        context["parent"] = event.parent if event.parent and event.parent.is_published else None
        context["jsonld"] = event_jsonld(self.request, event, event.children.all()) if event.is_published else None
        # Its sources, their count and its parts change only with a record linking to it: that names its links.
        depends_on(
            event,
            links_of(event),
            event.parent,
            event.children.all(),
            event.places.all(),
            event.participants.all(),
            event.commentary.all(),
            listed_sources(context["sources"]),
        )
        return context
