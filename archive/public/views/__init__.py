"""Public pages. Every record shown here comes from `.published()` (curators may preview drafts)."""

from .authorities import AgentDetailView, PlaceDetailView
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
    "EventDetailView",
    "EventListView",
    "HomeView",
    "LanguageView",
    "PermalinkView",
    "PlaceDetailView",
    "RepositoryDetailView",
    "RepositoryListView",
    "RobotsView",
    "SearchView",
    "SourceCitationView",
    "SourceDetailView",
    "SourceExportView",
    "SourceListView",
    "UnitEADView",
    "UnitDetailView",
]
