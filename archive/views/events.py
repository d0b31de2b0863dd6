"""The timeline of events and the event page."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from archive.jsonld import event_jsonld
from archive.models import Commentary, Event, Source

from .mixins import PublishedMixin


class EventListView(ListView):
    """All published events in date order; the template groups them by year."""

    template_name = "archive/event_list.html"
    context_object_name = "events"

    def get_queryset(self):
        return Event.objects.published().select_related("parent").order_by("date_start", "name")


class EventDetailView(PublishedMixin, DetailView):
    model = Event

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("parent")
            .prefetch_related(
                "places",
                "participants",
                Prefetch("children", queryset=Event.objects.published()),
                Prefetch("sources", queryset=Source.objects.published().select_related("repository")),
                Prefetch("commentary", queryset=Commentary.objects.published().select_related("author")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        context["parent"] = event.parent if event.parent and event.parent.is_published else None
        context["jsonld"] = event_jsonld(self.request, event, event.children.all()) if event.is_published else None
        return context
