"""Images uploaded on a source's admin form get their IIIF derivatives at once; a replaced file gets new ones."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive.iiif.facsimile import synthetic_page
from curation.roles import CURATOR
from tests.curation.test_admin_workflow import change_form_data
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def upload(name: str, size=(700, 990)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, synthetic_page(title="Upload", page=1, pages=1, size=size), "image/png")


def save(client, source, **data):
    response = client.post(reverse("admin:archive_source_change", args=[source.pk]), change_form_data(source, **data))
    assert response.status_code == 302, response.text[:2000]
    source.refresh_from_db()


def test_an_uploaded_image_gets_its_derivatives(client, make_member):
    source = SourceFactory()
    client.force_login(make_member(CURATOR))
    save(client, source, **{"images-TOTAL_FORMS": 1, "images-0-position": 0, "images-0-image": upload("l1.png")})
    image = source.images.get()
    assert (image.width, image.height) == (700, 990)
    with default_storage.open(f"{image.derivatives}/full/240,339/0/default.jpg") as handle:
        assert Image.open(handle).size == (240, 339)


def test_a_replaced_file_gets_new_derivatives_and_a_caption_edit_keeps_them(client, make_member):
    source = SourceFactory()
    client.force_login(make_member(CURATOR))
    save(client, source, **{"images-TOTAL_FORMS": 1, "images-0-position": 0, "images-0-image": upload("l1.png")})
    image = source.images.get()
    first = image.derivatives
    existing = {
        "images-TOTAL_FORMS": 1,
        "images-INITIAL_FORMS": 1,
        "images-0-id": image.pk,
        "images-0-source": source.pk,
    }
    save(client, source, **existing, **{"images-0-position": 0, "images-0-caption": "Л. 1"})
    image.refresh_from_db()
    assert image.derivatives == first and image.caption == "Л. 1"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buffer, "PNG")
    replacement = SimpleUploadedFile("l1-better.png", buffer.getvalue(), "image/png")
    save(client, source, **existing, **{"images-0-position": 0, "images-0-image": replacement})
    image.refresh_from_db()
    assert image.derivatives != first and (image.width, image.height) == (300, 200)
