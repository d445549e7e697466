"""A database loaded once and shared by tests that only read it, such as the crawl of the demo's pages.

Loading the demo and emptying every table after each test costs seconds per test; a crawl that only
follows links does not need it. What such a test does write is what signing in writes (a session, the
throttle's counters, the account's last sign-in), the language it chose, and what pages keep on first
view (the competence figures). `restore` puts the database back after each test, table by table, to
what was loaded, and loads it again from scratch when it cannot: the next test starts exactly where it
would have started with its own database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from laera.accounts.models import User
from laera.testing.shared import SHARED


def _managed_models() -> list[type[models.Model]]:
    found = apps.get_models(include_auto_created=True)
    return sorted((m for m in found if m._meta.managed and not m._meta.proxy), key=lambda m: m._meta.label)


def table_fingerprints() -> dict[type[models.Model], tuple[int, str]]:
    """For every table: its number of rows and a digest of them all, in primary-key order."""
    fingerprints = {}
    for model in _managed_models():
        digest = hashlib.sha256()
        columns = [f.attname for f in model._meta.concrete_fields]
        count = 0
        for row in model._base_manager.order_by("pk").values_list(*columns):
            digest.update(repr(row).encode())
            count += 1
        fingerprints[model] = (count, digest.hexdigest())
    return fingerprints


@dataclass
class ReadOnlyDatabase:
    """Data loaded by `load` into an otherwise empty database, committed, for tests that only read it."""

    load: Callable[[], Any]
    fingerprints: dict[type[models.Model], tuple[int, str]] = field(default_factory=dict)
    accounts: dict[int, tuple[Any, str]] = field(default_factory=dict)
    reloads: int = 0

    def fill(self) -> None:
        """Empty the database (the shared worlds too) and load the data."""
        SHARED.flush()
        self.load()
        rows = User.objects.values_list("pk", "last_login", "language")
        self.accounts = {pk: (last_login, language) for pk, last_login, language in rows}
        self.fingerprints = table_fingerprints()

    def restore(self) -> None:
        """Undo what the test wrote, or load the data again if that cannot be undone exactly.

        Rows in a table that was empty after loading (sessions, the throttle's counters, figures that
        pages work out and keep on first view) are deleted; the accounts get back their last sign-in
        and language. Any other difference, and the data are loaded again from scratch."""
        for pk, (last_login, language) in self.accounts.items():
            User.objects.filter(pk=pk).exclude(last_login=last_login, language=language).update(
                last_login=last_login, language=language
            )
        changed = self._changed()
        for model in changed:
            if self.fingerprints[model][0] == 0:
                model._base_manager.all().delete()
        if changed and self._changed():
            self.reloads += 1
            self.fill()

    def _changed(self) -> list[type[models.Model]]:
        now = table_fingerprints()
        return [model for model, fingerprint in self.fingerprints.items() if now.get(model) != fingerprint]

    def empty(self) -> None:
        """Leave the database empty for the tests that follow, as a transactional test does."""
        SHARED.flush()


@dataclass
class ReadOnlyServer:
    """A live server's address, and the data it serves."""

    url: str
    database: ReadOnlyDatabase
