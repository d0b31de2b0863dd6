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
