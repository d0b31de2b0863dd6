"""Every words input of the public site (/search/, the source list, its CSV export) has one limit, in characters and
in words: over it, a clear message and no search query at all; within it, the search runs as usual."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.public.search import MAX_QUERY_CHARS, MAX_QUERY_TERMS, validate_words
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

LONG = ("Khalkhin Gol " * 800)[:10_000]  # a pasted text of 10,000 characters
TOO_LONG = f"Too long to search: use at most {MAX_QUERY_CHARS} characters and {MAX_QUERY_TERMS} words."


def _words_at_the_limit() -> str:
    """MAX_QUERY_TERMS distinct words, MAX_QUERY_CHARS characters in all."""
    words = [f"word{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(MAX_QUERY_TERMS)]
    words[-1] += "z" * (MAX_QUERY_CHARS - len(" ".join(words)))
    return " ".join(words)


AT_THE_LIMIT = _words_at_the_limit()


def _searches(queries) -> list[str]:
    """The full-text and near-spelling queries among those sent."""
    return [q["sql"] for q in queries if "tsquery" in q["sql"] or "%>" in q["sql"] or "WORD_SIMILARITY" in q["sql"]]


def _get(client, name: str, words: str):
    with CaptureQueriesContext(connection) as sent:
        response = client.get(reverse(name), {"q": words})
    return response, _searches(sent.captured_queries)


def test_the_phrase_built_for_these_tests_is_at_the_limit():
    assert len(AT_THE_LIMIT) == MAX_QUERY_CHARS and len(AT_THE_LIMIT.split()) == MAX_QUERY_TERMS


@pytest.mark.parametrize("name", ["archive:search", "archive:source-list"])
def test_a_10000_character_query_is_refused_with_a_message_and_searches_nothing(client, name):
    SourceFactory(published=True, title="Khalkhin Gol report")
    response, searches = _get(client, name, LONG)
    assert response.status_code == 200
    assert TOO_LONG in response.text
    assert searches == []


def test_the_source_list_shows_the_message_with_the_words_field(client):
    response, _ = _get(client, "archive:source-list", LONG)
    filters = response.text.split('<form class="filters"', 1)[1].split("</form>", 1)[0]
    assert f'<p id="id_q_error" class="field-error">{TOO_LONG}</p>' in filters
    assert 'aria-invalid="true" aria-describedby="id_q_error"' in filters
    assert list(response.context["sources"]) == []


def test_the_export_of_a_10000_character_query_is_400_with_the_message(client):
    SourceFactory(published=True, title="Khalkhin Gol report")
    response, searches = _get(client, "archive:source-export", LONG)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == TOO_LONG + "\n"
    assert searches == []


@pytest.mark.parametrize("name", ["archive:search", "archive:source-list", "archive:source-export"])
def test_one_word_too_many_is_refused_too(client, name):
    response, searches = _get(client, name, " ".join(["a"] * (MAX_QUERY_TERMS + 1)))
    assert TOO_LONG in response.content.decode() and searches == []


def test_the_message_is_translated(client):
    response = client.get(reverse("archive:search"), {"q": LONG}, headers={"accept-language": "ru"})
    assert f"Слишком длинный запрос: не более {MAX_QUERY_CHARS} символов и {MAX_QUERY_TERMS} слов." in response.text


@pytest.mark.parametrize("name", ["archive:search", "archive:source-list", "archive:source-export"])
def test_a_phrase_at_the_limit_still_searches(client, name):
    found = SourceFactory(published=True, title="Found", summary=AT_THE_LIMIT)
    other = SourceFactory(published=True, title="Other", summary="nothing of the sort")
    response, searches = _get(client, name, AT_THE_LIMIT)
    body = b"".join(response.streaming_content).decode() if response.streaming else response.text
    assert response.status_code == 200 and searches
    assert TOO_LONG not in body
    assert found.get_absolute_url() in body and other.get_absolute_url() not in body


def test_validate_words_counts_characters_and_words():
    validate_words(AT_THE_LIMIT)
    for words in (AT_THE_LIMIT + "z", AT_THE_LIMIT[:-1] + " z"):
        with pytest.raises(ValidationError):
            validate_words(words)
