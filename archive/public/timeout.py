"""A time limit on the database queries of public requests.

Anyone may send a public request, as often as they like; a query one starts that runs for minutes holds a worker
and a database backend all that time. So the queries of every public request (archive.db_routing.public_visitor:
the public site, anyone but a curator) run under PostgreSQL's statement_timeout, OPIS_PUBLIC_STATEMENT_TIMEOUT_MS
(0: no limit), on every connection the request may read from. A query cancelled by it is answered 503 with a
short page saying so.

The limit is the connection's state: set just before the view runs and reset when the request ends, so a
curator's request or an import that gets the same persistent connection next runs unlimited.
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.shortcuts import render

from archive.db_routing import public_aliases, public_visitor

log = logging.getLogger(__name__)

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout or on request
_LIMITED = "opis_time_limited"  # the request's attribute: the aliases its limit was set on


class PublicStatementTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            for alias in getattr(request, _LIMITED, ()):
                _reset(alias)

    def process_view(self, request, view_func, view_args, view_kwargs):
        milliseconds = settings.OPIS_PUBLIC_STATEMENT_TIMEOUT_MS
        if milliseconds > 0 and public_visitor(request):
            limited = []
            setattr(request, _LIMITED, limited)
            for alias in public_aliases():
                _set(alias, milliseconds)
                limited.append(alias)
        return None

    def process_exception(self, request, exception):
        if getattr(request, _LIMITED, None) and cancelled(exception):
            log.warning("public request stopped by the statement timeout: %s", request.get_full_path()[:500])
            return render(request, "archive/too_slow.html", status=503)
        return None


def cancelled(exception: BaseException) -> bool:
    """Whether the exception is (or was raised from) PostgreSQL cancelling a statement."""
    for _ in range(10):  # Django's database errors wrap the driver's: the chain is short
        if exception is None:
            return False
        if getattr(exception, "sqlstate", None) == QUERY_CANCELED:
            return True
        exception = exception.__cause__ or exception.__context__
    return False


@contextmanager
def unlimited(alias: str):
    """Lift the limit on one connection for work whose size no visitor chooses (the facet index's build, the same
    for every list), then put back what was there. Under load such work may take longer than the limit allows, and
    cancelled it would be started again by the next request, and the next."""
    connection = connections[alias]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        (before,) = cursor.fetchone()
        cursor.execute("SET statement_timeout = 0")
    try:
        yield
    finally:
        try:
            with connection.connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, false)", [before])
        except connection.Database.Error:  # a failed transaction: its rollback undoes the SET made in it
            log.warning("could not put back the statement timeout on %r", alias, exc_info=True)


# Both statements go through the driver's own cursor: they change the connection's state and are no query of the
# page (the page's query counts, logged by Django's cursor, stay its own).


def _set(alias: str, milliseconds: int) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(milliseconds)}")


def _reset(alias: str) -> None:
    connection = connections[alias]
    if connection.connection is None:  # closed meanwhile: the next connection starts without the limit
        return
    try:
        with connection.connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
    except connection.Database.Error:
        # A connection whose state is unknown is not handed on with the limit still set. (Inside a transaction,
        # as in a test, its rollback undoes the SET made in it.)
        log.warning("could not reset the statement timeout on %r", alias, exc_info=True)
        if not connection.in_atomic_block:
            connection.close()
