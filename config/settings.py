"""Settings for the cooperation-area software, read from the environment.

Every setting that differs between a laptop and production comes from an environment
variable (see README and .env.example). Development defaults apply only when DEBUG is on.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=1 for local development); see .env.example."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "config.admin.SiteConfig",  # django.contrib.admin, with the app list in the domain's order
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "config.admin.AxesConfig",  # django-axes, named in the site's languages
    "import_export",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "municipalities",
    "agreements",
    "vision",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Static files, compressed and with hashed names, before anything else runs for them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost for pages: public pages as they leave the server, from the server-side cache;
    # then compress what is public, and answer If-None-Match with 304.
    "config.middleware.PublicPageCacheMiddleware",
    "config.middleware.PublicGZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "config.middleware.PublicCacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageFromPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Connections are kept for a minute: opening one costs more than most pages.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE") or "60"),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction that will write takes SQLite's write lock when it begins, so two saves at
    # the same moment run one after the other (see municipalities.concurrency) instead of
    # one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses sign-ins that are locked out before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# Uploaded documents (resolution PDFs). They are served only through views that check who
# may see them, never from a public URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# `make serve` collects them with hashed names and gzip and Brotli copies; whitenoise serves
# them with a cache lifetime of a year (the name changes when the file does).
# Source maps (Swagger UI's, for /api/docs/) are read by developer tools only: not compressed.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploaded documents (resolution PDFs, minutes) go through Django's storage API: on this
# machine's disk (MEDIA_ROOT) by default, or, for app servers on several machines, in an
# S3-compatible object store (django-storages) named by STORAGE_BUCKET. They are served by
# the views that check who may read them, never from a public address of the store.
if os.environ.get("STORAGE_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["STORAGE_BUCKET"],
            "endpoint_url": os.environ.get("STORAGE_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_REGION") or None,
            "access_key": os.environ.get("STORAGE_ACCESS_KEY") or None,
            "secret_key": os.environ.get("STORAGE_SECRET_KEY") or None,
            "location": os.environ.get("STORAGE_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Signed-in staff and clerks are signed out after SESSION_IDLE_MINUTES without a request: each
# request moves the session's expiry on, so only inactivity ends it.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES") or "120") * 60
SESSION_SAVE_EVERY_REQUEST = True

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    # HTTPS only. Behind the reverse proxy that ends TLS, the proxy's X-Forwarded-Proto says
    # whether the visitor used HTTPS (docs/deploy.md: the proxy must set it, never pass on a
    # visitor's). SECURE_PROXY_SSL_HEADER= (empty) trusts no header.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    _proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO,https")
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = tuple(part.strip() for part in _proxy_header.split(",", 1))
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# A load balancer asks /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): the pages load scripts, styles, images and fonts from
# this site only, run no inline script, and are framed by no one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# How long browsers and shared caches may keep a public page, export or feed (seconds).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS") or "60")

# The read-only API at /api/ (public.api): JSON only, no sign-in (so no session and no CSRF),
# and at most API_RATE_LIMIT requests from one visitor's address (behind the trusted
# proxies), counted in the shared cache.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["public.api.paging.AnonymousThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_RATE_LIMIT") or "120/minute"},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "連携中枢都市圏の記録 API / Cooperation area records API",
    "DESCRIPTION": (
        "The public record of Japan's regional core city cooperation areas (連携中枢都市圏), "
        "read-only: areas, municipalities, agreements with their procedures and council "
        "resolutions, visions, projects and indicators with their values. Drafts are never "
        "answered. Identifiers are the open data's: areas by slug, municipalities by local "
        "government code, procedures, visions, projects and indicators by id. Labels are in "
        "Japanese with English beside them (`status_label`, `status_label_en`), and every "
        "record links its public pages (`url`, `url_en`). Lists come a page at a time "
        "(`page`, `page_size`; `next` and `previous` give the full addresses), and take "
        "filters; a bad filter value is a 400 naming the parameter. `modified_since` "
        "selects the records modified since a moment: each record's `modified` says what "
        "counts. Answers carry an ETag: ask again with If-None-Match for a 304. Requests "
        "are limited per address (429 beyond). See docs/open-data.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The same vocabulary under one name wherever a field uses it.
    "ENUM_NAME_OVERRIDES": {
        "AgreementStatusEnum": "agreements.status.AgreementStatus",
        "ProcedureKindEnum": "agreements.status.ProcedureKind",
        "ProcedureStageEnum": "agreements.status.ProcedureStage",
        "ResultEnum": "agreements.status.Result",
        "RoleEnum": "agreements.models.Role",
        "MunicipalityKindEnum": "municipalities.models.MunicipalityKind",
        "IndicatorKindEnum": "vision.models.IndicatorKind",
        "ProgressEnum": "vision.progress.ProgressStatus",
        "VisionStatusEnum": "public.api.serializers.PUBLIC_VISION_STATUSES",
    },
}

# The server-side cache: Redis, shared by every app server, when REDIS_URL is set; otherwise
# this process's memory. Rendered public pages are kept there (config.middleware.
# PublicPageCacheMiddleware) under versions that any write moves, so they are never stale;
# PAGE_CACHE_SECONDS only bounds how long an unread page takes room. Several app servers
# (or several gunicorn workers) must share Redis: a worker's own memory would not see
# another's writes, so without REDIS_URL the page cache is on only for the development
# server (DEBUG), unless PAGE_CACHE_SECONDS says otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "rentai"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = int(
    os.environ.get("PAGE_CACHE_SECONDS") or ("600" if REDIS_URL or DEBUG else "0")
)

# Permissions-Policy (config.middleware): no page asks for the camera, a location and the like.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# One line per request comes from gunicorn (`make serve`); Django's warnings and errors (with
# tracebacks) go to the same standard output.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL") or "WARNING"},
}

# Throttling of failed sign-ins (django-axes), at /accounts/login/ and /admin/login/ alike,
# with three limits within the cool-off (municipalities.signin): failures of one user name
# from one IP address, of one user name from any address, and from one address for any user
# name. Reaching one locks that out for AXES_COOLOFF_MINUTES; planning staff can unlock their
# areas' clerks earlier (admin: Clerks' sign-ins). A successful sign-in clears the account's
# count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT") or "5")
AXES_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("AXES_ACCOUNT_FAILURE_LIMIT") or "10")
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT") or "30")
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES") or "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "municipalities.signin.LayeredLimitsHandler"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy, each sign-in must be counted for the visitor's address, not the
# proxy's: TRUSTED_PROXY_COUNT says how many proxies stand in front (municipalities.signin).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or "0")
AXES_CLIENT_IP_CALLABLE = "municipalities.signin.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Password-reset e-mails one address, or one e-mail address, may ask for within an hour.
PASSWORD_RESET_LIMIT = int(os.environ.get("PASSWORD_RESET_LIMIT") or "5")
AXES_HTTP_RESPONSE_CODE = 429

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "public:desk"
LOGOUT_REDIRECT_URL = "public:area_list"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The history pages show old versions read-only (see ServiceAdmin.history_form_view).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Spreadsheet round trip (vision.spreadsheets): an import runs in one transaction, and a dry
# run is rolled back. Between the dry run and the confirmation the file waits in the system's
# temporary folder (django-import-export's default).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
# An empty line in a workbook (a cleared cell below the data) is not a row.
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
