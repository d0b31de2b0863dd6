"""Production: refuses to start without a real SECRET_KEY; secure cookies, HSTS, HTTPS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment to a random value of at least 50 characters.")

DEBUG = env_bool("DEBUG", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Login throttling counts per client address (django-ipware reads it). Behind AXES_PROXY_COUNT proxies that each
# append the address they were reached from to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for), the client's
# address is that many entries from the right; whatever stands left of it was written by the client and is not
# trusted. ipware counts only the proxies named in the header (the last one is REMOTE_ADDR), hence the minus one;
# not strict, so that entries a client prepends do not make it fall back to the proxy's own address.
proxies = int(os.environ.get("AXES_PROXY_COUNT", "1"))
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if proxies else ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_PROXY_COUNT = proxies - 1 if proxies else None
IPWARE_STRICT = False

# --- Production shape: database, cache, static and media, logs, replica routing ---------------------------
# Kept as one block, apart from the security settings above; the helpers live in production_parts.py.
from archive import embedded_db  # noqa: E402

from .base import MIDDLEWARE  # noqa: E402
from .production_parts import (  # noqa: E402
    REPLICA_ALIAS,
    cache_settings,
    database_settings,
    logging_settings,
    storage_settings,
    with_page_cache,
    with_whitenoise,
)

# Without DATABASE_URL (collectstatic in a build step, a rehearsal on a laptop) the embedded server's URL.
DATABASES = database_settings(os.environ, fallback_url=embedded_db.url())
CACHES = cache_settings(os.environ.get("REDIS_URL"))
STORAGES = storage_settings(os.environ)
LOGGING = logging_settings(os.environ.get("LOG_LEVEL", "INFO"))
MIDDLEWARE = with_whitenoise(MIDDLEWARE)
# Public GET requests read archive records from the replica when one is configured; everything else the primary.
MIDDLEWARE = with_page_cache([*MIDDLEWARE, "archive.db_routing.PublicReadsMiddleware"])
# Public pages and figures are cached until the next change to a record (archive/public/cache.py); 0 turns it off.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))
# Browsers keep a public page a minute, a CDN or reverse proxy five: the longest a committed change takes to reach a
# visitor through them (nothing purges them; docs/deploy.md). Then they ask again and get 304 if it is unchanged.
PUBLIC_HTTP_MAX_AGE = int(os.environ.get("PUBLIC_HTTP_MAX_AGE", "60"))
PUBLIC_HTTP_S_MAXAGE = int(os.environ.get("PUBLIC_HTTP_S_MAXAGE", "300"))
DATABASE_ROUTERS = ["archive.db_routing.PublicReadReplicaRouter"]
PUBLIC_READ_DATABASE = REPLICA_ALIAS if REPLICA_ALIAS in DATABASES else None
# Load balancers probe over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
