"""`/healthz`: what a load balancer or an orchestrator probes before sending traffic to this process."""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 when every configured database answers a query; 503 naming the primary when it does not; 200 "degraded"
    naming the replica when only the replica does not, since public pages then read from the primary: a load
    balancer keeps the server, and monitoring sees which database is down."""
    checks = {}
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            checks[alias] = "ok"
        except DatabaseError as exc:
            logger.error("healthz: database %s unavailable: %s", alias, exc)
            checks[alias] = "unavailable"
    if checks.get(DEFAULT_DB_ALIAS) != "ok":
        return JsonResponse({"status": "error", "databases": checks}, status=503)
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "databases": checks})
