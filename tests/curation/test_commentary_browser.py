"""In a real browser: a curator types commentary into the new-source form and saves once."""

import pytest
from django.urls import reverse

from archive.models import Commentary, Source, Status
from curation.roles import CURATOR
from tests.curation.test_workflow_browser import login
from tests.factories import RepositoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_curator_types_commentary_into_the_new_source_form_and_saves_once(page, live_server, make_member):
    RepositoryFactory()
    curator = make_member(CURATOR, "anna")
    login(page, live_server, curator)
    page.goto(live_server.url + reverse("admin:archive_source_add"))
    page.fill("#id_identifier", "RGASPI-558-11-123")
    page.fill("#id_title", "Record of conversation")
    page.click("#id_repository + .select2 .select2-selection")
    page.keyboard.type("RGASPI")
    page.wait_for_selector(".select2-results__option:has-text('RGASPI')").click()
    page.click("#commentary-group .add-row a")
    page.fill("#id_commentary-0-title", "The setting of the talks")
    page.fill("#id_commentary-0-body", "The talks took place in *Moscow*.")
    page.fill("#id_commentary-0-signature", "A. V. Ivanova")
    page.click("input[name=_continue]")

    page.wait_for_selector(".messagelist .success")
    assert page.locator(".errornote").count() == 0
    source = Source.objects.get(identifier="RGASPI-558-11-123")
    note = Commentary.objects.get()
    assert (note.source, note.author, note.identifier, note.status) == (
        source,
        curator,
        "RGASPI-558-11-123-c1",
        Status.DRAFT,
    )
    assert page.input_value("#id_commentary-0-identifier") == "RGASPI-558-11-123-c1"


def test_on_a_phone_the_fields_of_a_new_note_stay_inside_its_box(page, live_server, make_member):
    login(page, live_server, make_member(CURATOR, "anna"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("admin:archive_source_add"))
    page.click("#commentary-group .add-row a")
    box = page.locator("#commentary-0").bounding_box()
    for field in ("title", "kind", "body", "signature", "identifier", "references"):
        edge = page.locator(f"#id_commentary-0-{field}").bounding_box()
        assert edge["x"] + edge["width"] <= box["x"] + box["width"], field
