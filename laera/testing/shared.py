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

Data that many tests of a module build on top of `world` (the gap analysis's three units and two rounds,
~0.7 s) can be shared the same way without being committed: a fixture made by `shared_data` is built once,
before the first test that wants it, inside a transaction of its own that is left open; each test then runs
in a savepoint inside it (pytest-django nests the test's transaction there) and gets a deep copy whose
world objects are that test's `world`. The transaction is rolled back as soon as the next test does not
want the same data, so every other test finds the database exactly as before.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from laera.testing.copies import made_once
from laera.testing.world import World, build_world

# The fixture name, and the organisation each world is: (name, slug).
WORLDS = {"world": ("NAV Testby", "testby"), "other_world": ("NAV Annenby", "annenby")}
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


T = TypeVar("T")
Build = Callable[[World], Any]
# The builders of the fixtures made by `shared_data`, by the fixture's function.
SHARED_DATA: dict[Callable[..., Any], Build] = {}


@dataclass
class HeldData:
    """Data built on a copy of the pristine `world`, inside a transaction kept open for the tests using it."""

    build: Build
    atomic: transaction.Atomic
    # What copying the pristine world made of each of its objects (deepcopy's memo), by the original's id.
    world_copies: dict[int, Any]
    value: Any
    # What the writes of the build left waiting for a commit that never comes (run by tests that need it).
    on_commit: list[Any]


@dataclass
class SharedWorlds:
    """The committed worlds of this process, by fixture name; empty when the database holds none."""

    pristine: dict[str, World] = field(default_factory=dict)
    # Set once pytest-django has created the test database: only then may the worlds be built.
    database_ready: bool = False
    # The test being set up (laera/conftest.py, pytest_runtest_setup).
    current: pytest.Item | None = None
    # The data of a `shared_data` fixture, while the tests that want it run one after another.
    held: HeldData | None = None
    # The current test's copies of the worlds, as deepcopy's memo: what each original object became.
    copies: dict[str, dict[int, Any]] = field(default_factory=dict)

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
        memo: dict[int, Any] = {}
        self.copies[name] = memo
        return copy.deepcopy(self.pristine[name], memo)

    def hold(self, build: Build) -> None:
        """Build the data on a copy of `world` in a transaction left open. Outside any transaction, with
        database access allowed, and the worlds present."""
        assert self.held is None and not connection.in_atomic_block, (
            "shared data go below a test's transaction"
        )
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            memo: dict[int, Any] = {}
            value = build(copy.deepcopy(self.pristine["world"], memo))
        except BaseException as error:
            atomic.__exit__(type(error), error, error.__traceback__)
            raise
        self.held = HeldData(build, atomic, memo, value, list(connection.run_on_commit))

    def release(self) -> None:
        """Roll the held data back: the database holds the committed worlds only, as before."""
        if self.held is not None:
            held, self.held = self.held, None
            if not connection.in_atomic_block:
                return  # its transaction went with the connection (the session's database torn down)
            transaction.set_rollback(True)
            held.atomic.__exit__(None, None, None)

    def held_copy(self, build: Build) -> Any:
        """The held data for the current test: a deep copy in which every object of the world it was built on
        is the test's own `world` object, and the build's waiting on-commit callbacks waiting again."""
        held = self.held
        assert held is not None and held.build is build, "laera/conftest.py holds the data before the test"
        ours = self.copies["world"]
        memo = {
            id(built): ours[original]
            for original, built in held.world_copies.items()
            if original in ours and original not in (id(held.world_copies), id(ours))
        }
        value = copy.deepcopy(held.value, memo)
        connection.run_on_commit[:0] = [
            entry for entry in held.on_commit if entry not in connection.run_on_commit
        ]
        return value


SHARED = SharedWorlds()


def is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs this test with committed writes and a flush afterwards."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(set(getattr(item, "fixturenames", ())) & TRANSACTIONAL_FIXTURES)


def transactional_world(name: str = "world") -> World:
    """A test world for a transactional test (a browser test), in the database it starts with: emptied by
    the test before. On SQLite a copy of the first build (laera/testing/copies.py)."""
    return made_once(name, partial(build_world, *WORLDS[name]))


def needs_empty_database(item: pytest.Item) -> bool:
    """Whether the test must start without the shared worlds: transactional tests, and those marked
    `empty_database` because they count what there is."""
    return is_transactional(item) or item.get_closest_marker("empty_database") is not None


def uses_shared_worlds(item: pytest.Item) -> bool:
    return bool(set(getattr(item, "fixturenames", ())) & set(WORLDS)) and not needs_empty_database(item)


def wanted_data(item: pytest.Item) -> Build | None:
    """The builder of the `shared_data` fixture the test uses, if any."""
    if not uses_shared_worlds(item):
        return None
    info = getattr(item, "_fixtureinfo", None)
    for definitions in getattr(info, "name2fixturedefs", {}).values():
        build = SHARED_DATA.get(definitions[-1].func)
        if build is not None:
            return build
    return None


def shared_data(name: str, build: Callable[[World], T]) -> Any:
    """A fixture `name` giving what `build(world)` gives, built once for the tests that use it one after
    another (see the module's docstring). `build` must not change the world's objects, only add to the
    database: a test's `world` is a fresh copy of the pristine one."""

    def fixture(world: World) -> T:
        value: T = SHARED.held_copy(build)
        return value

    SHARED_DATA[fixture] = build
    return pytest.fixture(name=name)(fixture)
