"""A source's citation for reference managers, the permalinks by identifier, and old slugs after a rename.

Citation files and permalinks are for published records only, with no curators' preview: a link to them is
given away and kept, and must never lead to (or name) a record the public cannot see.
"""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, RedirectView

from archive.citations import EXPORTS, Cited, cited
from archive.models import Event, FormerSlug, Source, SourceAgent

from .mixins import without_search_vector


def citation_of(request, source) -> Cited:
    """The source's citation as read today, at its permalink."""
    url = request.build_absolute_uri(reverse("archive:permalink", kwargs={"identifier": source.identifier}))
    return cited(source, url=url, accessed=timezone.localdate())


def citable(queryset):
    """What a citation reads of the sources: their repository, creators and languages."""
    return queryset.select_related("repository", "unit").prefetch_related(
        "languages", Prefetch("agent_links", queryset=SourceAgent.objects.select_related("agent"))
    )


class SourceCitationView(DetailView):
    """One published source's citation as a BibTeX, RIS or CSL-JSON file."""

    def get_queryset(self):
        return without_search_vector(citable(Source.objects.published()))

    def render_to_response(self, context, **response_kwargs):
        export = EXPORTS[self.kwargs["format"]]
        response = HttpResponse(export.write(citation_of(self.request, self.object)), content_type=export.media_type)
        filename = f"{self.object.identifier}.{export.extension}"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response


class PermalinkView(RedirectView):
    """/id/<identifier>: the published source (else event) of that identifier, wherever its slug now is.
    Temporary, since the slug it leads to may change again."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        for model in (Source, Event):
            record = model.objects.published().filter(identifier=kwargs["identifier"]).only("slug").first()
            if record is not None:
                return record.get_absolute_url()
        raise Http404


class FormerSlugMixin:
    """A detail view whose record was renamed answers its old slug with a permanent redirect to the new one,
    when the visitor may see the record (the view's own queryset decides)."""

    former_field = None  # FormerSlug's link to the model: "source" or "event"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            record = self.renamed(kwargs["slug"])
            if record is None:
                raise
            return HttpResponsePermanentRedirect(record.get_absolute_url())

    def renamed(self, slug: str):
        former = FormerSlug.objects.filter(slug=slug, **{f"{self.former_field}__isnull": False}).first()
        if former is None:
            return None
        visible = self.get_queryset().select_related(None).prefetch_related(None).only("slug")
        return visible.filter(pk=getattr(former, f"{self.former_field}_id")).first()
