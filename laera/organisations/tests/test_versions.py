"""Units, job roles, the organisation's settings, working groups and minutes: no save overwrites another.

Each service refuses a save without the version its form was opened with, and one from an older
version, and counts one more on a save; only the operator (no actor) may leave the version out.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from laera.core.versioning import ConflictError
from laera.organisations import services
from laera.organisations.models import WorkingGroup
from laera.testing.versions import assert_version_rules
from laera.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def test_unit_update(world: World) -> None:
    def save(version: int | None) -> Any:
        return services.unit_update(
            actor=world.actor("leader"),
            unit=world.team,
            name="Oppfølgingsteam",
            parent=world.top,
            leader=world.people["leader"],
            description="Veiledning",
            version=version,
        )

    saved = assert_version_rules(world.team, save)
    assert saved.name == "Oppfølgingsteam"


def test_job_role_update(world: World) -> None:
    def save(version: int | None) -> Any:
        return services.job_role_update(
            actor=world.actor("admin"), job_role=world.job_role, name="Veileder", version=version
        )

    assert assert_version_rules(world.job_role, save).name == "Veileder"


def test_organisation_update(world: World) -> None:
    def save(version: int | None) -> Any:
        return services.organisation_update(
            actor=world.actor("admin"),
            name="NAV Testby og omegn",
            default_language="nn",
            time_zone="Europe/Oslo",
            privacy_threshold=7,
            version=version,
        )

    saved = assert_version_rules(world.organisation, save)
    assert (saved.default_language, saved.privacy_threshold) == ("nn", 7)


def test_working_group_update(world: World) -> None:
    def save(version: int | None) -> Any:
        return services.working_group_update(
            actor=world.actor("leader"),
            unit=world.team,
            mandate="Kartlegge kunnskapsflyt",
            deadline=datetime.date(2026, 3, 1),
            lead=world.people["leader"],
            minute_taker=world.people["coordinator"],
            version=version,
        )

    assert assert_version_rules(world.group, save).mandate == "Kartlegge kunnskapsflyt"


def test_meeting_update(world: World) -> None:
    def save(version: int | None) -> Any:
        return services.meeting_update(
            actor=world.actor("coordinator"),
            meeting=world.meeting,
            held_on=datetime.date(2025, 12, 2),
            minutes="Referat, rettet.",
            minute_taker=None,
            version=version,
        )

    assert assert_version_rules(world.meeting, save).minutes == "Referat, rettet."


def test_a_unit_without_a_group_saves_from_the_version_a_new_group_starts_with(world: World) -> None:
    start = WorkingGroup._meta.get_field("version").default
    group = services.working_group_update(
        actor=world.actor("other_leader"),
        unit=world.other_team,
        mandate="Ny gruppe",
        deadline=None,
        lead=None,
        minute_taker=None,
        version=start,
    )
    assert group.version == start + 1
    with pytest.raises(ConflictError):  # a second form opened before the group existed
        services.working_group_update(
            actor=world.actor("admin"),
            unit=world.other_team,
            mandate="Annen gruppe",
            deadline=None,
            lead=None,
            minute_taker=None,
            version=start,
        )


def test_only_the_operator_leaves_the_version_out(world: World) -> None:
    group = services.working_group_update(
        actor=None,
        unit=world.team,
        mandate="Satt opp av driften",
        deadline=None,
        lead=None,
        minute_taker=None,
        version=None,
    )
    assert group.mandate == "Satt opp av driften"
    with pytest.raises(ConflictError, match="without the version"):
        services.working_group_update(
            actor=world.actor("admin"),
            unit=world.team,
            mandate="Uten versjon",
            deadline=None,
            lead=None,
            minute_taker=None,
            version=None,
        )


def test_removing_the_lead_makes_an_open_form_out_of_date(world: World) -> None:
    opened = world.group.version
    services.working_group_member_remove(actor=world.actor("leader"), member=world.group_member)
    world.group.refresh_from_db()
    assert world.group.lead is None and world.group.version == opened + 1
    with pytest.raises(ConflictError):
        services.working_group_update(
            actor=world.actor("leader"),
            unit=world.team,
            mandate="Fra et eldre skjema",
            deadline=None,
            lead=None,
            minute_taker=None,
            version=opened,
        )
