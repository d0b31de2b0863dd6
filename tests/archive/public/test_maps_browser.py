"""The places' map in a real browser: Leaflet draws a marker per located place under the site's CSP."""

import pytest
from django.urls import reverse

from curation.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_places_map_draws_the_demo_markers_without_csp_violations(page, live_server, screenshot):
    load_demo()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.goto(live_server.url + reverse("archive:place-list"))
    page.wait_for_selector("#place-map[data-ready='true']")
    markers = page.locator("#place-map .leaflet-marker-icon")
    titles = sorted(markers.nth(i).get_attribute("title") for i in range(markers.count()))
    assert titles == ["Moscow", "Ulaanbaatar"]  # the demo places with coordinates
    markers.first.click()
    assert page.locator(".leaflet-popup-content a").count() == 1
    assert violations == []
    screenshot(page, "places-map")
