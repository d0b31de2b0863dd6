"""The command-line door: progress only on a terminal, exit status, export to a file, undo."""

import io

import pytest
from django.core.management import CommandError, call_command

from archive.models import Source
from curation.models import ImportBatch
from curation.transfer.progress import Progress

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_drawn_on_a_terminal_and_silent_in_a_pipe():
    terminal, pipe = Terminal(), io.StringIO()

    Progress(terminal, label="Importing sources", total_rows=4000)(2000)
    Progress(pipe, label="Importing sources", total_rows=4000)(2000)

    assert terminal.getvalue().startswith(
        "\rImporting sources [###############...............]  50% 2,000 of 4,000 rows"
    )
    assert pipe.getvalue() == ""


def test_the_bar_counts_rows_done_of_the_rows_in_the_file():
    terminal = Terminal()

    Progress(terminal, label="Importing sources", total_rows=20000)(11750)

    assert terminal.getvalue().startswith(
        "\rImporting sources [#################.............]  59% 11,750 of 20,000 rows"
    )


def test_the_command_line_bar_follows_the_rows_written_not_the_bytes_read(importer, rgaspi, tmp_path):
    """The file is read ahead of the rows being checked and written: its bytes are all read long before the end."""
    path = tmp_path / "rows.csv"
    path.write_text("identifier,title,repository\n" + "".join(f"B-{n:04},Title {n},RGASPI\n" for n in range(1000)))
    terminal = Terminal()

    call_command("import_records", "sources", str(path), user="importer", stdout=io.StringIO(), stderr=terminal)

    # Chunks of 250, then 500, then the last 250 rows.
    shares = [part.split("]")[1].split()[0] for part in terminal.getvalue().split("\r") if "]" in part]
    assert shares == ["25%", "75%", "100%"]
    assert "1,000 of 1,000 rows" in terminal.getvalue()


def test_import_export_and_undo_from_the_command_line(importer, rgaspi, tmp_path):
    out = io.StringIO()
    call_command("import_records", "sources", "tests/files/sources_cp1251_semicolon.csv", user="importer", stdout=out)
    assert "2 rows, 2 created, 0 updated, 0 unchanged (cp1251, delimiter ';'" in out.getvalue()

    target = tmp_path / "sources.csv"
    call_command("export_records", "sources", "-o", str(target), "--excel", stderr=io.StringIO())
    data = target.read_bytes()
    assert data.startswith("\ufeffidentifier;slug;title".encode())
    assert "Запись переговоров".encode() in data

    batch = ImportBatch.objects.get()
    call_command("undo_import", str(batch.pk), user="importer", stdout=out)
    assert not Source.objects.exists()
    with pytest.raises(CommandError, match="only a completed import can be undone"):
        call_command("undo_import", str(batch.pk), user="importer")


def test_dry_run_writes_nothing_and_published_only_needs_a_status(importer, rgaspi):
    out = io.StringIO()
    call_command("import_records", "sources", "tests/files/sources_tab.csv", "--dry-run", user="importer", stdout=out)

    assert out.getvalue().startswith("Dry run #")
    assert not Source.objects.exists()
    with pytest.raises(CommandError, match="no publication status"):
        call_command("export_records", "agents", "--published-only")
