"""Public reads from a read replica, everything else from the primary.

The router needs to know whether a query belongs to a public page, which it cannot see; the middleware
marks anonymous (or non-staff) GET/HEAD requests to the public site in a context variable for the duration
of the request. Curators, the admin and every write stay on the primary, so they always read their writes.
Only the archive's records go to the replica: sessions and users stay on the primary.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

_public_read: ContextVar[bool] = ContextVar("opis_public_read", default=False)
# Set for one request whose replica is behind the primary's public generation, or down (archive/public/generation.py):
# its records come from the primary.
_replica_refused: ContextVar[bool] = ContextVar("opis_replica_refused", default=False)

PUBLIC_NAMESPACES = {"archive", "oai"}
REPLICATED_APPS = {"archive"}


class PublicReadReplicaRouter:
    """Active only when settings.PUBLIC_READ_DATABASE names a database alias."""

    def db_for_read(self, model, **hints):
        alias = getattr(settings, "PUBLIC_READ_DATABASE", None)
        if alias and _public_read.get() and not _replica_refused.get() and model._meta.app_label in REPLICATED_APPS:
            return alias
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None if db == "default" else False


class PublicReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public_read.set(False)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public_read(request):
            _public_read.set(True)
        return None


def public_visitor(request) -> bool:
    """A request to the public site by anyone but a curator (staff): what the public sees and may cost."""
    match = request.resolver_match
    user = getattr(request, "user", None)
    return match is not None and match.namespace in PUBLIC_NAMESPACES and not (user is not None and user.is_staff)


def public_aliases() -> list[str]:
    """The database aliases a public request may read from: the primary, and the replica when one is set and not
    refused for this request."""
    replica = getattr(settings, "PUBLIC_READ_DATABASE", None)
    return ["default", replica] if replica and not _replica_refused.get() else ["default"]


def is_public_read(request) -> bool:
    """Whether the request's reads of archive records are public ones: a GET or HEAD of the public site by
    anyone but staff (once the user is known; a visitor without a session is anonymous)."""
    return request.method in ("GET", "HEAD") and public_visitor(request)


def read_database(*, public: bool) -> str:
    """The database alias archive records are read from: the replica for public reads when one is configured (and
    not refused for the present request)."""
    alias = getattr(settings, "PUBLIC_READ_DATABASE", None)
    return alias if public and alias and not _replica_refused.get() else DEFAULT_DB_ALIAS


def replica_alias() -> str | None:
    return getattr(settings, "PUBLIC_READ_DATABASE", None)


def refuse_replica():
    """Until `reset_replica(token)`: every read of this context goes to the primary. Returns the token."""
    return _replica_refused.set(True)


def reset_replica(token) -> None:
    _replica_refused.reset(token)


def reading_public() -> bool:
    return _public_read.get()
