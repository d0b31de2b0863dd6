"""IIIF endpoints: manifests, image services' info.json and their derivative files, for published sources only.

Anything of a source that is not published (or an image whose derivatives are not made yet) is a 404, like
the source's page. Manifests and info.json are read by viewers on other sites: Access-Control-Allow-Origin: *.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.generic import TemplateView

from archive.models import Source, SourceImage

from . import manifest, plan

PRESENTATION_TYPE = f'application/ld+json;profile="{manifest.PRESENTATION_CONTEXT}"'
IMAGE_TYPE = f'application/ld+json;profile="{manifest.IMAGE_CONTEXT}"'
MAX_AGE = 300  # a withdrawal reaches viewers' and proxies' caches within five minutes


def published_images(identifier: str):
    """A published source's images that have derivatives, in their order."""
    return (
        SourceImage.objects.filter(source__in=Source.objects.published(), source__identifier=identifier)
        .exclude(derivatives="")
        .select_related("source")
    )


def shared(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


class ManifestView(View):
    def get(self, request, identifier):
        images = list(published_images(identifier))
        if not images:
            raise Http404("No published source with images has this identifier.")
        document = manifest.manifest(request, images[0].source, images)
        return shared(JsonResponse(document, content_type=PRESENTATION_TYPE, json_dumps_params={"ensure_ascii": False}))


# The viewer's page may be framed by this site's own pages (the source page), and by no other site.
FRAMED_BY_SELF = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}


@method_decorator([xframe_options_sameorigin, csp_override(FRAMED_BY_SELF)], name="dispatch")
class ViewerView(TemplateView):
    """Mirador over a published source's manifest, a document of its own that the source page frames.

    Mirador's styles apply only with this response's CSP nonce (static/archive/iiif-viewer.js), and a response
    with a nonce is never stored or shared: kept apart, the viewer leaves the source page cacheable like any
    other. Mirador's workspace, a <main>, is then the main landmark of its own document."""

    template_name = "archive/iiif_viewer.html"

    def get(self, request, identifier):
        source = Source.objects.published().filter(identifier=identifier).only("title", "title_original").first()
        if source is None or not published_images(identifier).exists():
            raise Http404("No published source with images has this identifier.")
        manifest_url = request.build_absolute_uri(reverse("iiif:manifest", kwargs={"identifier": identifier}))
        response = self.render_to_response(self.get_context_data(source=source, manifest_url=manifest_url))
        add_never_cache_headers(response)
        return response


class ImageMixin:
    def image(self) -> SourceImage:
        return get_object_or_404(published_images(self.kwargs["identifier"]), pk=self.kwargs["pk"])


class ImageServiceView(ImageMixin, View):
    """The service's base URI: 303 to its info.json, as the Image API asks."""

    def get(self, request, identifier, pk):
        self.image()
        response = HttpResponseRedirect(reverse("iiif:image-info", kwargs={"identifier": identifier, "pk": pk}))
        response.status_code = 303
        return shared(response)


class ImageInfoView(ImageMixin, View):
    def get(self, request, identifier, pk):
        document = manifest.info(request, self.image())
        return shared(JsonResponse(document, content_type=IMAGE_TYPE))


class ImageFileView(ImageMixin, View):
    """One of the image's made derivatives; any other region, size, rotation, quality or format is a 404."""

    def get(self, request, identifier, pk, region, size, rotation, quality, format):
        image = self.image()
        name = None
        if (rotation, quality, format) == ("0", "default", plan.FORMAT):
            name = plan.resolve(image.width, image.height, region, size)
        if name is None:
            raise Http404("This level-0 image service has no such derivative (see its info.json).")
        try:
            handle = default_storage.open(f"{image.derivatives}/{name}", "rb")
        except FileNotFoundError as missing:
            raise Http404("The derivative is missing from storage.") from missing
        return shared(FileResponse(handle, content_type="image/jpeg"))


class CanvasView(ImageMixin, View):
    """A canvas id, dereferenced: the manifest that holds it."""

    def get(self, request, identifier, pk):
        self.image()
        return HttpResponseRedirect(reverse("iiif:manifest", kwargs={"identifier": identifier}))
