"""A source's fond, opis and delo cells resolve to an existing unit of its repository; the export writes them back
from the tree."""

import pytest

from archive.models import Source
from curation.transfer.importer import run_import
from curation.transfer.undo import undo_batch
from tests.factories import RepositoryFactory, SourceFactory, UnitFactory, unit_path

from .conftest import read, stream
from .test_roundtrip import export

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(rgaspi):
    RepositoryFactory(code="GARF", name="State Archive of the Russian Federation")
    return {
        "374": unit_path("558", "11", "374"),
        "17": unit_path("17"),
        "17-5": UnitFactory(parent=unit_path("17"), level="file", number="5"),
    }


def test_the_cells_name_the_lowest_unit(importer, tree):
    result = run_import("sources", stream(read("sources_in_units.csv")), user=importer)
    assert result.errors == []
    units = dict(Source.objects.values_list("identifier", "unit"))
    assert units == {
        "T-UNIT-1": tree["374"].pk,
        "T-UNIT-2": tree["17"].pk,
        "T-UNIT-3": tree["17-5"].pk,
        "T-UNIT-4": None,
    }
    first = Source.objects.get(identifier="T-UNIT-1")
    assert first.fonds.number == "558" and first.citation_ru == "РГАСПИ. Ф. 558. Оп. 11. Д. 374. Л. 12–15."
    assert Source.objects.get(identifier="T-UNIT-3").citation_en == "RGASPI, f. 17, d. 5, l. 3v"


def test_an_unknown_unit_is_an_error_of_its_row_and_column_and_nothing_is_written(importer, tree):
    result = run_import("sources", stream(read("sources_in_unknown_units.csv")), user=importer)
    assert [(e.line, e.column, e.value) for e in result.errors] == [
        (3, "delo", "375"),
        (4, "opis", "12"),
        (5, "fond", "558"),
    ]
    assert result.errors[0].message == (
        "No such unit (fond 558, opis 11, delo 375) in the row's repository: add it under Units of description first."
    )
    assert not Source.objects.exists()


def test_the_export_writes_the_tree_and_reimports_unchanged_after_a_move(importer, tree):
    run_import("sources", stream(read("sources_in_units.csv")), user=importer)
    inventory_1 = UnitFactory(parent=tree["374"].fonds, number="1")
    file = tree["374"]
    file.parent = inventory_1
    file.save()  # the file moves to inventory 1: the source's citation and export follow
    exported = export("sources")
    assert "T-UNIT-1,t-unit-1,A file's document,,other,RGASPI,558,1,374," in exported
    result = run_import("sources", stream(exported), user=importer)
    assert result.errors == [] and result.batch.unchanged == 4


def test_an_update_of_the_delo_alone_keeps_the_fond_and_opis_and_undo_restores_the_unit(importer, tree):
    run_import("sources", stream(read("sources_in_units.csv")), user=importer)
    other = UnitFactory(parent=tree["374"].parent, number="376")
    result = run_import("sources", stream("identifier,delo\nT-UNIT-1,376\n"), user=importer, mode="update")
    assert result.errors == []
    assert Source.objects.get(identifier="T-UNIT-1").unit == other

    undo_batch(batch=result.batch, user=importer)
    assert Source.objects.get(identifier="T-UNIT-1").unit == tree["374"]


def test_a_source_unit_in_another_repository_is_refused(importer, tree):
    SourceFactory(identifier="T-UNIT-9", repository=RepositoryFactory(code="GARF"))
    result = run_import("sources", stream("identifier,fond\nT-UNIT-9,558\n"), user=importer, mode="update")
    assert [(e.line, e.column) for e in result.errors] == [(2, "fond")]
