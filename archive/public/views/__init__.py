"""Public pages. Every record shown here comes from `.published()` (curators may preview drafts)."""

from .authorities import AgentDetailView, PlaceDetailView
from .events import EventDetailView, EventListView
from .export import SourceExportView
from .language import LanguageView
from .pages import HomeView, RobotsView
from .search import SearchView
from .sources import SourceDetailView, SourceListView
from .units import RepositoryDetailView, RepositoryListView, UnitDetailView

__all__ = [
    "AgentDetailView",
    "EventDetailView",
    "EventListView",
    "HomeView",
    "LanguageView",
    "PlaceDetailView",
    "RepositoryDetailView",
    "RepositoryListView",
    "RobotsView",
    "SearchView",
    "SourceDetailView",
    "SourceExportView",
    "SourceListView",
    "UnitDetailView",
]
