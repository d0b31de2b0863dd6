from .agents import Agent, AgentKind, Language, Place, Repository, Subject
from .base import DocumentForm, DocumentType, Status
from .commentary import Commentary, CommentaryKind
from .events import Event, EventType
from .generation import PublicChange, PublicGeneration, PublicTag
from .slugs import FormerSlug
from .sources import AgentRole, Originality, Script, Source, SourceAgent, SourceImage
from .tombstones import HarvestKind, Tombstone
from .units import Level, Unit

__all__ = [
    "AgentKind",
    "AgentRole",
    "CommentaryKind",
    "EventType",
    "HarvestKind",
    "Originality",
    "Script",
    "Agent",
    "Commentary",
    "DocumentForm",
    "DocumentType",
    "Event",
    "FormerSlug",
    "Language",
    "Level",
    "Place",
    "PublicChange",
    "PublicGeneration",
    "PublicTag",
    "Repository",
    "Source",
    "SourceAgent",
    "SourceImage",
    "Status",
    "Subject",
    "Tombstone",
    "Unit",
]
