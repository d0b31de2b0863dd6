"""`/healthz`: what a load balancer or an orchestrator probes before sending traffic to this process."""

import logging

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 when every configured database answers a query, 503 naming the one that does not."""
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
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "databases": checks}, status=200 if healthy else 503)
