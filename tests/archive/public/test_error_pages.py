"""The pages a visitor gets when something is missing or broken: styled, translated, with a way on."""

import pytest
from django.urls import reverse

from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "search_label"),
    [("en", "Page not found", "Search the archive"), ("ru", "Страница не найдена", "Поиск по архиву")],
)
def test_a_missing_page_is_the_sites_own_page_in_the_visitors_language(client, language, heading, search_label):
    response = client.get("/sources/no-such-document/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.text
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html and 'id="error-search-q"' in html
    assert search_label in html


def test_an_unpublished_source_gets_the_same_page_as_a_missing_one(client):
    draft = SourceFactory()
    assert "Page not found" in client.get(draft.get_absolute_url()).text


@pytest.mark.urls("tests.archive.public.failing_urls")
@pytest.mark.parametrize(("language", "heading"), [("en", "Something went wrong"), ("ru", "Что-то пошло не так")])
def test_a_fault_gets_the_sites_own_error_page(client, language, heading):
    client.raise_request_exception = False
    response = client.get("/fails/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    assert f"<h1>{heading}</h1>" in response.text
    assert 'class="site-header"' in response.text and "a fault on purpose" not in response.text


def test_a_page_past_the_end_shows_the_last_page(client):
    for n in range(3):
        SourceFactory(published=True, title=f"Listed {n}")
    response = client.get(reverse("archive:source-list"), {"per_page": 10, "page": 99})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert "Listed 2" in response.text


def test_a_page_that_is_not_a_number_shows_the_first(client):
    SourceFactory(published=True)
    response = client.get(reverse("archive:source-list"), {"page": "two"})
    assert response.status_code == 200 and response.context["page_obj"].number == 1
