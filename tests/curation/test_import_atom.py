"""AtoM's CSV in (profiles atom and atom-authorities): the tree from legacyId/parentId, levels, NULL placeholders,
AtoM's dates, access points matched or created, one batch that undo removes, and faulty files refused whole."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.models import Agent, AgentKind, AgentRole, Level, Place, Source, Status, Subject, Unit
from curation.models import BatchStatus, ImportBatch
from curation.transfer.atom.columns import AUTHORITIES, ISAD
from curation.transfer.importer import run_import
from curation.transfer.undo import UndoRefused, undo_batch
from tests.factories import LanguageFactory, RepositoryFactory, SubjectFactory

from .conftest import FILES, read, stream

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs" / "csv.md"


@pytest.fixture
def example_repository(db):
    LanguageFactory(code="en", name="English")
    LanguageFactory(code="ru", name="Russian")
    return RepositoryFactory(
        code="EXAMPLE", name="Example Repository", abbreviation_original="", name_original="", city="", city_original=""
    )


def atom(user, name="atom_isad.csv", data=None, **options):
    return run_import("atom", stream(data if data is not None else read(name)), user=user, **options)


def errors_of(result):
    return {(error.line, error.column) for error in result.errors}


def test_a_fonds_series_file_and_item_import_as_one_batch_that_builds_the_tree(importer, example_repository):
    result = atom(importer)

    assert result.ok, result.errors
    assert ImportBatch.objects.filter(kind="atom", status=BatchStatus.SUCCEEDED).count() == 1
    fonds = Unit.objects.get(level=Level.FONDS)
    series = Unit.objects.get(level=Level.SERIES)
    file = Unit.objects.get(level=Level.FILE)
    item = Source.objects.get()
    # The series comes after the file that names it as its parent.
    assert (series.parent, file.parent, item.unit) == (fonds, series, file)
    assert (series.fonds, file.fonds) == (fonds, fonds)
    assert (fonds.identifier, fonds.number, file.identifier) == ("EXAMPLE-F1", "F1", "EXAMPLE-F1-S1-7")
    assert fonds.repository == example_repository and item.repository == example_repository
    # 2016-00-00 is the year 2016; the span runs from the earliest start to the latest end.
    assert fonds.date_edtf == "2015-01-01/2016-12-31"
    assert fonds.date_text == "January 1, 2015 - December 31, 2016; 2016"
    assert file.date_edtf == "2015-03/2015-06" and str(file.date_end) == "2015-06-30"
    assert item.date_edtf == "2015-03-12"


def test_null_placeholders_keep_the_events_aligned_and_histories_go_with_their_creators(importer, example_repository):
    atom(importer)

    fonds = Unit.objects.get(level=Level.FONDS)
    assert sorted(fonds.creators.values_list("name", flat=True)) == ["Example accumulator", "Example creator"]
    # eventActorHistories is "Example creator history|NULL": the second creator has none.
    assert fonds.administrative_history == "Example creator: Example creator history"
    assert Agent.objects.get(name="Example creator").description == "Example creator history"
    assert Agent.objects.get(name="Example accumulator").description == ""
    # The file's actors are NULL: no creator at all.
    assert not Unit.objects.get(level=Level.FILE).creators.exists()
    item = Source.objects.get()
    assert set(item.agent_links.values_list("agent__name", "role")) == {
        ("Example creator", AgentRole.CREATOR),
        ("Example person", AgentRole.MENTIONED),
    }


def test_fields_cultures_status_and_columns_without_a_home(importer, example_repository):
    atom(importer)

    fonds = Unit.objects.get(level=Level.FONDS)
    series = Unit.objects.get(level=Level.SERIES)
    item = Source.objects.get()
    assert (fonds.status, Unit.objects.get(level=Level.FILE).status) == (Status.PUBLISHED, Status.DRAFT)
    assert fonds.published_at is not None
    assert (fonds.title, fonds.title_original) == ("Example fonds", "")
    assert (series.title, series.title_original) == ("Example series", "Пример серии")
    assert "scopeAndContent (ru): Пример: содержание серии" in series.notes
    assert fonds.scope_content == "Example fonds scope and content" and fonds.extent == "3 series, 120 files"
    assert fonds.scripts == ["Latn", "Cyrl"]
    assert sorted(fonds.languages.values_list("code", flat=True)) == ["en", "ru"]
    assert "generalNote: Example fonds general note|Example fonds general note 2" in fonds.notes
    assert "genreAccessPoints: Correspondence" in fonds.notes
    assert "archivalHistory: Example fonds archival history" in fonds.notes
    assert (item.script, item.publication) == ("Cyrl", "Example item publication note")
    assert "locationOfOriginals: Example item location of originals" in item.provenance


def test_access_points_are_matched_by_name_or_created_once(importer, example_repository):
    SubjectFactory(term="Second Example Subject")

    result = atom(importer)

    # "Example subject" (fonds) and "example subject" (series) are one term; the other was in Opis already.
    assert Subject.objects.count() == 2
    assert result.report.created["subjects"] == 1 and result.report.matched["subjects"] == 1
    assert set(Unit.objects.get(level=Level.SERIES).subjects.values_list("term", flat=True)) == {"Example subject"}
    assert Place.objects.filter(name="Another example place").exists()
    assert result.report.created == {"agents": 3, "places": 2, "subjects": 1}


def test_undo_removes_everything_the_batch_made_and_nothing_else(importer, example_repository):
    kept = SubjectFactory(term="Second example subject")
    result = atom(importer)

    counts = undo_batch(batch=result.batch, user=importer)

    assert counts["deleted"] == 4 + 3 + 2 + 1
    assert not Unit.objects.exists() and not Source.objects.exists()
    assert not Agent.objects.exists() and not Place.objects.exists()
    assert list(Subject.objects.all()) == [kept]
    assert ImportBatch.objects.get(pk=result.batch.pk).status == BatchStatus.UNDONE


def test_undo_is_refused_when_a_unit_was_edited_since(importer, example_repository):
    result = atom(importer)
    series = Unit.objects.get(level=Level.SERIES)
    series.title = "Edited"
    series.version += 1
    series.save()

    with pytest.raises(UndoRefused, match="EXAMPLE-F1-S1 \\(edited since\\)"):
        undo_batch(batch=result.batch, user=importer)
    assert Unit.objects.count() == 3


@pytest.mark.parametrize(
    ("name", "where", "message"),
    [
        ("atom_parent_nowhere.csv", (4, "parentId"), "No row of this file has legacyId 99"),
        ("atom_bad_date.csv", (4, "eventStartDates"), "“2015-13-00” is not a real date"),
        ("atom_cycle.csv", (3, "parentId"), "The parents go round in a circle: 2 → 3 → 2."),
    ],
)
def test_a_faulty_file_is_refused_whole_with_line_and_column(importer, example_repository, name, where, message):
    result = atom(importer, name)

    assert where in errors_of(result)
    assert any(message in error.message for error in result.errors)
    assert result.batch.status == BatchStatus.FAILED
    assert not Unit.objects.exists() and not Agent.objects.exists() and not Subject.objects.exists()


def _isad_csv(rows: list[dict]) -> str:
    header = [column.name for column in ISAD]
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_russian_level_names_and_qubit_parent_slug_attach_to_an_existing_unit(importer, example_repository):
    atom(importer)
    data = _isad_csv(
        [
            {"legacyId": "10", "qubitParentSlug": "example-f1", "title": "Пример описи", "levelOfDescription": "Опись",
             "culture": "ru"},
            {"legacyId": "11", "parentId": "10", "identifier": "5", "title": "Пример дела",
             "levelOfDescription": "Дело", "culture": "ru"},
            {"legacyId": "12", "parentId": "11", "title": "Пример документа", "levelOfDescription": "Документ",
             "eventStartDates": "2015-00-00", "culture": "ru"},
        ]
    )  # fmt: skip

    result = atom(importer, data=data)

    assert result.ok, result.errors
    inventory = Unit.objects.get(title_original="Пример описи")
    assert (inventory.level, inventory.parent.identifier, inventory.identifier) == (
        Level.SERIES,
        "EXAMPLE-F1",
        "EXAMPLE-F1-L10",
    )
    assert Unit.objects.get(number="5").level == Level.FILE
    document = Source.objects.get(title_original="Пример документа")
    assert (document.unit.number, document.date_edtf) == ("5", "2015")


def test_levels_out_of_order_and_publishing_without_the_right_are_refused(editor, example_repository):
    data = _isad_csv(
        [
            {"legacyId": "1", "identifier": "F9", "title": "A fonds", "levelOfDescription": "Fonds",
             "repository": "Example Repository", "publicationStatus": "Published"},
            {"legacyId": "2", "parentId": "3", "title": "A series", "levelOfDescription": "Series"},
            {"legacyId": "3", "parentId": "1", "title": "A file", "levelOfDescription": "File"},
            {"legacyId": "4", "parentId": "1", "title": "A subseries", "levelOfDescription": "Subseries"},
        ]
    )  # fmt: skip

    result = atom(editor, data=data)

    assert {(2, "publicationStatus"), (3, "levelOfDescription"), (5, "levelOfDescription")} <= errors_of(result)
    assert not Unit.objects.exists()


def test_authority_records_become_agents_and_undo_takes_them_back(importer, example_repository):
    result = run_import("atom-authorities", stream(read("atom_authorities.csv")), user=importer)

    assert result.ok, result.errors
    organisation = Agent.objects.get(name="Example Organization")
    assert (organisation.kind, organisation.dates_text, organisation.dates_edtf) == (
        AgentKind.ORGANISATION,
        "1920-1991",
        "1920/1991",
    )
    assert organisation.description.startswith("Example organization history\n\n")
    assert "legalStatus: Example legal status" in organisation.description
    assert "actorOccupations: Example occupation A|Example occupation B" in organisation.description
    person = Agent.objects.get(name="Пример Персоны")
    assert (person.kind, person.name_original, person.dates_edtf) == (AgentKind.PERSON, "Пример Персоны", "1900")
    assert Agent.objects.get(name="Example Person").dates_edtf == ""  # "Example dates of existence" is kept as text

    again = run_import("atom-authorities", stream(read("atom_authorities.csv")), user=importer)
    assert again.ok and (again.batch.created, again.batch.unchanged) == (0, 3)

    undo_batch(batch=result.batch, user=importer)
    assert not Agent.objects.exists()


def test_the_command_line_imports_a_profile_and_says_what_it_made(importer, example_repository):
    out = io.StringIO()

    call_command("import_records", "atom", str(FILES / "atom_isad.csv"), "--user", "importer", stdout=out)

    assert "1 fonds, 1 series, 1 file, 1 item, 3 new agents, 2 new places, 2 new subjects" in out.getvalue()
    assert Unit.objects.count() == 3


def _documented(section: str) -> list[list[str]]:
    text = DOCS.read_text(encoding="utf-8").split(f"\n### {section}\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    return [[cell.strip().strip("`").replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_docs_csv_md_maps_every_atom_column_as_the_import_does():
    assert _documented("atom") == [[column.name, column.unit, column.source] for column in ISAD]
    assert _documented("atom-authorities") == [[column.name, column.unit] for column in AUTHORITIES]


def test_a_unit_extent_longer_than_its_field_is_refused_with_its_column(importer, example_repository):
    data = _isad_csv(
        [
            {"legacyId": "1", "identifier": "F9", "title": "A fonds", "levelOfDescription": "Fonds",
             "repository": "Example Repository", "extentAndMedium": "x" * 256},
        ]
    )  # fmt: skip

    result = atom(importer, data=data)

    assert errors_of(result) == {(2, "extentAndMedium")}
    assert not Unit.objects.exists()
