"""The embedded PostgreSQL that `make run` and `make test` start when no DATABASE_URL is set."""

import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from archive import embedded_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir():
    """A cluster's folder under the checkout's var/, as `make run` keeps its own. Not under pytest's tmp_path:
    another pytest run on the machine may close /tmp/pytest-of-<user> to everyone but its owner while this
    test's server, which runs as another system user when the tests run as root, still needs it."""
    folder = ROOT / "var" / f"test-embedded-{uuid.uuid4().hex[:12]}"
    yield folder / "postgres"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server(data_dir):
    assert embedded_db.start(data_dir) is True
    yield data_dir
    embedded_db.stop(data_dir)


def test_a_new_cluster_folds_case_and_stems_russian_whatever_the_system_locales(server):
    with psycopg.connect(embedded_db.url(server)) as connection:
        upper, vector, extensions = connection.execute(
            "SELECT upper('халхин гол'), to_tsvector('russian', 'Протоколы Монголии')::text, "
            "(SELECT array_agg(name ORDER BY name) FROM pg_available_extensions "
            " WHERE name IN ('pg_trgm', 'unaccent', 'btree_gin'))"
        ).fetchone()
    assert upper == "ХАЛХИН ГОЛ"
    assert vector == "'монгол':2 'протокол':1"
    assert extensions == ["btree_gin", "pg_trgm", "unaccent"]


def test_a_running_server_is_reused_and_stop_ends_it(server):
    assert embedded_db.start(server) is False
    embedded_db.stop(server)
    assert not (server / "postmaster.pid").exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(embedded_db.url(server), connect_timeout=2)


def test_run_gives_the_command_the_server_and_stops_the_server_it_started(data_dir, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    check = "import os, psycopg; psycopg.connect(os.environ['DATABASE_URL']).execute('SELECT 1')"
    before = signal.getsignal(signal.SIGINT)
    assert embedded_db.run([sys.executable, "-c", check], data_dir) == 0
    assert not (data_dir / "postmaster.pid").exists()
    assert signal.getsignal(signal.SIGINT) is before  # Ctrl-C does again what it did before the command


def test_run_leaves_a_server_it_did_not_start_running(server, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert embedded_db.run([sys.executable, "-c", "pass"], server) == 0
    assert (server / "postmaster.pid").exists()


def test_run_leaves_a_given_database_url_alone():
    code = "import os; print(os.environ['DATABASE_URL'])"
    result = subprocess.run(
        [sys.executable, "-m", "archive.embedded_db", "run", "--", sys.executable, "-c", code],
        env={"DATABASE_URL": "postgres://app@db.example.org/opis", "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "postgres://app@db.example.org/opis"
