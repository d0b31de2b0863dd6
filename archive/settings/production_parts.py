"""Production building blocks, each a function of the environment so tests can check them one by one.

production.py calls these; nothing here reads os.environ by itself.
"""

from collections.abc import Mapping

import dj_database_url

WHITENOISE_MIDDLEWARE = "whitenoise.middleware.WhiteNoiseMiddleware"
REPLICA_ALIAS = "replica"


def _true(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_settings(env: Mapping[str, str], fallback_url: str) -> dict:
    """Persistent connections by default (CONN_MAX_AGE, health-checked); a psycopg pool with DATABASE_POOL=true.

    A second URL (DATABASE_REPLICA_URL) adds the read replica the public pages read from (archive.db_routing).
    """

    def parse(url: str) -> dict:
        config = dj_database_url.parse(url, conn_max_age=int(env.get("CONN_MAX_AGE", "60")), conn_health_checks=True)
        if _true(env.get("DATABASE_POOL")):
            # The pool replaces persistent connections: Django requires CONN_MAX_AGE = 0 with it.
            config["CONN_MAX_AGE"] = 0
            config.setdefault("OPTIONS", {})["pool"] = {
                "min_size": int(env.get("DATABASE_POOL_MIN_SIZE", "1")),
                "max_size": int(env.get("DATABASE_POOL_MAX_SIZE", "4")),
                "timeout": int(env.get("DATABASE_POOL_TIMEOUT", "10")),
            }
        if not _true(env.get("DATABASE_JIT")):
            # PostgreSQL's JIT compiles a query the planner thinks expensive (a search over a million rows) for
            # a third of a second, more than the query then takes with its indexes: off for these short reads.
            config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        return config

    databases = {"default": parse(env.get("DATABASE_URL") or fallback_url)}
    if env.get("DATABASE_REPLICA_URL"):
        databases[REPLICA_ALIAS] = parse(env["DATABASE_REPLICA_URL"])
        databases[REPLICA_ALIAS]["TEST"] = {"MIRROR": "default"}
        # A replica that does not answer is given up quickly: the request then reads from the primary.
        databases[REPLICA_ALIAS].setdefault("OPTIONS", {})["connect_timeout"] = int(
            env.get("REPLICA_CONNECT_TIMEOUT", "2")
        )
    return databases


def cache_settings(redis_url: str | None) -> dict:
    """Redis (shared by every app server) when REDIS_URL is set, else this process's memory."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "opis",
                "TIMEOUT": 300,
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "opis"}}


def storage_settings(env: Mapping[str, str]) -> dict:
    """Static files hashed and compressed by whitenoise; media on local disk, or S3-compatible storage.

    Setting AWS_STORAGE_BUCKET_NAME switches media to django-storages' S3 backend; credentials come from the
    environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and are read by boto3, never written here.
    """
    static = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    bucket = env.get("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": static}
    options = {
        "bucket_name": bucket,
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": _true(env.get("AWS_QUERYSTRING_AUTH"), True),
    }
    for variable, option in (
        ("AWS_S3_ENDPOINT_URL", "endpoint_url"),
        ("AWS_S3_REGION_NAME", "region_name"),
        ("AWS_S3_CUSTOM_DOMAIN", "custom_domain"),
        ("AWS_LOCATION", "location"),
    ):
        if env.get(variable):
            options[option] = env[variable]
    return {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, "staticfiles": static}


def logging_settings(level: str = "INFO") -> dict:
    """One JSON object per line on stderr: what log collectors (journald, Loki, CloudWatch) parse."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "django.db.backends": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }


def with_whitenoise(middleware: list[str]) -> list[str]:
    """Whitenoise goes right after SecurityMiddleware, before everything else touches the request."""
    if WHITENOISE_MIDDLEWARE in middleware:
        return middleware
    position = middleware.index("django.middleware.security.SecurityMiddleware") + 1
    return [*middleware[:position], WHITENOISE_MIDDLEWARE, *middleware[position:]]


def with_page_cache(middleware: list[str]) -> list[str]:
    """The public page cache goes right after LocaleMiddleware (its key needs the language): a hit skips the rest."""
    entry = "archive.public.cache.PublicPageCacheMiddleware"
    rest = [m for m in middleware if m != entry]
    locale = "django.middleware.locale.LocaleMiddleware"
    position = rest.index(locale) + 1 if locale in rest else len(rest)
    return [*rest[:position], entry, *rest[position:]]
