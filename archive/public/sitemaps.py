"""sitemap.xml: the public pages, every published source, event and unit, and the repositories, people and places
they name."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from archive.models import Agent, Event, Place, Repository, Source, Unit


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["archive:home", "archive:source-list", "archive:event-list", "archive:repository-list"]

    def location(self, item):
        return reverse(item)


class SourceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Source.objects.published().order_by("pk")

    def lastmod(self, source):
        return source.updated_at


class EventSitemap(SourceSitemap):
    def items(self):
        return Event.objects.published().order_by("pk")


class UnitSitemap(SourceSitemap):
    def items(self):
        return Unit.objects.published().order_by("pk")


class AgentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Agent.objects.public().order_by("pk")


class PlaceSitemap(AgentSitemap):
    def items(self):
        return Place.objects.public().order_by("pk")


class RepositorySitemap(AgentSitemap):
    priority = 0.6

    def items(self):
        return Repository.objects.public().order_by("pk")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "sources": SourceSitemap,
    "events": EventSitemap,
    "agents": AgentSitemap,
    "places": PlaceSitemap,
    "units": UnitSitemap,
    "repositories": RepositorySitemap,
}
