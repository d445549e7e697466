"""The heatmap's unit figures kept ready (services/figures.py): after every kind of change they equal the
live grouped query, cell by cell, for every source; they are rebuilt only when their signature changes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from laera.competences.models import (
    Assessment,
    Catalogue,
    Importance,
    MappingRound,
    RoundFiguresState,
    UnitFigures,
)
from laera.competences.selectors import gaps
from laera.competences.services import catalogues, figures, rounds
from laera.core.permissions import Role, descendants
from laera.organisations import services as org
from laera.organisations.models import Membership, Unit
from laera.organisations.tenancy import Actor
from laera.testing.shared import shared_data

from .gap_world import GapWorld, _rate, build_gap_world, commit_fixtures, row_version

pytestmark = pytest.mark.django_db

SOURCES = [gaps.Source.SELF, gaps.Source.LEADER, gaps.Source.AGREED]


gw = shared_data("gw", build_gap_world)


def _proficient(round: MappingRound) -> int:
    return Catalogue.objects.get(pk=round.catalogue_id).proficient_level


def _live(round: MappingRound, source: str) -> dict[tuple[int, int], gaps.Figures]:
    return gaps.unit_figures(round, source=source, proficient=_proficient(round))


def _build_all(round: MappingRound) -> None:
    for source in SOURCES:
        figures.figures_ensure_current(round, source=source)


def _built_at(round: MappingRound) -> dict[str, datetime.datetime]:
    return dict(RoundFiguresState.objects.filter(round=round).values_list("source", "built_at"))


def assert_current_and_equal(round: MappingRound, *, rebuilt: bool) -> None:
    """For every source: the summary is (or is not) rebuilt on the next view, and then holds exactly the
    live figures — the same cells, none more, none fewer, every number the same."""
    for source in SOURCES:
        assert figures.figures_ensure_current(round, source=source) is rebuilt, source
        stored = gaps.stored_unit_figures(round, source=source)
        live = _live(round, source)
        assert stored == live, source
        assert_tree_is_live(round, source)
        assert figures.figures_ensure_current(round, source=source) is False


def assert_tree_is_live(round: MappingRound, source: str) -> None:
    """The stored figures of each unit with units below it equal the live tree query's, and those equal
    the figures of the distinct people of the unit and everything below it (`gaps.group_figures`)."""
    parents = dict(Unit.objects.filter(organisation_id=round.organisation_id).values_list("id", "parent_id"))
    with_below = sorted({p for p in parents.values() if p is not None})
    assert with_below, "the test organisation has units with units below them"
    stored = gaps.stored_tree_figures(round, source=source, unit_ids=with_below)
    live = gaps.live_tree_figures(round, source=source, proficient=_proficient(round), unit_ids=with_below)
    assert stored == live, source
    for unit_id in with_below:
        people = gaps.group_figures(
            round,
            source=source,
            proficient=_proficient(round),
            unit_ids=sorted(descendants(parents, {unit_id})),
        )
        assert {cid: f for (u, cid), f in stored.items() if u == unit_id} == people, (source, unit_id)


def assert_heatmap_is_live(actor: Actor, round: MappingRound, monkeypatch: Any) -> None:
    """The heatmap read from the summary equals the heatmap computed from the live query, cell by cell,
    totals, suppression and order included."""
    for source in SOURCES:
        figures.figures_ensure_current(round, source=source)  # as the writing services leave it
        from_summary = gaps.heatmap_by_units(actor, round, source=source)
        with monkeypatch.context() as patched:
            patched.setattr(
                gaps,
                "stored_unit_figures",
                lambda round, *, source, unit_ids=None: gaps.unit_figures(
                    round, source=source, proficient=_proficient(round), unit_ids=unit_ids
                ),
            )
            live = gaps.heatmap_by_units(actor, round, source=source)
        assert [r.unit.pk for r in from_summary.rows] == [r.unit.pk for r in live.rows]
        assert [r.cells for r in from_summary.rows] == [r.cells for r in live.rows], source
        assert from_summary.totals == live.totals, source
        assert from_summary.suppressed_cells == live.suppressed_cells
        assert any(cell.assessed for row in from_summary.rows for cell in row.cells) or source == "leader"


def test_first_view_builds_the_summary_and_the_next_reads_it(gw: GapWorld) -> None:
    assert not UnitFigures.objects.filter(round=gw.round).exists()
    assert_current_and_equal(gw.round, rebuilt=True)
    assert UnitFigures.objects.filter(round=gw.round, source="agreed").count() == len(
        _live(gw.round, "agreed")
    )
    built = _built_at(gw.round)
    with CaptureQueriesContext(connection) as checked:
        assert figures.figures_ensure_current(gw.round, source="agreed") is False
    assert len(checked) == 1  # the signature and the stored one, in one query
    assert _built_at(gw.round) == built


def test_own_rating_updates_the_cells_without_a_rebuild(gw: GapWorld) -> None:
    _build_all(gw.round)
    built = _built_at(gw.round)
    before = gaps.stored_unit_figures(gw.round, source="self")
    _rate(gw.round, gw.people["e3"], gw.competence, 4, wants=True)
    assert gaps.stored_unit_figures(gw.round, source="self") != before
    assert_current_and_equal(gw.round, rebuilt=False)
    assert _built_at(gw.round) == built


def test_leader_rating_and_agreed_level_update_the_cells(gw: GapWorld, world: Any) -> None:
    _build_all(gw.round)
    leader = world.actor("leader")
    for key, level, agreed in (("e2", 1, None), ("e3", 2, 3), ("employee", 4, 4)):
        rounds.assessment_save_leader(
            actor=leader,
            round=gw.round,
            person=gw.people[key],
            data=rounds.LeaderInput(competence=gw.competence, level=level, agreed_level=agreed),
            version=row_version(gw.round, gw.people[key], gw.competence),
        )
        assert_current_and_equal(gw.round, rebuilt=False)
    agreed = gaps.stored_unit_figures(gw.round, source="agreed")[(world.team.pk, gw.competence.pk)]
    assert agreed == _live(gw.round, "agreed")[(world.team.pk, gw.competence.pk)]
    assert agreed.assessed == 8


def test_removing_ratings_updates_the_cells(gw: GapWorld, world: Any) -> None:
    _build_all(gw.round)
    leader = world.actor("leader")
    rounds.assessment_save_leader(
        actor=leader,
        round=gw.round,
        person=gw.people["e1"],
        data=rounds.LeaderInput(competence=gw.competence, level=None, agreed_level=None),
        version=row_version(gw.round, gw.people["e1"], gw.competence),
    )
    actor = Actor(organisation=world.organisation, person=gw.people["e1"])
    rounds.assessment_save_self(
        actor=actor,
        round=gw.round,
        data=rounds.SelfInput(competence=gw.competence, level=None),
        version=row_version(gw.round, gw.people["e1"], gw.competence),
    )
    assert_current_and_equal(gw.round, rebuilt=False)
    team = gaps.stored_unit_figures(gw.round, source="self")[(world.team.pk, gw.competence.pk)]
    assert team.assessed == 7  # the row is still there, without a level


def test_a_group_that_becomes_empty_loses_its_cell(gw: GapWorld) -> None:
    _build_all(gw.round)
    key = (gw.small.pk, gw.law.pk)
    assert key in gaps.stored_unit_figures(gw.round, source="agreed")
    # Rows removed outside the services (as a person's deletion would), then the cells recomputed.
    for person in ("s1", "s2"):
        Assessment.objects.filter(round=gw.round, person=gw.people[person], competence=gw.law).delete()
        assert figures.figures_refresh_cells(
            gw.round, person_id=gw.people[person].pk, competence_ids=[gw.law.pk]
        ) == len(SOURCES)
    assert key not in gaps.stored_unit_figures(gw.round, source="agreed")
    assert (gw.small.pk, gw.competence.pk) in gaps.stored_unit_figures(gw.round, source="agreed")
    assert_current_and_equal(gw.round, rebuilt=False)


def test_person_in_two_units_counts_in_both_cells(gw: GapWorld, world: Any) -> None:
    org.membership_add(actor=None, unit=world.other_team, person=gw.people["e5"])
    _build_all(gw.round)
    _rate(gw.round, gw.people["e5"], gw.competence, 0)
    assert_current_and_equal(gw.round, rebuilt=False)
    stored = gaps.stored_unit_figures(gw.round, source="self")
    assert stored[(world.team.pk, gw.competence.pk)].assessed == 8
    assert stored[(world.other_team.pk, gw.competence.pk)].assessed == 6


def test_membership_added_or_removed_rebuilds(gw: GapWorld, world: Any) -> None:
    _build_all(gw.round)
    membership = org.membership_add(actor=None, unit=gw.small, person=gw.people["m1"])
    assert_current_and_equal(gw.round, rebuilt=True)
    assert gaps.stored_unit_figures(gw.round, source="self")[(gw.small.pk, gw.competence.pk)].assessed == 3
    org.membership_remove(actor=world.actor("admin"), membership=membership)
    assert_current_and_equal(gw.round, rebuilt=True)
    # Moved to another unit outside the services, with no change of time or number.
    Membership.objects.filter(person=gw.people["s1"]).update(unit=world.other_team)
    assert_current_and_equal(gw.round, rebuilt=True)


def test_new_person_answering_rebuilds_then_updates(gw: GapWorld, world: Any) -> None:
    _build_all(gw.round)
    person = org.person_create(
        actor=None,
        organisation=world.organisation,
        full_name="Ny person",
        email="ny@figures.test",
        job_role=world.job_role,
        role=Role.EMPLOYEE,
        units=[gw.small],
    )
    rounds.participants_sync(gw.round)
    _rate(gw.round, person, gw.competence, 3)  # the summary is out of date: left for the next view
    assert_current_and_equal(gw.round, rebuilt=True)
    _rate(gw.round, person, gw.law, 1)
    assert_current_and_equal(gw.round, rebuilt=False)


def test_a_changed_requirement_in_an_open_round_rebuilds(gw: GapWorld, world: Any) -> None:
    _build_all(gw.round)
    stamp = MappingRound.objects.get(pk=gw.round.pk).requirements_stamp
    catalogues.requirement_set(
        actor=None,
        data=catalogues.RequirementInput(
            competence=gw.competence, job_role=world.job_role, level=4, importance=Importance.USEFUL
        ),
    )
    assert MappingRound.objects.get(pk=gw.round.pk).requirements_stamp == stamp + 1
    assert_current_and_equal(gw.round, rebuilt=True)
    cell = gaps.stored_unit_figures(gw.round, source="self")[(world.team.pk, gw.competence.pk)]
    assert (cell.required, cell.importance_rank) == (4, 2)
    # The closed round keeps its picture: its summary is not touched.
    _build_all(gw.before)
    catalogues.requirement_set(
        actor=None,
        data=catalogues.RequirementInput(
            competence=gw.competence, job_role=world.job_role, level=2, importance=Importance.CRITICAL
        ),
    )
    assert_current_and_equal(gw.before, rebuilt=False)
    assert_current_and_equal(gw.round, rebuilt=True)


def test_an_unchanged_requirement_does_not_rebuild(gw: GapWorld, world: Any) -> None:
    _build_all(gw.round)
    catalogues.requirement_set(
        actor=None,
        data=catalogues.RequirementInput(
            competence=gw.law,
            job_role=world.job_role,
            level=2,
            importance=Importance.IMPORTANT,
            future_level=3,
            future_by=datetime.date(2027, 12, 31),
        ),
    )
    assert_current_and_equal(gw.round, rebuilt=False)


def test_a_changed_proficient_step_rebuilds(gw: GapWorld, world: Any) -> None:
    _rate(gw.round, gw.people["e1"], gw.law, 3)  # above the 2 required, and proficient at step 3
    _build_all(gw.round)
    key = (world.team.pk, gw.law.pk)
    assert gaps.stored_unit_figures(gw.round, source="self")[key].above == 1
    catalogue = Catalogue.objects.get(pk=gw.round.catalogue_id)
    catalogues.scale_update(
        actor=None,
        catalogue=catalogue,
        data=catalogues.ScaleInput(labels={}, proficient_level=4),
        version=None,
    )
    assert_current_and_equal(gw.round, rebuilt=True)
    assert gaps.stored_unit_figures(gw.round, source="self")[key].above == 0


def test_a_new_round_gets_its_own_summary(gw: GapWorld, world: Any) -> None:
    _build_all(gw.round)
    today = timezone.localdate()
    new = rounds.round_create(
        actor=None,
        organisation=world.organisation,
        data=rounds.RoundInput(
            name="Kartlegging hausten 2026",
            catalogue=gw.round.catalogue,
            units=[world.top],
            opens_on=today,
            deadline=today + datetime.timedelta(days=7),
        ),
    )
    assert_current_and_equal(new, rebuilt=True)
    assert not UnitFigures.objects.filter(round=new).exists()  # nobody has answered yet
    for key in ("e1", "e2", "m1"):
        _rate(new, gw.people[key], gw.competence, 3)
    assert_current_and_equal(new, rebuilt=False)
    assert UnitFigures.objects.filter(round=new, source="self").count() == 2
    assert_current_and_equal(gw.round, rebuilt=False)


def test_a_stale_summary_is_left_alone_by_writes_and_rebuilt_on_view(gw: GapWorld, world: Any) -> None:
    figures.figures_ensure_current(gw.round, source="agreed")
    org.membership_add(actor=None, unit=gw.small, person=gw.people["e4"])
    with CaptureQueriesContext(connection) as saved:
        _rate(gw.round, gw.people["e4"], gw.competence, 0)
    assert not any("INSERT INTO" in q["sql"] and "unitfigures" in q["sql"] for q in saved.captured_queries)
    assert figures.figures_ensure_current(gw.round, source="agreed") is True
    assert gaps.stored_unit_figures(gw.round, source="agreed") == _live(gw.round, "agreed")


def test_rows_written_in_bulk_are_picked_up_after_invalidating(gw: GapWorld) -> None:
    _build_all(gw.round)
    Assessment.objects.filter(round=gw.round, competence=gw.law).update(agreed_level=4)
    figures.figures_invalidate(gw.round)
    assert not UnitFigures.objects.filter(round=gw.round).exists()
    assert_current_and_equal(gw.round, rebuilt=True)


@pytest.mark.parametrize("role", ["admin", "leader", "coordinator", "other_leader"])
def test_heatmap_from_the_summary_equals_the_live_heatmap(
    gw: GapWorld, world: Any, role: str, monkeypatch: Any
) -> None:
    org.membership_add(actor=None, unit=world.other_team, person=gw.people["e2"])
    assert_heatmap_is_live(world.actor(role), gw.round, monkeypatch)
    _rate(gw.round, gw.people["e2"], gw.competence, 1)
    rounds.assessment_save_leader(
        actor=world.actor("other_leader"),
        round=gw.round,
        person=gw.people["m2"],
        data=rounds.LeaderInput(competence=gw.competence, level=4, agreed_level=4),
        version=row_version(gw.round, gw.people["m2"], gw.competence),
    )
    assert_heatmap_is_live(world.actor(role), gw.round, monkeypatch)
    assert_heatmap_is_live(world.actor(role), gw.before, monkeypatch)


def test_heatmap_query_count_does_not_grow_with_the_data(world: Any) -> None:
    small = build_gap_world(world)
    # Someone in two units from the start: the totals' correction for them is one query at any size.
    org.membership_add(actor=None, unit=world.other_team, person=small.people["e1"])
    actor = world.actor("admin")

    def count() -> int:
        # The writing services bring the summary up to date (a read never builds it).
        figures.figures_refresh(organisation_id=small.round.organisation_id)
        gaps.heatmap_by_units(actor, small.round)
        with CaptureQueriesContext(connection) as captured:
            gaps.heatmap_by_units(actor, small.round)
        return len(captured)

    before = count()
    for u in range(3):
        unit = org.unit_create(
            actor=None, organisation=world.organisation, name=f"Flere {u}", parent=world.top
        )
        for i in range(6):
            person = org.person_create(
                actor=None,
                organisation=world.organisation,
                full_name=f"Flere {u}-{i}",
                email=f"flere{u}-{i}@figures.test",
                job_role=world.job_role,
                role=Role.EMPLOYEE,
                units=[unit, world.team] if i == 0 else [unit],
            )
            rounds.participants_sync(small.round)
            _rate(small.round, person, small.competence, 1 + i % 4)
            _rate(small.round, person, small.law, 2)
    assert count() == before
    assert UnitFigures.objects.filter(round=small.round, source="agreed").count() == len(
        _live(small.round, "agreed")
    )


def test_cells_go_with_a_deleted_unit_competence_and_round(gw: GapWorld, world: Any) -> None:
    """The summary has no foreign-key constraints in the database (for the speed of a rebuild), so the
    cascades that remove its cells are Django's: check each of them."""
    _build_all(gw.round)
    small = gw.small
    assert UnitFigures.objects.filter(unit_id=small.pk).exists()
    Membership.objects.filter(unit=small).delete()
    small.delete()
    assert not UnitFigures.objects.filter(unit_id=small.pk).exists()
    law = gw.law
    assert UnitFigures.objects.filter(competence_id=law.pk).exists()
    Assessment.objects.filter(competence=law).delete()
    law.delete()
    assert not UnitFigures.objects.filter(competence_id=law.pk).exists()
    round_id = gw.round.pk
    gw.round.delete()
    assert not UnitFigures.objects.filter(round_id=round_id).exists()


def _current(round: MappingRound) -> bool:
    return all(
        figures.figures_signature(round, source)[0] == figures.figures_signature(round, source)[2]
        for source in SOURCES
    )


def test_the_writing_services_rebuild_after_commit_so_a_read_never_has_to(
    gw: GapWorld, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    commit_fixtures()
    assert _current(gw.round), "the fixtures' memberships and the round's creation built the summary"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org.membership_add(actor=None, unit=gw.small, person=gw.people["m1"])
    # organisations' membership_add asks competences through its hook: the figures and the progress.
    assert [c.task.name for c in callbacks] == ["figures_refresh_task", "progress_refresh_task"]
    assert _current(gw.round)
    assert gaps.stored_unit_figures(gw.round, source="self")[(gw.small.pk, gw.competence.pk)].assessed == 3
    assert_current_and_equal(gw.round, rebuilt=False)


def test_many_changes_in_one_transaction_rebuild_once(
    gw: GapWorld, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    commit_fixtures()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for key in ("m1", "s1"):
            org.membership_add(actor=None, unit=world.other_team, person=gw.people[key])
        figures.figures_refresh_after_commit(organisation_id=world.organisation.pk)
    assert [c.task.name for c in callbacks] == ["figures_refresh_task", "progress_refresh_task"]
    assert not _current(gw.round), "nothing is rebuilt before the commit"
    assert callbacks[0]().return_value >= 1, "the task queued rebuilt the summary"
    assert_current_and_equal(gw.round, rebuilt=False)


def test_a_read_never_writes_the_summary(gw: GapWorld, world: Any) -> None:
    _build_all(gw.round)
    Membership.objects.filter(person=gw.people["s1"]).update(unit=world.other_team)
    built = _built_at(gw.round)
    live = gaps.heatmap_by_units(world.actor("admin"), gw.round, source="self")
    assert _built_at(gw.round) == built and not _current(gw.round)
    figures.figures_refresh(organisation_id=world.organisation.pk)
    assert gaps.heatmap_by_units(world.actor("admin"), gw.round, source="self") == live
