"""Production settings: everything that differs between installations comes from the environment.

Required: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS (comma-separated).
Optional: DATABASE_CONN_MAX_AGE (seconds a process keeps its database connection, default 60), CACHE_URL
(redis://…; required with more than one worker), EMAIL_URL-style settings (EMAIL_HOST,
EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS), DEFAULT_FROM_EMAIL, CSRF_TRUSTED_ORIGINS
(comma-separated), LAERA_WORKERS / WEB_CONCURRENCY (worker processes), TRUSTED_PROXY_COUNT (reverse proxies
that append to X-Forwarded-For), HEALTH_TOKEN (token for /healthz's details), LOGIN_CLIENT_ACCOUNT_LIMIT,
LOGIN_ACCOUNT_LIMIT, LOGIN_CLIENT_LIMIT, PASSWORD_RESET_EMAIL_LIMIT, PASSWORD_RESET_CLIENT_LIMIT (throttles).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATA_DIR,
    DATABASES,
    LAERA_LOGIN_ACCOUNT_LIMIT,
    LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT,
    LAERA_LOGIN_CLIENT_LIMIT,
    LAERA_PASSWORD_RESET_CLIENT_LIMIT,
    LAERA_PASSWORD_RESET_EMAIL_LIMIT,
)


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _whole_number(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {value!r}."
        ) from None
    if number < minimum:
        raise ImproperlyConfigured(f"The environment variable {name} must be at least {minimum}.")
    return number


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = _list("ALLOWED_HOSTS") or [_required("ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
_required("DATABASE_URL")
# Each process keeps its database connection for this many seconds (0: a new connection per request,
# which cost every page a few milliseconds); one the database has dropped is replaced before it is used.
DATABASES["default"]["CONN_MAX_AGE"] = _whole_number("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Worker processes of this server: LAERA_WORKERS, or WEB_CONCURRENCY, which gunicorn reads as its worker
# count (laera/config/gunicorn.py sets LAERA_WORKERS to the count gunicorn really starts). Without
# CACHE_URL each process has a cache of its own, which several workers must not rely on.
LAERA_WORKERS = max(_whole_number("LAERA_WORKERS", 1), _whole_number("WEB_CONCURRENCY", 1))
if LAERA_WORKERS > 1 and not os.environ.get("CACHE_URL"):
    raise ImproperlyConfigured(
        f"Læra is set to run {LAERA_WORKERS} worker processes (LAERA_WORKERS or WEB_CONCURRENCY) without "
        "a shared cache: set CACHE_URL (e.g. redis://cache:6379/0), or run one worker."
    )

# Reverse proxies in front of Læra that append the client's address to X-Forwarded-For (0: none).
LAERA_TRUSTED_PROXY_COUNT = _whole_number("TRUSTED_PROXY_COUNT", 0)
# Monitoring sends this in the X-Health-Token header to get /healthz's details.
LAERA_HEALTH_TOKEN = os.environ.get("HEALTH_TOKEN", "")
# The throttles' limits (base.py explains them) may be tuned from the environment.
LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT = _whole_number(
    "LOGIN_CLIENT_ACCOUNT_LIMIT", LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT, 1
)
LAERA_LOGIN_ACCOUNT_LIMIT = _whole_number("LOGIN_ACCOUNT_LIMIT", LAERA_LOGIN_ACCOUNT_LIMIT, 1)
LAERA_LOGIN_CLIENT_LIMIT = _whole_number("LOGIN_CLIENT_LIMIT", LAERA_LOGIN_CLIENT_LIMIT, 1)
LAERA_PASSWORD_RESET_EMAIL_LIMIT = _whole_number(
    "PASSWORD_RESET_EMAIL_LIMIT", LAERA_PASSWORD_RESET_EMAIL_LIMIT, 1
)
LAERA_PASSWORD_RESET_CLIENT_LIMIT = _whole_number(
    "PASSWORD_RESET_CLIENT_LIMIT", LAERA_PASSWORD_RESET_CLIENT_LIMIT, 1
)

# The address in links of e-mails sent from the command line: SITE_URL, or HTTPS on the first host name.
LAERA_SITE_URL = os.environ.get("SITE_URL", "") or f"https://{ALLOWED_HOSTS[0].lstrip('.')}"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"

STATIC_ROOT = os.environ.get("STATIC_ROOT", str(DATA_DIR / "static"))
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
