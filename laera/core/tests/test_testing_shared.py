"""Data shared by the tests that want it (laera/testing/shared.py, `shared_data`): built once, below each
test's own transaction, on that test's `world`, and gone for every test that does not want it."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from django.db import connection, transaction

from laera.organisations import services as org
from laera.organisations.models import Unit
from laera.testing.shared import SHARED, shared_data
from laera.testing.world import World

NAME = "Holdt enhet"
BUILDS: list[World] = []
COMMITTED: list[int] = []


def _build(world: World) -> dict[str, Any]:
    BUILDS.append(world)
    unit = org.unit_create(actor=None, organisation=world.organisation, name=NAME, parent=world.top)
    transaction.on_commit(partial(COMMITTED.append, unit.pk))
    return {"unit": unit, "team": world.team, "leader": world.people["leader"]}


held = shared_data("held", _build)


def _writes_and_checks(world: World, held: dict[str, Any]) -> None:
    # The test's own world objects, not copies of the ones the data were built on.
    assert held["team"] is world.team and held["leader"] is world.people["leader"]
    # Whatever ran before, the data are as built: another test's writes were rolled back.
    assert held["unit"].name == NAME
    assert list(Unit.objects.filter(organisation=world.organisation, name=NAME)) == [held["unit"]]
    # The build's on-commit callback waits again, for tests that run what waits for a commit.
    waiting = [callback for _sids, callback, _robust in connection.run_on_commit]
    assert any(getattr(callback, "args", None) == (held["unit"].pk,) for callback in waiting)
    held["unit"].name = "Endret"
    Unit.objects.filter(pk=held["unit"].pk).update(name="Endret")
    connection.run_on_commit[:] = []


@pytest.mark.django_db
def test_one_test_gets_the_data_on_its_own_world(world: World, held: dict[str, Any]) -> None:
    _writes_and_checks(world, held)


@pytest.mark.django_db
def test_another_gets_them_as_built(world: World, held: dict[str, Any]) -> None:
    _writes_and_checks(world, held)


@pytest.mark.django_db
def test_a_test_without_them_finds_none_of_them(world: World) -> None:
    assert not Unit.objects.filter(name=NAME).exists()
    assert SHARED.held is None


@pytest.mark.django_db(transaction=True)
def test_held_data_are_built_once_kept_below_each_test_and_rolled_back() -> None:
    SHARED.build()
    try:
        builds = len(BUILDS)
        SHARED.hold(_build)
        assert len(BUILDS) == builds + 1 and connection.in_atomic_block
        for _test in range(3):
            with transaction.atomic():  # as pytest-django wraps a test
                world = SHARED.copy("world")
                _writes_and_checks(world, SHARED.held_copy(_build))
                transaction.set_rollback(True)
        assert len(BUILDS) == builds + 1, "built once for all three"
        assert Unit.objects.filter(name=NAME).count() == 1
        SHARED.release()
        assert SHARED.held is None and not connection.in_atomic_block
        assert not Unit.objects.filter(name=NAME).exists()
        assert COMMITTED == [], "what waited for a commit that never came did not run"
    finally:
        SHARED.release()
        SHARED.flush()
