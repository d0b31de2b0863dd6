"""Gunicorn configuration, read automatically from the working directory: `gunicorn archive.wsgi`.

Everything can be overridden from the environment (GUNICORN_CMD_ARGS, or the variables below).
"""

import json
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: Django's ORM is blocking; one process per request in flight, two per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage; jitter avoids restarting all at once. Now and
# then: a new worker starts without what its predecessor had made (its facet index, seconds to build at a million
# sources; its compiled templates; its database connection), so at a thousand requests a second a budget of a few
# thousand requests would restart every worker every few seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = 5000
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Stage the app once in the master, so workers fork with it loaded (faster start, shared memory).
preload_app = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# One JSON object per request, like the application's logs.
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "logger": "gunicorn.access",
        "remote": "%(h)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "query": "%(q)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_us": "%(D)s",
        "user_agent": "%(a)s",
    }
)


def when_ready(server):
    """In the master, before the workers fork: build the facet index once, so that they start with it (the
    pages stay shared until a worker rebuilds its own after a change), then drop the master's connections:
    a forked worker must not share a socket (or a pool) with its parent."""
    from django.db import connections

    from archive.public import facet_index

    facet_index.warm()
    for connection in connections.all(initialized_only=True):
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()
