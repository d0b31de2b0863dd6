"""Running test code on a database connection other than the test's own."""

import threading

from django.db import connections


def on_another_connection(function):
    """`function()` in a thread of its own, hence on database connections of its own (closed after); its result."""
    result = {}

    def run():
        try:
            result["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return result["value"]


def database_url(settings_dict: dict) -> str:
    """A database's settings as a DATABASE_URL for another process: a TCP server, or a Unix socket's folder
    (the embedded server's HOST) given as ?host=."""
    from urllib.parse import quote

    user = quote(settings_dict["USER"] or "", safe="")
    password = settings_dict["PASSWORD"]
    credentials = user + (f":{quote(password, safe='')}" if password else "")
    socket_dir = settings_dict["HOST"] or settings_dict.get("OPTIONS", {}).get("host", "")
    host, port, name = socket_dir or "127.0.0.1", settings_dict["PORT"] or 5432, settings_dict["NAME"]
    if host.startswith("/"):
        return f"postgres://{credentials}@/{name}?host={quote(host, safe='/')}"
    return f"postgres://{credentials}@{host}:{port}/{name}"
