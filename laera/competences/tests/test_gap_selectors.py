"""The selectors added for the gap analysis pages: organisation gaps and change, hidden competence with
names, the people heatmap, the person profile and a gap's figures — with their query counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laera.competences.selectors import gaps as selectors
from laera.testing.shared import shared_data

from .gap_world import GapWorld, build_gap_world, row_version

gaps = shared_data("gaps", build_gap_world)


def test_organisation_gaps_put_critical_gaps_first_with_the_change(gaps: GapWorld) -> None:
    actor = gaps.world.actor("admin")
    heatmap = selectors.heatmap_by_units(actor, gaps.round)
    before = selectors.organisation_figures(actor, gaps.before)
    found = selectors.organisation_gaps(heatmap, before)
    assert [g.column.competence.name for g in found] == ["Motiverende intervju", "Arbeidsrett"]
    first = found[0]
    assert (first.now.assessed, first.now.below, first.before.below) == (15, 6, 11)  # type: ignore[union-attr]
    assert first.change_in_below == -5


def test_organisation_figures_are_suppressed_under_the_threshold(gaps: GapWorld) -> None:
    gaps.world.organisation.privacy_threshold = 16
    figures = selectors.organisation_figures(gaps.world.actor("admin"), gaps.round)
    assert figures[gaps.competence.pk].suppressed and figures[gaps.competence.pk].below == 0


def test_mobilise_candidates_names_only_people_the_actor_leads(gaps: GapWorld) -> None:
    world = gaps.world
    admin = selectors.mobilise_candidates(world.actor("admin"), gaps.round)
    assert {c.name for c in admin[gaps.competence.pk]} == {"Person e1", "Person m3", "Person s2"}
    leader = selectors.mobilise_candidates(world.actor("leader"), gaps.round)
    assert [c.name for c in leader[gaps.competence.pk]] == ["Person e1"]
    assert selectors.mobilise_candidates(world.actor("coordinator"), gaps.round) == {}
    assert selectors.mobilise_candidates(world.actor("employee"), gaps.round) == {}
    own = selectors.mobilise_candidates(world.actor("admin"), gaps.round, source="self", per_competence=2)
    assert len(own[gaps.competence.pk]) == 2  # capped by the database
    assert all(c.level > c.required for c in own[gaps.competence.pk])
    in_team = selectors.mobilise_candidates(world.actor("admin"), gaps.round, unit_ids=[world.team.pk])
    assert [c.name for c in in_team[gaps.competence.pk]] == ["Person e1"]


def test_people_heatmap_is_for_the_units_leaders(gaps: GapWorld) -> None:
    world = gaps.world
    data = selectors.people_heatmap(world.actor("leader"), world.team, gaps.round, limit=5)
    assert data.total_people == 8 and len(data.rows) == 5
    row = next(r for r in data.rows if r.name.startswith("Ansatt"))
    cell = row.cells[[c.competence.pk for c in data.columns].index(gaps.competence.pk)]
    assert (cell.self_level, cell.leader_level, cell.level("agreed"), cell.required) == (4, 3, 3, 3)
    for role in ("coordinator", "other_leader", "employee"):
        with pytest.raises(PermissionDenied):
            selectors.people_heatmap(world.actor(role), world.team, gaps.round)


def test_gap_figures_match_the_unit_report(gaps: GapWorld) -> None:
    actor = gaps.world.actor("leader")
    figures = selectors.gap_figures(actor, gaps.round, gaps.competence, unit=gaps.world.team)
    assert (figures.assessed, figures.below, figures.required) == (8, 4, 3)
    with pytest.raises(PermissionDenied):
        selectors.gap_figures(actor, gaps.round, gaps.competence, unit=gaps.world.other_team)


def test_rounds_with_figures_latest_first(gaps: GapWorld) -> None:
    rounds = selectors.rounds_with_figures(gaps.world.actor("other_leader"))
    assert rounds[0] == gaps.round
    assert selectors.rounds_with_figures(gaps.world.actor("employee")) == []


def test_person_profile_query_count_does_not_grow(gaps: GapWorld) -> None:
    actor = gaps.world.actor("leader")
    person = gaps.world.people["employee"]
    with CaptureQueriesContext(connection) as small:
        profile = selectors.person_profile(actor, person)
    assert [r.round.name for r in profile.catalogues[0].rounds][:2] == [
        "Kartlegging våren 2026 (alle)",
        "Kartlegging høsten 2025",
    ]
    from laera.competences.services import catalogues, rounds

    for i in range(4):
        competence = catalogues.competence_create(
            actor=None, area=gaps.competence.area, data=catalogues.CompetenceInput(name=f"Ekstra {i}")
        )
        catalogues.requirement_set(
            actor=None,
            data=catalogues.RequirementInput(competence=competence, job_role=gaps.world.job_role, level=2),
        )
        rounds.assessment_save_self(
            actor=gaps.world.actor("employee"),
            round=gaps.round,
            data=rounds.SelfInput(competence=competence, level=1),
            version=row_version(gaps.round, gaps.world.people["employee"], competence),
        )
    with CaptureQueriesContext(connection) as large:
        profile = selectors.person_profile(actor, person)
    assert len(large) == len(small)
    assert len(profile.catalogues[0].rounds[0].entries) == 6
