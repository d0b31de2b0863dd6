"""Tests: the server DATABASE_URL names, else the embedded one (make test starts it)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "tests-only-not-a-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
