"""What an admin over a table of millions of rows opts into, in one line: `class X(LargeTableMixin, ...)`."""

from django.contrib.admin import helpers
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .pagination import EstimatedCountPaginator


class LargeTableMixin:
    # No count of the whole table (Django's "N total"), and an estimated one for the filtered list.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50

    def action_checkbox(self, obj):
        # The same markup as Django's, without a template render per row (a fifth of a changelist's time).
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )
