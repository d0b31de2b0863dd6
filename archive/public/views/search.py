"""/search/?q=: sources, events and commentary in one ranked list, optionally narrowed to one kind."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from archive.public import search

PAGE_SIZE = 20


class SearchView(TemplateView):
    template_name = "archive/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "").strip()
        kind = self.request.GET.get("type", "")
        context.update(query=text, kind=kind if kind in search.KINDS else "", kinds=[])
        if not text:
            return context
        try:
            search.validate_words(text)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)  # shown with the form; nothing is searched
            return context
        found = search.search(text)
        results = found.hits
        counts = {key: 0 for key in search.KINDS}
        for key, _pk, _rank in results:
            counts[key] += 1
        context["kinds"] = [(search.KINDS[key], count) for key, count in counts.items()]
        context["total"] = len(results)
        if context["kind"]:
            results = [hit for hit in results if hit[0] == context["kind"]]
        page = Paginator(results, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, hits=search.hydrate(list(page.object_list), found.query))
        return context
