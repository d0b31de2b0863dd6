"""Derivatives are made by Pillow from the uploaded file, stored under MEDIA, and replaced with the file."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from archive.iiif import plan
from archive.iiif.derivatives import make_derivatives
from tests.factories import SourceImageFactory

pytestmark = pytest.mark.django_db


def stored(folder: str) -> set[str]:
    def walk(path):
        folders, files = default_storage.listdir(path)
        yield from (f"{path}/{name}" for name in files)
        for name in folders:
            yield from walk(f"{path}/{name}")

    return {name.removeprefix(f"{folder}/") for name in walk(folder)}


def test_every_planned_derivative_is_made_as_a_jpeg_of_its_size():
    image = make_derivatives(image=SourceImageFactory())
    assert (image.width, image.height) == (700, 990)
    assert image.derivatives.startswith(f"iiif/{image.pk}-")
    planned = plan.derivatives(700, 990)
    assert stored(image.derivatives) == set(planned)
    for name, derivative in planned.items():
        with default_storage.open(f"{image.derivatives}/{name}") as handle:
            picture = Image.open(handle)
            assert (picture.format, picture.size) == ("JPEG", derivative.size)


def test_a_tile_shows_its_region_of_the_page():
    # The synthetic page has a red band at the top: the first tile at full scale starts with it, the
    # bottom-left tile does not (its top is the page's grey lines on paper).
    image = make_derivatives(image=SourceImageFactory())
    with default_storage.open(f"{image.derivatives}/0,0,512,512/512,512/0/default.jpg") as handle:
        red, green, blue = Image.open(handle).convert("RGB").getpixel((5, 20))
    assert red > 140 and green < 80 and blue < 80
    with default_storage.open(f"{image.derivatives}/0,512,512,478/512,478/0/default.jpg") as handle:
        red, green, blue = Image.open(handle).convert("RGB").getpixel((5, 5))
    assert min(red, green, blue) > 150


def test_exif_orientation_and_transparency_are_applied():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the picture is stored lying on its side
    Image.new("RGBA", (600, 300), (0, 0, 0, 0)).save(buffer, "PNG", exif=exif)
    image = SourceImageFactory(image=SimpleUploadedFile("side.png", buffer.getvalue(), content_type="image/png"))
    make_derivatives(image=image)
    assert (image.width, image.height) == (300, 600)
    with default_storage.open(f"{image.derivatives}/full/300,600/0/default.jpg") as handle:
        assert Image.open(handle).getpixel((10, 10)) == (255, 255, 255)  # transparent became white paper


def test_a_new_file_gets_new_derivatives_and_the_old_ones_go(django_capture_on_commit_callbacks):
    image = make_derivatives(image=SourceImageFactory())
    old = image.derivatives
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buffer, "PNG")
    image.image = SimpleUploadedFile("new.png", buffer.getvalue(), content_type="image/png")
    image.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_derivatives(image=image)
    assert image.derivatives != old and (image.width, image.height) == (300, 200)
    assert not default_storage.exists(f"{old}/full/700,990/0/default.jpg")
    assert stored(image.derivatives) == set(plan.derivatives(300, 200))


def test_deleting_an_image_removes_its_derivatives(django_capture_on_commit_callbacks):
    image = make_derivatives(image=SourceImageFactory())
    with django_capture_on_commit_callbacks(execute=True):
        image.source.delete()
    assert not default_storage.exists(f"{image.derivatives}/full/700,990/0/default.jpg")


def test_the_command_makes_the_missing_derivatives():
    ready = make_derivatives(image=SourceImageFactory())
    missing = SourceImageFactory()
    out = io.StringIO()
    call_command("make_iiif_derivatives", stdout=out)
    missing.refresh_from_db()
    assert missing.derivatives and (missing.width, missing.height) == (700, 990)
    assert "Derivatives made for 1 image(s)." in out.getvalue()
    assert ready.derivatives == type(ready).objects.get(pk=ready.pk).derivatives


def test_derivatives_without_the_images_size_are_refused_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError, match="archive_sourceimage_derivatives_have_size"):
        SourceImageFactory(derivatives="iiif/1-abc", width=None, height=700)
