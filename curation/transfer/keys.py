"""Natural keys to database ids and back, in bulk, cached for the length of one import or export."""

from collections import defaultdict

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

CHUNK = 5000


def among(model, field: str, values):
    """A filter for field IN values, as one array parameter (= ANY): thousands of placeholders cost more
    to build, send and parse than the query itself. No values: Django's empty IN, which runs no query."""
    values = list(values)
    if not values:
        return Q(**{f"{field}__in": values})
    qn = connection.ops.quote_name
    column = model._meta.get_field(field).column
    # Names from model metadata, quoted; the values travel as a parameter.
    sql = f"{qn(model._meta.db_table)}.{qn(column)} = ANY(%s)"
    return RawSQL(sql, [values], output_field=BooleanField())  # noqa: S611


class KeyMap:
    """For one model: natural key (any of its key fields) -> id, and id -> the first key field's value."""

    def __init__(self, model, keys: tuple[str, ...]):
        self.model, self.keys = model, keys
        self.ids: dict[str, int] = {}
        self.names: dict[int, str] = {}

    def _remember(self, row):
        pk, *values = row
        self.names[pk] = values[0]
        for value in values:
            if value:
                self.ids.setdefault(value, pk)

    def load_keys(self, wanted) -> None:
        missing = [key for key in set(wanted) if key not in self.ids]
        for start in range(0, len(missing), CHUNK):
            part = missing[start : start + CHUNK]
            for key in self.keys:
                # The next key field (a slug after an identifier) only for what the previous did not find.
                part = [value for value in part if value not in self.ids]
                if not part:
                    break
                for row in self.model._default_manager.filter(among(self.model, key, part)).values_list(
                    "pk", *self.keys
                ):
                    self._remember(row)

    def load_ids(self, wanted) -> None:
        missing = [pk for pk in set(wanted) if pk not in self.names]
        for start in range(0, len(missing), CHUNK):
            rows = self.model._default_manager.filter(among(self.model, "id", missing[start : start + CHUNK]))
            for row in rows.values_list("pk", *self.keys):
                self._remember(row)

    def __getitem__(self, pk):
        return self.names[pk]


class Keys:
    def __init__(self):
        self.maps: dict = {}

    def for_model(self, model, keys) -> KeyMap:
        if model not in self.maps:
            self.maps[model] = KeyMap(model, keys)
        return self.maps[model]

    def __getitem__(self, model) -> KeyMap:
        return self.maps[model]

    def load_for_export(self, kind, rows) -> None:
        wanted = defaultdict(set)
        for column in kind.columns:
            if hasattr(column, "model"):
                for row in rows:
                    value = row[column.name]
                    if column.is_link:
                        wanted[column].update(column.key_of(link) for link in value)
                    elif value is not None:
                        wanted[column].add(value)
        for column, ids in wanted.items():
            self.for_model(column.model, column.keys).load_ids(ids)
