"""/agents/ and /places/: alphabetical indexes of the public authorities, and the places' map data."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import AgentFactory, EventFactory, PlaceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _map(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="place-map-data" type="application/json">') + len(
        '<script id="place-map-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_agents_index_lists_only_people_that_published_records_name(client):
    named = AgentFactory(name="Choibalsan, Khorloogiin")
    SourceFactory(published=True).agent_links.create(agent=named)
    hidden = AgentFactory(name="Hidden, Person")
    SourceFactory().agent_links.create(agent=hidden)
    response = client.get(reverse("archive:agent-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert named.get_absolute_url() in html
    assert hidden.get_absolute_url() not in html and "Hidden, Person" not in html


def test_places_index_maps_the_public_places_with_coordinates(client):
    ulaanbaatar = PlaceFactory(name="Ulaanbaatar", latitude="47.921400", longitude="106.905500")
    unlocated = PlaceFactory(name="Tamsag-Bulag")
    secret = PlaceFactory(name="Secret base", latitude="50.000000", longitude="110.000000")
    event = EventFactory(published=True)
    event.places.add(ulaanbaatar, unlocated)
    EventFactory().places.add(secret)
    response = client.get(reverse("archive:place-list"))
    html = response.content.decode()
    assert unlocated.get_absolute_url() in html and "Secret base" not in html
    data = _map(response)
    assert data["markers"] == [
        {"name": "Ulaanbaatar", "lat": 47.9214, "lon": 106.9055, "url": ulaanbaatar.get_absolute_url()}
    ]
    assert data["tiles"] == ""
    assert "no map tiles are configured" in html


@override_settings(OPIS_MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png", OPIS_MAP_TILE_ATTRIBUTION="© Example")
def test_a_configured_tile_server_goes_to_the_map(client):
    place = PlaceFactory(name="Moscow", name_original="Москва", latitude="55.755800", longitude="37.617300")
    SourceFactory(published=True).places.add(place)
    response = client.get(place.get_absolute_url())
    data = _map(response)
    assert data["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png" and data["attribution"] == "© Example"
    assert "no map tiles are configured" not in response.content.decode()


def test_a_place_without_coordinates_has_no_map(client):
    place = PlaceFactory(name="Harbin")
    SourceFactory(published=True).places.add(place)
    html = client.get(place.get_absolute_url()).content.decode()
    assert "place-map-data" not in html and "leaflet" not in html
