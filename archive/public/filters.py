"""The filters of the public source list. Every filter is a query-string parameter, so each view is a link; a facet
takes several values as the parameter repeated (`?event=a&event=b`)."""

import re
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from archive.models import Source

from .facets import FACET_CHOICES, FACETS, chosen_values
from .search import matching, validate_words

_YEAR_OR_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class YearOrDateField(forms.CharField):
    """A year (1936), a month (1936-03) or a day (1936-03-12), as the (first day, last day) it covers."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = _YEAR_OR_DATE.match(value)
        if not match:
            raise ValidationError(_("Give a year (1936), a month (1936-03) or a day (1936-03-12)."), code="invalid")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            if day:
                return date(year, month, day), date(year, month, day)
            if month:
                last = date(year + month // 12, month % 12 + 1, 1) - date.resolution
                return date(year, month, 1), last
            return date(year, 1, 1), date(year, 12, 31)
        except ValueError as exc:
            raise ValidationError(_("“%(value)s” is not a real date."), params={"value": value}) from exc


class YearOrDateFilter(django_filters.Filter):
    field_class = YearOrDateField


SORTS = {
    "date": ("date_start", "identifier"),
    "-date": ("-date_start", "-identifier"),
    "title": ("title", "identifier"),
    "-title": ("-title", "identifier"),
}


def listing_fields() -> tuple[str, ...]:
    """What places a source in a list filtered by facets alone and sorted by date, besides its links (each written
    with its own tags): whether the public sees it, its facets' own values, and the order's fields. Source's
    listing fields (archive.public.changes.LISTING)."""
    own = [facet.source_field.attname for facet in FACETS if not facet.source_field.many_to_many]
    return ("status", "published_at", *own, *SORTS["date"])


def placed_by_listing(data) -> bool:
    """Whether a list of these valid filters holds, counts and orders its sources by `listing_fields` and their
    links alone: every filter in use a facet, sorted by date either way."""
    facets = {facet.param for facet in FACETS}
    in_use = {key for key, values in data.lists() if key not in ("page", "per_page") and any(v.strip() for v in values)}
    return (data.get("sort") or "date") in ("date", "-date") and in_use <= facets | {"sort"}


# The values one facet may have chosen at once: as many as it offers. A longer list is refused with a message.
MAX_VALUES = FACET_CHOICES


class ValuesField(forms.Field):
    """A facet's chosen values: the query-string parameter repeated, each value once, empty ones left out."""

    widget = forms.MultipleHiddenInput  # reads every value of the parameter

    def to_python(self, value):
        values = chosen_values(str(item) for item in value or ())
        if len(values) > MAX_VALUES:
            raise ValidationError(
                _("Choose at most %(limit)d values of one filter."), params={"limit": MAX_VALUES}, code="too_many"
            )
        return values


class FacetFilter(django_filters.Filter):
    """One facet's filter (archive.public.facets.FACETS): the sources having any of the chosen values
    (Facet.having; a guarded facet's value naming an unpublished record filters as one naming none, to nothing)."""

    field_class = ValuesField

    def __init__(self, *args, facet, **kwargs):
        self.facet = facet
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return self.facet.having(qs, value)


class SourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Words"), method="filter_words", validators=[validate_words])
    date_from = YearOrDateFilter(label=_("From"), method="filter_from")
    date_to = YearOrDateFilter(label=_("To"), method="filter_to")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=[
            ("date", _("Date, earliest first")),
            ("-date", _("Date, latest first")),
            ("title", _("Title, A to Z")),
            ("-title", _("Title, Z to A")),
        ],
    )

    class Meta:
        model = Source
        fields = []

    @classmethod
    def get_filters(cls):
        """The filters declared here and one per facet, named by its query-string parameter."""
        return {
            **{
                facet.param: FacetFilter(facet=facet, label=facet.label, field_name=facet.value_path)
                for facet in FACETS
            },
            **super().get_filters(),
        }

    def __init__(self, *args, near_spellings: bool | None = None, **kwargs):
        # Decided once per request by the view, so the facets' filter sets do not each ask again.
        self.near_spellings = near_spellings
        super().__init__(*args, **kwargs)

    def filter_words(self, queryset, name, value):
        return matching(queryset, value, near=self.near_spellings) if value.strip() else queryset

    def filter_from(self, queryset, name, value):
        # Overlap: a source dated 1934-1936 is found from 1935 on.
        return queryset.filter(date_end__gte=value[0])

    def filter_to(self, queryset, name, value):
        return queryset.filter(date_start__lte=value[1])

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["date"]))


def applicable(checked: SourceFilter) -> SourceFilter:
    """The filter set of a query string's valid filters only (`checked` is the one of the whole query string).

    A filter whose value is invalid (a date that is not one, words over the limit) is left out, its message in
    `checked.errors`, and the others still apply: the list shows what they give, and their choices stay marked."""
    if checked.is_valid():
        return checked
    valid: QueryDict = checked.data.copy()
    for name in checked.errors:
        valid.pop(name, None)
    return type(checked)(valid, queryset=checked.queryset, near_spellings=checked.near_spellings)
