"""Changelist pagination that does not count a million rows on every page.

Opt in with one line on a ModelAdmin: `paginator = EstimatedCountPaginator` (LargeTableMixin in large_tables.py
does). Up to EXACT_UP_TO rows the count is exact (a count over a LIMITed subquery, so it never reads more
than that many rows); beyond it, the planner's estimate is used: pg_class.reltuples for the whole table,
EXPLAIN's row estimate for a filtered list. Past the estimate's end a page number is simply out of range.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_UP_TO = 1_000


class EstimatedCountPaginator(Paginator):
    exact_up_to = EXACT_UP_TO

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        bounded = queryset.order_by()[: self.exact_up_to + 1].count()
        if bounded <= self.exact_up_to:
            return bounded
        return max(estimated_count(queryset), self.exact_up_to + 1)

    @property
    def is_estimated(self) -> bool:
        return hasattr(self.object_list, "query") and self.count > self.exact_up_to


def estimated_count(queryset) -> int:
    """The planner's idea of how many rows the queryset returns; cheap at any size."""
    if not queryset.query.where and not queryset.query.distinct:
        table = queryset.model._meta.db_table
        with connections[queryset.db].cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
            row = cursor.fetchone()
        if row and row[0] >= 0:  # -1 means never analysed: ask the planner instead
            return int(row[0])
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
