"""A record's related rows in the record's own query: each relation a JSON array built by PostgreSQL.

A detail page shows a handful of rows from each of several relations. Prefetching them costs a query each (a round
trip, and Django compiling it); here each becomes an ARRAY(SELECT jsonb_build_object(...)) column of the record's
query, read back into model instances holding only the named columns, and installed where prefetch_related puts
its results: `source.places.all()` then reads them without a query, as after a prefetch. A template that reads a
column not named makes a query per row (Django loads a deferred field on access): the query-count tests catch it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import F, OuterRef
from django.db.models.functions import JSONObject


@dataclass(frozen=True)
class Related:
    """One relation of a record: the manager's name on it, the model of its rows, how they point at the record,
    the columns to read, their order, whether only the published rows are (the model's published(), which reads
    the clock at each query), and a related row of each to read with it."""

    name: str
    model: type[models.Model]
    link: str  # the lookup from a row to the record's key, e.g. "sources" for a place, "source" for an image
    fields: tuple[str, ...]
    order: tuple[str, ...]
    published: bool = False
    joined: str = ""  # a foreign key of the row read along with it (a source's agent links: their agent)
    joined_fields: tuple[str, ...] = field(default=())

    @property
    def annotation(self) -> str:
        return f"_related_{self.name}"


def with_related(queryset: models.QuerySet, relations: tuple[Related, ...], now=None) -> models.QuerySet:
    """The queryset with one JSON array column for each relation (read back by `install_related`); `now` is the
    time published() decides by (default the present)."""
    arrays = {}
    for relation in relations:
        columns = {name: F(name) for name in relation.fields}
        if relation.joined:
            joined = (f"{relation.joined}__{name}" for name in relation.joined_fields)
            columns |= {name: F(name) for name in joined}
        rows = relation.model.objects.published(now) if relation.published else relation.model.objects.all()
        rows = rows.filter(**{relation.link: OuterRef("pk")}).order_by(*relation.order)
        arrays[relation.annotation] = ArraySubquery(rows.values(json=JSONObject(**columns)))
    return queryset.annotate(**arrays)


def install_related(record: models.Model, relations: tuple[Related, ...]) -> None:
    """Read each relation's JSON array into model instances, cached on `record` as a prefetch would."""
    cache = record.__dict__.setdefault("_prefetched_objects_cache", {})
    for relation in relations:
        rows = record.__dict__.pop(relation.annotation) or []
        model = relation.model
        instances = [instance(model, relation.fields, row) for row in rows]
        if relation.joined:
            joined = model._meta.get_field(relation.joined)
            for row_instance, row in zip(instances, rows, strict=True):
                values = {name: row[f"{relation.joined}__{name}"] for name in relation.joined_fields}
                joined.set_cached_value(row_instance, instance(joined.related_model, relation.joined_fields, values))
        manager = getattr(record, relation.name)
        if hasattr(manager, "prefetch_cache_name"):  # many-to-many: kept under the field's name
            cache_name = manager.prefetch_cache_name
        else:  # a reverse foreign key: kept under its related name, and each row knows its record, as prefetched
            cache_name = manager.field.remote_field.cache_name
            for row_instance in instances:
                manager.field.set_cached_value(row_instance, record)
        rows_queryset = manager.get_queryset()
        rows_queryset._result_cache = instances
        rows_queryset._prefetch_done = True
        cache[cache_name] = rows_queryset


def instance(model, names: tuple[str, ...], row: dict) -> models.Model:
    """A model instance of the named columns only (the others deferred), as the ORM reads a row."""
    wanted = {model._meta.get_field(name).attname: name for name in names}
    attnames, values = [], []
    for model_field in model._meta.concrete_fields:  # from_db takes the values in the model's order of fields
        if model_field.attname in wanted:
            attnames.append(model_field.attname)
            values.append(_from_json(model_field, row[wanted[model_field.attname]]))
    return model.from_db(None, attnames, values)


def _from_json(model_field, value):
    """A column's value as PostgreSQL's to_jsonb wrote it, back in the type the model field reads from the database."""
    if value is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        return datetime.fromisoformat(value)
    if isinstance(model_field, models.DateField):
        return date.fromisoformat(value)
    if isinstance(model_field, models.DecimalField):  # a JSON number: back to the column's scale, as read from it
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-model_field.decimal_places))
    return value
