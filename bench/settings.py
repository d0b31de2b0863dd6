"""Benchmark settings: the production settings, plus a framework-floor view, served over plain HTTP.

Never used by a deployment. A random SECRET_KEY per process is fine here: the benchmarks are anonymous GETs
and in-process admin requests.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opis_bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from archive.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"  # noqa: F405
