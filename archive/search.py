"""One search over published sources, events and commentary.

PostgreSQL: the stored search vectors (websearch syntax, ranking, highlighted snippets) plus trigram
word similarity on names and titles, for misspellings and the other script's spelling of a name:
the query is also searched in its transliteration (archive/translit.py).
When the full text finds nothing, trigram similarity suggests what is near.
SQLite: every word must occur in one of the text fields; results come unranked.
"""

import functools
import operator
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import F, FloatField, Q, TextField, Value
from django.db.models.functions import Concat, Greatest
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Commentary, Event, Source
from .models.search import ON_POSTGRES, SEARCH_CONFIG
from .translit import spellings

RESULT_LIMIT = 500  # per kind: enough for any real query, and a bound on memory
RANK_CANDIDATES = 2000  # per kind: matches ranked (see _ranked)
_MARK_START, _MARK_STOP = "\x02", "\x03"  # replaced by <mark> after escaping the snippet


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    singular: str
    model: type
    text_fields: tuple[str, ...]
    name_fields: tuple[str, ...]
    snippet_fields: tuple[str, ...]

    def published(self):
        return self.model.objects.published()


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "source",
            _("Sources"),
            pgettext_lazy("one search result", "Source"),
            Source,
            ("title", "title_original", "identifier", "summary", "transcription", "translation"),
            ("title", "title_original"),
            ("summary", "transcription", "translation"),
        ),
        Kind(
            "event",
            _("Events"),
            pgettext_lazy("one search result", "Event"),
            Event,
            ("name", "name_original", "description"),
            ("name", "name_original"),
            ("description",),
        ),
        Kind(
            "commentary",
            _("Commentary"),
            pgettext_lazy("one search result", "Commentary"),
            Commentary,
            ("title", "body", "signature"),
            ("title",),
            ("body",),
        ),
    )
}
_KIND_OF_MODEL = {kind.model: kind for kind in KINDS.values()}


def _ts_query(text: str) -> SearchQuery:
    queries = (SearchQuery(variant, search_type="websearch", config=SEARCH_CONFIG) for variant in spellings(text))
    return functools.reduce(operator.or_, queries)


def _trigram_condition(kind: Kind, text: str) -> Q:
    """Near spellings of the text in any name field, in either script.

    A UNION of one indexed condition each, not an OR: the planner under-costs the similarity
    operator and turns an OR into a sequential scan (see bench/public_site.py).
    """
    parts = [
        kind.model.objects.filter(**{f"{name}__trigram_word_similar": variant}).values("pk")
        for name in kind.name_fields
        for variant in spellings(text)
    ]
    return Q(pk__in=parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0])


_TERM = re.compile(r'(-?)"([^"]+)"|(-?)([\w-]+)')


@dataclass
class Terms:
    """A query in PostgreSQL's websearch syntax: every clause required, `or` between alternatives,
    `-word` excluded, "a phrase" as one term."""

    clauses: list[list[str]]
    excluded: list[str]

    @property
    def words(self) -> list[str]:
        return [term for clause in self.clauses for term in clause]


def _terms(text: str) -> Terms:
    terms, join_next = Terms([], []), False
    for match in _TERM.finditer(text):
        negated, term = bool(match.group(1) or match.group(3)), (match.group(2) or match.group(4)).strip()
        if not re.search(r"\w", term):
            continue
        if match.group(4) and term.lower() == "or" and not negated:
            join_next = bool(terms.clauses)
        elif negated:
            terms.excluded.append(term)
        elif join_next:
            terms.clauses[-1].append(term)
        else:
            terms.clauses.append([term])
        if term.lower() != "or":
            join_next = False
    return terms


def _words(text: str) -> list[str]:
    return _terms(text).words


def _contains_condition(kind: Kind, text: str) -> Q:
    """The websearch syntax over plain `contains` (SQLite); case is folded for every script (archive/sqlite.py)."""

    def found(term: str) -> Q:
        return functools.reduce(operator.or_, (Q(**{f"{name}__icontains": term}) for name in kind.text_fields))

    def condition(variant: str) -> Q:
        terms = _terms(variant)
        required = (functools.reduce(operator.or_, map(found, clause)) for clause in terms.clauses)
        return functools.reduce(operator.and_, [*required, *(~found(term) for term in terms.excluded)], Q())

    return functools.reduce(operator.or_, map(condition, spellings(text)))


def needs_near_spellings(queryset, text: str) -> bool:
    """True on PostgreSQL when the full text finds nothing in the queryset: then near spellings are used."""
    return ON_POSTGRES and not queryset.filter(search_vector=_ts_query(text)).exists()


def matching(queryset, text: str, near: bool | None = None):
    """The queryset narrowed to records matching the text; no ranking (the source list keeps its sort).

    On PostgreSQL, full-text matches if there are any; only if there are none, the near spellings
    (trigram), so a misspelling still finds something but never dilutes an exact result. Pass `near`
    when it is already known, to save the query that decides it.
    """
    kind = _KIND_OF_MODEL[queryset.model]
    if not ON_POSTGRES:
        return queryset.filter(_contains_condition(kind, text))
    if near is None:
        near = needs_near_spellings(queryset, text)
    if near:
        return queryset.filter(_trigram_condition(kind, text))
    return queryset.filter(search_vector=_ts_query(text))


def _ranked(kind: Kind, text: str, fuzzy: bool) -> list[tuple[str, int, float]]:
    queryset = kind.published()
    if not ON_POSTGRES:
        queryset = queryset.filter(_contains_condition(kind, text)).annotate(rank=Value(0.0, output_field=FloatField()))
    elif fuzzy:
        variants = spellings(text)
        similarities = [TrigramWordSimilarity(variant, name) for name in kind.name_fields for variant in variants]
        similarity = Greatest(*similarities) if len(similarities) > 1 else similarities[0]
        queryset = queryset.filter(_trigram_condition(kind, text)).annotate(rank=similarity).order_by("-rank", "pk")
    else:
        query = _ts_query(text)
        # Ranking reads each match's whole vector: a common word matches a few hundred thousand records at a
        # million, which takes seconds. So the ranking runs over the first RANK_CANDIDATES matches only.
        candidates = queryset.filter(search_vector=query).order_by().values("pk")[:RANK_CANDIDATES]
        queryset = (
            queryset.filter(pk__in=candidates)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "pk")
        )
    return [(kind.key, pk, rank) for pk, rank in queryset.values_list("pk", "rank")[:RESULT_LIMIT]]


def search(text: str) -> list[tuple[str, int, float]]:
    """(kind, pk, rank) of every match, best first: full text, or near spellings when that finds nothing.

    One query per kind, or two when the fallback runs.
    """
    results = [hit for kind in KINDS.values() for hit in _ranked(kind, text, fuzzy=False)]
    if not results and ON_POSTGRES:
        results = [hit for kind in KINDS.values() for hit in _ranked(kind, text, fuzzy=True)]
    return sorted(results, key=lambda hit: -hit[2])


@dataclass
class Hit:
    kind: Kind
    object: object
    snippet: str


def _highlight(fragment: str) -> str:
    return mark_safe(  # noqa: S308 (the text is escaped first; only our own <mark> tags are added)
        escape(fragment).replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    )


def _python_snippet(text: str, words: list[str], width: int = 90) -> str:
    lowered = text.lower()
    positions = [lowered.find(word.lower()) for word in words if word and word.lower() in lowered]
    start = max(min(positions, default=0) - width // 2, 0)
    end = start + 2 * width
    # Whole words only: the fragment starts after a space and ends before one, as PostgreSQL's snippets do.
    if start > 0:
        start = text.rfind(" ", 0, start) + 1
    if end < len(text):
        space = text.find(" ", end)
        end = len(text) if space < 0 else space
    fragment = text[start:end]
    for word in sorted(set(words), key=len, reverse=True):
        fragment = re.sub(re.escape(word), lambda m: f"{_MARK_START}{m.group(0)}{_MARK_STOP}", fragment, flags=re.I)
    return ("…" if start else "") + fragment + ("…" if end < len(text) else "")


def hydrate(page: list[tuple[str, int, float]], text: str) -> list[Hit]:
    """The records of one page, with snippets; one query per kind on the page, whatever its size."""
    objects = {}
    for key in {hit[0] for hit in page}:
        kind = KINDS[key]
        queryset = kind.published().filter(pk__in=[pk for k, pk, _ in page if k == key])
        if ON_POSTGRES:
            queryset = queryset.defer("search_vector")  # for the WHERE clause only: large, never shown
        if kind.model is Source:
            queryset = queryset.select_related("repository")
        elif kind.model is Commentary:
            queryset = queryset.select_related("source", "event")
        if ON_POSTGRES:
            parts = [item for name in kind.snippet_fields for item in (F(name), Value(" "))]
            queryset = queryset.annotate(
                snippet=SearchHeadline(
                    Concat(*parts[:-1], output_field=TextField()) if len(parts) > 2 else parts[0],
                    _ts_query(text),
                    config=SEARCH_CONFIG,
                    start_sel=_MARK_START,
                    stop_sel=_MARK_STOP,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
        for obj in queryset:
            if not ON_POSTGRES:
                body = " ".join(getattr(obj, name) for name in kind.snippet_fields if getattr(obj, name))
                obj.snippet = _python_snippet(body, _words(text))
            objects[key, obj.pk] = obj
    return [
        Hit(KINDS[key], objects[key, pk], _highlight(objects[key, pk].snippet))
        for key, pk, _ in page
        if (key, pk) in objects
    ]
