"""Test data for the gap analysis, built through the services: three units of different sizes, two
competences, and two mapping rounds with own and leader ratings, so that figures, suppression, hidden
competence and the change since the round before all show.

On top of the test world (laera/core/testing/world.py):

* Oppfølging (the leader's team): leader, coordinator, employee and five more — 8 people;
* Mottak (the other leader's team): the other leader and four more — 5 people;
* Småteam: 2 people, under the default threshold of 5, so its figures are always suppressed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from laera.core.permissions import Role
from laera.organisations.tenancy import Actor
from laera.testing.world import World

# Motiverende intervju (required 3, critical) in the latest round, per person in each unit.
TEAM_LEVELS = {"leader": 2, "coordinator": 2, "employee": 4, "e1": 4, "e2": 3, "e3": 1, "e4": 2, "e5": 3}
TEAM_BEFORE = {"leader": 1, "coordinator": 1, "employee": 3, "e1": 3, "e2": 2, "e3": 1, "e4": 1, "e5": 2}
OTHER_LEVELS = {"other_leader": 3, "m1": 3, "m2": 2, "m3": 4, "m4": 3}
SMALL_LEVELS = {"s1": 1, "s2": 4}


@dataclass
class GapWorld:
    world: World
    small: Any
    competence: Any
    law: Any
    before: Any
    round: Any
    people: dict[str, Any] = field(default_factory=dict)

    def url(self, name: str, **kwargs: Any) -> str:
        from django.urls import reverse

        return reverse(f"competences:{name}", kwargs={"org_slug": self.world.organisation.slug, **kwargs})


def english(client: Any) -> Any:
    """The signed-in client switched to English (remembered on the account), for checks of English text."""
    from django.urls import reverse

    client.post(reverse("accounts:language"), {"language": "en"})
    return client


def row_version(round: Any, person: Any, competence: Any) -> int:
    """The version a form opened now would carry for the person's row: 0 before the competence is rated."""
    from laera.competences.models import Assessment

    row = Assessment.objects.filter(round=round, person=person, competence=competence).first()
    return row.version if row is not None else 0


def commit_fixtures() -> None:
    """The fixtures' writes would have committed before the test's own change: run what waits for that
    commit, as Django does (the test's transaction never commits)."""
    pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
    for _savepoints, callback, _robust in pending:
        callback()


def _rate(round: Any, person: Any, competence: Any, level: int, *, wants: bool = False) -> None:
    from laera.competences.services import rounds

    actor = Actor(organisation=person.organisation, person=person)
    rounds.assessment_save_self(
        actor=actor,
        round=round,
        data=rounds.SelfInput(competence=competence, level=level, wants_to_learn=wants),
        version=row_version(round, person, competence),
    )


def build_gap_world(world: World, *, extra_people: int = 0, extra_units: int = 0) -> GapWorld:
    """The data above; `extra_people` more in Oppfølging and `extra_units` more units of five people each,
    all rated in both rounds (to check that query counts do not grow)."""
    from laera.competences.models import Importance
    from laera.competences.services import catalogues, rounds
    from laera.organisations import services as org

    organisation = world.organisation
    competence = world.extra_objects["competence"]
    area = world.extra_objects["area"]
    law = catalogues.competence_create(
        actor=None, area=area, data=catalogues.CompetenceInput(name="Arbeidsrett", category="knowledge")
    )
    catalogues.requirement_set(
        actor=None,
        data=catalogues.RequirementInput(
            competence=law,
            job_role=world.job_role,
            level=2,
            importance=Importance.IMPORTANT,
            future_level=3,
            future_by=datetime.date(2027, 12, 31),
        ),
    )
    small = org.unit_create(actor=None, organisation=organisation, name="Småteam", parent=world.top)
    people: dict[str, Any] = {
        key: world.people[key] for key in ("leader", "coordinator", "employee", "other_leader")
    }

    def person(key: str, unit: Any) -> Any:
        created = org.person_create(
            actor=None,
            organisation=organisation,
            full_name=f"Person {key}",
            email=f"{key}@gaps.test",
            job_role=world.job_role,
            role=Role.EMPLOYEE,
            units=[unit],
        )
        people[key] = created
        return created

    for key in ("e1", "e2", "e3", "e4", "e5"):
        person(key, world.team)
    for key in ("m1", "m2", "m3", "m4"):
        person(key, world.other_team)
    for key in SMALL_LEVELS:
        person(key, small)
    team_levels = dict(TEAM_LEVELS)
    team_before = dict(TEAM_BEFORE)
    for i in range(extra_people):
        key = f"x{i}"
        person(key, world.team)
        team_levels[key] = 2 + i % 3
        team_before[key] = 1 + i % 3
    extra_levels: dict[str, int] = {}
    for u in range(extra_units):
        unit = org.unit_create(actor=None, organisation=organisation, name=f"Ekstra {u}", parent=world.top)
        for i in range(5):
            key = f"u{u}p{i}"
            person(key, unit)
            extra_levels[key] = 1 + (u + i) % 4
    today = timezone.localdate()
    before = rounds.round_create(
        actor=None,
        organisation=organisation,
        data=rounds.RoundInput(
            name="Kartlegging høsten 2025",
            catalogue=competence.catalogue,
            units=[world.top],
            opens_on=today - datetime.timedelta(days=5),
            deadline=today + datetime.timedelta(days=10),
        ),
    )
    latest = rounds.round_create(
        actor=None,
        organisation=organisation,
        data=rounds.RoundInput(
            name="Kartlegging våren 2026 (alle)",
            catalogue=competence.catalogue,
            units=[world.top],
            opens_on=today - datetime.timedelta(days=3),
            deadline=today + datetime.timedelta(days=14),
        ),
    )
    for key, level in team_before.items():
        _rate(before, people[key], competence, level)
    for key, level in {**OTHER_LEVELS, **SMALL_LEVELS, **extra_levels}.items():
        _rate(before, people[key], competence, max(0, level - 1))
    rounds.round_close(actor=world.actor("admin"), round=before)
    for key, level in {**team_levels, **OTHER_LEVELS, **SMALL_LEVELS, **extra_levels}.items():
        _rate(latest, people[key], competence, level, wants=level < 3)
        _rate(latest, people[key], law, 2)
    # The leader's ratings of two of the team, beside their own.
    leader = world.actor("leader")
    for key, level in (("employee", 3), ("e1", 4)):
        rounds.assessment_save_leader(
            actor=leader,
            round=latest,
            person=people[key],
            data=rounds.LeaderInput(competence=competence, level=level),
            version=row_version(latest, people[key], competence),
        )
    return GapWorld(
        world=world, small=small, competence=competence, law=law, before=before, round=latest, people=people
    )


def _gap_world_in_testby() -> GapWorld:
    from laera.testing.shared import WORLDS
    from laera.testing.world import build_world

    return build_gap_world(build_world(*WORLDS["world"]))


def transactional_gap_world() -> GapWorld:
    """The data above on the test world, for a transactional (browser) test in the emptied database it
    starts with. On SQLite a copy of the first build (laera/testing/copies.py)."""
    from laera.testing.copies import made_once

    return made_once("gap world", _gap_world_in_testby)


def more_required(gaps: GapWorld, count: int) -> None:
    """`count` more competences required of the test world's job role, none of them rated."""
    from laera.competences.services import catalogues

    world = gaps.world
    for number in range(count):
        competence = catalogues.competence_create(
            actor=None,
            area=world.extra_objects["area"],
            data=catalogues.CompetenceInput(name=f"Ekstra kompetanse {number:02}", category="knowledge"),
        )
        catalogues.requirement_set(
            actor=None,
            data=catalogues.RequirementInput(competence=competence, job_role=world.job_role, level=2),
        )


def law_below_required(gaps: GapWorld) -> Any:
    """A second area, Lover, with one competence required of the job role at level 2, which the employee
    has rated 1 (below it) in the latest round. Returns the competence."""
    from laera.competences.services import catalogues, rounds

    laws = catalogues.area_create(actor=None, catalogue=gaps.competence.catalogue, name="Lover")
    law = catalogues.competence_create(
        actor=None, area=laws, data=catalogues.CompetenceInput(name="Forvaltningsloven", category="knowledge")
    )
    catalogues.requirement_set(
        actor=None, data=catalogues.RequirementInput(competence=law, job_role=gaps.world.job_role, level=2)
    )
    rounds.refresh_requirements(gaps.competence.catalogue)
    _rate(gaps.round, gaps.world.people["employee"], law, 1)
    return law
