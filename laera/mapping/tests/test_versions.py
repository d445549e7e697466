"""Arenas, knowledge flows and the method bank: no save overwrites another.

Each service refuses a save without the version its form was opened with, and one from an older
version, and counts one more on a save.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from laera.mapping import services
from laera.mapping.models import Recurrence
from laera.testing.versions import assert_version_rules
from laera.testing.world import World

pytestmark = pytest.mark.django_db


def test_arena_update(world: World) -> None:
    arena = world.extra_objects["arena"]

    def save(version: int | None) -> Any:
        return services.arena_update(
            actor=world.actor("coordinator"),
            arena=arena,
            data=services.ArenaInput(
                name="Teammøte (tirsdag)", recurrence=Recurrence.WEEKLY, starts_on=datetime.date(2026, 1, 6)
            ),
            version=version,
        )

    assert assert_version_rules(arena, save).name == "Teammøte (tirsdag)"


def test_flow_update(world: World) -> None:
    flow = world.extra_objects["flow"]

    def save(version: int | None) -> Any:
        return services.flow_update(
            actor=world.actor("coordinator"),
            flow=flow,
            data=services.FlowInput(transfer=2, activity="Fadderordning for nyansatte"),
            version=version,
        )

    saved = assert_version_rules(flow, save)
    assert (saved.transfer, saved.activity) == (2, "Fadderordning for nyansatte")


def test_method_update(world: World) -> None:
    method = world.extra_objects["method"]

    def save(version: int | None) -> Any:
        return services.method_update(
            actor=world.actor("leader"),
            method=method,
            data=services.MethodInput(
                name="Fadder",
                description="Én fadder per nyansatt",
                when_it_fits="",
                effort="low",
                mode="involves",
            ),
            version=version,
        )

    assert assert_version_rules(method, save).name == "Fadder"
