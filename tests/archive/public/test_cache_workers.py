"""The public cache under the production settings, served by a real gunicorn with two workers.

Without REDIS_URL each worker caches pages in its own memory. A withdrawal must still be visible on the next
request whichever worker answers it, and a page rendered while the withdrawal was not yet committed must never
be served after the commit. Every check runs on each worker in turn: one worker is kept busy with a request
whose headers never end, so the other answers everything until it is released.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection, transaction

from curation import services
from curation.roles import EDITOR
from tests.connections import database_url
from tests.factories import SourceFactory

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)
DEADLINE = 60  # seconds: how long the server may take to answer at all, or a worker to take a connection
LIST, FEED = "/sources/", "/feeds/new-sources.atom"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@dataclass
class Response:
    status: int
    cache: str | None  # X-Opis-Cache: "hit", "miss", or None when the page cache did not take part
    text: str


class Server:
    """A gunicorn started by the test: requests to it, and a way to run checks on each of its two workers."""

    def __init__(self, port: int, process: subprocess.Popen, log: Path):
        self.port, self.process, self.log = port, process, log

    def get(self, path: str) -> Response:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=DEADLINE) as response:
                return Response(response.status, response.headers.get("X-Opis-Cache"), response.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers.get("X-Opis-Cache"), error.read().decode())

    def wait_until_ready(self) -> None:
        """Poll /healthz until it answers 200 (or the server dies, or DEADLINE passes)."""
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.1)
        pytest.fail(f"gunicorn did not answer /healthz within {DEADLINE} s:\n{self.log.read_text()}")

    def on_each_worker(self, check) -> None:
        """`check()` twice: first with every request answered by one worker, then by the other."""
        with ExitStack() as stack:
            first = stack.enter_context(self._occupied())  # one worker is busy: the other answers
            check()
            stack.enter_context(self._occupied())  # the only free worker takes it
            first.release()  # the first worker is free again, and now the only one
            check()

    @contextmanager
    def _occupied(self):
        """A request whose headers never end: the worker that takes it waits for them until released."""
        held = Held(socket.create_connection(("127.0.0.1", self.port), timeout=DEADLINE))
        held.sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self._wait_until_accepted()
        try:
            yield held
        finally:
            held.release()

    def _wait_until_accepted(self) -> None:
        """Poll the listening socket's accept queue (Linux: /proc/net/tcp) until a worker has taken every
        connection made to it."""
        local = f"0100007F:{self.port:04X}"
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
                fields = line.split()
                if fields[1] == local and fields[3] == "0A":  # LISTEN; its rx_queue is the accept queue
                    if int(fields[4].split(":")[1], 16) == 0:
                        return
            time.sleep(0.01)
        pytest.fail(f"no worker took the connection within {DEADLINE} s:\n{self.log.read_text()}")


class Held:
    def __init__(self, sock: socket.socket):
        self.sock, self.released = sock, False

    def release(self) -> None:
        """End the request's headers and read its answer to the end: the worker is then free again."""
        if self.released:
            return
        self.released = True
        with self.sock:
            self.sock.sendall(b"\r\n")
            while self.sock.recv(65536):
                pass


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """The hashed static files the production settings serve (whitenoise's manifest), collected once."""
    root = tmp_path_factory.mktemp("static")
    env = {**_production_env(), "STATIC_ROOT": str(root)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    return root


def _production_env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "AWS_", "PUBLIC_"))}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "archive.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


def _test_database_url() -> str:
    """The database this test runs against (pytest's test database), as a URL for another process."""
    return database_url(connection.settings_dict)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(
    params=[
        "memory",
        pytest.param("redis", marks=pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")),
    ]
)
def start_server(request, transactional_db, static_root, tmp_path):
    """Starts gunicorn archive.wsgi with gunicorn.conf.py, two workers, the production settings and the test
    database, its caches in each worker's memory or in Redis. Stopped (its whole process group) whatever the
    test does."""
    port = _free_port()
    env = {
        **_production_env(),
        "DATABASE_URL": _test_database_url(),
        "STATIC_ROOT": str(static_root),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_TIMEOUT": "600",  # a worker held by _occupied sends no heartbeat; it must not be restarted
        "GUNICORN_ACCESS_LOG": "",
    }
    if request.param == "redis":
        import redis

        env["REDIS_URL"] = "redis://127.0.0.1:6379/11"
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # nothing cached by an earlier run
    log = tmp_path / "gunicorn.log"
    started = []

    def start() -> Server:
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "archive.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the workers are stopped with it
            )
        started.append(process)
        server = Server(port, process, log)
        server.wait_until_ready()
        return server

    try:
        yield start
    finally:
        for process in started:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def editor(make_member):
    return make_member(EDITOR)


def _cache_everywhere(server: Server, paths: list[str]) -> list[Response]:
    """Each page requested twice on each worker: the second answer comes from that worker's cache."""
    answers = []
    server.on_each_worker(lambda: answers.extend(server.get(path) for path in paths for _ in range(2)))
    assert [a.cache for a in answers][1::2] == ["hit"] * len(paths) * 2
    return answers


def test_a_withdrawal_is_visible_on_every_worker_on_the_next_request(start_server, editor):
    source = SourceFactory(published=True, slug="withdrawn-while-cached")
    server = start_server()
    page = source.get_absolute_url()
    before = _cache_everywhere(server, [page, LIST, FEED])
    assert all(a.status == 200 and page in a.text for a in before)

    services.apply_transition(instance=source, user=editor, name="withdraw", reason="Folio numbers to be checked")

    answers = []
    server.on_each_worker(lambda: answers.extend(server.get(path) for path in (page, LIST, FEED) for _ in range(40)))
    assert [a.status for a in answers] == ([404] * 40 + [200] * 80) * 2
    assert [a for a in answers if a.status == 200 and page in a.text] == []  # a 404 names its own address


def test_a_page_rendered_before_a_withdrawal_commits_is_not_served_after_it(start_server, editor):
    source = SourceFactory(published=True, slug="withdrawn-in-a-transaction")
    server = start_server()
    page, rendered_meanwhile = source.get_absolute_url(), source.get_absolute_url() + "?meanwhile"
    _cache_everywhere(server, [page])

    during = []
    with transaction.atomic():
        services.apply_transition(instance=source, user=editor, name="withdraw", reason="Folio numbers to be checked")
        # Not committed yet: the workers read the published row, serve it, and render it at a new address.
        server.on_each_worker(lambda: during.extend([server.get(page), server.get(rendered_meanwhile)]))
    assert [r.status for r in during] == [200] * 4
    assert during[1].cache == "miss"  # rendered from the old row while the withdrawal was not committed

    after = []
    server.on_each_worker(lambda: after.extend(server.get(p) for p in (page, rendered_meanwhile) for _ in range(20)))
    assert [r.status for r in after] == [404] * 80
