"""Plans, themes, learning outcomes and activities: no save overwrites another.

Each service refuses a save without the version its form was opened with, and one from an older
version, and counts one more on a save.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from laera.plans import services
from laera.plans.models import TimeKind
from laera.testing.versions import assert_version_rules
from laera.testing.world import World

pytestmark = pytest.mark.django_db


def test_plan_update(world: World) -> None:
    plan = world.extra_objects["plan"]

    def save(version: int | None) -> Any:
        data = services.PlanInput(
            name="Våren 2026 (revidert)",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
        )
        return services.plan_update(actor=world.actor("coordinator"), plan=plan, data=data, version=version)

    assert assert_version_rules(plan, save).name == "Våren 2026 (revidert)"


def test_theme_update(world: World) -> None:
    theme = world.extra_objects["theme"]

    def save(version: int | None) -> Any:
        return services.theme_update(
            actor=world.actor("coordinator"),
            theme=theme,
            title="Supported Employment i praksis",
            description="",
            why="",
            version=version,
        )

    assert assert_version_rules(theme, save).title == "Supported Employment i praksis"


def test_outcome_update(world: World) -> None:
    outcome = world.extra_objects["outcome"]

    def save(version: int | None) -> Any:
        return services.outcome_update(
            actor=world.actor("coordinator"),
            outcome=outcome,
            text="NAV-veiledere kan bruke SE i oppfølgingen",
            category="skills",
            verb="",
            version=version,
        )

    assert assert_version_rules(outcome, save).category == "skills"


def test_activity_update(world: World) -> None:
    activity = world.extra_objects["activity"]

    def save(version: int | None) -> Any:
        data = services.ActivityInput(
            place="Storsalen",
            time_kind=TimeKind.DATES,
            dates=[datetime.date(2026, 5, 6)],
            method_detail="Foredrag",
        )
        return services.activity_update(
            actor=world.actor("coordinator"), activity=activity, data=data, version=version
        )

    assert assert_version_rules(activity, save).method_detail == "Foredrag"


def test_a_status_change_makes_an_open_plan_form_out_of_date(world: World) -> None:
    plan = world.extra_objects["plan"]
    opened = plan.version
    services.plan_set_status(actor=world.actor("leader"), plan=plan, status="published")
    plan.refresh_from_db()
    assert plan.version == opened + 1
