"""Shared by the admin's browser tests: a signed-in page without going through the login form, and axe-core."""

from pathlib import Path

from django.conf import settings
from django.test import Client

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
# What the public site is held to (tests/archive/public/test_public_browser.py): WCAG 2.1 A and AA, and best practice.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def signed_in_context(browser, live_server, user, **options):
    """A browser context whose session belongs to `user` (force_login), so a test starts on the page it is about."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(**{"locale": "en-GB", **options})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it stands, one line each with up to three of the failing nodes."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        + f" ({len(violation['nodes'])} nodes)"
        for violation in result["violations"]
    ]
