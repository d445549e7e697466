"""Settings shared by every environment.

Reads only the process environment; nothing else in Læra reads settings at import time.
Without DATABASE_URL, Læra runs on an embedded SQLite database under LAERA_DATA_DIR (default ./var).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("LAERA_DATA_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("SECRET_KEY", "laera-development-key-not-for-production-use-0123456789abcdef")
DEBUG = os.environ.get("LAERA_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "laera.core",
    "laera.accounts",
    "laera.organisations",
    "laera.mapping",
    "laera.plans",
    "laera.competences",
    "laera.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "laera.core.middleware.ContentSecurityPolicyMiddleware",
    "laera.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "laera.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "laera.config.urls"
WSGI_APPLICATION = "laera.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "laera.core.context_processors.laera",
            ],
        },
    }
]
FORM_RENDERER = "laera.core.forms.LaeraFormRenderer"

# Uploads (laera/core/uploads.py): the largest file any import accepts. Past it, the upload handler keeps
# none of the rest, and the import refuses the file with a message. Files up to that size stay in memory;
# form fields other than files may take 2.5 MB together (20,000-character texts fit many times over).
LAERA_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "laera.core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = LAERA_UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)


def database_from_environment() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "laera.sqlite3",
        # WAL: the server reads while the worker writes, and the other way round.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }


DATABASES = {"default": database_from_environment()}

# Background tasks (laera/core/tasks.py) are queued in the database and run by `laera worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker writes that it is alive this often; a task whose worker has been silent this long is queued
# again, at most this many times in all before it is marked failed (laera/core/worker.py).
LAERA_WORKER_BEAT_SECONDS = float(os.environ.get("LAERA_WORKER_BEAT_SECONDS", "10"))
LAERA_WORKER_LOST_AFTER_SECONDS = float(os.environ.get("LAERA_WORKER_LOST_AFTER_SECONDS", "60"))
LAERA_WORKER_MAX_ATTEMPTS = 3
# On SQLite, jobs report their progress through small files here (laera/core/services/jobs.py).
LAERA_JOB_PROGRESS_DIR = DATA_DIR / "jobs"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's model backend behind the sign-in throttle (laera/accounts/backends.py).
AUTHENTICATION_BACKENDS = ["laera.accounts.backends.ThrottledModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling, counted in the database (shared by every worker and server) before the password is
# checked. Within the window: failures for one account from one client address, failures for one account
# from anywhere, and all attempts from one client address (generous: many people share an office's
# address, and a correct sign-in gives its count back). An attempt over a limit is refused unchecked.
LAERA_LOGIN_WINDOW_SECONDS = 15 * 60
LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT = 5
LAERA_LOGIN_ACCOUNT_LIMIT = 20
LAERA_LOGIN_CLIENT_LIMIT = 100
# Password reset links: requests per e-mail address and per client address within the window, counted
# whether or not the address has an account.
LAERA_PASSWORD_RESET_WINDOW_SECONDS = 60 * 60
LAERA_PASSWORD_RESET_EMAIL_LIMIT = 3
LAERA_PASSWORD_RESET_CLIENT_LIMIT = 20
# A person's own change of e-mail address: requests per account within the window, and how long the
# confirmation link sent to the new address works.
LAERA_EMAIL_CHANGE_WINDOW_SECONDS = 60 * 60
LAERA_EMAIL_CHANGE_LIMIT = 5
LAERA_EMAIL_CHANGE_TIMEOUT = 24 * 60 * 60
# How many reverse proxies in front of Læra append to X-Forwarded-For; the client's address is the entry
# this far from the right. 0: the header is ignored and the connection's address is the client's.
LAERA_TRUSTED_PROXY_COUNT = 0
# /healthz shows its details (database, vendor) to operators, and to callers that send this token in the
# X-Health-Token header; empty: no token is accepted.
LAERA_HEALTH_TOKEN = ""
# Where users of this installation report accessibility problems to its operator, shown on the
# accessibility statement: an e-mail address or a web address. Empty: users are told to contact their
# organisation's Læra administrator.
LAERA_ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")

LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("sv", "Svenska"),
    ("da", "Dansk"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times per language (laera/config/formats): one style per language, named in templates and code.
FORMAT_MODULE_PATH = ["laera.config.formats"]
LANGUAGE_COOKIE_NAME = "laera_language"
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "laera@localhost")
# Læra's own address, for links in e-mails sent outside a request (the command line, imports). E-mails
# sent from a page use the address of that request.
LAERA_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content security policy: everything from our own origin, no inline script or style.
LAERA_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# Permissions policy: browser features Læra never uses are switched off for every page and every frame.
# Each feature maps to the origins allowed to use it; an empty list means nobody.
LAERA_PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
