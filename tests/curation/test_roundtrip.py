"""Export, then import the file back: nothing changes, for every kind. Undo puts updated values back."""

import csv
import io

import pytest
from django.db.models import F

from archive.models import Agent, Commentary, Event, Level, Place, Source, SourceAgent, Subject, Unit
from curation.demo import load_demo
from curation.models import BatchStatus
from curation.transfer.exporting import write_csv
from curation.transfer.formats import KINDS
from curation.transfer.importer import run_import
from curation.transfer.undo import UndoRefused, undo_batch
from tests.factories import AgentFactory, CommentaryFactory, PlaceFactory, SourceFactory, UnitFactory, unit_path

from .conftest import SAMPLES, stream

pytestmark = pytest.mark.django_db

ORDER = ["agents", "places", "subjects", "events", "units", "sources", "commentary"]


def export(kind: str) -> str:
    out = io.StringIO()
    write_csv(KINDS[kind], KINDS[kind].model.objects.all(), out)
    return out.getvalue()


@pytest.fixture
def collection(importer):
    """The demo collection plus records with empty optional fields and formula-like text."""
    load_demo()
    AgentFactory(identifier="anon", slug="anon", name="-anonymous informant", name_variants="")
    PlaceFactory(identifier="tamsag", slug="tamsag-bulag", name="Tamsag-Bulag", name_original="Тамсаг-Булак")
    source = SourceFactory(
        identifier="RGASPI-TEST-1",
        title="=Report on Japanese forces",
        title_original="Доклад о японских войсках",
        summary="+ surplus note\nwith a second line",
        transcription="Товарищ <неразборчиво> доложил <...> о положении",  # editorial marks, not markup
        date_edtf="1939-05~",
        date_text="май 1939",
        unit=unit_path("558", "11", "374"),
        folios="12–15",
    )
    # A file kept directly in a fonds, and a source of the fonds itself.
    SourceFactory(identifier="RGASPI-TEST-2", unit=UnitFactory(parent=unit_path("17"), level="file", number="5"))
    SourceFactory(identifier="RGASPI-TEST-3", unit=unit_path("17"))
    SourceAgent.objects.create(source=source, agent=Agent.objects.get(identifier="anon"), role="mentioned")
    source.places.set(Place.objects.all())
    return importer


@pytest.mark.parametrize("kind", ORDER)
def test_export_reimports_unchanged(collection, kind):
    model = KINDS[kind].model
    before = export(kind)
    versions = list(model.objects.values_list("pk", *(["version"] if KINDS[kind].editorial else [])))

    result = run_import(kind, stream(before), user=collection)

    assert result.errors == []
    count = model.objects.count()
    assert (result.batch.created, result.batch.updated, result.batch.unchanged) == (0, 0, count)
    assert export(kind) == before
    assert list(model.objects.values_list("pk", *(["version"] if KINDS[kind].editorial else []))) == versions


def test_whole_collection_rebuilds_from_its_export(collection):
    exports = {kind: export(kind) for kind in ORDER}
    Event.objects.update(parent=None)
    for model in (Commentary, Source, Event, Agent, Place, Subject):
        model.objects.all().delete()
        if model is Source:
            for level in reversed(Level):  # files, then inventories, then fonds: each protects its parent
                Unit.objects.filter(level=level).delete()

    for kind in ORDER:
        result = run_import(kind, stream(exports[kind]), user=collection)
        assert result.errors == [], kind

    assert {kind: export(kind) for kind in ORDER} == exports
    assert Source.objects.get(identifier="RGASPI-TEST-1").title_original == "Доклад о японских войсках"


def test_export_neutralises_formulae_in_every_cell(collection):
    rows = {row["identifier"]: row for row in csv.DictReader(io.StringIO(export("sources")))}
    agents = {row["identifier"]: row for row in csv.DictReader(io.StringIO(export("agents")))}

    assert rows["RGASPI-TEST-1"]["title"] == "'=Report on Japanese forces"
    assert rows["RGASPI-TEST-1"]["summary"] == "'+ surplus note\nwith a second line"
    assert agents["anon"]["name"] == "'-anonymous informant"
    assert rows["RGASPI-TEST-1"]["agents"] == "anon:mentioned"
    assert rows["RGASPI-TEST-1"]["places"] == "|".join(sorted(Place.objects.values_list("identifier", flat=True)))


def test_sample_files_load_into_an_empty_archive(importer, rgaspi):
    for kind in ORDER:
        result = run_import(kind, stream((SAMPLES / f"{kind}.csv").read_bytes()), user=importer)
        assert result.errors == [], (kind, result.errors[:3])
    assert Source.objects.count() == 4
    assert Event.objects.get(identifier="EV-1939-KHALKHIN-GOL").name == "Battles of Khalkhin Gol"


def test_undo_restores_updated_values_and_deletes_created(collection):
    original = export("sources")
    rows = list(csv.DictReader(io.StringIO(original)))
    rows[0]["title"] = "Changed title"
    rows[0]["languages"] = ""
    rows.append({**rows[1], "identifier": "NEW-1", "slug": "new-1"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=KINDS["sources"].header)
    writer.writeheader()
    writer.writerows(rows)
    result = run_import("sources", stream(out.getvalue()), user=collection)
    assert (result.batch.created, result.batch.updated) == (1, 1)
    changed = Source.objects.get(identifier=rows[0]["identifier"])
    assert (changed.title, changed.languages.count()) == ("Changed title", 0)

    counts = undo_batch(batch=result.batch, user=collection)

    assert counts == {"deleted": 1, "restored": 1}
    assert export("sources") == original
    restored = Source.objects.get(identifier=rows[0]["identifier"])
    assert restored.version == changed.version + 1  # a restore is a write too
    result.batch.refresh_from_db()
    assert result.batch.status == BatchStatus.UNDONE
    with pytest.raises(UndoRefused, match="only a completed import can be undone"):
        undo_batch(batch=result.batch, user=collection)


def test_undo_refuses_when_a_record_was_edited_since(collection):
    data = export("sources").replace("Protocol of Mutual Assistance", "Protocol of Mutual Aid")
    result = run_import("sources", stream(data), user=collection)
    protocol = Source.objects.filter(identifier="RGASPI-DEMO-1936-03-12")
    protocol.update(title="Edited by hand", version=F("version") + 1)

    with pytest.raises(UndoRefused) as refused:
        undo_batch(batch=result.batch, user=collection)

    assert "RGASPI-DEMO-1936-03-12 (edited since: version 3, import left 2)" in str(refused.value)
    assert protocol.get().title == "Edited by hand"
    result.batch.refresh_from_db()
    assert result.batch.status == BatchStatus.SUCCEEDED


def test_undo_refuses_to_delete_what_later_work_uses(collection):
    data = "identifier,title,repository\r\nNEW-2,A new source,RGASPI\r\n"
    result = run_import("sources", stream(data), user=collection)
    CommentaryFactory(source=Source.objects.get(identifier="NEW-2"))

    with pytest.raises(UndoRefused, match="now used by commentary"):
        undo_batch(batch=result.batch, user=collection)
    assert Source.objects.filter(identifier="NEW-2").exists()


def test_undo_of_authorities_compares_values(collection):
    data = export("places").replace("Ulaanbaatar", "Ulan Bator", 1)
    result = run_import("places", stream(data), user=collection)
    Place.objects.filter(identifier="ulaanbaatar").update(name="Urga")

    with pytest.raises(UndoRefused, match="ulaanbaatar"):
        undo_batch(batch=result.batch, user=collection)
