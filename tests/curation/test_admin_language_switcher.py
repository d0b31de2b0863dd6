"""The language switcher in the admin's header: on every admin page, the sign-in page included, labelled, and
changing the language of the page it is on."""

import re

import pytest
from django.urls import reverse

from tests.factories import SourceFactory
from tests.visible_text import visible_text

pytestmark = pytest.mark.django_db


def _switch(client, language: str, next_url: str):
    """What the switcher sends."""
    return client.get(reverse("archive:language"), {"language": language, "next": next_url})


ADMIN_PAGES = [
    ("admin:index", ()),
    ("admin:archive_source_changelist", ()),
    ("admin:archive_source_add", ()),
    ("admin:archive_source_export", ()),
    ("admin:archive_source_import", ()),
    ("admin:archive_source_deleted", ()),
    ("admin:curation_importbatch_changelist", ()),
    ("admin:password_change", ()),
]


def _switcher(html: str) -> dict:
    form = re.search(r'<form id="admin-language"[^>]*>.*?</form>', html, re.S)
    assert form, "no language switcher"
    form = form.group(0)
    return {
        "action": re.search(r'action="([^"]*)"', form).group(1),
        "method": re.search(r'method="([^"]*)"', form).group(1),
        "label": re.search(r'<label for="admin-language-select">([^<]+)</label>', form),
        "options": re.findall(r'<option value="(\w+)"', form),
        "next": re.search(r'name="next" type="hidden" value="([^"]*)"', form).group(1),
        "button": re.search(r"<button type=\"submit\">([^<]+)</button>", form),
    }


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES, ids=[name for name, _ in ADMIN_PAGES])
def test_every_admin_page_has_a_labelled_language_switcher(admin_client, name, args):
    url = reverse(name, args=args)
    switcher = _switcher(admin_client.get(url).text)
    assert switcher["action"] == reverse("archive:language") and switcher["method"] == "get"
    assert switcher["label"] and switcher["button"] and switcher["options"] == ["en", "ru"]
    assert switcher["next"] == url


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_a_records_pages_have_the_language_switcher(admin_client, view):
    url = reverse(f"admin:archive_source_{view}", args=[SourceFactory().pk])
    assert _switcher(admin_client.get(url).text)["next"] == url


def test_the_sign_in_page_has_the_language_switcher_too(client):
    switcher = _switcher(client.get(reverse("admin:login")).text)
    assert switcher["next"] == reverse("admin:login") and switcher["label"]


def test_the_switcher_turns_an_admin_page_russian_and_back(curator_client):
    url = reverse("admin:archive_source_changelist")
    response = _switch(curator_client, "ru", url)
    assert response.status_code == 302 and response["Location"] == url
    page = curator_client.get(url).text
    assert '<html lang="ru"' in page and "Документы" in visible_text(page)
    assert _switcher(page)["label"].group(1) == "Язык"
    _switch(curator_client, "en", url)
    page = curator_client.get(url).text
    assert '<html lang="en"' in page and "Sources" in visible_text(page)
