"""Settings for the test suite: fast hashing, in-memory e-mail, the same databases as production."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AUTH_PASSWORD_VALIDATORS = []
# Tasks run at once, in the process that queues them (after the transaction commits, as queued); the
# tests of the worker itself switch to the database queue.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
