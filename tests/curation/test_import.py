"""The import pipeline: real files, every fault reported exactly, nothing half-written."""

import pytest
from django.core.exceptions import PermissionDenied

from archive.models import Source, Status
from curation.models import BatchStatus, ImportBatch, ImportBatchRecord
from curation.transfer.importer import run_import
from tests.factories import EventFactory, SourceFactory, UserFactory

from .conftest import read, stream

pytestmark = pytest.mark.django_db


def import_file(name, user, **options):
    return run_import("sources", stream(read(name)), user=user, file_name=name, **options)


FAULTY = [
    (
        "bad_encoding.csv",
        3,
        "",
        "The file is mostly UTF-8 but has bytes that are not (mixed encodings?): "
        "re-save it as CSV UTF-8 or pass the encoding explicitly.",
    ),
    ("missing_required_column.csv", 1, "title", "Missing required column “title”."),
    ("unknown_column.csv", 1, "colour", "Unknown column “colour” for sources."),
    (
        "bad_date.csv",
        3,
        "date_edtf",
        "“1936-13-45” is not a valid EDTF date (examples: 1934-11-27, 1936-03~, 1939-05-11/1939-09-16).",
    ),
    ("unknown_repository.csv", 3, "repository", "Unknown repository “GARF”."),
    ("duplicate_identifiers.csv", 3, "identifier", "Duplicate identifier: already on line 2."),
    ("empty.csv", 0, "", "The file is empty: it needs a header row and at least one data row."),
    ("header_only.csv", 2, "", "The file has a header row but no data rows."),
    (
        "formula_cells.csv",
        3,
        "title",
        "Starts with “=”, which a spreadsheet runs as a formula; "
        "to keep it as text, put an apostrophe before it ('=…).",
    ),
    (
        "html_in_text.csv",
        3,
        "summary",
        "Contains HTML markup (<script>); plain text only (Markdown in commentary).",
    ),
]


@pytest.mark.parametrize(("name", "line", "column", "message"), FAULTY, ids=[f[0] for f in FAULTY])
def test_faulty_file_gives_its_exact_error_and_writes_nothing(rgaspi, importer, name, line, column, message):
    result = import_file(name, importer)

    assert [(e.line, e.column, e.message) for e in result.errors] == [(line, column, message)]
    assert not Source.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert batch.errors == [[line, column, result.errors[0].value, message]]
    assert not ImportBatchRecord.objects.exists()


def test_every_error_of_the_file_is_reported_at_once(rgaspi, importer):
    data = (
        "identifier,title,repository,date_edtf\r\n"
        "A-1,First,RGASPI,1934-11-27\r\n"
        "A-2,,RGASPI,1934-02-30\r\n"
        "A-3,Third,NOPE,1934\r\n"
    )
    result = run_import("sources", stream(data), user=importer)

    assert [(e.line, e.column, e.value) for e in result.errors] == [
        (3, "title", ""),
        (3, "date_edtf", "1934-02-30"),
        (4, "repository", "NOPE"),
    ]
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("sources_utf8.csv", "utf-8", ","),
        ("sources_utf8_bom.csv", "utf-8-sig", ","),
        ("sources_cp1251_semicolon.csv", "cp1251", ";"),
        ("sources_tab.csv", "utf-8", "\t"),
    ],
)
def test_encodings_and_delimiters_are_detected(rgaspi, importer, name, encoding, delimiter):
    result = import_file(name, importer)

    assert result.errors == []
    assert (result.batch.encoding, result.batch.delimiter) == (encoding, delimiter)
    source = Source.objects.get(identifier="T-1934-11-27")
    assert source.date_text == "27 ноября 1934"
    assert source.summary == "Запись переговоров"
    assert list(source.languages.values_list("code", flat=True)) == ["ru"]


def test_encoding_and_delimiter_can_be_overridden(rgaspi, importer):
    result = import_file("sources_cp1251_semicolon.csv", importer, encoding="cp1251", delimiter="semicolon")

    assert result.errors == []
    assert Source.objects.get(identifier="T-1936-03-12").title == "Protocol of Mutual Assistance, 1936"


def test_russian_day_month_year_dates_become_edtf(rgaspi, importer):
    import_file("sources_russian_dates.csv", importer)

    first, second = Source.objects.order_by("title").reverse()
    assert (first.date_edtf, str(first.date_start), str(first.date_end)) == ("1934-11-27", "1934-11-27", "1934-11-27")
    assert (second.date_edtf, str(second.date_start), str(second.date_end)) == ("1936-03", "1936-03-01", "1936-03-31")


def test_new_records_get_stamps_version_and_a_batch(rgaspi, importer):
    result = import_file("sources_utf8.csv", importer)

    source = Source.objects.get(identifier="T-1934-11-27")
    assert (source.version, source.created_by, source.updated_by, source.slug) == (
        1,
        importer,
        importer,
        "t-1934-11-27",
    )
    batch = result.batch
    assert (batch.status, batch.rows, batch.created, batch.updated, batch.user) == (
        BatchStatus.SUCCEEDED,
        2,
        2,
        0,
        importer,
    )
    assert len(batch.checksum) == 64 and batch.file_name == "sources_utf8.csv"
    assert set(batch.records.values_list("identifier", "action", "version")) == {
        ("T-1934-11-27", "created", 1),
        ("T-1936-03-12", "created", 1),
    }


def test_reimport_updates_by_identifier_raises_version_and_skips_unchanged(rgaspi, importer):
    import_file("sources_utf8.csv", importer)
    changed = read("sources_utf8.csv").decode().replace("Протокол о взаимопомощи", "Протокол 1936 г.")

    result = run_import("sources", stream(changed), user=importer)

    assert (result.batch.created, result.batch.updated, result.batch.unchanged) == (0, 1, 1)
    protocol, record = Source.objects.get(identifier="T-1936-03-12"), Source.objects.get(identifier="T-1934-11-27")
    assert (protocol.summary, protocol.version) == ("Протокол 1936 г.", 2)
    assert record.version == 1
    assert result.preview[1].changed == ["summary"]
    assert result.preview[1].before == {"summary": "Протокол о взаимопомощи"}


def test_dry_run_counts_and_writes_nothing(rgaspi, importer):
    SourceFactory(identifier="T-1934-11-27", title="Old title")

    result = import_file("sources_utf8.csv", importer, dry_run=True)

    assert (result.batch.created, result.batch.updated, result.batch.status) == (1, 1, BatchStatus.PREVIEWED)
    assert Source.objects.get(identifier="T-1934-11-27").title == "Old title"
    assert Source.objects.count() == 1


def test_modes_create_only_and_update_only_refuse_the_other_case(rgaspi, importer):
    SourceFactory(identifier="T-1934-11-27")

    created = import_file("sources_utf8.csv", importer, mode="create")
    updated = import_file("sources_utf8.csv", importer, mode="update")

    assert [(e.line, e.column, e.message) for e in created.errors] == [
        (2, "identifier", "A record with this identifier exists (mode: create only).")
    ]
    assert [(e.line, e.column, e.message) for e in updated.errors] == [
        (3, "identifier", "No record with this identifier (mode: update only).")
    ]
    assert Source.objects.count() == 1


def test_setting_published_needs_the_publish_right(rgaspi, editor):
    data = "identifier,title,repository,status\r\nP-1,A protocol,RGASPI,published\r\nP-2,A draft,RGASPI,review\r\n"

    result = run_import("sources", stream(data), user=editor)

    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (2, "status", "Setting status to published needs the publish right.")
    ]
    assert not Source.objects.exists()


def test_publisher_may_publish_and_gets_a_publication_time(rgaspi, importer):
    data = "identifier,title,repository,status\r\nP-1,A protocol,RGASPI,published\r\n"

    run_import("sources", stream(data), user=importer)

    source = Source.objects.get()
    assert source.status == Status.PUBLISHED and source.published_at is not None
    assert Source.objects.published().count() == 1


def test_import_needs_the_import_right(rgaspi):
    user = UserFactory(is_staff=True)

    with pytest.raises(PermissionDenied):
        import_file("sources_utf8.csv", user)
    assert not ImportBatch.objects.exists()


def test_multi_valued_cells_with_roles_and_missing_relations(rgaspi, importer):
    from tests.factories import AgentFactory, SubjectFactory

    AgentFactory(identifier="stalin", slug="stalin")
    AgentFactory(identifier="genden", slug="genden-p")
    SubjectFactory(identifier="military-cooperation", slug="military-cooperation")
    EventFactory(identifier="EV-1934-KREMLIN", slug="kremlin-1934")
    data = (
        "identifier,title,repository,agents,subjects,events\r\n"
        "R-1,Record,RGASPI,stalin:mentioned|genden-p:signatory,military-cooperation,kremlin-1934\r\n"
        "R-2,Record,RGASPI,stalin:boss,,\r\n"
        "R-3,Record,RGASPI,,unknown-a|unknown-b,\r\n"
    )

    failed = run_import("sources", stream(data), user=importer)
    assert [(e.line, e.column, e.message) for e in failed.errors] == [
        (3, "agents", "“stalin:boss”: the role must be one of creator, recipient, signatory, mentioned."),
        (4, "subjects", "Unknown subjects: unknown-a, unknown-b."),
    ]
    ok = run_import("sources", stream("\r\n".join(data.split("\r\n")[:2])), user=importer)

    assert ok.errors == []
    source = Source.objects.get(identifier="R-1")
    assert set(source.agent_links.values_list("agent__identifier", "role")) == {
        ("stalin", "mentioned"),
        ("genden", "signatory"),
    }
    assert list(source.events.values_list("identifier", flat=True)) == ["EV-1934-KREMLIN"]


def test_events_may_name_a_parent_later_in_the_same_file(importer):
    data = (
        "identifier,slug,name,parent,date_edtf\r\n"
        "EV-OFFENSIVE,offensive,Soviet-Mongolian offensive,EV-KHALKHIN-GOL,1939-08-20/1939-08-31\r\n"
        "EV-KHALKHIN-GOL,khalkhin-gol,Battles of Khalkhin Gol,,1939-05-11/1939-09-16\r\n"
        "EV-ORPHAN,orphan,Orphan,EV-NOWHERE,1939\r\n"
    )
    from archive.models import Event

    failed = run_import("events", stream(data), user=importer)
    assert [(e.line, e.column, e.message) for e in failed.errors] == [
        (4, "parent", "Unknown event “EV-NOWHERE” (not in the database nor in this file).")
    ]
    assert not Event.objects.exists()

    run_import("events", stream("\r\n".join(data.split("\r\n")[:3])), user=importer)
    assert Event.objects.get(identifier="EV-OFFENSIVE").parent.identifier == "EV-KHALKHIN-GOL"


def test_commentary_html_is_rendered_and_target_rule_enforced(rgaspi, importer):
    SourceFactory(identifier="S-1")
    data = (
        "identifier,source,event,title,body,signature\r\n"
        "C-1,S-1,,Context,The **verbal** agreement,A. Historian\r\n"
        "C-2,,,Orphan,Text,A. Historian\r\n"
    )
    from archive.models import Commentary

    failed = run_import("commentary", stream(data), user=importer)
    assert [(e.line, e.column) for e in failed.errors] == [(3, "source")]

    run_import("commentary", stream("\r\n".join(data.split("\r\n")[:2])), user=importer)
    note = Commentary.objects.get()
    assert note.body_html == "<p>The <strong>verbal</strong> agreement</p>"
    assert (note.author, note.version) == (importer, 1)


def test_a_fixed_error_csv_imports_as_it_is(rgaspi, importer):
    from curation.transfer.errors import write_error_csv

    failed = import_file("bad_date.csv", importer)
    out = __import__("io").StringIO()
    write_error_csv(failed.batch, out)
    error_csv = out.getvalue()
    assert error_csv.splitlines()[0] == "identifier,title,repository,date_text,date_edtf,languages,summary,error"
    assert error_csv.splitlines()[1].endswith(
        'date_edtf: “1936-13-45” is not a valid EDTF date (examples: 1934-11-27, 1936-03~, 1939-05-11/1939-09-16)."'
    )

    fixed = error_csv.replace("1936-13-45", "1936-03-12")
    result = run_import("sources", stream(fixed), user=importer)

    assert result.errors == []
    assert Source.objects.get().identifier == "T-1936-03-12"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_validation_reads_on_a_connection_of_its_own_and_closes_it(monkeypatch):
    from django.db import DEFAULT_DB_ALIAS, connection, connections

    from curation.transfer.validation import Validator
    from tests.factories import AgentFactory, RepositoryFactory

    RepositoryFactory()
    AgentFactory(identifier="stalin", slug="stalin")
    SourceFactory(identifier="R-OLD", title="Old title")
    user = UserFactory(is_superuser=True)
    readers, wrappers = set(), []
    load = Validator.load

    def recording_load(self, parsed):
        current = load(self, parsed)
        readers.add(connection.connection.info.backend_pid)  # the calling thread's own connection
        wrappers.append(connections[DEFAULT_DB_ALIAS])  # that thread's wrapper of it
        return current

    monkeypatch.setattr(Validator, "load", recording_load)
    data = "identifier,title,repository,agents\r\nR-OLD,New title,RGASPI,\r\nR-NEW,Record,RGASPI,stalin:creator\r\n"

    result = run_import("sources", stream(data), user=user)
    failed = run_import("sources", stream(data.replace("stalin:", "nobody:")), user=user)

    assert (result.errors, result.batch.created, result.batch.updated) == ([], 1, 1)
    assert Source.objects.get(identifier="R-OLD").title == "New title"
    assert [(e.line, e.column, e.message) for e in failed.errors] == [
        (3, "agents", "Unknown people and organisations: nobody.")
    ]
    main = connection.connection.info.backend_pid
    assert readers and main not in readers
    # Closed by the import itself (the server's backend then exits on its own time, which is not asserted).
    assert wrappers and all(wrapper.connection is None for wrapper in wrappers)
