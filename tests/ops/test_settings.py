"""The production settings path, evaluated in a fresh interpreter per environment, as a deployment would."""

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from archive.settings.production_parts import cache_settings, logging_settings, storage_settings

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 20 + "k3Y-9pQ_rT" * 4


def production(env: dict[str, str], expression: str):
    """Evaluate `expression` against archive.settings.production loaded under `env`."""
    code = f"import json; from django.conf import settings; print(json.dumps({expression}, default=str))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "AWS_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "archive.settings.production", "SECRET_KEY": SECRET, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_uses_persistent_connections_whitenoise_and_memory_cache_by_default():
    got = production(
        {"DATABASE_URL": "postgres://app@db:5432/opis"},
        '[settings.DATABASES["default"]["CONN_MAX_AGE"], settings.DATABASES["default"]["CONN_HEALTH_CHECKS"], '
        'settings.MIDDLEWARE[:2], settings.CACHES["default"]["BACKEND"], settings.STORAGES, '
        "settings.PUBLIC_READ_DATABASE]",
    )
    conn_max_age, health_checks, middleware, cache, storages, replica = got
    assert conn_max_age == 60 and health_checks is True
    assert middleware == ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]
    assert cache == "django.core.cache.backends.locmem.LocMemCache"
    assert storages["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert replica is None


def test_production_with_redis_s3_pool_and_replica_configured():
    got = production(
        {
            "DATABASE_URL": "postgres://app@db:5432/opis",
            "DATABASE_REPLICA_URL": "postgres://app@replica:5432/opis",
            "DATABASE_POOL": "true",
            "REDIS_URL": "redis://cache:6379/1",
            "AWS_STORAGE_BUCKET_NAME": "opis-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
        },
        '[settings.CACHES["default"], settings.STORAGES["default"], settings.DATABASES["replica"]["HOST"], '
        'settings.DATABASES["default"]["OPTIONS"]["pool"], settings.DATABASES["default"]["CONN_MAX_AGE"], '
        "settings.PUBLIC_READ_DATABASE, settings.DATABASE_ROUTERS]",
    )
    cache, media, replica_host, pool, conn_max_age, public_reads, routers = got
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache:6379/1"
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "opis-media"
    assert media["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert replica_host == "replica"
    assert pool["max_size"] == 4 and conn_max_age == 0
    assert public_reads == "replica"
    assert routers == ["archive.db_routing.PublicReadReplicaRouter"]


def test_the_page_cache_answers_right_after_the_language_is_known():
    middleware = production({}, "settings.MIDDLEWARE")
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware[locale + 1] == "archive.public.cache.PublicPageCacheMiddleware"
    assert middleware.index("archive.db_routing.PublicReadsMiddleware") > locale + 1
    # Every other request to the public site reads the public generation once the user is known.
    generation = middleware.index("archive.public.cache.PublicGenerationMiddleware")
    assert middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") < generation


def test_http_caching_wraps_the_page_cache_a_minute_for_browsers_five_for_proxies():
    middleware, max_age, s_maxage = production(
        {}, "[settings.MIDDLEWARE, settings.PUBLIC_HTTP_MAX_AGE, settings.PUBLIC_HTTP_S_MAXAGE]"
    )
    position = middleware.index
    # Outside the session (its cookie, its Vary) and the page cache (its hits); the ETag inside the page cache,
    # which stores it with the page.
    assert position("archive.public.http_cache.PublicHttpCacheMiddleware") < position(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert position("archive.public.http_cache.PublicETagMiddleware") == (
        position("archive.public.cache.PublicPageCacheMiddleware") + 1
    )
    assert (max_age, s_maxage) == (60, 300)


def test_healthz_is_reachable_over_plain_http_behind_the_load_balancer():
    assert production({}, "settings.SECURE_REDIRECT_EXEMPT") == ["^healthz$"]


def test_collectstatic_writes_hashed_and_compressed_files(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings.production",
        "SECRET_KEY": SECRET,
        "STATIC_ROOT": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["archive/site.css"]
    assert hashed != "archive/site.css"
    assert (tmp_path / hashed).exists()
    assert (tmp_path / f"{hashed}.gz").exists()


def test_logs_are_one_json_object_per_line():
    config = logging_settings("INFO")["formatters"]["json"]
    formatter_class = config["()"]
    module, name = formatter_class.rsplit(".", 1)
    formatter = getattr(__import__(module, fromlist=[name]), name)(
        config["format"], rename_fields=config["rename_fields"]
    )
    record = logging.LogRecord("archive", logging.ERROR, __file__, 1, "database %s down", ("replica",), None)
    line = json.loads(formatter.format(record))
    assert line["level"] == "ERROR" and line["logger"] == "archive" and line["message"] == "database replica down"


def test_media_stays_on_disk_without_a_bucket():
    assert storage_settings({})["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
def test_the_redis_cache_settings_store_and_read_a_value():
    from django.core.cache.backends.redis import RedisCache

    config = cache_settings("redis://127.0.0.1:6379/15")["default"]
    cache = RedisCache(config["LOCATION"], {"KEY_PREFIX": "opis-test", "TIMEOUT": 5})
    cache.set("greeting", "привет")
    assert cache.get("greeting") == "привет"
    cache.delete("greeting")
