"""A query the ORM builds and compiles once per process and database, then runs with each request's values.

The source page's one query has a dozen subqueries: building and compiling it took Django longer than running it
took PostgreSQL. The queryset is built once with placeholder values (unique sentinels), compiled, and the positions
of the placeholders among its parameters noted; each request runs the same SQL with its own values (the slug, the
clock that published() reads) and turns the rows into instances as QuerySet iteration does (select_related objects,
annotations). Nothing here changes what the query selects: it is the ORM's own SQL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, models
from django.db.models.query import get_related_populators

# Values no request ever sends: their positions among the compiled parameters are where a request's values go.
SENTINEL_TIME = datetime(1001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
SENTINEL_TEXT = "\x00opis-placeholder\x00"


@dataclass
class _Compiled:
    sql: str
    params: list
    slots: dict[int, str]  # parameter position: placeholder name
    converters: list
    init_list: list[str]
    model_slice: slice
    populators: list
    annotations: dict[str, int]
    model: type[models.Model]
    fetch_mode: object


class PreparedQuery:
    """`build(**placeholders)` returns the queryset; `rows(using, **values)` runs it with the request's values."""

    def __init__(self, build: Callable[..., models.QuerySet], **placeholders):
        self.build, self.placeholders = build, placeholders
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        queryset = self.build(**self.placeholders).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in self.placeholders.items()}
        slots = {position: by_value[value] for position, value in enumerate(params) if _hashable_in(value, by_value)}
        missing = set(self.placeholders) - set(slots.values())
        if missing:  # a placeholder the ORM changed on its way into the SQL could not be replaced: refuse
            raise ValueError(f"placeholders not found among the query's parameters: {sorted(missing)}")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        compiled = _Compiled(
            sql=sql,
            params=list(params),
            slots=slots,
            converters=list(compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items()),
            init_list=[column[0].target.attname for column in select[fields[0] : fields[-1] + 1]],
            model_slice=slice(fields[0], fields[-1] + 1),
            populators=get_related_populators(klass_info, select, using, queryset._fetch_mode),
            annotations=dict(compiler.annotation_col_map or {}),
            model=klass_info["model"],
            fetch_mode=queryset._fetch_mode,
        )
        self._compiled[using] = compiled
        return compiled

    def objects(self, using: str, **values) -> list[models.Model]:
        """The instances the queryset built with `values` would give, from the SQL compiled once."""
        compiled = self._compiled.get(using) or self._compile(using)
        params = list(compiled.params)
        for position, name in compiled.slots.items():
            params[position] = values[name]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        found = []
        for row in map(list, rows):
            for position, (converters, expression) in compiled.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            obj = compiled.model.from_db(
                using, compiled.init_list, row[compiled.model_slice], fetch_mode=compiled.fetch_mode
            )
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def _hashable_in(value, found: dict) -> bool:
    try:
        return value in found
    except TypeError:  # an unhashable parameter (a list for IN) is never a placeholder
        return False
