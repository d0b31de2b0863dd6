"""Files longer than one chunk: written chunk by chunk while the next is checked, yet all or nothing.

The chunk sizes are made tiny so that a dozen rows cross several chunk boundaries. Each rule is checked
twice: inside a transaction (validation reads on the import's own connection) and outside one (on
PostgreSQL validation then reads on a connection of its own)."""

import pytest

from archive.models import Source
from curation.models import ImportBatchRecord
from curation.transfer import importer
from curation.transfer.importer import run_import
from tests.factories import AgentFactory, LanguageFactory, RepositoryFactory, UserFactory

from .conftest import stream

ROWS = 11  # chunks of 2, 4, 4 and 1 rows
both_ways = pytest.mark.parametrize(
    "way",
    [
        pytest.param("inside-a-transaction", marks=pytest.mark.django_db),
        pytest.param("outside-a-transaction", marks=pytest.mark.django_db(transaction=True)),
    ],
)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(importer, "FIRST_CHUNK_ROWS", 2)
    monkeypatch.setattr(importer, "CHUNK_ROWS", 4)


@pytest.fixture
def archive(way, small_chunks):
    RepositoryFactory()
    LanguageFactory(code="ru", name="Russian")
    for n in range(ROWS):
        AgentFactory(identifier=f"agent-{n}", slug=f"agent-{n}")
    return UserFactory(is_superuser=True)


def sources_file(*, title="Запись беседы", rows=ROWS, replace=None) -> str:
    lines = ["identifier,title,repository,languages,agents"]
    for n in range(rows):
        cells = [f"R-{n}", f"{title} № {n}", "RGASPI", "ru", f"agent-{n}:creator|agent-{(n + 1) % ROWS}:recipient"]
        lines.append(",".join(replace.get(n, cells) if replace else cells))
    return "\r\n".join(lines) + "\r\n"


@both_ways
def test_every_chunk_is_written_with_its_links_history_and_batch_records(archive):
    result = run_import("sources", stream(sources_file()), user=archive)

    assert (result.errors, result.batch.created, result.batch.rows) == ([], ROWS, ROWS)
    assert Source.objects.count() == ROWS
    last = Source.objects.get(identifier=f"R-{ROWS - 1}")
    assert sorted(last.agent_links.values_list("agent__identifier", "role")) == [
        ("agent-0", "recipient"),
        (f"agent-{ROWS - 1}", "creator"),
    ]
    assert ImportBatchRecord.objects.filter(batch=result.batch).count() == ROWS
    assert last.history.get().history_batch == str(result.batch.pk)


@both_ways
def test_a_reimport_across_chunks_updates_every_row_by_identifier(archive):
    run_import("sources", stream(sources_file()), user=archive)

    result = run_import("sources", stream(sources_file(title="Запись переговоров")), user=archive)

    assert (result.errors, result.batch.created, result.batch.updated) == ([], 0, ROWS)
    assert set(Source.objects.values_list("version", flat=True)) == {2}
    assert Source.objects.filter(title__startswith="Запись переговоров").count() == ROWS


@both_ways
def test_errors_in_the_first_and_last_chunks_are_all_reported_and_nothing_is_written(archive):
    bad = {
        0: ["R-0", "Запись", "GARF", "ru", ""],
        5: ["R-0", "Повтор", "RGASPI", "ru", ""],
        ROWS - 1: ["R-LAST", "Запись", "RGASPI", "ru", "nobody:creator"],
    }

    result = run_import("sources", stream(sources_file(replace=bad)), user=archive)

    assert [(e.line, e.column, e.value) for e in result.errors] == [
        (2, "repository", "GARF"),
        (7, "identifier", "R-0"),
        (ROWS + 1, "agents", "nobody"),
    ]
    assert not Source.objects.exists()
    assert not ImportBatchRecord.objects.exists()


@both_ways
def test_a_slug_given_twice_in_different_chunks_is_refused(archive):
    twice = {
        1: ["R-1", "Запись", "RGASPI", "ru", ""],
        9: ["R-9", "Запись", "RGASPI", "ru", ""],
    }
    data = sources_file(replace=twice).replace("identifier,title,", "identifier,slug,title,")
    data = data.replace("R-1,Запись,", "R-1,same,Запись,").replace("R-9,Запись,", "R-9,same,Запись,")
    data = "\r\n".join(
        line if ",same," in line or line.startswith("identifier") else line.replace(",", ",,", 1)
        for line in data.split("\r\n")
    )

    result = run_import("sources", stream(data), user=archive)

    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (11, "slug", "Also given to R-1 in this file: a slug must be unique.")
    ]
    assert not Source.objects.exists()
