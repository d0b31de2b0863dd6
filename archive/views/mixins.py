"""What every public view shares: the visibility rule, and the curators' preview of unpublished records."""

from django.utils.cache import add_never_cache_headers


class PublishedMixin:
    """The public sees published records only; anything else is a 404.

    A signed-in user who may change the record sees it whatever its status, as a preview marked
    "not published" and never cached, so curators can check a draft before publishing it.
    """

    model = None

    def can_preview(self) -> bool:
        opts = self.model._meta
        return self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def get_queryset(self):
        if self.can_preview():
            return self.model.objects.all()
        return self.model.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = not self.object.is_published
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context.get("preview"):
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex"
        return response
