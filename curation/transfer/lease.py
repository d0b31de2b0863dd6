"""Who runs an import, and whether that process is still alive.

An import holds a lease for as long as it runs: a PostgreSQL advisory lock taken by a connection of its own.
PostgreSQL releases the lock when that session ends, however the process ends (killed, out of memory, the
machine restarted), and any other session can ask whether it is still held. So a batch marked running whose
lease is free was left by a process that died: no clocks, timeouts or heartbeats are involved.

The lease's connection also writes the batch's progress, committed at once while the import's own
transaction is still open, so the batch page can show it.
"""

import os
import secrets
import socket

import psycopg
from django.db import connection, connections

# The first key of every import lease (two-key advisory locks), so no other advisory lock can match one.
NAMESPACE = 0x4F504953  # "OPIS"


class ImportLease:
    """The advisory lock (NAMESPACE, key) held on a connection of the lease's own until release()."""

    def __init__(self):
        params = connections["default"].get_connection_params()
        self.connection = psycopg.connect(**params, autocommit=True)
        self.owner = f"{socket.gethostname()}, pid {os.getpid()}"[:255]
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SET idle_session_timeout = 0")  # an import may be quiet for long
                while True:
                    key = secrets.randbelow(2**31)
                    cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [NAMESPACE, key])
                    if cursor.fetchone()[0]:
                        break
        except BaseException:
            self.connection.close()
            raise
        self.key = key

    def progress(self, batch_id: int, rows: int) -> None:
        """Rows read so far, committed now. A row locked by another transaction is skipped, never waited for."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE curation_importbatch SET progress = %s WHERE id = "
                "(SELECT id FROM curation_importbatch WHERE id = %s FOR UPDATE SKIP LOCKED)",
                [rows, batch_id],
            )

    def release(self) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [NAMESPACE, self.key])
        except psycopg.Error:
            pass  # the session is gone, and the lock with it
        finally:
            self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.release()


def lease_is_held(key: int) -> bool:
    """Whether some session holds this lease. Asked on Django's connection, never on a lease's own: a session
    may take an advisory lock it already holds. A lock taken here ends with the current transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [NAMESPACE, key])
        return not cursor.fetchone()[0]
