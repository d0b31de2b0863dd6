"""The public site in Russian and English: interface, record names and dates follow the chosen language."""

import re

import pytest
from django.urls import reverse

from tests.factories import EventFactory, SourceFactory, unit_path

pytestmark = pytest.mark.django_db


def _switch(client, language: str, next_url: str = "/"):
    return client.get(reverse("archive:language"), {"language": language, "next": next_url})


def test_language_switcher_is_on_every_page(client):
    body = client.get(reverse("archive:home")).content.decode()
    assert f'action="{reverse("archive:language")}" method="get"' in body
    assert '<option value="ru" lang="ru">Русский</option>' in body


def test_switching_to_russian_translates_interface_names_and_dates(client):
    EventFactory(
        published=True,
        name="Battles of Khalkhin Gol",
        name_original="Бои на Халхин-Голе",
        date_edtf="1939-05-11/1939-09-16",
    )
    response = _switch(client, "ru", reverse("archive:event-list"))
    assert response.status_code == 302 and response["Location"] == reverse("archive:event-list")
    body = client.get(reverse("archive:event-list")).content.decode()
    assert '<html lang="ru">' in body
    assert "Хронология событий" in body
    assert "Бои на Халхин-Голе" in body
    assert "11 мая – 16 сентября 1939 г." in body


def test_english_shows_english_names_and_dates(client):
    EventFactory(published=True, name="Protocol signed", name_original="Подписан протокол", date_edtf="1936-03-12")
    body = client.get(reverse("archive:event-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Protocol signed" in body and "12 March 1936" in body and "Timeline of events" in body


def test_russian_source_page_shows_russian_title_first_and_russian_labels(client):
    source = SourceFactory(
        published=True, title="Protocol", title_original="Протокол о взаимопомощи", unit=unit_path("17")
    )
    _switch(client, "ru")
    body = client.get(source.get_absolute_url()).content.decode()
    assert '<h1 id="source-title">Протокол о взаимопомощи</h1>' in body
    assert "Как цитировать документ" in body and "Копировать" in body and "Фонд" in body


def test_plural_forms_in_russian(client):
    for _ in range(3):
        SourceFactory(published=True)
    _switch(client, "ru")
    assert "3 опубликованных документа" in client.get(reverse("archive:home")).content.decode()
    assert "3 документа" in client.get(reverse("archive:source-list")).content.decode()


def test_public_pages_set_no_cookie_so_the_page_cache_can_keep_them(client):
    SourceFactory(published=True)
    for name in ("archive:home", "archive:source-list", "archive:event-list"):
        assert not client.get(reverse(name)).cookies, name


def test_language_switch_refuses_to_send_the_visitor_elsewhere(client):
    response = _switch(client, "ru", "https://evil.example/")
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "ru"


def test_an_unknown_language_changes_nothing(client):
    response = _switch(client, "xx", "/sources/")
    assert response["Location"] == "/sources/" and "django_language" not in response.cookies


def _metadata_languages(languages):
    from tests.factories import LanguageFactory

    return [LanguageFactory(code=code, name=name) for code, name in languages]


def test_russian_source_page_names_the_repository_city_and_the_languages_in_russian(client):
    from tests.factories import RepositoryFactory
    from tests.visible_text import visible_text

    repository = RepositoryFactory(city="Moscow", city_original="Москва")
    source = SourceFactory(published=True, repository=repository)
    source.languages.set(_metadata_languages([("ru", "Russian"), ("mn", "Mongolian")]))
    _switch(client, "ru")
    # The repository's name links to its page; the city follows it: one line for a reader.
    text = visible_text(client.get(source.get_absolute_url()).text).replace("\n, ", ", ")
    assert "Российский государственный архив социально-политической истории, Москва" in text
    assert "Moscow" not in text
    assert "Монгольский, Русский" in text  # ordered by code
    assert "Russian" not in text and "Mongolian" not in text


def test_english_source_page_keeps_the_english_city_and_language_names(client):
    from tests.factories import RepositoryFactory
    from tests.visible_text import visible_text

    source = SourceFactory(published=True, repository=RepositoryFactory(city="Moscow", city_original="Москва"))
    source.languages.set(_metadata_languages([("ru", "Russian")]))
    text = visible_text(client.get(source.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text).replace("\n, ", ", ")
    assert "Russian State Archive of Socio-Political History, Moscow" in text
    assert "Russian" in text.splitlines() and "Russian (ru)" not in text


def test_a_repository_without_a_russian_city_shows_the_one_it_has(client):
    from tests.factories import RepositoryFactory
    from tests.visible_text import visible_text

    source = SourceFactory(published=True, repository=RepositoryFactory(city="Ulaanbaatar", city_original=""))
    _switch(client, "ru")
    text = visible_text(client.get(source.get_absolute_url()).text).replace("\n, ", ", ")
    assert "социально-политической истории, Ulaanbaatar" in text


def test_the_language_filter_names_languages_in_russian(client):
    from tests.visible_text import visible_text

    source = SourceFactory(published=True)
    source.languages.set(_metadata_languages([("ru", "Russian")]))
    _switch(client, "ru")
    text = visible_text(client.get(reverse("archive:source-list")).text)
    assert re.search(r"^Русский\s\(1\)$", text, re.M), text  # the checkbox's label, then its count
    assert "Russian" not in text
