"""One search over published sources, events and commentary.

Full text over the stored search vectors: websearch syntax, ranking, and snippets from `ts_headline`, which
marks whole words only. The query is searched in each of its spellings (archive/public/translit.py), so Khalkhin,
Халхин and Halhin find one another.

When the full text finds nothing, near spellings: trigram word similarity on names and titles finds the
records named nearly as the query, and the words of those names correct the query (Khalkin → khalkhin),
whose full text then finds everything the right spelling finds, in either script.

Words over the limits (MAX_QUERY_CHARS, MAX_QUERY_TERMS) are refused before any query: `validate_words`, which the
forms and views of every words input call, and the entry points here call again.
"""

import functools
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat, Greatest
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archive.citation import CITED
from archive.models import Commentary, Event, Source
from archive.models.search import SEARCH_CONFIG

from .translit import spellings

# Every words input of the public site (/search/, the source list and its CSV export) takes at most this much. The
# cost of a search grows with its length (each word in every spelling, the trigrams of the whole text), and a long
# pasted text made a single query run for minutes; no real search needs more.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 20
TOO_LONG = _("Too long to search: use at most %(chars)s characters and %(terms)s words.")
RESULT_LIMIT = 500  # per kind: enough for any real query, and a bound on memory
RANK_CANDIDATES = 2000  # per kind: matches ranked (see _ranked)
NEAR_NAMES = 50  # per kind: the nearest names whose words may correct a misspelt query
NEAR_WORD = 0.5  # trigram similarity from which a word of a near name replaces a word of the query
_MARK_START, _MARK_STOP = "\x02", "\x03"  # replaced by <mark> after escaping the snippet
_WORD = re.compile(r"\w+")
_EXCLUDED = re.compile(r'(?<!\S)-(?:"[^"]*"|\S+)')  # websearch's -word and -"a phrase"
_OPERATORS = {"or"}  # websearch syntax, never corrected


def validate_words(text: str) -> None:
    """Refuses words longer than MAX_QUERY_CHARS characters or MAX_QUERY_TERMS words, with the message shown."""
    if len(text) > MAX_QUERY_CHARS or len(_WORD.findall(text)) > MAX_QUERY_TERMS:
        raise ValidationError(TOO_LONG, code="too_long", params={"chars": MAX_QUERY_CHARS, "terms": MAX_QUERY_TERMS})


def searchable(text: str) -> bool:
    """Whether the words are within the limits of validate_words."""
    try:
        validate_words(text)
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    singular: str
    model: type
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
            ("title", "title_original"),
            ("summary", "transcription", "translation"),
        ),
        Kind(
            "event",
            _("Events"),
            pgettext_lazy("one search result", "Event"),
            Event,
            ("name", "name_original"),
            ("description",),
        ),
        Kind(
            "commentary",
            _("Commentary"),
            pgettext_lazy("one search result", "Commentary"),
            Commentary,
            ("title",),
            ("body",),
        ),
    )
}
_KIND_OF_MODEL = {kind.model: kind for kind in KINDS.values()}


def _ts_query(text: str) -> SearchQuery:
    """The text in each of its spellings, any of them; a word excluded (`-word`) is excluded in every spelling."""
    variants = spellings(text)
    excluded = " ".join(dict.fromkeys(match.group(0) for variant in variants for match in _EXCLUDED.finditer(variant)))
    queries = (
        SearchQuery(f"{variant} {excluded}".strip(), search_type="websearch", config=SEARCH_CONFIG)
        for variant in variants
    )
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


def needs_near_spellings(queryset, text: str) -> bool:
    """True when the full text finds nothing in the queryset: then near spellings are used."""
    validate_words(text)
    return not queryset.filter(search_vector=_ts_query(text)).exists()


def matching(queryset, text: str, near: bool | None = None):
    """The queryset narrowed to records matching the text; no ranking (the source list keeps its sort).

    Full-text matches if there are any; only if there are none, the near spellings (trigram), so a
    misspelling still finds something but never dilutes an exact result. Pass `near` when it is already
    known, to save the query that decides it.
    """
    validate_words(text)
    kind = _KIND_OF_MODEL[queryset.model]
    if near is None:
        near = needs_near_spellings(queryset, text)
    if near:
        return queryset.filter(_trigram_condition(kind, text))
    return queryset.filter(search_vector=_ts_query(text))


def _ranked(kind: Kind, text: str) -> list[tuple[str, int, float]]:
    """Full-text matches of one kind, best first."""
    query = _ts_query(text)
    # Ranking reads each match's whole vector: a common word matches a few hundred thousand records at a
    # million, which takes seconds. So the ranking runs over the first RANK_CANDIDATES matches only.
    candidates = kind.published().filter(search_vector=query).order_by().values("pk")[:RANK_CANDIDATES]
    queryset = (
        kind.published()
        .filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "pk")
    )
    return [(kind.key, pk, rank) for pk, rank in queryset.values_list("pk", "rank")[:RESULT_LIMIT]]


def _near(kind: Kind, text: str) -> tuple[list[tuple[str, int, float]], list[str]]:
    """Records of one kind named nearly as the text, most similar first, and the names that made them near."""
    similarities = [TrigramWordSimilarity(variant, name) for name in kind.name_fields for variant in spellings(text)]
    rows = (
        kind.published()
        .filter(_trigram_condition(kind, text))
        .annotate(rank=Greatest(*similarities) if len(similarities) > 1 else similarities[0])
        .order_by("-rank", "pk")
        .values_list("pk", "rank", *kind.name_fields)[:RESULT_LIMIT]
    )
    hits, names = [], []
    for index, (pk, rank, *row_names) in enumerate(rows):
        hits.append((kind.key, pk, rank))
        if index < NEAR_NAMES:
            names.extend(name for name in row_names if name)
    return hits, names


def _trigrams(word: str) -> set[str]:
    """A word's trigrams as pg_trgm counts them: lower case, two spaces before, one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _similarity(one: str, other: str) -> float:
    a, b = _trigrams(one), _trigrams(other)
    return len(a & b) / len(a | b)


def corrected(text: str, names: Iterable[str]) -> str:
    """The text with each word replaced by the most similar word of the names, where one is similar enough."""
    vocabulary = {word.lower() for name in names for word in _WORD.findall(name)}

    def nearest(match: re.Match) -> str:
        word = match.group(0)
        if word.lower() in _OPERATORS or word.lower() in vocabulary:
            return word
        best = max(vocabulary, key=lambda candidate: (_similarity(word, candidate), candidate), default=None)
        return best if best is not None and _similarity(word, best) >= NEAR_WORD else word

    return _WORD.sub(nearest, text)


@dataclass
class Results:
    """(kind, pk, rank) of every match, best first, and the query they were found for (as typed or corrected)."""

    hits: list[tuple[str, int, float]]
    query: str


def _by_rank(hits: list[tuple[str, int, float]]) -> list[tuple[str, int, float]]:
    return sorted(hits, key=lambda hit: -hit[2])


def search(text: str) -> Results:
    """Full text; when it finds nothing, the corrected query's full text, or else the near names themselves.

    One query per kind; when the full text finds nothing, one more per kind for the near names and one per
    kind for the corrected query.
    """
    validate_words(text)
    hits = [hit for kind in KINDS.values() for hit in _ranked(kind, text)]
    if hits:
        return Results(_by_rank(hits), text)
    near, names = [], []
    for kind in KINDS.values():
        kind_hits, kind_names = _near(kind, text)
        near.extend(kind_hits)
        names.extend(kind_names)
    better = corrected(text, names)
    if better.lower() != text.lower():
        hits = [hit for kind in KINDS.values() for hit in _ranked(kind, better)]
        if hits:
            return Results(_by_rank(hits), better)
    return Results(_by_rank(near), text)


@dataclass
class Hit:
    kind: Kind
    object: object
    snippet: str


def _highlight(fragment: str) -> str:
    return mark_safe(  # noqa: S308 (the text is escaped first; only our own <mark> tags are added)
        escape(fragment).replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    )


def hydrate(page: list[tuple[str, int, float]], text: str) -> list[Hit]:
    """The records of one page, with snippets; one query per kind on the page, whatever its size."""
    objects = {}
    for key in {hit[0] for hit in page}:
        kind = KINDS[key]
        queryset = (
            kind.published()
            .filter(pk__in=[pk for k, pk, _ in page if k == key])
            .defer("search_vector")  # for the WHERE clause only: large, never shown
        )
        if kind.model is Source:
            queryset = queryset.select_related(*CITED)
        elif kind.model is Commentary:
            queryset = queryset.select_related("source", "event")
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
            objects[key, obj.pk] = obj
    return [
        Hit(KINDS[key], objects[key, pk], _highlight(objects[key, pk].snippet))
        for key, pk, _ in page
        if (key, pk) in objects
    ]
