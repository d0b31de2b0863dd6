"""Manifests, info.json and derivative files: valid IIIF, open to other sites, and nothing unpublished."""

import json
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from iiif_prezi3 import Manifest

from archive.iiif.derivatives import make_derivatives
from archive.models import Status
from archive.settings.production_parts import with_page_cache
from tests.factories import SourceFactory, SourceImageFactory

pytestmark = pytest.mark.django_db

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"


def source_with_pages(pages=2, **fields):
    source = SourceFactory(**{"published": True, **fields})
    images = [make_derivatives(image=SourceImageFactory(source=source, position=n)) for n in range(pages)]
    return source, images


def manifest_url(source):
    return reverse("iiif:manifest", kwargs={"identifier": source.identifier})


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, json.loads(response.content)


def test_the_manifest_validates_as_presentation_3_with_one_canvas_per_image(client):
    source, images = source_with_pages(
        title="Protocol of Mutual Assistance",
        title_original="Протокол о взаимопомощи",
        summary="Signed in Ulan Bator.",
        rights="https://creativecommons.org/licenses/by/4.0/",
    )
    response, data = get_json(client, manifest_url(source))
    Manifest(**data)  # the IIIF Presentation 3 models (iiif-prezi3) accept it
    assert data["@context"] == PRESENTATION_CONTEXT
    assert data["type"] == "Manifest" and data["id"] == f"http://testserver{manifest_url(source)}"
    assert data["label"] == {"en": ["Protocol of Mutual Assistance"], "none": ["Протокол о взаимопомощи"]}
    assert data["summary"] == {"en": ["Signed in Ulan Bator."]}
    assert data["rights"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["requiredStatement"]["label"] == {"en": ["Rights"], "ru": ["Права"]}
    assert data["homepage"][0]["id"] == f"http://testserver{source.get_absolute_url()}"
    assert [canvas["label"] for canvas in data["items"]] == [
        {"en": [image.caption], "ru": [image.caption]} for image in images
    ]
    for canvas, image in zip(data["items"], images, strict=True):
        assert (canvas["type"], canvas["width"], canvas["height"]) == ("Canvas", 700, 990)
        annotation = canvas["items"][0]["items"][0]
        assert annotation["motivation"] == "painting" and annotation["target"] == canvas["id"]
        assert annotation["body"]["service"][0]["id"].endswith(f"/image/{image.pk}")
        assert canvas["thumbnail"][0]["width"] == 240


def test_every_image_url_in_the_manifest_answers_with_a_jpeg(client):
    source, _ = source_with_pages()
    _, data = get_json(client, manifest_url(source))
    urls = [data["thumbnail"][0]["id"]]
    for canvas in data["items"]:
        urls += [canvas["thumbnail"][0]["id"], canvas["items"][0]["items"][0]["body"]["id"]]
    for url in urls:
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg", url
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_canvas_without_a_caption_is_labelled_by_its_number_in_both_languages(client):
    source = SourceFactory(published=True)
    make_derivatives(image=SourceImageFactory(source=source, caption=""))
    _, data = get_json(client, manifest_url(source))
    assert data["items"][0]["label"] == {"en": ["Image 1"], "ru": ["Изображение 1"]}


def test_free_text_rights_go_in_the_required_statement_only(client):
    source, _ = source_with_pages(pages=1, rights="Reproduction by permission of the archive.")
    _, data = get_json(client, manifest_url(source))
    assert "rights" not in data
    assert data["requiredStatement"]["value"] == {"none": ["Reproduction by permission of the archive."]}
    Manifest(**data)


def test_info_json_lists_the_sizes_and_tiles_of_a_level_0_service(client):
    source, (image, _) = source_with_pages()
    response, info = get_json(
        client, reverse("iiif:image-info", kwargs={"identifier": source.identifier, "pk": image.pk})
    )
    assert response["Content-Type"].startswith("application/ld+json")
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert (info["type"], info["profile"], info["protocol"]) == ("ImageService3", "level0", "http://iiif.io/api/image")
    assert info["id"] == f"http://testserver/iiif/{source.identifier}/image/{image.pk}"
    assert (info["width"], info["height"]) == (700, 990)
    assert info["sizes"] == [
        {"width": 240, "height": 339},
        {"width": 350, "height": 495},
        {"width": 700, "height": 990},
    ]
    assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2]}]
    # Every tile and size it lists can be fetched.
    for size in info["sizes"]:
        assert client.get(f"{info['id']}/full/{size['width']},{size['height']}/0/default.jpg").status_code == 200
    assert client.get(f"{info['id']}/512,512,188,478/188,478/0/default.jpg").status_code == 200


def test_the_service_base_uri_redirects_to_its_info_json(client):
    source, (image, _) = source_with_pages()
    response = client.get(reverse("iiif:image-service", kwargs={"identifier": source.identifier, "pk": image.pk}))
    assert response.status_code == 303 and response["Location"].endswith(f"/image/{image.pk}/info.json")


def test_manifests_info_json_and_images_may_be_read_by_other_sites(client):
    source, (image,) = source_with_pages(pages=1)
    base = f"/iiif/{source.identifier}/image/{image.pk}"
    for url in (manifest_url(source), f"{base}/info.json", f"{base}/full/240,339/0/default.jpg"):
        assert client.get(url)["Access-Control-Allow-Origin"] == "*", url


@pytest.mark.parametrize(
    "path",
    [
        "full/241,339/0/default.jpg",
        "full/240,339/90/default.jpg",
        "full/240,339/0/gray.jpg",
        "full/240,339/0/default.png",
    ],
)
def test_what_a_level_0_service_does_not_make_is_a_404(client, path):
    source, (image,) = source_with_pages(pages=1)
    assert client.get(f"/iiif/{source.identifier}/image/{image.pk}/{path}").status_code == 404


# --- nothing unpublished leaks ---


def unpublished_cases():
    return {
        "draft": {"status": Status.DRAFT},
        "in review": {"status": Status.REVIEW},
        "withdrawn": {"status": Status.WITHDRAWN, "published_at": timezone.now()},
        "scheduled": {"status": Status.PUBLISHED, "published_at": timezone.now() + timezone.timedelta(days=1)},
    }


@pytest.mark.parametrize("case", unpublished_cases())
def test_nothing_of_an_unpublished_source_is_served(client, curator_client, case):
    source = SourceFactory(**unpublished_cases()[case])
    image = make_derivatives(image=SourceImageFactory(source=source))
    base = f"/iiif/{source.identifier}/image/{image.pk}"
    urls = [
        manifest_url(source),
        f"/iiif/{source.identifier}/canvas/{image.pk}",
        base,
        f"{base}/info.json",
        f"{base}/full/240,339/0/default.jpg",
        f"{base}/full/max/0/default.jpg",
        f"{base}/0,0,512,512/512,512/0/default.jpg",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert curator_client.get(url).status_code == 404, url  # no preview through IIIF either


def test_an_image_is_not_reached_through_another_published_source(client):
    _, (hidden,) = source_with_pages(pages=1, status=Status.DRAFT, published_at=None)
    public, _ = source_with_pages(pages=1)
    assert client.get(f"/iiif/{public.identifier}/image/{hidden.pk}/info.json").status_code == 404


def test_a_source_without_images_or_derivatives_has_no_manifest(client):
    bare = SourceFactory(published=True)
    waiting = SourceFactory(published=True)
    SourceImageFactory(source=waiting)  # uploaded, derivatives not made yet
    assert client.get(manifest_url(bare)).status_code == 404
    assert client.get(manifest_url(waiting)).status_code == 404


def viewer_url(source):
    return reverse("iiif:viewer", kwargs={"identifier": source.identifier})


@override_settings(MIDDLEWARE=with_page_cache(settings.MIDDLEWARE), PUBLIC_CACHE_SECONDS=300)
def test_a_source_page_with_images_is_cached_and_frames_the_viewer(client):
    source, _ = source_with_pages(pages=1)
    client.get(source.get_absolute_url())
    response = client.get(source.get_absolute_url())
    assert response["X-Opis-Cache"] == "hit" and "public" in response["Cache-Control"]
    assert f'<iframe class="iiif-viewer" src="{viewer_url(source)}"' in response.text
    assert "nonce=" not in response.text


@override_settings(MIDDLEWARE=with_page_cache(settings.MIDDLEWARE), PUBLIC_CACHE_SECONDS=300)
def test_the_viewer_gets_a_fresh_nonce_every_time_and_may_be_framed_by_this_site_alone(client):
    # Its script carries the response's CSP nonce: no cache may serve it again with another policy.
    source, _ = source_with_pages(pages=1)
    nonces = []
    for _visit in range(2):
        response = client.get(viewer_url(source))
        assert response.status_code == 200 and "X-Opis-Cache" not in response
        assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors 'self'" in policy and response["X-Frame-Options"] == "SAMEORIGIN"
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert f'iiif-viewer.js" nonce="{nonce}"' in response.text
        assert f'data-manifest="http://testserver{manifest_url(source)}"' in response.text
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    page = client.get(source.get_absolute_url())
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"] and page["X-Frame-Options"] == "DENY"


def test_the_viewer_shows_published_sources_with_images_only(client):
    draft, _ = source_with_pages(pages=1, status=Status.DRAFT, published_at=None)
    bare = SourceFactory(published=True)
    assert client.get(viewer_url(draft)).status_code == 404
    assert client.get(viewer_url(bare)).status_code == 404
