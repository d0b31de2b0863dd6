"""The source page's IIIF viewer (Mirador) in a real browser: it loads the manifest, draws the first image from
its derivatives, zooms, turns the page, and the site's content security policy refuses nothing on the way."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from archive.models import Source
from curation.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROTOCOL = "protocol-of-mutual-assistance-1936"
# Every CSP refusal, as the browser reports it to the page (before any script of the page runs).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""
SYNTHETIC_RED = (170, 30, 30)


@pytest.fixture
def protocol(db):
    load_demo()
    return Source.objects.get(slug=PROTOCOL)


@pytest.fixture
def viewer_page(page):
    page.add_init_script(RECORD_VIOLATIONS)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def viewer(page):
    """The viewer's document, framed by the source page (archive.iiif.views.ViewerView), once it is loaded."""
    frame = page.locator("iframe.iiif-viewer").element_handle().content_frame()
    frame.wait_for_load_state()
    return frame


def derivative_requests(frame, source) -> list[str]:
    return [
        url
        for url in frame.evaluate("performance.getEntries().map(e => e.name)")
        if f"/iiif/{source.identifier}/image/" in url
    ]


def shows_the_red_band(element) -> bool:
    """True once the element's pixels include the synthetic page's red band (drawn on OpenSeadragon's canvas)."""
    picture = Image.open(io.BytesIO(element.screenshot())).convert("RGB")
    return any(
        abs(r - SYNTHETIC_RED[0]) < 25 and g < 70 and b < 70 for _, (r, g, b) in picture.getcolors(1 << 20) or []
    )


def wait_until(page, condition, what: str):
    for _ in range(60):  # a condition, not a time: up to 30 s on a loaded machine, usually at once
        if condition():
            return
        page.wait_for_timeout(500)
    pytest.fail(f"never happened: {what}")


def test_the_viewer_loads_the_manifest_and_draws_the_first_image(viewer_page, live_server, protocol):
    page = viewer_page
    manifest = reverse("iiif:manifest", kwargs={"identifier": protocol.identifier})
    with page.expect_response(lambda r: r.url.endswith(manifest) and r.status == 200):
        with page.expect_response(lambda r: r.url.endswith("/info.json") and r.status == 200) as info:
            page.goto(live_server.url + protocol.get_absolute_url())
    first = protocol.images.order_by("position").first()
    assert info.value.url.endswith(f"/image/{first.pk}/info.json")
    frame = viewer(page)
    canvas = frame.locator("#iiif-viewer .openseadragon-canvas").first
    canvas.wait_for()
    wait_until(page, lambda: shows_the_red_band(canvas), "the first page drawn in the viewer")
    # The drawn image came from the first image's derivatives, never from the uploaded original.
    requested = derivative_requests(frame, protocol)
    assert any(f"/image/{first.pk}/" in url and url.endswith("/0/default.jpg") for url in requested)
    assert not [url for url in frame.evaluate("performance.getEntries().map(e => e.name)") if "/media/" in url]


def test_zoom_asks_for_tiles_and_the_next_page_is_shown(viewer_page, live_server, protocol):
    page = viewer_page
    page.goto(live_server.url + protocol.get_absolute_url())
    page.locator("iframe.iiif-viewer").scroll_into_view_if_needed()
    workspace = viewer(page).locator("#iiif-viewer")
    with page.expect_request(lambda r: "/image/" in r.url and r.url.split("/image/")[1].count(",") == 4):
        workspace.get_by_role("button", name="Zoom in").click()  # a tile: region x,y,w,h and size w,h
    second = protocol.images.order_by("position")[1]
    with page.expect_response(lambda r: r.url.endswith(f"/image/{second.pk}/info.json") and r.status == 200):
        workspace.get_by_role("button", name="Next item").click()
    expect(workspace.get_by_text("2 of 2 • Synthetic page 2")).to_be_visible()


def test_the_viewer_runs_under_the_sites_csp_without_a_violation(viewer_page, live_server, protocol):
    page = viewer_page
    with page.expect_response(lambda r: "/viewer/" in r.url) as framed:
        response = page.goto(live_server.url + protocol.get_absolute_url())
    frame = viewer(page)
    for policy in (response.headers["content-security-policy"], framed.value.headers["content-security-policy"]):
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    canvas = frame.locator("#iiif-viewer .openseadragon-canvas").first
    wait_until(page, lambda: shows_the_red_band(canvas), "the first page drawn in the viewer")
    frame.locator("#iiif-viewer").get_by_role("button", name="Zoom in").click()
    frame.locator("#iiif-viewer").get_by_role("button", name="Next item").click()
    # Mirador's own style sheets are there (they were let in with the frame's nonce), so it is styled.
    assert frame.evaluate("document.querySelectorAll('style[data-emotion]').length") > 0
    assert page.evaluate("window.cspViolations") == [] and frame.evaluate("window.cspViolations") == []


def test_the_source_page_shows_small_derivatives_as_thumbnails(viewer_page, live_server, protocol):
    page = viewer_page
    page.goto(live_server.url + protocol.get_absolute_url())
    sources = page.locator(".images img").evaluate_all("images => images.map(i => i.currentSrc)")
    assert len(sources) == 2
    assert all("/full/240,339/0/default.jpg" in src for src in sources)
