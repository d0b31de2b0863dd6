"""Settings shared by every environment; everything site-specific comes from the environment."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from archive import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "curation.apps.CurationAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "import_export",
    "curation.apps.BackgroundTasksConfig",  # django_tasks_db, named for the admin
    "archive",
    "curation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cache-Control, Vary, ETag and 304 (archive/public/http_cache.py): outside the session, the locale and the page
    # cache, so it sees the cookies and Vary they add, and page cache hits as well as misses.
    "archive.public.http_cache.PublicHttpCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The ETag of a public page, inside production's page cache (which goes right after LocaleMiddleware), so that
    # the cache stores it with the page.
    "archive.public.http_cache.PublicETagMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The public generation, read once per request before any record (archive/public/generation.py).
    "archive.public.cache.PublicGenerationMiddleware",
    "archive.public.timeout.PublicStatementTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"
ASGI_APPLICATION = "archive.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL only: DATABASE_URL names a server; without it, the embedded one in var/postgres (archive/embedded_db.py).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or embedded_db.url(),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["archive.formats"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

LOGIN_URL = "admin:login"

IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- History, login throttling, content security policy, upload limits ---
from datetime import timedelta  # noqa: E402

from django.utils.csp import CSP  # noqa: E402

INSTALLED_APPS += ["simple_history", "curation.apps.SignInAttemptsConfig"]  # axes, named for the admin
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)
MIDDLEWARE += [
    "simple_history.middleware.HistoryRequestMiddleware",  # the signed-in user of each recorded change
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]
TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

# Five wrong passwords for one username from one address lock that pair out for 15 minutes, then it clears.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# The public maps' tile server (archive/public/maps.py), with {z}/{x}/{y} in it, and the credit its terms ask for.
# Empty: no tiles, the markers alone. An archive picks a provider whose terms it accepts (OpenStreetMap's own
# tile.openstreetmap.org is for light use only).
OPIS_MAP_TILE_URL = os.environ.get("OPIS_MAP_TILE_URL", "")
OPIS_MAP_TILE_ATTRIBUTION = os.environ.get("OPIS_MAP_TILE_ATTRIBUTION", "")
_tiles = urlsplit(OPIS_MAP_TILE_URL)

# Scripts and styles come from this site only; inline code runs only with the per-response nonce. Images also from
# the tile server, when there is one.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *([f"{_tiles.scheme}://{_tiles.netloc}"] if _tiles.netloc else [])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# No page is shown in a frame, not even by this site (the admin's pop-ups are windows): frame-ancestors 'none' for
# browsers that read the policy, X-Frame-Options DENY for those that do not.
X_FRAME_OPTIONS = "DENY"
# The language cookie is read by the server only; production.py also makes it Secure.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Uploads: one limit for a CSV file (the admin's import form; `manage.py import_records` takes any size) and one
# for a scanned image.
OPIS_MAX_UPLOAD_BYTES = int(os.environ.get("OPIS_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
OPIS_MAX_IMAGE_BYTES = int(os.environ.get("OPIS_MAX_IMAGE_BYTES", str(40 * 1024 * 1024)))
OPIS_IMAGE_FORMATS = {"JPEG", "PNG", "TIFF", "WEBP"}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# CSV import and export: the buttons and views need archive.import_<model> / archive.export_<model>.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# Admin uploads of more data rows than OPIS_IMPORT_BACKGROUND_ROWS (counted as lines; within OPIS_MAX_UPLOAD_BYTES) are
# checked and imported by the task worker (`manage.py db_worker`), and the batch page shows their progress.
OPIS_IMPORT_BACKGROUND_ROWS = int(os.environ.get("OPIS_IMPORT_BACKGROUND_ROWS", "2000"))
# Background work (large imports) goes through Django's Tasks framework, stored in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Django's own widget templates through Jinja2 (same markup, several times faster): see archive/form_rendering.py.
FORM_RENDERER = "archive.form_rendering.FastFormRenderer"

# The source list's facets, filters and order from an in-memory index (archive/public/facet_index.py), brought
# forward by the first list after a change and built anew at most OPIS_FACET_INDEX_SECONDS after its build (a safety
# net: the change log names every change; a build takes each worker seconds at a million sources); off, every list
# is counted in SQL.
OPIS_FACET_INDEX = env_bool("OPIS_FACET_INDEX", True)
OPIS_FACET_INDEX_SECONDS = int(os.environ.get("OPIS_FACET_INDEX_SECONDS", "3600"))

# Every query of a public request (anyone but a curator) is cancelled after this long, and the request answered 503
# (archive/public/timeout.py), so no visitor can hold a worker or a database backend for long; 0 turns it off.
OPIS_PUBLIC_STATEMENT_TIMEOUT_MS = int(os.environ.get("OPIS_PUBLIC_STATEMENT_TIMEOUT_MS", "5000"))

# OAI-PMH 2.0 at /oai/ (archive/public/oai/, docs/oai-pmh.md). The repository identifier is the middle part of every
# record's identifier (oai:<it>:source:<identifier>): set it once to the site's domain and never change it; empty,
# the host the request came to is used. Records per ListRecords/ListIdentifiers page, and how long a resumption
# token stays valid.
OPIS_OAI_REPOSITORY_NAME = os.environ.get("OPIS_OAI_REPOSITORY_NAME", "Opis")
OPIS_OAI_REPOSITORY_IDENTIFIER = os.environ.get("OPIS_OAI_REPOSITORY_IDENTIFIER", "")
OPIS_OAI_ADMIN_EMAIL = os.environ.get("OPIS_OAI_ADMIN_EMAIL", "archive@opis.example.org")
OPIS_OAI_PAGE_SIZE = int(os.environ.get("OPIS_OAI_PAGE_SIZE", "200"))
# An ead3 record holds a whole fonds: a ListRecords page of ead3 holds this many.
OPIS_OAI_EAD3_PAGE_SIZE = int(os.environ.get("OPIS_OAI_EAD3_PAGE_SIZE", "10"))
OPIS_OAI_TOKEN_SECONDS = int(os.environ.get("OPIS_OAI_TOKEN_SECONDS", str(24 * 3600)))
