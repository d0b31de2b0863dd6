from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("agents/<slug:slug>/", views.AgentDetailView.as_view(), name="agent-detail"),
    path("places/<slug:slug>/", views.PlaceDetailView.as_view(), name="place-detail"),
]
