"""Units of description in a real browser: a curator builds the tree with the admin's autocomplete."""

import pytest
from django.urls import reverse

from archive.models import Level, Status, Unit
from curation.roles import CURATOR
from tests.factories import UnitFactory

from .browser_helpers import signed_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, field: str, typed: str, option: str) -> None:
    """Pick `option` in the autocomplete of `field` after typing `typed`, as a curator does."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.keyboard.type(typed)
    page.wait_for_selector(f".select2-results__option:has-text('{option}')").click()


def test_a_curator_creates_a_fonds_and_a_file_under_an_inventory(browser, live_server, make_member):
    central = UnitFactory(number="17", identifier="RGASPI-17", title="Central Committee of the Communist Party")
    inventory = UnitFactory(parent=central, identifier="RGASPI-17-INV", title="An inventory of fonds 17")
    context = signed_in_context(browser, live_server, make_member(CURATOR))
    page = context.new_page()
    page.set_default_timeout(15_000)
    add = live_server.url + reverse("admin:archive_unit_add")

    page.goto(add)
    page.fill("#id_identifier", "RGASPI-558")
    page.fill("#id_title", "I. V. Stalin")  # the slug follows the title
    choose(page, "repository", "RGASPI", "RGASPI")
    page.select_option("#id_level", Level.FONDS)
    page.fill("#id_number", "558")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    fonds = Unit.objects.get(identifier="RGASPI-558")
    assert (fonds.slug, fonds.level, fonds.parent, fonds.status) == ("i-v-stalin", Level.FONDS, None, Status.DRAFT)

    page.goto(add)
    page.fill("#id_identifier", "RGASPI-17-INV-F1")
    page.fill("#id_title", "A file of the inventory")
    choose(page, "repository", "RGASPI", "RGASPI")
    page.select_option("#id_level", Level.FILE)
    page.fill("#id_number", "1")
    choose(page, "parent", "inventory of fonds", inventory.identifier)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    file = Unit.objects.get(identifier="RGASPI-17-INV-F1")
    assert (file.parent, file.fonds, file.level) == (inventory, central, Level.FILE)
    assert file.history.get().history_via == "admin"

    page.goto(live_server.url + reverse("admin:archive_unit_change", args=[inventory.pk]))
    assert page.locator("#children-unit tbody a").all_inner_texts() == ["RGASPI-17-INV-F1"]
    context.close()
