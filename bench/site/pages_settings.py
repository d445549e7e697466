"""Settings for the server that bench/pages.py measures: Læra's production settings, served over plain
HTTP on 127.0.0.1, with the page timing of pages_site.py in front of everything else."""

from laera.config.settings.production import *  # noqa: F403
from laera.config.settings.production import MIDDLEWARE

ROOT_URLCONF = "pages_site"
MIDDLEWARE = ["pages_site.ServerTiming", *MIDDLEWARE]

# Plain HTTP on the loopback interface: no redirect to HTTPS, cookies sent without it.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
