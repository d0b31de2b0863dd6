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


# What a source in a list shows (includes/source_item.html: title, date, type, citation, link). Lists load only
# these columns, not a million rows' worth of transcriptions and translations.
LISTED = (
    *("slug", "identifier", "title", "title_original", "document_type"),
    *("date_text", "date_edtf", "date_start", "date_end", "folios", "publication"),
    *("repository__code", "repository__abbreviation_original"),
    # The citation's numbers, from the source's unit up to its fonds (archive.citation.CITED).
    *(f"unit__{up}{name}" for up in ("", "parent__", "parent__parent__") for name in ("level", "number", "parent_id")),
)


def filter_key(query, ignore=("page",)) -> list[tuple[str, list[str]]]:
    """A query string (a QueryDict) as a cache key part: sorted, without the parameters that do not change a result."""
    return sorted((key, sorted(values)) for key, values in query.lists() if key not in ignore)


def without_search_vector(queryset):
    """The stored search vector is for the search's WHERE clause, never for showing."""
    return queryset.defer("search_vector")


class ClampedPageMixin:
    """A list's page number past its end shows the last page, and one that is not a number the first.

    A link to page 9 stays useful after the list it was made from has shrunk; Django's ListView answers 404.
    """

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=True
        )
        wanted = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        page = paginator.get_page(paginator.num_pages if wanted == "last" else wanted)
        return paginator, page, page.object_list, page.has_other_pages()
