"""The citation block, its downloads, the meta tags reference managers read, the permalinks and old slugs,
and what none of them shows of unpublished sources."""

import json
from datetime import timedelta
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from django.urls import reverse
from django.utils import timezone

from archive.models import AgentKind, AgentRole, Event, Source, SourceAgent, Status
from tests.factories import AgentFactory, EventFactory, LanguageFactory, SourceFactory

KHALKHIN_GOL, BATTLES = "Battles of Khalkhin Gol", "1939-05-11/1939-09-16"
pytestmark = pytest.mark.django_db

FORMATS = ("bib", "ris", "json")
HIDDEN = {
    "draft": {"status": Status.DRAFT},
    "review": {"status": Status.REVIEW},
    "withdrawn": {"status": Status.WITHDRAWN, "published_at": timezone.now() - timedelta(days=1)},
    "scheduled": {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
}


class _Head(HTMLParser):
    """The page's <meta name=… content=…> and <link rel=… href=…>, as a reference manager reads them."""

    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.meta.setdefault(attrs["name"], []).append(attrs["content"])
        if tag == "link" and "rel" in attrs:
            self.links[attrs["rel"]] = attrs["href"]


def _head(html: str) -> _Head:
    head = _Head()
    head.feed(html)
    return head


@pytest.fixture
def telegram():
    source = SourceFactory(
        identifier="FRUS-1933-39-d299",
        slug="bullitt-telegram-76",
        title="Telegram No. 76, Bullitt (Moscow) to the Secretary of State",
        date_edtf="1936-03-02?",
        repository=None,
        publication="Foreign Relations of the United States, Diplomatic Papers: The Soviet Union, 1933-1939, doc. 299",
        published=True,
    )
    agent = AgentFactory(name="Bullitt, William C.", kind=AgentKind.PERSON)
    SourceAgent.objects.create(source=source, agent=agent, role=AgentRole.CREATOR)
    source.languages.add(LanguageFactory(code="en", name="English"))
    return source


def _cite_url(source, extension: str) -> str:
    return reverse("archive:source-cite", kwargs={"slug": source.slug, "format": extension})


def test_the_page_gives_both_full_citations_the_permalink_and_the_downloads(client, telegram):
    html = client.get(telegram.get_absolute_url()).content.decode()
    permalink = "http://testserver/id/FRUS-1933-39-d299"
    today = timezone.localdate()
    assert f"(дата обращения: {today:%d.%m.%Y}). — Текст : электронный.</p>" in html
    assert "Telegram No. 76, Bullitt (Moscow) to the Secretary of State, 2 March 1936 (?), published in" in html
    assert f'Permanent link: <a href="{permalink}">{permalink}</a>' in html
    for extension in FORMATS:
        assert f'href="{_cite_url(telegram, extension)}" download' in html


def test_the_downloads_parse_and_are_named_by_identifier(client, telegram):
    bib = client.get(_cite_url(telegram, "bib"))
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bib["Content-Disposition"] == 'attachment; filename="FRUS-1933-39-d299.bib"'
    (entry,) = bibtexparser.parse_string(bib.content.decode()).entries
    assert entry.fields_dict["url"].value == "http://testserver/id/FRUS-1933-39-d299"
    ris = client.get(_cite_url(telegram, "ris"))
    assert ris["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    (record,) = rispy.loads(ris.content.decode())
    assert record["authors"] == ["Bullitt, William C."]
    csl = client.get(_cite_url(telegram, "json"))
    assert csl["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert json.loads(csl.content)[0]["id"] == "FRUS-1933-39-d299"


def test_an_unknown_format_is_404(client, telegram):
    assert client.get(f"/sources/{telegram.slug}/cite.xml").status_code == 404


def test_reference_managers_find_highwire_and_dublin_core_tags(client, telegram):
    head = _head(client.get(telegram.get_absolute_url()).content.decode())
    page = f"http://testserver{telegram.get_absolute_url()}"
    assert head.meta["citation_title"] == [telegram.title]
    assert head.meta["citation_author"] == ["Bullitt, William C."]
    assert head.meta["citation_date"] == ["1936/03/02"]
    assert head.meta["citation_language"] == ["en"]
    assert head.meta["citation_public_url"] == head.meta["citation_abstract_html_url"] == [page]
    assert "citation_publisher" not in head.meta  # no repository known
    assert head.links["schema.DC"] == "http://purl.org/dc/elements/1.1/"
    assert head.meta["DC.title"] == [telegram.title]
    assert head.meta["DC.date"] == ["1936-03-02"]
    assert head.meta["DC.identifier"] == ["http://testserver/id/FRUS-1933-39-d299", "FRUS-1933-39-d299"]
    assert head.meta["DC.source"] == [telegram.citation_en]


def test_the_repository_is_the_publisher(client):
    source = SourceFactory(published=True)
    head = _head(client.get(source.get_absolute_url()).content.decode())
    assert head.meta["citation_publisher"] == ["Russian State Archive of Socio-Political History"]


def test_the_permalink_leads_to_the_current_slug(client, telegram):
    response = client.get("/id/FRUS-1933-39-d299")
    assert (response.status_code, response["Location"]) == (302, "/sources/bullitt-telegram-76/")
    Source.objects.filter(pk=telegram.pk).update(slug="telegram-76")
    assert client.get("/id/FRUS-1933-39-d299")["Location"] == "/sources/telegram-76/"


def test_an_event_has_a_permalink_too(client):
    EventFactory(
        identifier="EV-KHALKHIN-GOL", slug="khalkhin-gol", name=KHALKHIN_GOL, date_edtf=BATTLES, published=True
    )
    assert client.get("/id/EV-KHALKHIN-GOL")["Location"] == "/events/khalkhin-gol/"


def test_an_old_slug_answers_301_after_a_rename_however_it_was_made(client, telegram):
    telegram.slug = "telegram-76"
    telegram.save()  # as the admin saves
    Source.objects.filter(pk=telegram.pk).update(slug="bullitt-76")  # as an import's bulk update writes
    for old in ("bullitt-telegram-76", "telegram-76"):
        response = client.get(f"/sources/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/sources/bullitt-76/")


def test_a_slug_taken_by_another_source_leads_to_that_source(client, telegram):
    telegram.slug = "telegram-76"
    telegram.save()
    other = SourceFactory(published=True, slug="bullitt-telegram-76", title="Another document")
    response = client.get("/sources/bullitt-telegram-76/")
    assert response.status_code == 200
    assert response.context["object"] == other


def test_a_renamed_event_answers_its_old_slug_with_301(client):
    event = EventFactory(slug="khalkhin-gol", name=KHALKHIN_GOL, date_edtf=BATTLES, published=True)
    Event.objects.filter(pk=event.pk).update(slug="battles-of-khalkhin-gol")
    response = client.get("/events/khalkhin-gol/")
    assert (response.status_code, response["Location"]) == (301, "/events/battles-of-khalkhin-gol/")


@pytest.fixture(params=HIDDEN.values(), ids=HIDDEN.keys())
def hidden(request):
    """An unpublished source, renamed from "old-secret" to "new-secret"."""
    source = SourceFactory(identifier="SECRET-1", slug="old-secret", **request.param)
    Source.objects.filter(pk=source.pk).update(slug="new-secret")
    return Source.objects.get(pk=source.pk)


def _hides(response) -> bool:
    """404, with neither a redirect nor the record's current slug (the requested address may have it)."""
    requested = response.wsgi_request.path
    leaked = b"new-secret" in response.content and "new-secret" not in requested
    return response.status_code == 404 and not response.has_header("Location") and not leaked


def test_nothing_unpublished_is_cited_linked_or_redirected_to(client, hidden):
    for extension in FORMATS:
        assert _hides(client.get(_cite_url(hidden, extension)))
    assert _hides(client.get("/id/SECRET-1"))
    assert _hides(client.get("/sources/old-secret/"))


def test_a_curators_preview_offers_no_downloads_and_they_stay_404(client, curator, hidden):
    client.force_login(curator)
    html = client.get(hidden.get_absolute_url()).content.decode()
    assert "cite.bib" not in html and "citation_title" not in html and "/id/SECRET-1" not in html
    for extension in FORMATS:
        assert client.get(_cite_url(hidden, extension)).status_code == 404
    assert client.get("/id/SECRET-1").status_code == 404


def test_an_unpublished_event_has_no_permalink(client):
    EventFactory(identifier="EV-SECRET", slug="secret-event")
    response = client.get("/id/EV-SECRET")
    assert response.status_code == 404 and b"secret-event" not in response.content
