"""The Presentation API 3 manifest of a published source, and the Image API 3 info.json of one of its images."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from archive.models import Source, SourceImage

from . import plan

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
LANGUAGES = ("en", "ru")
# The `rights` property takes only these licences' and statements' URIs; other terms go in requiredStatement.
RIGHTS_PREFIXES = ("http://creativecommons.org/", "https://creativecommons.org/", "http://rightsstatements.org/")


def in_languages(message_id: str, **params) -> dict[str, list[str]]:
    """An interface string as a IIIF language map, in every language of the site."""
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            found[language] = [_(message_id) % params if params else _(message_id)]
    return found


def image_service_url(request, image: SourceImage) -> str:
    path = reverse("iiif:image-service", kwargs={"identifier": image.source.identifier, "pk": image.pk})
    return request.build_absolute_uri(path)


def image_url(request, image: SourceImage, size: tuple[int, int]) -> str:
    return f"{image_service_url(request, image)}/full/{size[0]},{size[1]}/0/default.{plan.FORMAT}"


def image_service(request, image: SourceImage) -> dict:
    return {"id": image_service_url(request, image), "type": "ImageService3", "profile": "level0"}


def info(request, image: SourceImage) -> dict:
    width, height = image.width, image.height
    return {
        "@context": IMAGE_CONTEXT,
        **image_service(request, image),
        "protocol": "http://iiif.io/api/image",
        "width": width,
        "height": height,
        "sizes": [{"width": w, "height": h} for w, h in plan.sizes(width, height)],
        "tiles": [{"width": plan.TILE, "height": plan.TILE, "scaleFactors": plan.scale_factors(width, height)}],
        "preferredFormats": [plan.FORMAT],
    }


def thumbnail(request, image: SourceImage) -> dict:
    width, height = plan.thumbnail_size(image.width, image.height)
    return {
        "id": image_url(request, image, (width, height)),
        "type": "Image",
        "format": "image/jpeg",
        "width": width,
        "height": height,
        "service": [image_service(request, image)],
    }


def canvas_label(image: SourceImage, number: int) -> dict[str, list[str]]:
    """The caption as the curator wrote it (a folio, "Л. 12 об."), in both languages; else "Image n"."""
    if image.caption:
        return {language: [image.caption] for language in LANGUAGES}
    return in_languages("Image %(number)s", number=number)


def canvas(request, image: SourceImage, number: int) -> dict:
    canvas_id = request.build_absolute_uri(
        reverse("iiif:canvas", kwargs={"identifier": image.source.identifier, "pk": image.pk})
    )
    return {
        "id": canvas_id,
        "type": "Canvas",
        "label": canvas_label(image, number),
        "width": image.width,
        "height": image.height,
        "thumbnail": [thumbnail(request, image)],
        "items": [
            {
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/page/image",
                        "type": "Annotation",
                        "motivation": "painting",
                        "target": canvas_id,
                        "body": {
                            "id": image_url(request, image, (image.width, image.height)),
                            "type": "Image",
                            "format": "image/jpeg",
                            "width": image.width,
                            "height": image.height,
                            "service": [image_service(request, image)],
                        },
                    }
                ],
            }
        ],
    }


def source_label(source: Source) -> dict[str, list[str]]:
    label = {"en": [source.title]}
    if source.title_original:
        label["none"] = [source.title_original]  # the original's own language, which may not be Russian
    return label


def metadata(source: Source) -> list[dict]:
    rows = []
    if source.citation_en or source.citation_ru:
        rows.append(
            {
                "label": in_languages("Archival reference"),
                "value": {
                    "en": [source.citation_en or source.citation_ru],
                    "ru": [source.citation_ru or source.citation_en],
                },
            }
        )
    if source.date_text:
        rows.append({"label": in_languages("Date"), "value": {"none": [source.date_text]}})
    return rows


def manifest(request, source: Source, images: list[SourceImage]) -> dict:
    """One canvas per image with derivatives, in the images' order."""
    source_url = request.build_absolute_uri(source.get_absolute_url())
    document = {
        "@context": PRESENTATION_CONTEXT,
        "id": request.build_absolute_uri(reverse("iiif:manifest", kwargs={"identifier": source.identifier})),
        "type": "Manifest",
        "label": source_label(source),
        "metadata": metadata(source),
        "thumbnail": [thumbnail(request, images[0])],
        "homepage": [
            {
                "id": source_url,
                "type": "Text",
                "label": source_label(source),
                "format": "text/html",
                "language": list(LANGUAGES),
            }
        ],
        "items": [canvas(request, image, number) for number, image in enumerate(images, start=1)],
    }
    if source.summary:
        document["summary"] = {"en": [source.summary]}
    if source.rights:
        document["requiredStatement"] = {"label": in_languages("Rights"), "value": {"none": [source.rights]}}
        if source.rights.strip().startswith(RIGHTS_PREFIXES) and " " not in source.rights.strip():
            document["rights"] = source.rights.strip()
    return document


def page_images(source: Source) -> list[dict]:
    """What the source page shows of each image with derivatives: a thumbnail and a larger view, both derivatives
    (never the uploaded original), with the caption."""
    shown = []
    for number, image in enumerate((image for image in source.images.all() if image.derivatives), start=1):
        base = reverse("iiif:image-service", kwargs={"identifier": source.identifier, "pk": image.pk})
        thumbnail, display = (
            plan.thumbnail_size(image.width, image.height),
            plan.display_size(image.width, image.height),
        )
        shown.append(
            {
                "caption": image.caption,
                "alt": image.caption or _("Image %(number)s") % {"number": number},
                "thumbnail": f"{base}/full/{thumbnail[0]},{thumbnail[1]}/0/default.{plan.FORMAT}",
                "width": thumbnail[0],
                "height": thumbnail[1],
                "display": f"{base}/full/{display[0]},{display[1]}/0/default.{plan.FORMAT}",
            }
        )
    return shown
