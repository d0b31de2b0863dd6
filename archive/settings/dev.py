"""Local development: the default of manage.py; the database is DATABASE_URL or the embedded server."""

import os
import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool

DEBUG = env_bool("DEBUG", True)


def _local_secret_key() -> str:
    # A per-checkout random key, kept out of the repository, so no key is ever committed.
    path = BASE_DIR / ".dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
