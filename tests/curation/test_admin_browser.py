"""The admin in a real browser: the autocomplete widgets work for a curator."""

import pytest
from django.urls import reverse

from archive.models import Source
from curation.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")


def test_curator_adds_a_place_to_a_source_through_autocomplete(page, live_server, curator):
    load_demo()
    source = Source.objects.get(identifier="RGASPI-DEMO-1936-03-12")
    _login(page, live_server, curator)
    page.goto(live_server.url + reverse("admin:archive_source_change", args=[source.pk]))
    page.click("#id_places + .select2 .select2-selection")
    page.keyboard.type("Mosc")
    page.wait_for_selector(".select2-results__option:has-text('Moscow')").click()
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert set(source.places.values_list("identifier", flat=True)) == {"ulaanbaatar", "moscow"}
