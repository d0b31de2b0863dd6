"""Making and removing an image's level-0 derivatives (archive.iiif.plan) in the default storage, under MEDIA.

The JPEGs go to a folder of their own, `iiif/<image id>-<random>/`, written before the record points at it, so
a page never names a half-made set; a new upload gets a new folder and the old one is removed. Opis serves
them itself (archive.iiif.views), for published sources only; the folder's random part keeps them from being
guessed where the media directory is served as it is.
"""

import io
import secrets
from math import ceil

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps

from archive.models import SourceImage

from . import plan

ROOT = "iiif"
JPEG_QUALITY = 85


def _page(image: SourceImage) -> Image.Image:
    """The uploaded file as an RGB picture, turned upright as its EXIF says; transparency on white."""
    with image.image.open("rb") as handle:
        picture = Image.open(handle)
        picture.load()
    picture = ImageOps.exif_transpose(picture)
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if picture.mode.startswith("I;16") or picture.mode == "I":
        picture = picture.point(lambda value: value / 256).convert("L")
    return picture.convert("RGB")


def _jpeg(picture: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def _write(picture: Image.Image, folder: str) -> None:
    width, height = picture.size
    pending = plan.derivatives(width, height)
    for factor in plan.scale_factors(width, height):
        scaled = (
            picture if factor == 1 else picture.resize((ceil(width / factor), ceil(height / factor)), Image.LANCZOS)
        )
        for name, derivative in list(pending.items()):
            x, y, w, h = derivative.region
            if derivative.size == (ceil(w / factor), ceil(h / factor)):  # a tile or whole view at this scale
                box = (x // factor, y // factor, x // factor + derivative.size[0], y // factor + derivative.size[1])
                default_storage.save(f"{folder}/{name}", _jpeg(scaled.crop(box)))
                del pending[name]
    for name, derivative in pending.items():  # the thumbnail
        default_storage.save(f"{folder}/{name}", _jpeg(picture.resize(derivative.size, Image.LANCZOS)))


def remove_tree(folder: str) -> None:
    """Delete a derivatives folder and everything in it (storages have no recursive delete)."""
    if not folder or not default_storage.exists(folder):
        return
    folders, files = default_storage.listdir(folder)
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for name in folders:
        remove_tree(f"{folder}/{name}")
    try:
        default_storage.delete(folder)  # the emptied directory, on disk; object storages have none
    except OSError:
        pass


@transaction.atomic
def make_derivatives(*, image: SourceImage) -> SourceImage:
    """Make the image's tiles and sizes from its uploaded file, record where they are and its size, and remove
    the ones made from an earlier file."""
    picture = _page(image)
    folder = f"{ROOT}/{image.pk}-{secrets.token_hex(8)}"
    _write(picture, folder)
    old = image.derivatives
    image.width, image.height = picture.size
    image.derivatives = folder
    image.save(update_fields=["width", "height", "derivatives"])
    if old and old != folder:
        transaction.on_commit(lambda: remove_tree(old))
    return image


def derivatives_deleted(sender, instance: SourceImage, **kwargs) -> None:
    """post_delete of an image (alone, or with its source): its derivatives go once the deletion is committed."""
    folder = instance.derivatives
    if folder:
        transaction.on_commit(lambda: remove_tree(folder), using=kwargs.get("using"))
