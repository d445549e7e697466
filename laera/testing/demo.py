"""The demo organisation for tests that need its data, loaded once per test process on SQLite.

Loading the demo through its loaders takes about a second; some forty browser tests start from it, each
in a database emptied after the test before (transactional tests: the live server must see what they
write). On SQLite, whose test database lives in memory, the first load into an empty database is copied
aside with SQLite's online backup, and each later test that starts from an empty database gets that copy
back in a few milliseconds: the same rows as a fresh load, under the keys they had in the first. (Only
the moments rows were written and the salts of the password hashes differ; no test may rely on those,
nor on a row's key.) Anywhere else (PostgreSQL, or a database that already holds
something) the demo is loaded as before.
"""

from __future__ import annotations

import io
import sqlite3

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

# Filled by Django's post_migrate after every flush, so present in an "empty" database too.
_REFILLED_AFTER_FLUSH = {ContentType, Permission}


class _Snapshot:
    copy: sqlite3.Connection | None = None


def _empty() -> bool:
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy or model in _REFILLED_AFTER_FLUSH:
            continue
        if model._base_manager.exists():
            return False
    return True


def load_demo_data() -> None:
    """Load the demo organisation, as `laera demo` does."""
    connection.ensure_connection()
    can_copy = connection.vendor == "sqlite" and not connection.in_atomic_block and _empty()
    if can_copy and _Snapshot.copy is not None:
        _Snapshot.copy.backup(connection.connection)
        # The copy brings the content types under the ids they had when it was taken; a flush since may
        # have made them again under others, and Django keeps them in memory by model.
        ContentType.objects.clear_cache()
        return
    call_command("demo", stdout=io.StringIO())
    if can_copy:
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _Snapshot.copy = copy
