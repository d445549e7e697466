"""The test worlds, built once per test process and committed, and handed to each test as a fresh copy.

Building a world through the services takes a fifth of a second, and two thousand tests use one. So
each pytest process (each xdist worker) builds `world` and `other_world` once, commits them, and every
test that runs inside a transaction (pytest-django's `db`, rolled back at the end) gets a deep copy of
the Python objects, as Django's `TestCase.setUpTestData` does: what a test writes to the database is
rolled back, what it changes on its objects stays on its copy.

Transactional tests (`transactional_db`, `live_server`, `django_db(transaction=True)`) commit what they
write and empty every table afterwards, so they cannot share: before one of them runs the shared worlds
are flushed away (the test starts from an empty database, as it always did) and it builds its own; the
same for a test marked `empty_database`. The next test that wants the shared worlds has them built
again (laera/conftest.py, `pytest_runtest_setup`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import connection

from laera.testing.world import World, build_world

# The fixture name, and the organisation each world is: (name, slug).
WORLDS = {"world": ("NAV Testby", "testby"), "other_world": ("NAV Annenby", "annenby")}
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


@dataclass
class SharedWorlds:
    """The committed worlds of this process, by fixture name; empty when the database holds none."""

    pristine: dict[str, World] = field(default_factory=dict)
    # Set once pytest-django has created the test database: only then may the worlds be built.
    database_ready: bool = False
    # The test being set up (laera/conftest.py, pytest_runtest_setup).
    current: pytest.Item | None = None

    @property
    def present(self) -> bool:
        return bool(self.pristine)

    def build(self) -> None:
        """Build and commit every world. Must run outside any transaction, with database access allowed."""
        assert not connection.in_atomic_block, "the shared worlds must be committed, not rolled back"
        self.pristine = {name: build_world(*organisation) for name, organisation in WORLDS.items()}

    def flush(self) -> None:
        """Empty every table, as a transactional test does after it ran, and forget the worlds."""
        assert not connection.in_atomic_block, "a flush in a transaction would come back with its rollback"
        call_command("flush", interactive=False, verbosity=0, allow_cascade=False, inhibit_post_migrate=False)
        self.pristine = {}

    def copy(self, name: str) -> World:
        return copy.deepcopy(self.pristine[name])


SHARED = SharedWorlds()


def is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs this test with committed writes and a flush afterwards."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(set(getattr(item, "fixturenames", ())) & TRANSACTIONAL_FIXTURES)


def needs_empty_database(item: pytest.Item) -> bool:
    """Whether the test must start without the shared worlds: transactional tests, and those marked
    `empty_database` because they count what there is."""
    return is_transactional(item) or item.get_closest_marker("empty_database") is not None


def uses_shared_worlds(item: pytest.Item) -> bool:
    return bool(set(getattr(item, "fixturenames", ())) & set(WORLDS)) and not needs_empty_database(item)
