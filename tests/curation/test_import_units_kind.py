"""The native `units` kind: units of description as CSV, their tree by parent identifiers, all or nothing,
updates by identifier, undo, and an export that imports back unchanged."""

import csv
import io

import pytest
from django.core.management import call_command

from archive.models import Language, Level, Source, Unit
from curation.models import BatchStatus, ImportBatchRecord
from curation.transfer import importer as importer_module
from curation.transfer import writing
from curation.transfer.exporting import units_under, write_csv
from curation.transfer.formats import KINDS
from curation.transfer.importer import run_import
from curation.transfer.undo import undo_batch
from tests.factories import (
    AgentFactory,
    PlaceFactory,
    RepositoryFactory,
    SourceFactory,
    SubjectFactory,
    UnitFactory,
    UserFactory,
)

from .conftest import read, stream


def export(queryset=None) -> str:
    out = io.StringIO()
    write_csv(KINDS["units"], Unit.objects.all() if queryset is None else queryset, out)
    return out.getvalue()


def errors_of(result) -> list[tuple]:
    """By line: a parent is known to be nowhere only once the whole file is read, so its error comes last."""
    return sorted((error.line, error.column, error.value) for error in result.errors)


@pytest.mark.django_db
def test_a_fonds_series_and_file_with_parents_after_children_import_in_one_batch_undone_whole(importer, rgaspi):
    result = run_import("units", stream(read("units_parent_after_child.csv")), user=importer)

    assert result.errors == []
    assert (result.batch.status, result.batch.created) == (BatchStatus.SUCCEEDED, 3)
    fonds, series, file = (Unit.objects.get(identifier=i) for i in ("T-558", "T-558-11", "T-558-11-374"))
    assert (series.parent, file.parent, file.fonds, series.fonds, fonds.fonds) == (fonds, series, fonds, fonds, None)
    assert (file.level, file.date_start.isoformat(), file.date_end.isoformat()) == (
        Level.FILE,
        "1934-01-01",
        "1934-12-31",
    )
    assert series.scripts == ["Cyrl", "Latn"] and sorted(series.languages.values_list("code", flat=True)) == [
        "mn",
        "ru",
    ]
    assert fonds.administrative_history == "- born in Gori"  # the apostrophe that kept it from being a formula
    assert (file.slug, file.version, file.created_by) == ("t-558-11-374", 1, importer)
    assert ImportBatchRecord.objects.filter(batch=result.batch).count() == 3
    assert file.history.count() == 1  # its history, written in bulk with the batch

    counts = undo_batch(batch=result.batch, user=importer)

    assert counts == {"deleted": 3, "restored": 0}
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_checks_the_tree_and_writes_nothing(importer, rgaspi):
    result = run_import("units", stream(read("units_parent_after_child.csv")), user=importer, dry_run=True)

    assert result.errors == [] and result.batch.status == BatchStatus.PREVIEWED
    assert [plan.action for plan in result.preview] == ["create"] * 3
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_a_faulty_file_is_refused_whole_with_each_row_and_column(importer, rgaspi):
    result = run_import("units", stream(read("units_faulty.csv")), user=importer)

    assert errors_of(result) == [
        (2, "parent", "T-NOWHERE"),
        (3, "date_edtf", "1934-13-45"),
        (4, "level", "volume"),
    ]
    messages = {error.column: error.message for error in result.errors}
    assert messages["parent"] == "Unknown unit of description “T-NOWHERE” (not in the database nor in this file)."
    assert messages["level"] == "Not one of: fonds, series, file."
    assert result.batch.status == BatchStatus.FAILED
    assert not Unit.objects.exists()  # not even the faultless fonds


@pytest.mark.django_db
def test_a_unit_may_not_become_its_own_ancestor(importer, rgaspi):
    result = run_import("units", stream(read("units_cycle.csv")), user=importer)

    assert errors_of(result) == [(3, "parent", "T-CYC-B"), (4, "parent", "T-CYC-A")]
    assert "may not become its own ancestor" in result.errors[0].message
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_an_existing_inventory_put_under_its_own_file_is_a_cycle(importer, rgaspi):
    fonds = UnitFactory(identifier="F", repository=rgaspi)
    UnitFactory(identifier="S", parent=fonds)
    file = "identifier,repository,level,parent,number,title\nS,RGASPI,series,X,11,Inventory\nX,RGASPI,file,S,1,File\n"

    result = run_import("units", stream(file), user=importer)

    assert errors_of(result) == [(2, "parent", "X"), (3, "parent", "S")]
    assert Unit.objects.get(identifier="S").parent == fonds


@pytest.mark.django_db
def test_the_tree_rules_name_their_row_and_column(importer, rgaspi):
    fonds = UnitFactory(identifier="F", repository=rgaspi, number="558")
    UnitFactory(identifier="S", parent=fonds, number="11")
    UnitFactory(identifier="GARF-1", repository=RepositoryFactory(code="GARF"))
    file = (
        "identifier,repository,level,parent,number,title\n"
        "A,RGASPI,series,F,11,The number of S\n"  # taken under F
        "B,RGASPI,fonds,F,,A fonds under a fonds\n"
        "C,RGASPI,file,,,A file of no unit\n"
        "D,RGASPI,series,GARF-1,,Under another repository's fonds\n"
        "E,RGASPI,fonds,S,,Level above its parent\n"
        "G,RGASPI,file,E2,,Under a file\n"
        "E2,RGASPI,file,F,,A file\n"
    )

    result = run_import("units", stream(file), user=importer)

    assert [(line, column) for line, column, _ in errors_of(result)] == [
        (2, "number"),
        (3, "parent"),
        (4, "parent"),
        (5, "parent"),
        (6, "parent"),
        (7, "parent"),
    ]
    messages = {error.line: error.message for error in result.errors}
    assert messages[2] == "Already given to S in the database: the number must be unique at this place."
    assert messages[3] == "A fonds has no parent: leave this cell empty."
    assert messages[4] == "A unit at the level “file” needs a parent unit."
    assert messages[5] == "The parent unit GARF-1 is in another repository."
    assert messages[6] == "A fonds has no parent: leave this cell empty."
    assert messages[7] == "A unit at the level “file” cannot be part of one at the level “file”."
    assert Unit.objects.count() == 3


@pytest.mark.django_db
def test_an_update_by_identifier_changes_the_unit_records_history_and_undoes(importer, rgaspi):
    run_import("units", stream(read("units_parent_after_child.csv")), user=importer)
    series = Unit.objects.get(identifier="T-558-11")

    result = run_import(
        "units",
        stream("identifier,title,scripts\nT-558-11,Inventory 11 (letters),Cyrl\n"),
        user=importer,
        mode="update",
    )

    assert result.errors == [] and (result.batch.created, result.batch.updated) == (0, 1)
    series.refresh_from_db()
    assert (series.title, series.scripts, series.version, series.number) == (
        "Inventory 11 (letters)",
        ["Cyrl"],
        2,
        "11",
    )
    assert series.history.count() == 2

    undo_batch(batch=result.batch, user=importer)
    series.refresh_from_db()
    assert (series.title, series.scripts, series.version) == ("Inventory 11", ["Cyrl", "Latn"], 3)


@pytest.mark.django_db
def test_a_unit_saved_by_someone_else_between_check_and_write_refuses_the_import(importer, rgaspi, monkeypatch):
    """The optimistic lock of the writing, as for every editorial kind: the version read must still be there."""
    run_import("units", stream(read("units_parent_after_child.csv")), user=importer)
    update = writing.update

    def saved_meanwhile(model, rows, **kwargs):
        Unit.objects.filter(identifier="T-558").update(version=7)
        return update(model, rows, **kwargs)

    monkeypatch.setattr(writing, "update", saved_meanwhile)

    result = run_import("units", stream("identifier,title\nT-558,Stalin\n"), user=importer, mode="update")

    assert errors_of(result) == [(2, "identifier", "T-558")]
    assert result.errors[0].message.startswith("Changed meanwhile")
    assert Unit.objects.get(identifier="T-558").title == "Stalin, J. V."


@pytest.mark.django_db
def test_moving_an_inventory_to_another_fonds_carries_its_files_and_documents(importer, rgaspi):
    run_import("units", stream(read("units_parent_after_child.csv")), user=importer)
    other = UnitFactory(identifier="T-17", repository=rgaspi, number="17")
    source = SourceFactory(repository=rgaspi, unit=Unit.objects.get(identifier="T-558-11-374"))

    result = run_import("units", stream("identifier,parent\nT-558-11,T-17\n"), user=importer, mode="update")

    assert result.errors == []
    file = Unit.objects.get(identifier="T-558-11-374")
    assert (file.parent.parent, file.fonds, Source.objects.get(pk=source.pk).fonds) == (other, other, other)

    undo_batch(batch=result.batch, user=importer)
    file.refresh_from_db()
    fonds = Unit.objects.get(identifier="T-558")
    assert (file.parent.parent, file.fonds, Source.objects.get(pk=source.pk).fonds) == (fonds, fonds, fonds)


@pytest.mark.django_db
def test_a_level_change_that_leaves_a_unit_above_its_own_is_refused(importer, rgaspi):
    fonds = UnitFactory(identifier="F", repository=rgaspi)
    series = UnitFactory(identifier="S", parent=fonds)
    UnitFactory(identifier="S-1", parent=series, level=Level.FILE)

    result = run_import("units", stream("identifier,level\nS,file\n"), user=importer, mode="update")

    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (2, "level", "Units under it (S-1) are of this level or above: move them first.")
    ]


@pytest.fixture
def described(rgaspi):
    """A small tree with every kind of value: access points, languages, scripts, a formula-like title."""
    fonds = UnitFactory(identifier="RGASPI-558", repository=rgaspi, number="558", date_edtf="1866/1986")
    series = UnitFactory(identifier="RGASPI-558-11", parent=fonds, number="11", scripts=["Cyrl", "Latn"])
    file = UnitFactory(
        identifier="RGASPI-558-11-374",
        parent=series,
        number="374",
        title="=Letters",
        notes="+ a note\nwith a second line",
        date_text="май 1939",
        date_edtf="1939-05~",
        published=True,
    )
    UnitFactory(identifier="RGASPI-17", repository=rgaspi, number="17", title="Central Committee")
    fonds.creators.set([AgentFactory(identifier="stalin")])
    file.agents.set([AgentFactory(identifier="genden"), AgentFactory(identifier="amar")])
    file.places.set([PlaceFactory(identifier="moscow")])
    file.subjects.set([SubjectFactory(identifier="treaties")])
    series.languages.set(Language.objects.all())
    return fonds


@pytest.mark.django_db
def test_the_export_reimports_unchanged(importer, described):
    before = export()
    versions = list(Unit.objects.values_list("pk", "version"))

    result = run_import("units", stream(before), user=importer)

    assert result.errors == []
    assert (result.batch.created, result.batch.updated, result.batch.unchanged) == (0, 0, 4)
    assert export() == before
    assert list(Unit.objects.values_list("pk", "version")) == versions
    rows = {row["identifier"]: row for row in csv.DictReader(io.StringIO(before))}
    assert rows["RGASPI-558-11-374"]["title"] == "'=Letters"  # formula cells neutralised
    assert rows["RGASPI-558-11-374"]["agents"] == "amar|genden"
    assert rows["RGASPI-558-11"]["parent"] == "RGASPI-558" and rows["RGASPI-558-11"]["scripts"] == "Cyrl|Latn"


@pytest.mark.django_db
def test_the_tree_rebuilds_from_its_export_in_any_row_order(importer, described):
    before = export()
    header, *rows = list(csv.reader(io.StringIO(before)))
    for level in reversed(Level):
        Unit.objects.filter(level=level).delete()
    out = io.StringIO()
    csv.writer(out).writerows([header, *reversed(rows)])  # children first

    result = run_import("units", stream(out.getvalue()), user=importer)

    assert result.errors == [] and result.batch.created == 4
    assert sorted(csv.reader(io.StringIO(export()))) == sorted(csv.reader(io.StringIO(before)))


@pytest.mark.django_db
def test_a_fonds_subtree_or_a_repository_exports_alone_and_reimports_unchanged(importer, described, tmp_path):
    UnitFactory(identifier="GARF-1", repository=RepositoryFactory(code="GARF"))
    call_command("export_records", "units", "--under", "RGASPI-558", "-o", str(tmp_path / "fonds.csv"))
    call_command("export_records", "units", "--repository", "RGASPI", "-o", str(tmp_path / "rgaspi.csv"))
    fonds, repository = ((tmp_path / name).read_bytes().decode() for name in ("fonds.csv", "rgaspi.csv"))

    assert [row["identifier"] for row in csv.DictReader(io.StringIO(fonds))] == [
        "RGASPI-558",
        "RGASPI-558-11",
        "RGASPI-558-11-374",
    ]
    assert fonds == export(units_under(described))
    assert len(list(csv.DictReader(io.StringIO(repository)))) == 4
    result = run_import("units", stream(fonds), user=importer)
    assert result.errors == [] and result.batch.unchanged == 3
    series = Unit.objects.get(identifier="RGASPI-558-11")
    assert [row["identifier"] for row in csv.DictReader(io.StringIO(export(units_under(series))))] == [
        "RGASPI-558-11",
        "RGASPI-558-11-374",
    ]


@pytest.mark.parametrize(
    "way",
    [
        pytest.param("inside-a-transaction", marks=pytest.mark.django_db),
        pytest.param("outside-a-transaction", marks=pytest.mark.django_db(transaction=True)),
    ],
)
def test_a_tree_across_chunks_names_parents_written_in_earlier_and_later_chunks(way, monkeypatch):
    """Outside a transaction the check reads on a connection of its own, which does not see the chunks this import
    has written: a parent from an earlier chunk is then one 'in the file' too."""
    monkeypatch.setattr(importer_module, "FIRST_CHUNK_ROWS", 2)
    monkeypatch.setattr(importer_module, "CHUNK_ROWS", 4)
    RepositoryFactory(code="RGASPI")
    user = UserFactory(is_superuser=True)
    lines = ["identifier,repository,level,parent,number,title"]
    lines += [f"F-{n},RGASPI,file,S-{n % 2},{n},File {n}" for n in range(4)]  # before their inventories
    lines += ["S-0,RGASPI,series,FONDS,1,Inventory 1", "FONDS,RGASPI,fonds,,558,Fonds 558"]
    lines += [f"G-{n},RGASPI,file,S-0,{10 + n},File {10 + n}" for n in range(4)]  # after theirs
    lines += ["S-1,RGASPI,series,FONDS,2,Inventory 2"]

    result = run_import("units", stream("\n".join(lines) + "\n"), user=user)

    assert result.errors == [] and result.batch.created == 11
    fonds = Unit.objects.get(identifier="FONDS")
    assert set(Unit.objects.exclude(pk=fonds.pk).values_list("fonds", flat=True)) == {fonds.pk}
    assert Unit.objects.get(identifier="F-3").parent.identifier == "S-1"
    assert Unit.objects.get(identifier="G-3").parent.identifier == "S-0"
