"""Settings shared by every environment.

Everything that differs between machines is read from an environment variable (see README).
Defaults are the safe choice: DEBUG off, SQLite file, local-memory cache, console e-mail.
"""

import os
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "listings",
    "pages",
    "search",
    "submissions",
    "community",
    "concerns",
    "news",
    "staffdesk",
    "volunteering",
    "demo",
    "consult",
    "portal",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.security.ContentSecurityPolicyMiddleware",
    "portal.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.site_navigation",
                "pages.context_processors.reading_aids",
                "news.context_processors.site_notices",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# DATABASE_URL selects the database; a SQLite file in the project is the laptop default.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite = DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets readers go on while a page is published, and synchronous=NORMAL stops every
    # small write (a search's query-log row) from waiting for an fsync: it was ~20 ms a search.
    _sqlite.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    # SQLite has one write lock. A transaction that reads first and writes later (Wagtail's
    # publish, a submission) gets SQLITE_BUSY at once, without waiting, if anyone wrote in
    # between (a search's log row): take the lock at BEGIN and wait for it up to `timeout`
    # seconds (SQLITE_TIMEOUT) instead. Searches never wait that long (search/querylog.py).
    _sqlite.setdefault("transaction_mode", "IMMEDIATE")
    _sqlite.setdefault("timeout", float(os.environ.get("SQLITE_TIMEOUT", "20")))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Searches are short OLTP statements; PostgreSQL's JIT compiles them for longer than they
    # run once their cost estimate passes jit_above_cost.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default; REDIS_URL switches to Redis for several app servers. While Redis is
# down the site keeps answering without it (portal/cache.py); REDIS_TIMEOUT (seconds) bounds
# each connect and command.
if os.environ.get("REDIS_URL"):
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.5") or "0.5")
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous GETs of the search page and the search API are served from the cache until the
# content changes (portal/response_cache.py); this many seconds at most in any case. 0: off.
# 30 s keeps a scheduled 緊急 notice (its own cache: 30 s, news/selectors.py) within a minute.
# Without REDIS_URL each process has its own cache and only sees the writes made in it: with
# several workers another worker's cached answer can be this old.
RESPONSE_CACHE_SECONDS = int(os.environ.get("RESPONSE_CACHE_SECONDS", "30") or "0")

# --- Login throttling (django-axes) -----------------------------------------------------------
# After AXES_FAILURE_LIMIT failed logins for one username from one address, that pair is locked
# for AXES_COOLOFF_HOURS (the page says so in Japanese; a locked pair's right password is refused
# too). Staff unlock in the admin (設定 → ログインの制限) or with `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Leaflet's own files from the django-leaflet wheel (not the app itself: it needs GDAL).
    (
        "vendor/leaflet",
        Path(find_spec("leaflet").submodule_search_locations[0]) / "static" / "leaflet",
    ),
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor can post many fields for a listing with schedules and photos.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@example.invalid")

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "居場所ポータル")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No staff e-mail hashes to gravatar.com (and no third-party images under the admin's CSP).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail 8 runs index and reference updates as tasks; each logs a line at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail.tasks": {"level": "WARNING"},
        # Wagtail logs every page publish at INFO; an import of 800 rows would drown the
        # progress lines. WAGTAIL_LOG_LEVEL=INFO brings them back.
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}


def require_secret_key(key: str) -> str:
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
    return key


# --- Search engine (issue 4; docs/deploy.md) -------------------------------------------------
# SEARCH_ENGINE=embedded (the default) answers from this project's database: nothing else to run.
# SEARCH_ENGINE=elasticsearch answers from the cluster at ELASTICSEARCH_URL (several nodes
# comma-separated; credentials may go in the URL) and, while the cluster is unreachable or
# failing, from the embedded engine, whose index is kept up to date either way.
# ELASTICSEARCH_INDEX_PREFIX names the alias (<prefix>-listings) and its versioned indices:
# one prefix per portal sharing a cluster. ELASTICSEARCH_TIMEOUT (seconds) bounds each search
# request; after 3 consecutive failures a process stops asking the cluster for 30 s.
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "embedded").strip().lower() or "embedded"
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "ibasho").strip()
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "1.5") or "1.5")
# The embedded engine keeps the posting lists it has used in memory, per process, up to
# SEARCH_TERM_CACHE_MB (default 64). Rebuilds of 2,000+ listings analyse text in one worker
# process per core; SEARCH_REBUILD_WORKERS sets how many (0: none).
SEARCH_TERM_CACHE_BYTES = int(float(os.environ.get("SEARCH_TERM_CACHE_MB", "64") or "64") * 2**20)
if os.environ.get("SEARCH_REBUILD_WORKERS", "").strip():
    SEARCH_REBUILD_WORKERS = int(os.environ["SEARCH_REBUILD_WORKERS"])
if SEARCH_ENGINE not in {"embedded", "elasticsearch"}:
    raise ImproperlyConfigured("SEARCH_ENGINE must be 'embedded' or 'elasticsearch'.")
if SEARCH_ENGINE == "elasticsearch" and not ELASTICSEARCH_URL:
    raise ImproperlyConfigured("SEARCH_ENGINE=elasticsearch needs ELASTICSEARCH_URL.")
# The client logs every request (INFO) and every failed node (WARNING); search.fallback logs
# one warning per outage instead.
LOGGING["loggers"]["elastic_transport"] = {"level": "ERROR"}
LOGGING["loggers"]["elasticsearch"] = {"level": "ERROR"}


# --- Community submissions (submissions app, issue 5; docs/submissions.md) --------------------
# Every value comes from the environment; the defaults are safe for a laptop.
SUBMISSION_LINK_DAYS = int(os.environ.get("SUBMISSION_LINK_DAYS", "60"))  # status link lifetime
SUBMISSION_RATE_LIMIT = os.environ.get("SUBMISSION_RATE_LIMIT", "10/h")  # per IP: 5/h, 20/d, 3/10m
SUBMISSION_MAX_UPLOAD_MB = float(os.environ.get("SUBMISSION_MAX_UPLOAD_MB", "5"))  # per photo
SUBMISSION_MAX_IMAGE_PIXELS = int(os.environ.get("SUBMISSION_MAX_IMAGE_PIXELS", "40000000"))
# Submitted photos are private until approved: keep them outside MEDIA_ROOT (not web-served).
SUBMISSION_FILES_ROOT = Path(
    os.environ.get("SUBMISSION_FILES_ROOT", BASE_DIR / "private-media" / "submissions")
)
SUBMISSION_PUBLIC_BASE_URL = os.environ.get("SUBMISSION_PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL)
SUBMISSION_MODERATOR_GROUP = os.environ.get("SUBMISSION_MODERATOR_GROUP", "Moderators")
SUBMISSION_NOTIFY_EMAILS = env_list("SUBMISSION_NOTIFY_EMAILS")  # extra moderator addresses
SUBMISSION_MAIL_TIMEOUT = int(os.environ.get("SUBMISSION_MAIL_TIMEOUT", "10"))  # seconds

# Concerns about neighbours (concerns/, docs/community.md): how long they are kept, and where
# they go when no coordinator of the area (or of the city) has a notify address.
CONCERN_KEEP_CLOSED_DAYS = int(os.environ.get("CONCERN_KEEP_CLOSED_DAYS", "90"))  # after closing
CONCERN_KEEP_MAX_DAYS = int(os.environ.get("CONCERN_KEEP_MAX_DAYS", "365"))  # after receipt
CONCERN_FALLBACK_EMAIL = os.environ.get("CONCERN_FALLBACK_EMAIL", "")
# Volunteer inquiries (names, contacts) are deleted by purge_volunteer_inquiries after this.
VOLUNTEER_INQUIRY_KEEP_DAYS = int(os.environ.get("VOLUNTEER_INQUIRY_KEEP_DAYS", "365"))
SUBMISSION_TRUST_X_FORWARDED_FOR = env_bool("SUBMISSION_TRUST_X_FORWARDED_FOR", False)

# --- Staff desk (staffdesk): CSV import jobs from the admin ---------------------------------
# Who runs an import job: "thread" (a thread in the web process, after the commit), "command"
# (only `manage.py run_import_jobs`, e.g. from cron) or "inline" (in the request; tests).
IMPORT_JOBS_RUNNER = os.environ.get("IMPORT_JOBS_RUNNER", "thread")
# A job claimed longer ago than this is taken as abandoned (its process died) and run again.
# Generous: the 765-row Tokyo file took ~11 minutes to import on PostgreSQL on a busy machine.
IMPORT_JOB_STALE_MINUTES = int(os.environ.get("IMPORT_JOB_STALE_MINUTES", "180"))
# The verification loop: a listing not confirmed (最終確認日) for this many months is stale;
# `send_verification_requests` asks its contact again after RESEND days; a request unanswered
# after NO_ANSWER days is listed for staff; the signed link works for LINK days.
VERIFICATION_STALE_MONTHS = int(os.environ.get("VERIFICATION_STALE_MONTHS", "12"))
VERIFICATION_RESEND_DAYS = int(os.environ.get("VERIFICATION_RESEND_DAYS", "30"))
VERIFICATION_NO_ANSWER_DAYS = int(os.environ.get("VERIFICATION_NO_ANSWER_DAYS", "14"))
VERIFICATION_LINK_DAYS = int(os.environ.get("VERIFICATION_LINK_DAYS", "60"))
# Unmet needs: searches with at most this many results count as "found little"; the report
# covers this many weeks; the raw search log is kept this many days (purge_search_log).
SEARCH_LOW_RESULTS = int(os.environ.get("SEARCH_LOW_RESULTS", "2"))
UNMET_NEEDS_WEEKS = int(os.environ.get("UNMET_NEEDS_WEEKS", "8"))
SEARCH_LOG_RETENTION_DAYS = int(os.environ.get("SEARCH_LOG_RETENTION_DAYS", "365"))
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))


# Map tiles for the Leaflet maps (listing page, search results' map view). The pages work without
# them (a plain list of places is always there). Default: the GSI light map (地理院タイル).
MAP_TILE_URL = os.environ.get(
    "MAP_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
)


# --- Content-Security-Policy and Permissions-Policy (portal/security.py) ----------------------
def _origin(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Public pages: nothing inline but what carries this response's nonce; map tiles from their host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", *_origin(MAP_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Video blocks only (pages.blocks.VIDEO_FRAME_ORIGINS): the providers' no-cookie players.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
# The Wagtail admin: its editor writes inline scripts and styles, previews pages in a frame and
# shows uploaded images as blob: and data: URLs.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_origin(MAP_TILE_URL)],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
# "Near me" asks for the location on this site only; nothing else is used.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "camera",
        "microphone",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "midi",
        "magnetometer",
        "gyroscope",
        "accelerometer",
        "display-capture",
        "browsing-topics",
    )
}
PERMISSIONS_POLICY["geolocation"] = ["self"]
