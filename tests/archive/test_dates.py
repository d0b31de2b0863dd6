"""Dates in words: what an EDTF value says of certainty survives into the page, in both languages."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from archive.dates import display, display_range, in_words
from tests.factories import EventFactory, SourceFactory


@pytest.mark.parametrize(
    ("value", "english", "russian"),
    [
        ("1936-03-12", "12 March 1936", "12 марта 1936 г."),
        ("1934-11", "November 1934", "ноябрь 1934 г."),
        ("1937", "1937", "1937 г."),
        ("1936-03?", "March 1936 (?)", "март 1936 г. (?)"),
        ("1936~", "about 1936", "около 1936 г."),
        ("1936-03~", "about March 1936", "около марта 1936 г."),
        ("1936-03-12%", "about 12 March 1936 (?)", "около 12 марта 1936 г. (?)"),
        ("1939-05-11/1939-09-16", "11 May – 16 September 1939", "11 мая – 16 сентября 1939 г."),
        ("1934-11/1936-03", "November 1934 – March 1936", "ноябрь 1934 г. – март 1936 г."),
        (
            "[1939-05..1939-09]",
            "one date between May and September 1939",
            "одна дата в период с мая по сентябрь 1939 г.",
        ),
        ("[1936, 1938]", "one of: 1936, 1938", "одна из дат: 1936 г., 1938 г."),
        ("{1936, 1938}", "1936 and 1938", "1936 г. и 1938 г."),
        ("1936-21", "spring 1936", "весна 1936 г."),
        ("1936-23~", "about autumn 1936", "около осени 1936 г."),
        ("193X", "the 1930s", "1930-е гг."),
        ("1936/..", "from 1936", "с 1936 г."),
        ("../1939-09", "until September 1939", "до сентября 1939 г."),
        ("1936/", "from 1936 (end unknown)", "с 1936 г. (дата окончания неизвестна)"),
    ],
)
def test_an_edtf_value_in_words(value, english, russian):
    assert in_words(value, "en") == english
    assert in_words(value, "ru") == russian


def test_russian_months_are_lower_case_mid_phrase():
    assert in_words("1939-05", "ru") == "май 1939 г."
    assert display_range(date(1939, 5, 1), date(1939, 9, 30), "ru") == "май – сентябрь 1939 г."


@pytest.mark.parametrize("value", ["2004-06-~11", "1936-25", "19XX"])
def test_a_value_beyond_the_phrases_shows_the_range_it_covers(value):
    from archive.edtf import date_range

    derived = date_range(value)
    assert in_words(value, "en") == ""
    assert display(value, derived.start, derived.end, "en") == display_range(derived.start, derived.end, "en")
    assert display(value, derived.start, derived.end, "en")


@pytest.mark.django_db
def test_a_source_page_says_the_date_is_uncertain(client):
    source = SourceFactory(published=True, date_edtf="1936-03?", date_text="")
    html = client.get(source.get_absolute_url()).text
    assert "March 1936 (?)" in html


@pytest.mark.django_db
def test_the_english_list_gives_dates_in_english_and_the_russian_one_in_russian(client):
    SourceFactory(published=True, date_edtf="1934-11-27", date_text="27 ноября 1934")
    english = client.get(reverse("archive:source-list"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "27 November 1934" in english and "27 ноября 1934" not in english
    with translation.override("ru"):
        url = reverse("archive:source-list")
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").text
    assert "27 ноября 1934 г." in russian


@pytest.mark.django_db
def test_one_date_in_a_span_is_not_shown_as_the_span(client):
    event = EventFactory(published=True, date_edtf="[1939-05..1939-09]", date_text="")
    html = client.get(event.get_absolute_url()).text
    assert "one date between May and September 1939" in html
    assert "May 1939 – September 1939" not in html


@pytest.mark.django_db
def test_commentary_is_signed_with_a_date_in_the_same_style_as_the_documents(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import CommentaryFactory

    source = SourceFactory(published=True)
    CommentaryFactory(
        source=source,
        status="published",
        signature="The editors",
        published_at=datetime(2026, 11, 1, 10, tzinfo=ZoneInfo("Europe/Moscow")),
    )
    html = client.get(source.get_absolute_url()).text
    assert "The editors, <time" in html and ">1 November 2026</time>" in html
