"""People, organisations and places: not editorial records themselves, shown with their published links."""

from django.db.models import Prefetch
from django.views.generic import DetailView

from archive.models import Agent, Event, Place, Source


class AgentDetailView(DetailView):
    model = Agent

    def get_queryset(self):
        return Agent.objects.prefetch_related(
            Prefetch("sources", queryset=Source.objects.published().select_related("repository").distinct()),
            Prefetch("events", queryset=Event.objects.published()),
        )


class PlaceDetailView(DetailView):
    model = Place

    def get_queryset(self):
        return Place.objects.prefetch_related(
            Prefetch("sources", queryset=Source.objects.published().select_related("repository")),
            Prefetch("events", queryset=Event.objects.published()),
        )
