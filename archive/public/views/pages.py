"""The home page and robots.txt."""

from django.urls import reverse
from django.views.generic import TemplateView

from archive.citation import CITED
from archive.models import Event, Source
from archive.public.cache import cached_value
from archive.public.dependencies import depends_on, listed_sources

from .mixins import LISTED

TIMELINE_TEASER = 6


class HomeView(TemplateView):
    template_name = "archive/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sources = Source.objects.published()
        events = Event.objects.published()
        # Counting a million rows takes a while: once per change to the records, not once per visit.
        context["source_count"] = cached_value("home:source-count", sources.count)
        context["event_count"] = cached_value("home:event-count", events.count)
        context["newest_sources"] = list(sources.select_related(*CITED).only(*LISTED).order_by("-published_at")[:5])
        context["timeline"] = events.filter(parent__isnull=True).order_by("date_start")[:TIMELINE_TEASER]
        depends_on(Source, Event, listed_sources(context["newest_sources"]))
        return context


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sitemap_url"] = self.request.build_absolute_uri(reverse("archive:sitemap"))
        return context
