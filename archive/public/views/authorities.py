"""People, organisations and places: not editorial records themselves, public only through published records.

`public()` is their visibility rule: one that no published source or event refers to answers 404, for curators
too, exactly as an address that names nothing."""

from django.db.models import Prefetch
from django.views.generic import DetailView

from archive.citation import CITED
from archive.models import Agent, Event, Place, Source


class AgentDetailView(DetailView):
    model = Agent

    def get_queryset(self):
        return Agent.objects.public().prefetch_related(
            Prefetch("sources", queryset=Source.objects.published().select_related(*CITED).distinct()),
            Prefetch("events", queryset=Event.objects.published()),
        )


class PlaceDetailView(DetailView):
    model = Place

    def get_queryset(self):
        return Place.objects.public().prefetch_related(
            Prefetch("sources", queryset=Source.objects.published().select_related(*CITED)),
            Prefetch("events", queryset=Event.objects.published()),
        )
