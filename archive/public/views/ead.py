"""A published fonds as EAD3 (archive/ead/), for download and for aggregators."""

from django.http import HttpResponse
from django.views.generic.detail import BaseDetailView

from archive.ead import fonds_ead
from archive.models import Unit


class UnitEADView(BaseDetailView):
    """The EAD3 of a published fonds; 404 for anything else. No curator's preview of an unpublished fonds, unlike
    the pages: an export is for the public, and what it contains is always only what is published."""

    def get_queryset(self):
        return Unit.objects.published().fonds().select_related("repository")

    def render_to_response(self, context):
        fonds = self.object
        xml = fonds_ead(fonds, instance_url=self.request.build_absolute_uri())
        response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{fonds.identifier}.ead.xml"'
        return response
