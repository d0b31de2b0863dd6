"""Public pages. Every record shown here comes from `.published()` (curators may preview drafts)."""

from .authorities import AgentDetailView, AgentListView, PlaceDetailView, PlaceListView
from .citations import PermalinkView, SourceCitationView
from .ead import UnitEADView
from .events import EventDetailView, EventListView
from .export import SourceExportView
from .language import LanguageView
from .pages import HomeView, RobotsView
from .search import SearchView
from .sources import SourceDetailView, SourceListView
from .units import RepositoryDetailView, RepositoryListView, UnitDetailView

__all__ = [
    "AgentDetailView",
    "AgentListView",
    "EventDetailView",
    "EventListView",
    "HomeView",
    "LanguageView",
    "PermalinkView",
    "PlaceDetailView",
    "RepositoryDetailView",
    "RepositoryListView",
    "PlaceListView",
    "RobotsView",
    "SearchView",
    "SourceCitationView",
    "SourceDetailView",
    "SourceExportView",
    "SourceListView",
    "UnitEADView",
    "UnitDetailView",
]
