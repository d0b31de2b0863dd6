"""The archive's own structure: repositories and their fonds, and each unit with its description and children."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.views.generic import DetailView, ListView

from archive.models import Event, Repository, Script, Source, Unit
from archive.models.units import NUMBER_ORDER
from archive.public.cache import cached_value
from archive.public.children import SORTS, Children, documents_under, sort_of
from archive.public.dependencies import depends_on, links_of, unit_chain
from archive.public.jsonld import unit_jsonld
from archive.public.tree import reference_code, unit_trail

from .mixins import ClampedPageMixin, PublishedMixin, without_search_vector

FONDS_COLUMNS = ("slug", "level", "number", "title", "title_original", "extent", "date_edtf", "date_start", "date_end")


class PagedMixin(ClampedPageMixin):
    """A detail page with a paged list of its own (a repository's fonds, a unit's children), clamped as the lists."""

    page_kwarg = "page"
    paginate_by = 25

    def get_paginator(self, items, per_page, orphans=0, allow_empty_first_page=True):
        return Paginator(items, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page)

    def get_paginate_orphans(self) -> int:
        return 0

    def paged(self, items) -> dict:
        paginator, page, _, other_pages = self.paginate_queryset(items, self.paginate_by)
        return {"paginator": paginator, "page_obj": page, "is_paginated": other_pages}


class RepositoryListView(ListView):
    template_name = "archive/repository_list.html"
    context_object_name = "repositories"

    def get_queryset(self):
        return Repository.objects.public().order_by("code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            Unit.objects.published().fonds().values("repository").annotate(n=Count("pk")).values_list("repository", "n")
        )
        for repository in context["repositories"]:
            repository.fonds_count = counts.get(repository.pk, 0)
        # Which repositories are public, and their fonds: any source, event or unit published, withdrawn or moved.
        depends_on(Repository, Source, Event, Unit)
        return context


class RepositoryDetailView(PagedMixin, DetailView):
    """A repository (public as the other authorities are) and its published fonds, with their documents counted."""

    slug_field = slug_url_kwarg = "code"

    def get_queryset(self):
        return Repository.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fonds = (
            Unit.objects.published()
            .fonds()
            .filter(repository=self.object)
            .only(*FONDS_COLUMNS)
            .order_by(*NUMBER_ORDER, "identifier")
        )
        context.update(self.paged(fonds))
        shown = list(context["page_obj"].object_list)
        ids = [unit.pk for unit in shown]
        # Counting every document under a large fonds: once per page of fonds and change to the records.
        counts = cached_value("repository-fonds-documents", lambda: documents_under(ids), ids)
        for unit in shown:
            unit.document_count = counts.get(unit.pk, 0)
        context["fonds"] = shown
        # A fonds published or withdrawn names its repository; a document added under a fonds names the fonds.
        depends_on(self.object, links_of(self.object, *shown), shown)
        return context


class UnitDetailView(PublishedMixin, PagedMixin, DetailView):
    """A unit's ISAD(G) description, where it sits, and its published children, sorted and paged."""

    model = Unit

    def get_queryset(self):
        return without_search_vector(
            super()
            .get_queryset()
            .select_related("repository", "parent__parent")
            .defer("parent__search_vector", "parent__parent__search_vector")
            .prefetch_related("creators", "agents", "places", "subjects", "languages")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        sort = sort_of(self.request.GET.get("sort", ""))
        children = Children(unit, sort)
        context.update(self.paged(children))
        context.update(
            sort=sort,
            sorts=SORTS,
            children=context["page_obj"].object_list,
            child_unit_count=children.unit_count,
            child_source_count=children.source_count,
            crumbs=unit_trail(unit),
            reference_code=reference_code(unit),
            scripts=[Script(code).label if code in Script.values else code for code in unit.scripts],
            jsonld=unit_jsonld(self.request, unit) if unit.is_published else None,
        )
        # A child added, moved, published or withdrawn links to this unit (its parent or its unit).
        depends_on(
            links_of(unit),
            list(unit_chain(unit)),
            unit.repository,
            *(getattr(unit, name).all() for name in ("creators", "agents", "places", "subjects", "languages")),
            [child.record for child in context["children"]],
        )
        return context
