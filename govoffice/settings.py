"""Django settings, derived from the typed environment in env.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from govoffice.env import ENV

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = ENV.govoffice_data_dir
DATA_DIR.mkdir(parents=True, exist_ok=True)
PRODUCTION = ENV.production

SECRET_KEY = ENV.resolved_secret_key()
DEBUG = False
ALLOWED_HOSTS = ENV.split(ENV.govoffice_allowed_hosts)
CSRF_TRUSTED_ORIGINS = ENV.split(ENV.govoffice_csrf_trusted_origins)
PUBLIC_URL = ENV.govoffice_public_url.rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "axes",
    "huey.contrib.djhuey",
    "ninja",
    "govoffice.directory",
    "govoffice.audit",
    "govoffice.signing",
    "govoffice.exchange",
    "govoffice.records",
    "govoffice.notify",
    "govoffice.cabinet",
    "govoffice.portal",
    "govoffice.portal.feedback",
    "govoffice.supervision",
    "govoffice.reports",
    "govoffice.web",
    "govoffice.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "govoffice.web.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "govoffice.web.middleware.SessionEndedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "govoffice.web.middleware.ApiErrorFormatMiddleware",
]

ROOT_URLCONF = "govoffice.urls"
WSGI_APPLICATION = "govoffice.wsgi.application"

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


# The embedded default database (also read by the SQLite tests, whatever DATABASE_URL says).
# IMMEDIATE: a writer takes the lock at BEGIN, so concurrent writers queue instead of failing
# half-way; WAL lets readers go on while one writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    # 16 KB pages (new files only; set before WAL creates the file): the hub's 50 KB documents
    # take 4 pages, not 13, and a 50-document commit writes a quarter as many WAL frames.
    "init_command": "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def _database() -> dict[str, Any]:
    if ENV.database_url:
        db = dj_database_url.parse(ENV.database_url, conn_max_age=60, conn_health_checks=True)
        db.setdefault("TEST", {})
        return dict(db)
    return {
        "ENGINE": "govoffice.db.sqlite",  # SQLite with a queue for writers (db/sqlite/base.py)
        "NAME": DATA_DIR / "govoffice.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
        # Kept open between requests: opening SQLite and running the WAL pragmas costs more
        # than a small page (bench portal: 2.5 ms of a 4.3 ms lookup).
        "CONN_MAX_AGE": 600,
        # In memory, as Django does for None; spelt out because pytest-django recognises only its own
        # engine name and would otherwise put a "test_" prefix on the file path.
        "TEST": {"NAME": ":memory:"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.User"

PASSWORD_HASHERS = [
    # The test suite hashes thousands of passwords: Argon2 with a small cost there (env.py).
    "govoffice.directory.hashers.TestArgon2PasswordHasher"
    if ENV.govoffice_fast_password_hash and not PRODUCTION
    else "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock the username from the address that keeps failing.
AXES_FAILURE_LIMIT = ENV.govoffice_login_failure_limit
AXES_COOLOFF_TIME = ENV.govoffice_login_cooloff_minutes / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind nginx, the client's address is the last one the trusted proxies added.
AXES_IPWARE_PROXY_COUNT = ENV.govoffice_proxy_count
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if ENV.govoffice_proxy_count else ("REMOTE_ADDR",)

SESSION_COOKIE_AGE = ENV.govoffice_session_hours * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = ENV.govoffice_time_zone

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "files"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION

if ENV.govoffice_storage == "s3":
    _default_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ENV.s3_bucket,
            "endpoint_url": ENV.s3_endpoint_url or None,
            "access_key": ENV.s3_access_key_id,
            "secret_key": ENV.s3_secret_access_key,
            "region_name": ENV.s3_region or None,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

if ENV.email_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = ENV.email_host
    EMAIL_PORT = ENV.email_port
    EMAIL_HOST_USER = ENV.email_host_user
    EMAIL_HOST_PASSWORD = ENV.email_host_password
    EMAIL_USE_TLS = ENV.email_use_tls
    EMAIL_USE_SSL = ENV.email_use_ssl
    # A stalled mail server must not hold a notice's transaction (and, on SQLite, every writer) for long.
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = ENV.default_from_email
SERVER_EMAIL = ENV.default_from_email
def _cache(url: str) -> dict[str, Any]:
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "file://":  # shared by one machine's processes, at several times the cost (bench portal)
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": DATA_DIR / "cache",
                "OPTIONS": {"MAX_ENTRIES": 20_000}}
    # Each process its own memory (the default, and "locmem://"): the fastest; what one process
    # forgets the others keep, so the portal keeps public answers 10 s at most (portal/public_cache.py)
    # and a rate limit counts per process.
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}


CACHES = {"default": _cache(ENV.govoffice_cache_url)}
SMS_PROVIDER = ENV.govoffice_sms_provider
SMS_TOKEN = ENV.govoffice_sms_token
SMS_FILE_PATH = DATA_DIR / "sms"


def _huey() -> dict[str, Any]:
    queue = ENV.govoffice_queue
    common: dict[str, Any] = {"name": "govoffice", "immediate": queue == "immediate"}
    if queue.startswith("redis://"):
        return {**common, "huey_class": "huey.RedisHuey", "url": queue}
    return {
        **common,
        "huey_class": "huey.SqliteHuey",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate_use_memory": True,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }


HUEY = _huey()

# Certificates of other CAs whose member certificates the hub accepts (PEM files).
TRUSTED_CA_FILES = ENV.split(ENV.govoffice_trusted_ca_files)
# The national hub this deployment talks to when it is an agency's own office (empty = it is the hub).
HUB_URL = ENV.govoffice_hub_url.rstrip("/")
AGENT_CONFIG = Path(ENV.govoffice_agent_config) if ENV.govoffice_agent_config else DATA_DIR / "agent" / "agent.toml"
EXCHANGE: dict[str, Any] = {
    "max_message_bytes": ENV.govoffice_hub_max_message_bytes,
    "lease_seconds": ENV.govoffice_hub_lease_seconds,
    "stuck_after_minutes": ENV.govoffice_hub_stuck_minutes,
    "paper_cost_vnd": ENV.govoffice_hub_paper_cost_vnd,
    "push_max_attempts": ENV.govoffice_hub_push_attempts,
}

# The hub reads whole messages from the request body; the cap is its own (checked in the view).
DATA_UPLOAD_MAX_MEMORY_SIZE = ENV.govoffice_hub_max_message_bytes + 64 * 1024

# The office's document work.
RECORDS: dict[str, Any] = {
    # Agencies whose registry runs on this deployment (documents the hub delivers to them are
    # registered here automatically).
    "office_codes": ENV.split(ENV.govoffice_office_codes),
    # Types with a numbering series of their own; the others share the agency's common series.
    "series_per_type": set(ENV.split(ENV.govoffice_series_per_type)),
    "max_upload_bytes": ENV.govoffice_max_upload_bytes,
    "reminder_days": ENV.govoffice_reminder_days,
}

# Working days: configured additions and removals on top of the holidays library's Vietnam.
WORKDAYS = {
    "extra_holidays": ENV.split(ENV.govoffice_extra_holidays),
    "removed_holidays": ENV.split(ENV.govoffice_removed_holidays),
    "extra_workdays": ENV.split(ENV.govoffice_extra_workdays),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV.govoffice_log_level},
    "loggers": {"axes": {"level": "WARNING"}, "httpx": {"level": "WARNING"}, "huey": {"level": "WARNING"}},
}
