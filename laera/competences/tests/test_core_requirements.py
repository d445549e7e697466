"""Which requirements apply to whom: job role, unit (and the units above), both; the strongest wins."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from laera.competences.models import Importance, Requirement
from laera.competences.requirements import Need, RequirementResolver, _ancestors, people_in_units
from laera.competences.services import catalogues
from laera.core.permissions import Role
from laera.organisations import services as org

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world: Any) -> dict[str, Any]:
    catalogue = catalogues.catalogue_create(actor=None, organisation=world.organisation, name="Katalog")
    area = catalogues.area_create(actor=None, catalogue=catalogue, name="Område")
    a = catalogues.competence_create(actor=None, area=area, data=catalogues.CompetenceInput(name="A"))
    b = catalogues.competence_create(actor=None, area=area, data=catalogues.CompetenceInput(name="B"))
    other_role = org.job_role_create(actor=None, organisation=world.organisation, name="Jobbveileder")
    return {"catalogue": catalogue, "a": a, "b": b, "other_role": other_role}


def _set(competence: Any, **kwargs: Any) -> None:
    catalogues.requirement_set(actor=None, data=catalogues.RequirementInput(competence=competence, **kwargs))


def test_job_role_and_unit_rules_combine(world: Any, setup: dict[str, Any]) -> None:
    a, b = setup["a"], setup["b"]
    _set(a, job_role=world.job_role, level=2, importance=Importance.USEFUL)
    # A unit requirement on the office reaches the team below it, and is stronger.
    _set(a, unit=world.top, level=3, importance=Importance.CRITICAL)
    # For another job role only: does not apply to the employee.
    _set(b, job_role=setup["other_role"], level=4)
    # For the job role in the other team only: does not apply either.
    _set(b, job_role=world.job_role, unit=world.other_team, level=4)
    resolver = RequirementResolver(world.organisation, setup["catalogue"].pk)
    needs = resolver.needs_for_people([world.people["employee"].pk])[world.people["employee"].pk]
    assert needs == {a.pk: Need(level=3, importance=Importance.CRITICAL)}


def test_future_level_is_the_highest_and_latest(world: Any, setup: dict[str, Any]) -> None:
    a = setup["a"]
    _set(a, job_role=world.job_role, level=1, future_level=2, future_by=datetime.date(2027, 1, 1))
    _set(a, unit=world.team, level=0, future_level=3, future_by=datetime.date(2028, 1, 1))
    resolver = RequirementResolver(world.organisation, setup["catalogue"].pk)
    need = resolver.needs_for_people([world.people["employee"].pk])[world.people["employee"].pk][a.pk]
    assert (need.level, need.future_level, need.future_by) == (1, 3, datetime.date(2028, 1, 1))


def test_setting_level_zero_removes_the_requirement(world: Any, setup: dict[str, Any]) -> None:
    a = setup["a"]
    _set(a, job_role=world.job_role, level=2)
    assert a.requirements.count() == 1
    _set(a, job_role=world.job_role, level=0)
    assert a.requirements.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Choose a job role, a unit, or both."),
        ({"unit_key": "team", "level": 7}, "The level must be a step of the scale, from 0 to 4."),
        ({"unit_key": "team", "level": 2, "future_level": 3}, "Say by when the later level is needed."),
        ({"unit_key": "team", "level": 2, "importance": "vital"}, "Choose critical, important or useful."),
    ],
)
def test_bad_requirements_are_refused(
    world: Any, setup: dict[str, Any], kwargs: dict[str, Any], message: str
) -> None:
    from django.utils import translation

    from laera.core.errors import ServiceError

    unit_key = kwargs.pop("unit_key", None)
    with translation.override("en"), pytest.raises(ServiceError) as caught:
        _set(setup["a"], unit=getattr(world, unit_key) if unit_key else None, **kwargs)
    assert caught.value.messages == [message]
    assert setup["a"].requirements.count() == 0


def test_a_leader_sets_requirements_only_for_units_they_lead(world: Any, setup: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    data = catalogues.RequirementInput(competence=setup["a"], unit=world.team, level=2)
    assert catalogues.requirement_set(actor=world.actor("leader"), data=data) is not None
    with pytest.raises(PermissionDenied):
        catalogues.requirement_set(
            actor=world.actor("other_leader"),
            data=catalogues.RequirementInput(competence=setup["a"], unit=world.team, level=3),
        )
    with pytest.raises(PermissionDenied):
        catalogues.requirement_set(
            actor=world.actor("leader"),
            data=catalogues.RequirementInput(competence=setup["a"], job_role=world.job_role, level=3),
        )


def test_people_in_units_reach_down_and_leave_out_externals_and_inactive(world: Any) -> None:
    gone = org.person_create(
        actor=None,
        organisation=world.organisation,
        full_name="Sluttet",
        email="sluttet@testby.test",
        role=Role.EMPLOYEE,
        units=[world.team],
    )
    gone.is_active = False
    gone.save()
    org.membership_add(actor=None, unit=world.team, person=world.people["external"])
    found = set(people_in_units(world.organisation, [world.top.pk]))
    assert world.people["employee"].pk in found
    assert world.people["other_leader"].pk in found  # in Mottak, below the office
    assert gone.pk not in found
    assert world.people["external"].pk not in found


def test_operator_sees_competence_rows_but_cannot_change_assessments(world: Any) -> None:
    from django.test import Client

    from laera.accounts.models import User
    from laera.competences.models import Assessment

    User.objects.create_superuser(email="drift@laera.no", password="operator-password-1")
    client = Client()
    assert client.login(email="drift@laera.no", password="operator-password-1")
    for path in (
        "/admin/competences/catalogue/",
        "/admin/competences/assessment/",
        "/admin/competences/mappinground/",
    ):
        assert client.get(path).status_code == 200, path
    row = Assessment.objects.filter(organisation=world.organisation).first()
    assert row is not None
    assert client.get("/admin/competences/assessment/add/").status_code == 403
    assert client.get(f"/admin/competences/assessment/{row.pk}/delete/").status_code == 403
    response = client.post(f"/admin/competences/assessment/{row.pk}/change/", {"self_level": 4})
    assert response.status_code in (403, 200)
    row.refresh_from_db()
    assert row.self_level == 2


def test_the_start_page_asks_a_participant_to_answer_the_open_round(world: Any, client_for: Any) -> None:
    from django.urls import reverse

    from laera.competences.models import RoundParticipant

    round = world.extra_objects["round"]
    home = reverse("organisations:home", kwargs={"org_slug": world.organisation.slug})
    answer = reverse(
        "competences:self_assessment", kwargs={"org_slug": world.organisation.slug, "round_id": round.pk}
    )
    assert answer in client_for("coordinator").get(home).content.decode()
    # Someone outside the round's units is not asked; nor is someone who has answered everything (the
    # employee rated the one competence that applies to them when the world was built).
    assert answer not in client_for("other_leader").get(home).content.decode()
    assert answer not in client_for("employee").get(home).content.decode()
    RoundParticipant.objects.filter(round=round, person=world.people["coordinator"]).update(
        submitted_at=round.created_at
    )
    assert answer not in client_for("coordinator").get(home).content.decode()


def test_each_profile_gets_what_walking_every_rule_gives(world: Any, setup: dict[str, Any]) -> None:
    """The resolver reads only the rules of a profile's job role and those for every job role; the needs
    are those of the rule in the module's docstring applied to every rule of the catalogue."""
    a, b, other_role = setup["a"], setup["b"], setup["other_role"]
    _set(a, job_role=world.job_role, level=2, importance=Importance.USEFUL)
    _set(
        a,
        unit=world.top,
        level=1,
        importance=Importance.CRITICAL,
        future_level=3,
        future_by=datetime.date(2027, 6, 1),
    )
    _set(a, job_role=other_role, level=4, importance=Importance.IMPORTANT)
    _set(
        b, job_role=other_role, unit=world.team, level=3, future_by=datetime.date(2028, 1, 1), future_level=4
    )
    _set(b, unit=world.other_team, level=2)
    _set(b, job_role=world.job_role, unit=world.top, level=1, importance=Importance.IMPORTANT)
    rules = list(Requirement.objects.filter(competence__catalogue=setup["catalogue"]))
    parents = {u.pk: u.parent_id for u in (world.top, world.team, world.other_team)}

    def by_every_rule(job_role_id: int | None, units: frozenset[int]) -> dict[int, tuple[Any, ...]]:
        reach = set().union(*(_ancestors(parents, u) for u in units)) if units else set()
        found: dict[int, list[Requirement]] = {}
        for r in rules:
            if (r.job_role_id in (None, job_role_id)) and (r.unit_id is None or r.unit_id in reach):
                found.setdefault(r.competence_id, []).append(r)
        rank = {Importance.CRITICAL: 0, Importance.IMPORTANT: 1, Importance.USEFUL: 2}
        return {
            cid: (
                max(r.level for r in rs),
                min((r.importance for r in rs), key=rank.__getitem__),
                max((r.future_level for r in rs if r.future_level is not None), default=None),
                max((r.future_by for r in rs if r.future_by is not None), default=None),
            )
            for cid, rs in found.items()
        }

    resolver = RequirementResolver(world.organisation, setup["catalogue"].pk)
    profiles = [
        (job_role, frozenset(units))
        for job_role in (world.job_role.pk, other_role.pk, None)
        for units in ((), (world.team.pk,), (world.other_team.pk,), (world.team.pk, world.other_team.pk))
    ]
    for job_role_id, units in profiles:
        needs = resolver.needs_for_profile((job_role_id, units))
        got = {cid: (n.level, n.importance, n.future_level, n.future_by) for cid, n in needs.items()}
        assert got == by_every_rule(job_role_id, units), (job_role_id, units)
    assert resolver.needs_for_profile((other_role.pk, frozenset({world.team.pk})))[b.pk].level == 3
