"""Data made in an empty database once per test process, and copied back for every later test on SQLite.

Transactional tests (the browser tests: the live server must see what they write) start from a database
emptied after the test before, and make their data again: the demo organisation (about a second) or a
test world (a fifth of a second), through the services. On SQLite, whose test database lives in memory,
the first time something is made into an empty database the database is copied aside with SQLite's
online backup, together with the Python objects made; each later test that asks for the same thing in an
empty database gets that copy back in a few milliseconds: the same rows as a fresh make, under the keys
they had the first time, and a deep copy of the objects. (Only the moments rows were written and the salts
of password hashes differ; no test may rely on those, nor on a row's key.) Anywhere else (PostgreSQL, or a
database that already holds something) the data are made as before.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

T = TypeVar("T")

# Filled by Django's post_migrate after every flush, so present in an "empty" database too.
_REFILLED_AFTER_FLUSH = {ContentType, Permission}

# What was made into an empty database, by name: the database as it was after, and the objects made.
COPIES: dict[str, tuple[sqlite3.Connection, Any]] = {}


def database_is_empty() -> bool:
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy or model in _REFILLED_AFTER_FLUSH:
            continue
        if model._base_manager.exists():
            return False
    return True


def made_once(name: str, make: Callable[[], T]) -> T:
    """What `make()` gives, made into the database; into an empty SQLite database, from the copy of the
    first time when there is one."""
    connection.ensure_connection()
    can_copy = connection.vendor == "sqlite" and not connection.in_atomic_block and database_is_empty()
    if can_copy and name in COPIES:
        saved, made = COPIES[name]
        saved.backup(connection.connection)
        # The copy brings the content types under the ids they had when it was taken; a flush since may
        # have made them again under others, and Django keeps them in memory by model.
        ContentType.objects.clear_cache()
        kept: T = copy.deepcopy(made)
        return kept
    made = make()
    if can_copy:
        saved = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(saved)
        COPIES[name] = (saved, copy.deepcopy(made))
    return made
