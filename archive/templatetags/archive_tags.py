"""Template helpers for the public pages."""

import json

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from archive.dates import display

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def localized(obj, field: str) -> str:
    """The original-language form (Russian) in the Russian interface when there is one, else the English."""
    original = getattr(obj, f"{field}_original", "")
    if original and (get_language() or "").startswith("ru"):
        return original
    return getattr(obj, field)


@register.filter
def other_form(obj, field: str) -> str:
    """The form `localized` did not show, for a secondary line; empty when there is none."""
    original = getattr(obj, f"{field}_original", "")
    if not original:
        return ""
    return getattr(obj, field) if localized(obj, field) == original else original


@register.filter
def daterange(obj) -> str:
    return display(obj.date_edtf, obj.date_start, obj.date_end)


@register.filter
def jsonld(data: dict) -> str:
    """JSON-LD inside <script type="application/ld+json">: data, never executed, so CSP allows it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


@register.simple_tag(takes_context=True)
def without(context, *names: str) -> str:
    """The current query string less the named parameters (and the page number): a link removing a filter."""
    query = context["request"].GET.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return f"?{query.urlencode()}"


@register.simple_tag
def page_numbers(page) -> list:
    """The page numbers to link to around a page, with gaps: 1 … 4 5 [6] 7 8 … 40 (the gaps are Paginator.ELLIPSIS)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.simple_tag
def facet_checkboxes(facet, choices, prefix: str = "") -> str:
    """Values of a facet, each a list item with its checkbox, its label and its count. Built here rather than by a
    template loop: a list shows up to eight facets of fifty values, and the loop was most of the page's time."""
    param = conditional_escape(facet.param)
    items = []
    for number, choice in enumerate(choices, start=1):
        box = f"id_{param}_{conditional_escape(prefix)}{number}"
        value, label, checked = conditional_escape(choice.value), conditional_escape(choice.label), ""
        if choice.selected:
            checked = " checked"
        items.append(
            f'<li class="facet__choice"><input type="checkbox" name="{param}" value="{value}" id="{box}"{checked}>'
            f'<label for="{box}">{label} <span class="facet__count">({int(choice.count)})</span></label></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 (every value escaped above)
