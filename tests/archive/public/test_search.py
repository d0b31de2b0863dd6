"""Search over sources, events and commentary: ranked full text, transliteration and near spellings."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import Status
from archive.public.search import _highlight, corrected
from archive.public.translit import spellings, to_cyrillic, to_latin
from tests.archive.public.markup import checkboxes
from tests.factories import CommentaryFactory, EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def battles():
    return EventFactory(
        published=True,
        slug="battles",
        name="Battles of Khalkhin Gol",
        name_original="Бои на Халхин-Голе",
        description="Soviet and Mongolian troops defeated the Japanese army in 1939.",
        date_edtf="1939-05-11/1939-09-16",
    )


def _found(client, query: str) -> list[str]:
    response = client.get(reverse("archive:search"), {"q": query})
    assert response.status_code == 200
    return [hit.object.get_absolute_url() for hit in response.context.get("hits", [])]


@pytest.mark.parametrize("query", ["Khalkhin", "Халхин-Гол", "Халхин гол", "халхин-голе", "Khalkin", "Халхингол"])
def test_battles_found_in_cyrillic_latin_and_misspelled(client, battles, query):
    EventFactory(published=True, name="Marco Polo Bridge incident", name_original="Инцидент на мосту Лугоуцяо")
    assert _found(client, query) == [battles.get_absolute_url()]


def test_latin_transliteration_finds_a_name_written_only_in_cyrillic(client):
    source = SourceFactory(published=True, title="Letter", title_original="Письмо Чойбалсана")
    assert _found(client, "Choibalsan") == [source.get_absolute_url()]


def test_stemming_finds_other_word_forms(client):
    source = SourceFactory(published=True, title="Протокол", summary="Договор о взаимной помощи")
    assert _found(client, "помощь") == [source.get_absolute_url()]
    english = SourceFactory(published=True, title="Agreements", summary="The negotiations went on for days.")
    assert english.get_absolute_url() in _found(client, "negotiation")


def test_websearch_syntax_and_ranking(client):
    title_hit = SourceFactory(published=True, title="Mongolian army reform")
    body_hit = SourceFactory(published=True, title="Report", translation="On the reform of the Mongolian army.")
    railway = SourceFactory(published=True, title="Mongolian railway")
    assert _found(client, "mongolian army") == [title_hit.get_absolute_url(), body_hit.get_absolute_url()]
    assert _found(client, "mongolian -army") == [railway.get_absolute_url()]
    assert set(_found(client, '"army reform" or railway')) == {title_hit.get_absolute_url(), railway.get_absolute_url()}


def test_snippets_are_highlighted_and_escaped(client):
    SourceFactory(published=True, title="Report", summary="<script>alert(1)</script> the cavalry division attacked")
    body = client.get(reverse("archive:search"), {"q": "cavalry"}).content.decode()
    assert "<mark>cavalry</mark>" in body
    assert "<script>alert" not in body


def test_search_finds_words_in_any_field_in_any_case(client):
    source = SourceFactory(published=True, title="Protocol of Mutual Assistance", transcription="Протокол подписан")
    SourceFactory(published=True, title="Unrelated")
    assert _found(client, "Mutual") == [source.get_absolute_url()]
    assert _found(client, "протокол") == [source.get_absolute_url()]  # Cyrillic, lower case


def test_search_covers_events_and_commentary_and_counts_kinds(client, battles):
    source = SourceFactory(published=True, title="Khalkhin Gol report")
    note = CommentaryFactory(
        event=battles, source=None, title="On Khalkhin Gol", status=Status.PUBLISHED, published_at=timezone.now()
    )
    response = client.get(reverse("archive:search"), {"q": "Khalkhin"})
    found = {hit.object for hit in response.context["hits"]}
    assert found == {source, battles, note}
    assert {kind.key: count for kind, count in response.context["kinds"]} == {
        "source": 1,
        "unit": 0,
        "event": 1,
        "agent": 0,
        "place": 0,
        "subject": 0,
        "commentary": 1,
    }
    only_events = client.get(reverse("archive:search"), {"q": "Khalkhin", "type": "event"})
    assert [hit.object for hit in only_events.context["hits"]] == [battles]


def test_search_never_returns_unpublished_records_or_their_commentary(client):
    draft = SourceFactory(title="Khalkhin secret draft")
    CommentaryFactory(source=draft, title="Khalkhin note", status=Status.PUBLISHED, published_at=timezone.now())
    EventFactory(name="Khalkhin draft event")
    body = client.get(reverse("archive:search"), {"q": "Khalkhin"}).content.decode()
    assert "secret draft" not in body and "Khalkhin note" not in body and "draft event" not in body


def test_the_source_list_free_text_uses_the_same_search(client):
    source = SourceFactory(published=True, title="Protocol of Mutual Assistance")
    SourceFactory(published=True, title="Letter")
    response = client.get(reverse("archive:source-list"), {"q": "mutual"})
    assert list(response.context["sources"]) == [source]


def test_the_source_list_tolerates_a_misspelling(client):
    source = SourceFactory(published=True, title="Protocol of Mutual Assistance")
    SourceFactory(published=True, title="Letter")
    response = client.get(reverse("archive:source-list"), {"q": "Protocl"})
    assert list(response.context["sources"]) == [source]
    # The facets count the same near-spelling matches: one source, not both.
    assert checkboxes(response.content.decode(), "document_type") == {"other": ("Other (1)", False)}


def test_empty_query_shows_the_form_only(client):
    response = client.get(reverse("archive:search"))
    assert response.status_code == 200 and "hits" not in response.context


def test_highlight_escapes_the_text_and_marks_only_the_match():
    assert _highlight("a <b> & \x02cavalry\x03") == "a &lt;b&gt; &amp; <mark>cavalry</mark>"


def test_transliteration_both_ways():
    assert to_cyrillic("Khalkhin Gol") == "халхин гол"
    assert to_latin("Халхин-Гол") == "khalkhin-gol"
    assert spellings("Choibalsan or Stalin") == ["Choibalsan or Stalin", "чойбалсан or сталин", "choybalsan or stalin"]
    assert spellings("Halhin Gol") == ["Halhin Gol", "халхин гол", "khalkhin gol"]
    assert spellings("Халхин Гол") == ["Халхин Гол", "khalkhin gol"]


def test_latin_query_finds_cyrillic_only_text(client):
    event = EventFactory(published=True, name="Battles", name_original="Бои на Халхин-Голе")
    assert _found(client, "Khalkhin") == [event.get_absolute_url()]


# The search syntax promised under the search box: quotes, "or" and a minus sign.
@pytest.fixture
def people_sources():
    return {
        "genden": SourceFactory(published=True, title="Genden in Moscow", summary="Talks of November 1934"),
        "zhukov": SourceFactory(published=True, title="Zhukov's report", summary="The offensive of August 1939"),
        "nomonhan": SourceFactory(published=True, title="Khalkhin Gol, called Nomonhan in Japan"),
        "khalkhin": SourceFactory(published=True, title="Khalkhin Gol: the ceasefire", summary="Молотов и Того"),
    }


def test_or_finds_either_word(client, people_sources):
    found = _found(client, "Genden or Zhukov")
    assert set(found) == {people_sources[k].get_absolute_url() for k in ("genden", "zhukov")}


def test_minus_excludes_a_word(client, people_sources):
    assert _found(client, "Khalkhin -Nomonhan") == [people_sources["khalkhin"].get_absolute_url()]


@pytest.mark.parametrize("query", ["молотов", "МОЛОТОВ", "Молотов"])
def test_cyrillic_is_found_whatever_its_case(client, people_sources, query):
    assert _found(client, query) == [people_sources["khalkhin"].get_absolute_url()]


@pytest.mark.parametrize("query", ["халхин-голе", "ХАЛХИН-ГОЛЕ"])
def test_hyphenated_cyrillic_is_found_in_any_case(client, battles, query):
    assert battles.get_absolute_url() in _found(client, query)


# The Khalkhin Gol sources, titled in both languages, in English only and in Russian only, beside a source whose
# words contain "gol" inside another word.
@pytest.fixture
def khalkhin_gol_sources():
    return {
        SourceFactory(
            published=True,
            title="Documents on the battles of Khalkhin Gol",
            title_original="Документы о боях на Халхин-Голе",
            summary="Orders and reports of the Soviet and Mongolian troops from the river Khalkhin Gol, May 1939.",
        ),
        SourceFactory(published=True, title="Report of the 1st Army Group on the fighting at Khalkhin Gol"),
        SourceFactory(
            published=True,
            title="Report on the fighting by the river",
            title_original="Донесение о боях у реки Халхин-Гол",
        ),
    }


@pytest.fixture
def mongolian_talks():
    return SourceFactory(
        published=True, title="Soviet-Mongolian negotiations", summary="The Mongolian delegation in Moscow, 1934."
    )


@pytest.mark.parametrize("query", ["Khalkhin Gol", "Khalkin Gol", "Halhin Gol", "Халхин Гол"])
def test_the_khalkhin_gol_sources_are_found_misspelt_and_in_either_script(
    client, khalkhin_gol_sources, mongolian_talks, battles, query
):
    found = set(_found(client, query))
    assert found == {source.get_absolute_url() for source in khalkhin_gol_sources} | {battles.get_absolute_url()}


@pytest.mark.parametrize("query", ["Khalkhin Gol", "Khalkin Gol", "Halhin Gol", "Халхин Гол"])
def test_snippets_highlight_whole_words_only(client, khalkhin_gol_sources, mongolian_talks, query):
    body = client.get(reverse("archive:search"), {"q": query}).content.decode()
    assert "<mark>Gol</mark>" in body and "<mark>Khalkhin</mark>" in body
    assert "Mongolian" in body  # in the snippet, unmarked
    assert not re.search(r"\w<mark>|</mark>\w", body), "a mark starts or ends inside a word"


def test_a_misspelt_word_is_corrected_from_the_nearest_names():
    names = ["Battles of Khalkhin Gol", "Письмо Чойбалсана", "Protocol of Mutual Assistance"]
    assert corrected("Khalkin Gol", names) == "khalkhin Gol"
    assert corrected("Чойбалсона", names) == "чойбалсана"
    assert corrected("Protocl or Khalkin -zebra", names) == "protocol or khalkhin -zebra"
