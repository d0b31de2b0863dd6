"""`{{ note.body_html|sanitised }}`: commentary HTML is cleaned again on display, not trusted from the database.

The stored HTML was sanitised on save, but a row written by SQL, an old release or a bulk path that
skipped `save()` would otherwise reach the page as it is.
"""

from django import template
from django.utils.safestring import mark_safe

from archive.markdown import sanitise

register = template.Library()


@register.filter(name="sanitised", is_safe=True)
def sanitised(html: str | None) -> str:
    return mark_safe(sanitise(html or ""))  # noqa: S308  (nh3 has just removed everything not allowed)
