"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoDbBlocker
from pytest_django.plugin import blocking_manager_key

from laera.testing.scheduling import heavy_dealt_first
from laera.testing.shared import (
    SHARED,
    SharedWorlds,
    needs_empty_database,
    transactional_world,
    uses_shared_worlds,
    wanted_data,
)
from laera.testing.world import PASSWORD, World


@pytest.fixture(scope="session")
def shared_worlds(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[SharedWorlds]:
    """The worlds this process shares (laera/testing/shared.py). Set up before any function-scoped
    fixture, so outside the first test's transaction: it builds them if that test is to share them."""
    with django_db_blocker.unblock():
        # A database kept from an earlier run (--reuse-db) may still hold its worlds: start empty, as the
        # migrations left it (they load no data).
        SHARED.flush()
    SHARED.database_ready = True
    if SHARED.current is not None and uses_shared_worlds(SHARED.current) and not SHARED.present:
        with django_db_blocker.unblock():
            SHARED.build()
    wanted = wanted_data(SHARED.current) if SHARED.current is not None else None
    if wanted is not None:
        with django_db_blocker.unblock():
            SHARED.hold(wanted)
    yield SHARED
    # The session is over: data still held for the last test are rolled back here, before the test database
    # goes (after this fixture), not after it.
    with django_db_blocker.unblock():
        SHARED.release()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Runs before the test's fixtures, so outside its transaction: the one place where the shared worlds
    # can be committed again after a transactional test emptied the database, or flushed away before
    # a test that must find the database as empty as it always has.
    SHARED.current = item
    SHARED.copies = {}
    if not SHARED.database_ready:
        return  # the test database is not there yet; `shared_worlds` builds them when it is
    blocker = item.config.stash[blocking_manager_key]
    wanted = wanted_data(item)
    with blocker.unblock():
        if SHARED.held is not None and SHARED.held.build is not wanted:
            SHARED.release()
        if needs_empty_database(item) and SHARED.present:
            SHARED.flush()
        elif uses_shared_worlds(item) and not SHARED.present:
            SHARED.build()
        if wanted is not None and SHARED.held is None:
            SHARED.hold(wanted)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    # After the test's own transaction is rolled back: data held for it are rolled back too, unless the next
    # test wants the same (and at the end, so that nothing is left open).
    result = yield
    if SHARED.held is not None and (nextitem is None or wanted_data(nextitem) is not SHARED.held.build):
        with item.config.stash[blocking_manager_key].unblock():
            SHARED.release()
    return result


def _world(request: pytest.FixtureRequest, name: str) -> World:
    if not uses_shared_worlds(request.node) or not SHARED.present:
        # A transactional test (or one marked empty_database): the database holds no shared world (see
        # pytest_runtest_setup), so it builds its own, as every test once did (on SQLite into an empty
        # database, from the copy of the first build: laera/testing/copies.py).
        return transactional_world(name)
    return SHARED.copy(name)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # After pytest-django's own ordering: the tests marked `heavy` (the crawl: tens of seconds each) are
    # dealt out among the xdist workers, each share at the start of what the worker is first given
    # (laera/testing/scheduling.py).
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    items[:] = heavy_dealt_first(items, lambda item: item.get_closest_marker("heavy") is not None, workers)


@pytest.fixture
def world(request: pytest.FixtureRequest, shared_worlds: SharedWorlds, db: Any) -> World:
    return _world(request, "world")


@pytest.fixture
def other_world(request: pytest.FixtureRequest, shared_worlds: SharedWorlds, db: Any) -> World:
    return _world(request, "other_world")


@pytest.fixture
def client_for(world: World) -> Any:
    """A signed-in test client for a role in `world`."""

    def make(role: str, w: World | None = None) -> Client:
        client = Client()
        target = w or world
        assert client.login(email=target.people[role].user.email, password=PASSWORD)
        return client

    return make
