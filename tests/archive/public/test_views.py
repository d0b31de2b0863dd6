"""Public pages: published records are shown; drafts, records in review and withdrawn ones never are."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import AgentRole, SourceAgent, Status
from tests.archive.public.markup import checkboxes
from tests.factories import (
    AgentFactory,
    CommentaryFactory,
    EventFactory,
    PlaceFactory,
    SourceFactory,
    unit_path,
)

pytestmark = pytest.mark.django_db

HIDDEN = [
    {"status": Status.DRAFT},
    {"status": Status.REVIEW},
    {"status": Status.WITHDRAWN},
    # Scheduled: published status, but the time has not come.
    {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
]


@pytest.fixture
def hidden_source(request):
    return SourceFactory(title="Secret draft document", slug="secret", **request.param)


@pytest.mark.parametrize("hidden_source", HIDDEN, indirect=True, ids=["draft", "review", "withdrawn", "scheduled"])
def test_unpublished_source_is_404_and_absent_everywhere(client, hidden_source):
    published = SourceFactory(published=True, title="Visible document")
    assert client.get(hidden_source.get_absolute_url()).status_code == 404
    assert client.get(published.get_absolute_url()).status_code == 200
    pages = [
        reverse("archive:home"),
        reverse("archive:source-list"),
        reverse("archive:source-feed"),
        reverse("archive:sitemap"),
        reverse("archive:search") + "?q=document",
        reverse("archive:source-list") + "?q=document",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Visible document" in body or "/sources/source-" in body, url
        assert "Secret draft" not in body and "/sources/secret/" not in body, url
    export = b"".join(client.get(reverse("archive:source-export")).streaming_content).decode()
    assert "Visible document" in export and "Secret draft" not in export


def test_unpublished_event_is_404_and_absent_from_timeline_and_linked_pages(client):
    draft = EventFactory(name="Draft event", slug="draft-event")
    shown = EventFactory(published=True, name="Shown event")
    source = SourceFactory(published=True)
    source.events.set([draft, shown])
    assert client.get(draft.get_absolute_url()).status_code == 404
    timeline = client.get(reverse("archive:event-list")).content.decode()
    assert "Shown event" in timeline and "Draft event" not in timeline
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Shown event" in page and "Draft event" not in page
    facets = client.get(reverse("archive:source-list")).content.decode()
    assert checkboxes(facets, "event") == {shown.slug: ("Shown event (1)", False)} and "Draft event" not in facets


def test_commentary_shows_only_when_itself_published(client):
    source = SourceFactory(published=True)
    CommentaryFactory(source=source, title="Published note", status=Status.PUBLISHED, published_at=timezone.now())
    CommentaryFactory(source=source, title="Draft note")
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Published note" in page and "Draft note" not in page


def test_agent_and_place_pages_list_published_sources_only(client):
    agent, place = AgentFactory(), PlaceFactory()
    for status, title in ((Status.PUBLISHED, "Open letter"), (Status.DRAFT, "Hidden letter")):
        source = SourceFactory(title=title, status=status, published_at=timezone.now())
        SourceAgent.objects.create(source=source, agent=agent, role=AgentRole.CREATOR)
        source.places.add(place)
    for url in (agent.get_absolute_url(), place.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "Open letter" in body and "Hidden letter" not in body


@pytest.mark.parametrize("hidden_source", HIDDEN, indirect=True, ids=["draft", "review", "withdrawn", "scheduled"])
def test_people_and_places_of_unpublished_records_only_are_404_and_absent(client, curator, hidden_source):
    agent = AgentFactory(name="Hidden person", slug="hidden-person")
    place = PlaceFactory(name="Hidden place", slug="hidden-place")
    SourceAgent.objects.create(source=hidden_source, agent=agent, role=AgentRole.CREATOR)
    hidden_source.places.add(place)
    draft_event = EventFactory()
    draft_event.participants.add(agent)
    draft_event.places.add(place)
    unknown = {
        agent: client.get(reverse("archive:agent-detail", kwargs={"slug": "nobody"})),
        place: client.get(reverse("archive:place-detail", kwargs={"slug": "nowhere"})),
    }
    for authority, unknown_response in unknown.items():
        response = client.get(authority.get_absolute_url())
        assert response.status_code == 404 and unknown_response.status_code == 404
        assert response.content == unknown_response.content.replace(b"nobody", b"hidden-person").replace(
            b"nowhere", b"hidden-place"
        )
    sitemap = client.get(reverse("archive:sitemap")).content.decode()
    assert "/agents/hidden-person/" not in sitemap and "/places/hidden-place/" not in sitemap
    # Curators too: an authority has no preview of its own, it is public through published records.
    client.force_login(curator)
    assert client.get(agent.get_absolute_url()).status_code == 404


def test_people_and_places_of_a_published_event_are_public(client):
    agent = AgentFactory(name="Negotiator", slug="negotiator")
    place = PlaceFactory(name="Tamsag-Bulak", slug="tamsag-bulak")
    event = EventFactory(published=True, name="Talks")
    event.participants.add(agent)
    event.places.add(place)
    sitemap = client.get(reverse("archive:sitemap")).content.decode()
    for authority in (agent, place):
        body = client.get(authority.get_absolute_url()).content.decode()
        assert "Talks" in body
        assert authority.get_absolute_url() in sitemap


def test_curator_previews_a_draft_with_banner_and_no_cache(client, curator):
    draft = SourceFactory(title="Work in progress")
    client.force_login(curator)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Not published" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "application/ld+json" not in response.content.decode()


def test_staff_without_change_permission_gets_404_for_a_draft(client):
    from tests.factories import UserFactory

    draft = SourceFactory()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_page_has_no_preview_banner(client):
    source = SourceFactory(published=True)
    response = client.get(source.get_absolute_url())
    assert "Not published" not in response.content.decode()
    assert "no-cache" not in response.get("Cache-Control", "")


def _jsonld(response) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


def test_source_jsonld_is_an_archive_component_without_draft_events(client):
    source = SourceFactory(published=True, title="Protocol </script><b>x", unit=unit_path("558", "11", "1"))
    source.events.set([EventFactory(published=True, name="Open event"), EventFactory(name="Draft event")])
    response = client.get(source.get_absolute_url())
    assert "</script><b>" not in response.content.decode()
    data = _jsonld(response)
    assert data["@type"] == "ArchiveComponent"
    assert data["name"] == "Protocol </script><b>x"
    assert data["holdingArchive"]["@type"] == "ArchiveOrganization"
    assert [event["name"] for event in data["about"]] == ["Open event"]
    assert data["creditText"] == "RGASPI, f. 558, op. 11, d. 1"


def test_event_jsonld_is_an_event_with_published_sub_events(client):
    event = EventFactory(published=True, date_edtf="1939-05-11/1939-09-16")
    EventFactory(published=True, parent=event, name="Offensive")
    EventFactory(parent=event, name="Secret phase")
    data = _jsonld(client.get(event.get_absolute_url()))
    assert data["@type"] == "Event"
    assert (data["startDate"], data["endDate"]) == ("1939-05-11", "1939-09-16")
    assert [child["name"] for child in data["subEvent"]] == ["Offensive"]


def test_source_page_shows_both_citations_and_neighbours_in_the_delo(client):
    reference = {"unit": unit_path("558", "11", "7"), "published": True}
    first = SourceFactory(identifier="A-1", title="First", folios="1-2", **reference)
    middle = SourceFactory(identifier="A-2", title="Middle", folios="3", **reference)
    SourceFactory(identifier="A-3", title="Hidden", **{**reference, "published": False})
    last = SourceFactory(identifier="A-4", title="Last", **reference)
    body = client.get(middle.get_absolute_url()).content.decode()
    assert "РГАСПИ. Ф. 558. Оп. 11. Д. 7. Л. 3." in body
    assert "RGASPI, f. 558, op. 11, d. 7, l. 3" in body
    assert first.get_absolute_url() in body and last.get_absolute_url() in body
    assert "Hidden" not in body


def test_timeline_groups_events_by_year_with_dates_as_written(client):
    EventFactory(published=True, name="Protocol", date_edtf="1936-03-12", date_text="12 марта 1936")
    EventFactory(published=True, name="Battles", date_edtf="1939-05-11/1939-09-16", date_text="май–сентябрь 1939")
    body = client.get(reverse("archive:event-list")).content.decode()
    assert body.index('id="year-1936"') < body.index("Protocol") < body.index('id="year-1939"') < body.index("Battles")
    assert "12 марта 1936" in body and "11 May – 16 September 1939" in body


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /curation/" in response.content.decode()


def test_atom_feed_lists_newest_published_sources(client):
    SourceFactory(published=True, title="Older", published_at=timezone.now() - timedelta(days=2))
    SourceFactory(published=True, title="Newer")
    response = client.get(reverse("archive:source-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.index("Newer") < body.index("Older")


@pytest.mark.parametrize("state", HIDDEN, ids=["draft", "review", "withdrawn", "scheduled"])
def test_unpublished_event_is_404_for_the_public_and_a_preview_for_curators(client, curator, state):
    event = EventFactory(name="Planned event", **state)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert event.get_absolute_url() not in client.get(reverse("archive:sitemap")).content.decode()
    client.force_login(curator)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200 and "Not published" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_source_page_shows_digitised_images_and_both_texts(client):
    from archive.iiif.derivatives import make_derivatives
    from tests.factories import SourceImageFactory

    source = SourceFactory(published=True, transcription="Текст протокола", translation="Text of the protocol")
    image = make_derivatives(image=SourceImageFactory(source=source, caption="Л. 12 об.", position=0))
    body = client.get(source.get_absolute_url()).content.decode()
    # A small derivative as the thumbnail, never the uploaded original.
    thumbnail = f"/iiif/{source.identifier}/image/{image.pk}/full/240,339/0/default.jpg"
    assert f'<img src="{thumbnail}" width="240" height="339" alt="Л. 12 об."' in body
    assert image.image.url not in body
    assert f'<iframe class="iiif-viewer" src="/iiif/{source.identifier}/viewer/"' in body
    assert '<div class="texts__text" lang="ru"><p>Текст протокола</p></div>' in body
    assert '<div class="texts__text" lang="en"><p>Text of the protocol</p></div>' in body


def test_a_preview_of_a_draft_with_images_says_the_viewer_waits_for_publication(curator_client):
    from archive.iiif.derivatives import make_derivatives
    from tests.factories import SourceImageFactory

    source = SourceFactory()
    make_derivatives(image=SourceImageFactory(source=source))
    body = curator_client.get(source.get_absolute_url()).content.decode()
    assert "shown in the viewer once the source is published" in body
    assert "/iiif/" not in body


def test_event_page_shows_its_earliest_published_sources_and_links_to_all(client, monkeypatch):
    monkeypatch.setattr("archive.public.views.events.EVENT_SOURCES", 2)
    event = EventFactory(published=True)
    for year in (1936, 1934, 1935):
        SourceFactory(published=True, title=f"Report of {year}", date_edtf=str(year)).events.add(event)
    SourceFactory(title="Draft report", date_edtf="1933").events.add(event)
    response = client.get(event.get_absolute_url())
    assert [s.title for s in response.context["sources"]] == ["Report of 1934", "Report of 1935"]
    assert "Draft report" not in response.text and "Report of 1936" not in response.text
    assert "All 3 sources that document it" in response.text
    listed = client.get(response.context["all_sources_url"]).context["paginator"].count
    assert listed == 3
