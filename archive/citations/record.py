"""What a citation says of a source, gathered once for the notes and the downloads."""

from dataclasses import dataclass
from datetime import date

from archive import citation
from archive.dates import display, iso_range
from archive.models import AgentKind, AgentRole


@dataclass(frozen=True)
class Creator:
    name: str
    person: bool


@dataclass(frozen=True)
class Cited:
    identifier: str
    title: str
    title_original: str
    date_en: str  # in words, "" when undated
    date_ru: str
    iso_date: str  # ISO 8601 at the precision known, a range as "start/end"
    approximate: bool  # the EDTF date is uncertain or approximate
    reference_en: str  # archive.citation: the archival reference, or the publication
    reference_ru: str
    archival_en: str  # the archival reference alone, "" when no repository
    publication: str
    repository: str
    repository_place: str
    creators: tuple[Creator, ...]
    languages: tuple[str, ...]
    url: str
    accessed: date

    @property
    def highwire_date(self) -> str:
        """The first day known as Highwire's citation_date writes it: 1936/03/12, 1936/03 or 1936."""
        return self.iso_date.partition("/")[0].replace("-", "/")


def cited(source, *, url: str, accessed: date) -> Cited:
    """The citation of `source` read at `url` on `accessed`. Expects the source's repository, agent links
    with their agents and languages loaded (SourceCitationView's queryset)."""
    repository = source.repository
    start, end = source.date_start, source.date_end
    return Cited(
        identifier=source.identifier,
        title=source.title,
        title_original=source.title_original,
        date_en=display(source.date_edtf, start, end, "en"),
        date_ru=display(source.date_edtf, start, end, "ru"),
        iso_date=iso_range(start, end),
        approximate=any(mark in source.date_edtf for mark in "?~%"),
        reference_en=citation.cite_en(source),
        reference_ru=citation.cite_ru(source),
        archival_en=citation._archival_en(source),
        publication=source.publication.strip(),
        repository=repository.name if repository else "",
        repository_place=repository.city if repository else "",
        creators=tuple(
            Creator(link.agent.name, link.agent.kind == AgentKind.PERSON)
            for link in source.agent_links.all()
            if link.role == AgentRole.CREATOR
        ),
        languages=tuple(language.code for language in source.languages.all()),
        url=url,
        accessed=accessed,
    )
