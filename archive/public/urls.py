from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from . import views
from .feeds import NewSourcesFeed
from .sitemaps import SITEMAPS

app_name = "archive"


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/export.csv", views.SourceExportView.as_view(), name="source-export"),
    path("feeds/new-sources.atom", NewSourcesFeed(), name="source-feed"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    re_path(
        r"^sources/(?P<slug>[-a-zA-Z0-9_]+)/cite\.(?P<format>bib|ris|json)$",
        views.SourceCitationView.as_view(),
        name="source-cite",
    ),
    path("id/<str:identifier>", views.PermalinkView.as_view(), name="permalink"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("agents/", views.AgentListView.as_view(), name="agent-list"),
    path("agents/<slug:slug>/", views.AgentDetailView.as_view(), name="agent-detail"),
    path("places/", views.PlaceListView.as_view(), name="place-list"),
    path("places/<slug:slug>/", views.PlaceDetailView.as_view(), name="place-detail"),
    path("repositories/", views.RepositoryListView.as_view(), name="repository-list"),
    path("repositories/<path:code>/", views.RepositoryDetailView.as_view(), name="repository-detail"),
    path("units/<slug:slug>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("units/<slug:slug>/ead.xml", views.UnitEADView.as_view(), name="unit-ead"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("language/", views.LanguageView.as_view(), name="language"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
]
