"""A mapping round over a small unit tree, for the tests of the round's progress by unit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from laera.competences.models import MappingRound, RoundParticipant
from laera.competences.services import catalogues
from laera.competences.services import rounds as services
from laera.organisations import services as org_services
from laera.organisations.models import Unit
from laera.testing.world import World

from .gap_world import _rate as rate_self


@dataclass
class TreeRound:
    """A round of both teams of the test organisation's office, the leader's team with two sub-teams:

    * NAV Testby kontor (the office, under which the round's units are): the admin, not in the round;
    * Oppfølging (the leader's team): leader, coordinator, employee; below it Team nord (Kari Nord and
      Per Begge) and Team sør (Siri Sør and Per Begge: in both);
    * Mottak (the other leader's team): the other leader and Mona Mottak.

    The organisation has a second top unit with no one in the round, so an admin opens at both tops.
    """

    round: MappingRound
    north: Unit
    south: Unit
    people: dict[str, Any]

    def address(self, world: World, query: str = "") -> str:
        return (
            reverse(
                "competences:round_detail",
                kwargs={"org_slug": world.organisation.slug, "round_id": self.round.pk},
            )
            + query
        )


def person_in(world: World, name: str, units: list[Unit]) -> Any:
    return org_services.person_create(
        actor=None, organisation=world.organisation, full_name=name, job_role=world.job_role, units=units
    )


def tree_round(world: World) -> TreeRound:
    north = org_services.unit_create(
        actor=None, organisation=world.organisation, name="Team nord", parent=world.team
    )
    south = org_services.unit_create(
        actor=None, organisation=world.organisation, name="Team sør", parent=world.team
    )
    people = {
        "kari": person_in(world, "Kari Nord", [north]),
        "siri": person_in(world, "Siri Sør", [south]),
        "per": person_in(world, "Per Begge", [north, south]),
        "mona": person_in(world, "Mona Mottak", [world.other_team]),
    }
    round = services.round_create(
        actor=None,
        organisation=world.organisation,
        data=services.RoundInput(
            name="Kartlegging for alle",
            catalogue=world.extra_objects["catalogue"],
            units=[world.team, world.other_team],
            opens_on=timezone.localdate(),
            deadline=timezone.localdate() + datetime.timedelta(days=14),
        ),
    )
    # Team sør also needs Personvern. Per has answered everything and the leader has rated him; Siri has
    # answered one of her two; the rest have not begun.
    competence = world.extra_objects["competence"]
    second = catalogues.competence_create(
        actor=None,
        area=world.extra_objects["area"],
        data=catalogues.CompetenceInput(name="Personvern", category="knowledge"),
    )
    catalogues.requirement_set(
        actor=None, data=catalogues.RequirementInput(competence=second, unit=south, level=2)
    )
    rate_self(round, people["per"], competence, 3)
    rate_self(round, people["per"], second, 2)
    RoundParticipant.objects.filter(round=round, person=people["per"]).update(leader_done_at=timezone.now())
    rate_self(round, people["siri"], competence, 2)
    return TreeRound(round=round, north=north, south=south, people=people)
