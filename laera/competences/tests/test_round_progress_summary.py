"""The round's unit progress kept ready (services/progress.py): the page reads the same counts from it as
it counts live, it follows every answer and rating, and it is set aside and built again when what it
depends on changes in bulk."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laera.competences.models import Assessment, RoundParticipant, RoundProgressState, RoundUnitProgress
from laera.competences.selectors import rounds as round_selectors
from laera.competences.services import catalogues, progress
from laera.competences.services import rounds as services
from laera.organisations import services as org_services
from laera.organisations.tenancy import Actor
from laera.testing.world import World

from .gap_world import commit_fixtures, row_version
from .round_tree import TreeRound, person_in, rate_self, tree_round


def _current(tree: TreeRound) -> bool:
    signature, stored = progress.progress_signature(tree.round)
    return signature == stored


def _levels(world: World, tree: TreeRound) -> list[Any]:
    return [None, world.top, world.team, tree.north, tree.south, world.other_team]


def _units(actor: Actor, tree: TreeRound, level: Any) -> list[tuple[str, int, int, int, bool]]:
    shown = round_selectors.round_progress(actor, tree.round, unit=level)
    return [(r.unit.name, r.total, r.answered, r.leader_done, r.own) for r in shown.units]


def _everything(actor: Actor, tree: TreeRound, level: Any) -> tuple[Any, ...]:
    """The units' counts, how many people there are to page through and the first page's people."""
    shown = round_selectors.round_progress(actor, tree.round, unit=level)
    units = [(r.unit.name, r.total, r.answered, r.leader_done, r.own) for r in shown.units]
    return units, shown.page.paginator.count, [p.person_id for p in shown.page.object_list]


def _live(actor: Actor, tree: TreeRound, level: Any, monkeypatch: Any) -> tuple[Any, ...]:
    with monkeypatch.context() as patch:
        patch.setattr(round_selectors, "_stored_unit_counts", lambda *args: None)
        return _everything(actor, tree, level)


def assert_stored_as_live(world: World, tree: TreeRound, monkeypatch: Any) -> None:
    """At every level, for the admin and for the leader of Oppfølging, the summary gives the page what the
    live count gives, and is what is read."""
    assert _current(tree)
    for role in ("admin", "leader"):
        actor = world.actor(role)
        for level in _levels(world, tree):
            if level is not None and not actor.leads(level.pk):
                continue
            with CaptureQueriesContext(connection) as queries:
                stored = _everything(actor, tree, level)
            assert not any("GROUP BY" in q["sql"] and "membership" in q["sql"] for q in queries)
            assert not any(q["sql"].startswith("SELECT COUNT(*)") for q in queries), "the count is known"
            assert stored == _live(actor, tree, level, monkeypatch), (role, level)


def _answer(round: Any, person: Any, competence: Any, level: int | None) -> None:
    services.assessment_save_self(
        actor=Actor(organisation=person.organisation, person=person),
        round=round,
        data=services.SelfInput(competence=competence, level=level),
        version=row_version(round, person, competence),
    )


def test_the_summary_counts_each_person_once_at_every_level(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tree_round(world)
    assert not _current(tree), "nothing built it yet: the page counts live"
    assert progress.progress_refresh(organisation_id=world.organisation.pk) >= 1
    assert _current(tree)
    assert progress.progress_refresh(organisation_id=world.organisation.pk) == 0, "current: left alone"
    # Per Begge is in Team nord and Team sør: once in Oppfølging and above, once in each team.
    team = RoundUnitProgress.objects.get(round=tree.round, unit=world.team)
    assert (team.tree_total, team.tree_answered, team.tree_leader_done) == (6, 1, 1)
    assert team.own_total == 3  # the leader, the coordinator and the employee
    north = RoundUnitProgress.objects.get(round=tree.round, unit=tree.north)
    assert (north.own_total, north.own_answered, north.tree_total) == (2, 1, 2)
    top = RoundUnitProgress.objects.get(round=tree.round, unit=world.top)
    assert (top.own_total, top.tree_total) == (0, 8)
    assert_stored_as_live(world, tree, monkeypatch)
    admin = world.actor("admin")
    assert _units(admin, tree, world.top) == [("Mottak", 2, 0, 0, False), ("Oppfølging", 6, 1, 1, False)]


def test_answers_and_ratings_keep_the_summary_current(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tree_round(world)
    progress.progress_refresh(organisation_id=world.organisation.pk)
    built = RoundProgressState.objects.get(round=tree.round).built_at
    competence, siri, kari = world.extra_objects["competence"], tree.people["siri"], tree.people["kari"]
    # Kari answers her only competence: answered in Team nord, Oppfølging and the office.
    rate_self(tree.round, kari, competence, 2)
    assert RoundUnitProgress.objects.get(round=tree.round, unit=tree.north).own_answered == 2
    assert RoundUnitProgress.objects.get(round=tree.round, unit=world.team).tree_answered == 2
    # Her leader finishes rating her; Siri finishes her second competence (Personvern).
    services.leader_rating_done(actor=world.actor("leader"), round=tree.round, person=kari)
    services.leader_rating_done(actor=world.actor("leader"), round=tree.round, person=kari)  # again: once
    second = (
        Assessment.objects.filter(round=tree.round, person=tree.people["per"])
        .exclude(competence=competence)[0]
        .competence
    )
    rate_self(tree.round, siri, second, 1)
    assert RoundUnitProgress.objects.get(round=tree.round, unit=world.top).tree_answered == 3
    assert RoundUnitProgress.objects.get(round=tree.round, unit=world.top).tree_leader_done == 2
    # Per takes a rating back: no longer answered, in both his teams and once above them.
    _answer(tree.round, tree.people["per"], second, None)
    assert not RoundParticipant.objects.get(round=tree.round, person=tree.people["per"]).submitted_at
    for unit, answered in ((tree.north, 1), (tree.south, 1), (world.team, 2), (world.top, 2)):
        assert RoundUnitProgress.objects.get(round=tree.round, unit=unit).tree_answered == answered, unit
    assert RoundProgressState.objects.get(round=tree.round).built_at == built, "kept, not rebuilt"
    assert_stored_as_live(world, tree, monkeypatch)


def test_a_change_of_memberships_or_participants_is_counted_live_until_the_rebuild(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    tree = tree_round(world)
    commit_fixtures()  # which built the summary
    assert _current(tree)
    admin = world.actor("admin")
    before = _units(admin, tree, world.team)
    # Mona joins Team nord as well: the stored counts no longer fit, so the page counts live (and shows
    # her), and the change queues the rebuild for its commit.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        org_services.membership_add(actor=None, unit=tree.north, person=tree.people["mona"])
    assert not _current(tree)
    after = _units(admin, tree, world.team)
    assert after != before and ("Team nord", 3, 1, 1, False) in after
    queued = [c for c in callbacks if c.task.name == "progress_refresh_task"]
    assert len(queued) == 1 and queued[0]().return_value >= 1
    assert_stored_as_live(world, tree, monkeypatch)
    # A new person in a unit of the round is invited when the round is saved: live until rebuilt.
    person_in(world, "Nina Ny", [tree.south])
    assert services.participants_sync(tree.round) == 1
    assert not _current(tree)
    assert ("Team sør", 3, 1, 1, False) in _units(admin, tree, world.team)  # Siri, Per and Nina
    progress.progress_refresh(organisation_id=world.organisation.pk)
    assert_stored_as_live(world, tree, monkeypatch)


def test_a_change_of_requirements_that_reopens_answers_sets_the_summary_aside(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tree_round(world)
    progress.progress_refresh(organisation_id=world.organisation.pk)
    # A new competence required of Team nord: Per, who had answered everything, is in progress again.
    law = catalogues.competence_create(
        actor=None,
        area=world.extra_objects["area"],
        data=catalogues.CompetenceInput(name="Arbeidsrett", category="knowledge"),
    )
    catalogues.requirement_set(
        actor=None, data=catalogues.RequirementInput(competence=law, unit=tree.north, level=1)
    )
    services.refresh_requirements(world.extra_objects["catalogue"])
    assert not RoundParticipant.objects.get(round=tree.round, person=tree.people["per"]).submitted_at
    assert not RoundProgressState.objects.filter(round=tree.round).exists()
    assert ("Oppfølging", 6, 0, 1, False) in _units(world.actor("admin"), tree, world.top)
    progress.progress_refresh(organisation_id=world.organisation.pk)
    assert_stored_as_live(world, tree, monkeypatch)


def test_a_missing_row_sets_the_summary_aside_instead_of_counting_wrong(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tree_round(world)
    progress.progress_refresh(organisation_id=world.organisation.pk)
    RoundUnitProgress.objects.filter(round=tree.round, unit=tree.north).delete()
    rate_self(tree.round, tree.people["kari"], world.extra_objects["competence"], 2)
    assert not RoundProgressState.objects.filter(round=tree.round).exists(), "the page counts live"
    assert ("Team nord", 2, 2, 1, False) in _units(world.actor("admin"), tree, world.team)
    progress.progress_refresh(organisation_id=world.organisation.pk)
    assert RoundUnitProgress.objects.get(round=tree.round, unit=tree.north).own_answered == 2
    assert_stored_as_live(world, tree, monkeypatch)


def test_the_stored_counts_take_the_same_queries_whatever_the_size(world: World, client_for: Any) -> None:
    tree = tree_round(world)
    client = client_for("admin")

    def counted() -> list[int]:
        progress.progress_refresh(organisation_id=world.organisation.pk)
        found = []
        for query in ("", f"?unit={world.top.pk}", f"?unit={world.team.pk}&state=in_progress"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(tree.address(world, query)).status_code == 200
            found.append(len(queries))
        return found

    small = counted()
    for i in range(12):
        unit = org_services.unit_create(
            actor=None, organisation=world.organisation, name=f"Lag {i}", parent=world.team
        )
        person_in(world, f"Deltaker {i}", [unit, tree.north] if i % 3 == 0 else [unit])
    services.participants_sync(tree.round)
    assert counted() == small
