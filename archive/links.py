"""Addresses of the detail pages by slug, without a pass of Django's URL resolver for each link.

A source page links to some thirty records, an event page to some seventy; reverse() walked the URL patterns for
each, a tenth of the page's time. The address of each kind of page is reversed once (for a marker slug, under the
current URL configuration and script prefix) and the slug put in the marker's place. A slug is letters, digits,
hyphens and underscores (SlugField, allow_unicode=False), which the slug converter accepts and reverse() leaves
unquoted; anything else goes through reverse() as before.
"""

import re
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_MARKER = "opis-slug-marker"


@lru_cache(maxsize=64)
def _around(name: str, prefix: str, urlconf) -> tuple[str, str]:
    """The page's address before and after its slug. `prefix` is the script prefix reverse() reads: a key only."""
    before, _, after = reverse(name, kwargs={"slug": _MARKER}, urlconf=urlconf).partition(_MARKER)
    return before, after


def slug_url(name: str, slug: str) -> str:
    """reverse(name, kwargs={"slug": slug}), for a URL pattern with one <slug:slug>."""
    if not _PLAIN_SLUG.match(slug):
        return reverse(name, kwargs={"slug": slug})
    before, after = _around(name, get_script_prefix(), get_urlconf())
    return f"{before}{slug}{after}"
