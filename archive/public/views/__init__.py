"""Public pages. Every record shown here comes from `.published()` (curators may preview drafts)."""

from .authorities import AgentDetailView, AgentListView, PlaceDetailView, PlaceListView
from .events import EventDetailView, EventListView
from .export import SourceExportView
from .language import LanguageView
from .pages import HomeView, RobotsView
from .search import SearchView
from .sources import SourceDetailView, SourceListView

__all__ = [
    "AgentDetailView",
    "AgentListView",
    "EventDetailView",
    "EventListView",
    "HomeView",
    "LanguageView",
    "PlaceDetailView",
    "PlaceListView",
    "RobotsView",
    "SearchView",
    "SourceDetailView",
    "SourceExportView",
    "SourceListView",
]
