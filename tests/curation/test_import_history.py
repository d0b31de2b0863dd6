"""Imports and their undo leave a trace in each record's history, not only in the batch."""

import pytest

from archive.models import Source
from curation.transfer.importer import run_import
from curation.transfer.undo import undo_batch

from .conftest import read, stream

pytestmark = pytest.mark.django_db


def _import(user, data: bytes, name="sources_utf8.csv"):
    result = run_import("sources", stream(data), user=user, file_name=name)
    assert not result.errors
    return result.batch


def test_an_import_is_in_the_history_of_each_record_with_its_batch(rgaspi, importer):
    batch = _import(importer, read("sources_utf8.csv"))
    source = Source.objects.get(identifier="T-1934-11-27")
    (entry,) = source.history.all()
    assert (entry.history_type, entry.history_via, entry.history_batch) == ("+", "import", str(batch.pk))
    assert entry.history_user == importer and entry.title == source.title


def test_an_update_and_its_undo_are_recorded_with_before_and_after(rgaspi, importer):
    original = read("sources_utf8.csv")
    _import(importer, original)
    changed = original.decode().replace("Protocol of Mutual Assistance", "Protocol of 12 March 1936").encode()
    batch = _import(importer, changed, name="changed.csv")
    undo_batch(batch=batch, user=importer)

    source = Source.objects.get(identifier="T-1936-03-12")
    titles = list(source.history.order_by("history_id").values_list("title", "history_via", "history_change_reason"))
    assert titles == [
        ("Protocol of Mutual Assistance", "import", ""),
        ("Protocol of 12 March 1936", "import", ""),
        ("Protocol of Mutual Assistance", "import", f"Undo of import batch #{batch.pk}"),
    ]


def test_a_dry_run_records_no_history(rgaspi, importer):
    result = run_import("sources", stream(read("sources_utf8.csv")), user=importer, dry_run=True)
    assert not result.errors
    assert not Source.history.exists()


def test_undo_restores_free_text_the_admin_accepted_but_an_import_would_refuse(rgaspi, importer):
    original = read("sources_utf8.csv")
    _import(importer, original)
    Source.objects.filter(identifier="T-1936-03-12").update(summary="- see <Приложение 1> & <b>note</b>", version=2)
    changed = original.decode().replace("Протокол о взаимопомощи", "Новое резюме").encode()
    batch = _import(importer, changed, name="changed.csv")
    assert Source.objects.get(identifier="T-1936-03-12").summary == "Новое резюме"

    undo_batch(batch=batch, user=importer)
    assert Source.objects.get(identifier="T-1936-03-12").summary == "- see <Приложение 1> & <b>note</b>"


def test_undoing_created_records_records_each_deletion_with_its_links_and_allows_recovery(rgaspi, importer):
    from curation.services import recover_deleted

    batch = _import(importer, read("sources_utf8.csv"))
    pk = Source.objects.get(identifier="T-1934-11-27").pk
    undo_batch(batch=batch, user=importer)

    assert not Source.objects.filter(pk=pk).exists()
    deletion = Source.history.get(id=pk, history_type="-")
    assert (deletion.history_via, deletion.history_batch, deletion.history_user) == ("import", str(batch.pk), importer)
    assert deletion.history_change_reason == f"Undo of import batch #{batch.pk}"
    assert [link.language.code for link in deletion.languages.all()] == ["ru"]

    recovered = recover_deleted(model=Source, history_id=deletion.history_id, user=importer)
    assert recovered.identifier == "T-1934-11-27"
    assert list(recovered.languages.values_list("code", flat=True)) == ["ru"]


def test_the_people_of_an_imported_source_are_in_its_history_with_roles_and_recovered_with_them(rgaspi, importer):
    from archive.models import AgentRole
    from curation.services import recover_deleted
    from tests.factories import AgentFactory

    AgentFactory(identifier="stalin", slug="stalin", name="I. V. Stalin")
    AgentFactory(identifier="choibalsan", slug="choibalsan", name="Kh. Choibalsan")
    data = (
        b"identifier,title,repository,date_text,date_edtf,agents\n"
        b"T-1936-03-12,Protocol of Mutual Assistance,RGASPI,12.03.1936,1936-03-12,"
        b"stalin:signatory|choibalsan:signatory\n"
    )
    batch = _import(importer, data)
    source = Source.objects.get(identifier="T-1936-03-12")
    (entry,) = source.history.all()
    recorded = {(link.agent.name, link.role) for link in entry.agents.all()}
    assert recorded == {("I. V. Stalin", AgentRole.SIGNATORY), ("Kh. Choibalsan", AgentRole.SIGNATORY)}

    undo_batch(batch=batch, user=importer)
    deletion = Source.history.get(id=source.pk, history_type="-")
    recovered = recover_deleted(model=Source, history_id=deletion.history_id, user=importer)
    assert set(recovered.agent_links.values_list("agent__name", "role")) == recorded
