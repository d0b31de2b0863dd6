"""Template helpers for the admin's own templates."""

from django import template

from curation.admin.counts import counted as counted_records

register = template.Library()


@register.filter
def counted(opts, number) -> str:
    """`{{ cl.opts|counted:cl.result_count }}`: “5 sources”, with the noun in the form the number needs."""
    return counted_records(opts, int(number))
