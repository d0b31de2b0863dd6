"""Public pages. Every queryset shown here starts from `.published()`."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from .cache import cached_count, cached_value
from .models import Agent, Commentary, Event, Place, Source

# What a source in a list shows (includes/source_item.html: title, date, citation).
LISTED = (
    *("slug", "title", "date_text", "date_edtf", "date_start", "identifier", "fond", "opis", "delo", "folios"),
    *("repository__code", "repository__name", "repository__abbreviation_original"),
)


class PublishedMixin:
    """The public sees published records only; anything else is a 404."""

    model = None

    def get_queryset(self):
        return self.model.objects.published()


class HomeView(TemplateView):
    template_name = "archive/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Source.objects.published()
        # Counting a million rows takes a while: once per change to the records, not once per visit.
        context["source_count"] = cached_value("home:source-count", published.count)
        context["event_count"] = cached_value("home:event-count", Event.objects.published().count)
        context["newest_sources"] = published.select_related("repository").only(*LISTED).order_by("-published_at")[:5]
        return context


class SourceListView(PublishedMixin, ListView):
    model = Source
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("repository").only(*LISTED)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # The total of a filtered million-row list, once per change to the records and set of filters.
        filters = sorted((key, values) for key, values in self.request.GET.lists() if key != self.page_kwarg)
        paginator.count = cached_count(queryset, "source-list", filters)
        return paginator


class SourceDetailView(PublishedMixin, DetailView):
    model = Source

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("repository")
            .prefetch_related(
                "languages",
                "places",
                "subjects",
                "images",
                Prefetch("events", queryset=Event.objects.published()),
                Prefetch("agent_links__agent"),
                Prefetch("commentary", queryset=Commentary.objects.published()),
            )
        )


class EventListView(PublishedMixin, ListView):
    model = Event


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
                # Each listed source shows its citation, which needs its repository: one join, not one query each;
                # and only the listed columns, not a few thousand transcriptions.
                Prefetch("sources", queryset=Source.objects.published().select_related("repository").only(*LISTED)),
                Prefetch("commentary", queryset=Commentary.objects.published()),
            )
        )


class AgentDetailView(DetailView):
    model = Agent

    def get_queryset(self):
        return Agent.objects.prefetch_related(
            Prefetch("sources", queryset=Source.objects.published().distinct()),
            Prefetch("events", queryset=Event.objects.published()),
        )


class PlaceDetailView(DetailView):
    model = Place

    def get_queryset(self):
        return Place.objects.prefetch_related(
            Prefetch("sources", queryset=Source.objects.published()),
            Prefetch("events", queryset=Event.objects.published()),
        )
