"""The grouped figures behind the heatmap and the unit report, checked against counts made by hand."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from laera.competences.models import Assessment, Importance, RoundParticipant
from laera.competences.selectors.gaps import Figures, heatmap_by_units, previous_round, unit_gap_report
from laera.competences.services import catalogues, rounds
from laera.core.permissions import Role
from laera.organisations import services as org

from .gap_world import row_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world: Any) -> dict[str, Any]:
    """Six people in the team (one also in the other team), requirements, one round with ratings."""
    organisation = world.organisation
    organisation.privacy_threshold = 3
    organisation.save()
    catalogue = catalogues.catalogue_create(actor=None, organisation=organisation, name="Katalog")
    area = catalogues.area_create(actor=None, catalogue=catalogue, name="Metoder")
    mi = catalogues.competence_create(actor=None, area=area, data=catalogues.CompetenceInput(name="MI"))
    se = catalogues.competence_create(actor=None, area=area, data=catalogues.CompetenceInput(name="SE"))
    for competence, level, importance in ((mi, 3, Importance.CRITICAL), (se, 2, Importance.USEFUL)):
        catalogues.requirement_set(
            actor=None,
            data=catalogues.RequirementInput(
                competence=competence,
                job_role=world.job_role,
                level=level,
                importance=importance,
                future_level=level + 1,
                future_by=datetime.date(2030, 1, 1),
            ),
        )
    people = [
        org.person_create(
            actor=None,
            organisation=organisation,
            full_name=f"Veileder {i}",
            email=f"v{i}@testby.test",
            job_role=world.job_role,
            role=Role.EMPLOYEE,
            units=[world.team, world.other_team] if i == 0 else [world.team],
        )
        for i in range(6)
    ]
    today = timezone.localdate()
    round = rounds.round_create(
        actor=None,
        organisation=organisation,
        data=rounds.RoundInput(
            name="Runde",
            catalogue=catalogue,
            units=[world.team, world.other_team],
            opens_on=today - datetime.timedelta(days=1),
            deadline=today + datetime.timedelta(days=10),
        ),
    )
    # (self MI, leader MI, self SE); person 0 is in both teams.
    ratings = [(1, 2, 2), (2, None, 4), (3, 3, 2), (4, 4, 1), (4, None, 3), (0, 1, None)]
    leader = world.actor("admin")
    for person, (mi_self, mi_leader, se_self) in zip(people, ratings, strict=True):
        actor = type(leader)(organisation=organisation, person=person)
        rounds.assessment_save_self(
            actor=actor,
            round=round,
            data=rounds.SelfInput(competence=mi, level=mi_self),
            version=row_version(round, person, mi),
        )
        if se_self is not None:
            rounds.assessment_save_self(
                actor=actor,
                round=round,
                data=rounds.SelfInput(competence=se, level=se_self, wants_to_learn=True),
                version=row_version(round, person, se),
            )
        if mi_leader is not None:
            rounds.assessment_save_leader(
                actor=leader,
                round=round,
                person=person,
                data=rounds.LeaderInput(competence=mi, level=mi_leader),
                version=row_version(round, person, mi),
            )
    return {"catalogue": catalogue, "mi": mi, "se": se, "people": people, "round": round}


def _cell(heatmap: Any, unit: Any, competence: Any) -> Figures:
    row = next(r for r in heatmap.rows if r.unit.pk == unit.pk)
    index = next(i for i, c in enumerate(heatmap.columns) if c.competence.pk == competence.pk)
    return row.cells[index]


def test_heatmap_figures_match_a_count_by_hand(world: Any, office: dict[str, Any]) -> None:
    heatmap = heatmap_by_units(world.actor("admin"), office["round"], source="self")
    # The world's employee also rated MI (2) in its own round, which is another round: not counted here.
    mi = _cell(heatmap, world.team, office["mi"])
    # Own MI ratings 1,2,3,4,4,0 against 3 required (proficient step 3): below 1,2,0 -> 3; above 4,4 -> 2.
    assert (mi.assessed, mi.level_sum, mi.required, mi.below, mi.above) == (6, 14, 3, 3, 2)
    assert mi.importance == Importance.CRITICAL
    # Everyone is below the level needed by 2030 (4) except the two at 4.
    assert mi.below_future == 4
    se = _cell(heatmap, world.team, office["se"])
    assert (se.assessed, se.level_sum, se.below, se.above, se.wants) == (5, 12, 1, 2, 5)
    # The other team has only person 0: suppressed under the threshold of 3.
    small = _cell(heatmap, world.other_team, office["mi"])
    assert small.suppressed and small.assessed == 0 and small.below == 0
    assert heatmap.suppressed_cells >= 1


def test_totals_count_a_person_in_two_units_once(world: Any, office: dict[str, Any]) -> None:
    heatmap = heatmap_by_units(world.actor("admin"), office["round"], source="self")
    index = next(i for i, c in enumerate(heatmap.columns) if c.competence.pk == office["mi"].pk)
    total = heatmap.totals[index]
    assert (total.assessed, total.level_sum, total.below, total.above) == (6, 14, 3, 2)


@pytest.mark.parametrize(
    ("source", "expected_sum", "expected_below"),
    [("self", 14, 3), ("leader", 10, 2), ("agreed", 2 + 2 + 3 + 4 + 4 + 1, 3)],
)
def test_the_source_of_the_current_level_is_selectable(
    world: Any, office: dict[str, Any], source: str, expected_sum: int, expected_below: int
) -> None:
    heatmap = heatmap_by_units(world.actor("admin"), office["round"], source=source)
    mi = _cell(heatmap, world.team, office["mi"])
    assert (mi.level_sum, mi.below) == (expected_sum, expected_below)


def test_agreed_level_wins_over_the_ratings(world: Any, office: dict[str, Any]) -> None:
    person = office["people"][0]
    rounds.assessment_save_leader(
        actor=world.actor("admin"),
        round=office["round"],
        person=person,
        data=rounds.LeaderInput(competence=office["mi"], level=2, agreed_level=4),
        version=row_version(office["round"], person, office["mi"]),
    )
    row = Assessment.objects.get(round=office["round"], person=person, competence=office["mi"])
    assert (row.self_level, row.leader_level, row.agreed_level, row.current_level) == (1, 2, 4, 4)
    assert row.self_at is not None and row.leader_at is not None and row.agreed_at is not None


def test_rows_of_groups_the_actor_may_not_see_are_left_out(world: Any, office: dict[str, Any]) -> None:
    heatmap = heatmap_by_units(world.actor("other_leader"), office["round"], source="self")
    assert [row.unit.pk for row in heatmap.rows] == [world.other_team.pk]
    with pytest.raises(PermissionDenied):
        heatmap_by_units(world.actor("employee"), office["round"], source="self")


def test_unit_report_puts_critical_gaps_first_and_compares_rounds(world: Any, office: dict[str, Any]) -> None:
    report = unit_gap_report(world.actor("leader"), world.team, office["round"], source="self")
    assert [gap.column.competence.name for gap in report] == ["MI", "SE"]
    assert report[0].now.importance == Importance.CRITICAL
    # A second round where two people improved in MI.
    office["round"].closed_at = timezone.now()
    office["round"].save()
    later = rounds.round_create(
        actor=None,
        organisation=world.organisation,
        data=rounds.RoundInput(
            name="Neste runde",
            catalogue=office["catalogue"],
            units=[world.team],
            opens_on=timezone.localdate(),
            deadline=timezone.localdate() + datetime.timedelta(days=5),
        ),
    )
    assert previous_round(later) == office["round"]
    for person, level in zip(office["people"], [3, 3, 3, 4, 4, 0], strict=True):
        actor = type(world.actor("admin"))(organisation=world.organisation, person=person)
        rounds.assessment_save_self(
            actor=actor,
            round=later,
            data=rounds.SelfInput(competence=office["mi"], level=level),
            version=row_version(later, person, office["mi"]),
        )
    report = unit_gap_report(world.actor("leader"), world.team, later, source="self", compare=office["round"])
    mi = next(g for g in report if g.column.competence.pk == office["mi"].pk)
    assert mi.change_in_below == 1 - 3
    assert mi.change_in_average == pytest.approx((17 - 14) / 6)


def test_requirement_changes_reach_open_rounds_only(world: Any, office: dict[str, Any]) -> None:
    closed = office["round"]
    row = Assessment.objects.filter(round=closed, competence=office["mi"]).first()
    assert row is not None and row.required_level == 3
    catalogues.requirement_set(
        actor=None,
        data=catalogues.RequirementInput(
            competence=office["mi"], job_role=world.job_role, level=4, importance=Importance.CRITICAL
        ),
    )
    row.refresh_from_db()
    assert (row.required_level, row.future_level) == (4, None)
    closed.closed_at = timezone.now()
    closed.save()
    catalogues.requirement_set(
        actor=None,
        data=catalogues.RequirementInput(competence=office["mi"], job_role=world.job_role, level=1),
    )
    row.refresh_from_db()
    assert row.required_level == 4


def test_participants_are_the_people_of_the_units(world: Any, office: dict[str, Any]) -> None:
    invited = set(RoundParticipant.objects.filter(round=office["round"]).values_list("person_id", flat=True))
    assert {p.pk for p in office["people"]} <= invited
    assert world.people["other_leader"].pk in invited
    assert world.people["external"].pk not in invited
