"""The CSV columns agree with the model fields they fill, and docs/csv.md with the columns."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from archive.models import Unit
from curation.transfer.cells import CellError
from curation.transfer.columns import Choice, Code, DecimalColumn, Edtf, Links, Reference, Slug, Text, UnitNumber
from curation.transfer.formats import KINDS

COLUMNS = [(kind, column) for kind in KINDS.values() for column in kind.columns]
IDS = [f"{kind.name}.{column.name}" for kind, column in COLUMNS]


def _field(kind, column) -> models.Field:
    """The field whose values the column's cells are: a unit's number for the fond, opis and delo columns."""
    if isinstance(column, UnitNumber):
        return Unit._meta.get_field("number")
    return kind.model._meta.get_field(column.name)


def _samples(column, field) -> list[str]:
    """Cells on both sides of the field's limits."""
    if isinstance(column, Choice):
        return [*(str(value) for value, _ in field.flatchoices), "not-a-choice"]
    if isinstance(column, DecimalColumn):
        step = Decimal(1).scaleb(-field.decimal_places)
        return [str(column.low), str(column.high), str(column.low - step), str(column.high + step)]
    if isinstance(column, Code):
        return ["Q855", "Q" + "1" * (field.max_length - 1), "Q" + "1" * field.max_length, "X1"]
    if isinstance(column, Edtf):
        return ["1934-11-27", "1939-05-11/1939-09-16", "1" * (field.max_length + 1)]
    if isinstance(column, Slug | Text) and field.max_length:
        return ["a" * field.max_length, "a" * (field.max_length + 1), "not a slug!"]
    return []


def _accepts(check, value) -> bool:
    try:
        check(value)
    except (CellError, ValidationError):
        return False
    return True


@pytest.mark.parametrize(("kind", "column"), COLUMNS, ids=IDS)
def test_a_column_accepts_what_its_model_field_accepts_and_nothing_else(kind, column):
    field = _field(kind, column)
    for cell in _samples(column, field):
        column_accepts = _accepts(column.parse, cell)
        field_accepts = _accepts(lambda value: field.clean(field.to_python(value), None), cell)
        assert column_accepts == field_accepts, (cell, column_accepts, field_accepts)


@pytest.mark.parametrize(("kind", "column"), COLUMNS, ids=IDS)
def test_an_empty_cell_is_refused_or_stores_what_the_field_accepts(kind, column):
    field = _field(kind, column)
    refuses_empty = not _accepts(lambda value: field.clean(value, None), column.empty)
    if column.required:
        assert refuses_empty
    else:
        # What an empty cell stores: the field's default, an empty value it allows, or one the import fills in.
        assert column.filled_on_import or not refuses_empty, column.empty


@pytest.mark.parametrize(("kind", "column"), COLUMNS, ids=IDS)
def test_a_relation_is_the_fields_and_named_by_unique_keys(kind, column):
    field = _field(kind, column)
    assert isinstance(column, Reference | Links) == field.is_relation
    assert isinstance(column, Links) == bool(field.many_to_many)
    if field.is_relation:
        assert column.model is field.related_model
        assert all(column.model._meta.get_field(key).unique for key in column.keys)


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_field_a_curator_edits_has_a_column(kind):
    editable = {
        field.name
        for field in kind.model._meta.get_fields()
        if getattr(field, "editable", False) and not field.auto_created and (field.concrete or field.many_to_many)
    }
    assert editable == {column.field_name for column in kind.columns}


def _documented(kind_name: str) -> list[tuple[str, ...]]:
    text = (Path(__file__).resolve().parents[2] / "docs" / "csv.md").read_text(encoding="utf-8")
    section = text.split(f"\n### {kind_name}\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    cells = [[cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]
    return [(name.strip("`"), *rest) for name, *rest in cells]


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_docs_csv_md_lists_every_column_as_the_import_reads_it(kind):
    with translation.override("en"):
        described = [
            (column.name, column.type_name, "yes" if column.required else "", column.describe())
            for column in kind.columns
        ]
    assert _documented(kind.name) == described
