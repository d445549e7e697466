from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from laera.core.errors import ServiceError
from laera.core.models import AuditEntry
from laera.core.permissions import Role
from laera.organisations import selectors, services
from laera.organisations.models import Membership, Organisation, Person, Unit, WorkingGroupMember

pytestmark = pytest.mark.django_db


def test_organisation_create_makes_top_unit_and_admin() -> None:
    org, admin, password = services.organisation_create(name="NAV Hurum", admin_email="Leder@Hurum.no")
    assert org.slug == "nav-hurum"
    assert Unit.objects.for_org(org).get().name == "NAV Hurum"
    assert admin.role == Role.ADMIN and admin.user.email == "leder@hurum.no"
    assert admin.user.check_password(password)
    again, _a, _p = services.organisation_create(name="NAV Hurum", admin_email="x@hurum.no")
    assert again.slug == "nav-hurum-2"


def test_organisation_create_keeps_an_existing_accounts_password(world: Any) -> None:
    user = world.user("employee")
    _org, person, password = services.organisation_create(name="Annet kontor", admin_email=user.email)
    assert password == ""
    assert person.user == user
    user.refresh_from_db()
    assert user.check_password("correct-horse-battery")


def test_taken_slug_is_refused(world: Any) -> None:
    with pytest.raises(ServiceError):
        services.organisation_create(name="X", slug=world.organisation.slug, admin_email="x@x.no")


def test_unit_cannot_move_below_itself(world: Any) -> None:
    admin = world.actor("admin")
    child = services.unit_create(actor=admin, organisation=world.organisation, name="Del", parent=world.team)
    with pytest.raises(ServiceError):
        services.unit_update(
            actor=world.actor("admin"),
            unit=world.team,
            name=world.team.name,
            parent=child,
            leader=None,
            version=world.team.version,
        )
    world.team.refresh_from_db()
    assert world.team.parent == world.top


def test_unit_names_are_unique_among_siblings(world: Any) -> None:
    with pytest.raises(ServiceError):
        services.unit_create(
            actor=world.actor("admin"), organisation=world.organisation, name="oppfølging", parent=world.top
        )


def test_leader_acts_on_own_units_only(world: Any) -> None:
    leader = world.actor("leader")
    sub = services.unit_create(actor=leader, organisation=world.organisation, name="SE", parent=world.team)
    assert sub.parent == world.team
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=world.actor("leader"), organisation=world.organisation, name="X", parent=world.other_team
        )
    with pytest.raises(PermissionDenied):
        services.unit_update(
            actor=world.actor("leader"),
            unit=world.other_team,
            name="Y",
            parent=world.top,
            leader=None,
            version=world.other_team.version,
        )


def test_led_units_include_sub_units(world: Any) -> None:
    sub = services.unit_create(actor=None, organisation=world.organisation, name="SE", parent=world.team)
    leader = world.actor("leader")
    assert leader.led_unit_ids == {world.team.pk, sub.pk}
    assert world.actor("admin").led_unit_ids == set(
        Unit.objects.for_org(world.organisation).values_list("id", flat=True)
    )
    assert world.actor("employee").led_unit_ids == set()


def test_leader_adds_employees_but_not_admins(world: Any) -> None:
    leader = world.actor("leader")
    person = services.person_create(
        actor=leader,
        organisation=world.organisation,
        full_name="Ny Ansatt",
        email="ny@testby.test",
        units=[world.team],
    )
    # Added on a page: no account is linked or created; the address gets an invitation instead.
    assert person.role == Role.EMPLOYEE and person.user is None
    assert person.invitations.get().email == "ny@testby.test"
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.actor("leader"),
            organisation=world.organisation,
            full_name="Sjef",
            email="sjef@testby.test",
            role=Role.ADMIN,
            units=[world.team],
        )
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.actor("leader"),
            organisation=world.organisation,
            full_name="Annen",
            units=[world.other_team],
        )


def test_employee_cannot_write(world: Any) -> None:
    employee = world.actor("employee")
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=employee, organisation=world.organisation, full_name="X", units=[world.team]
        )
    with pytest.raises(PermissionDenied):
        services.working_group_member_add(actor=employee, unit=world.team, person=world.people["employee"])
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=employee, unit=world.team, held_on=datetime.date(2026, 1, 1), minutes="x", minute_taker=None
        )


def test_duplicate_email_in_organisation_is_refused(world: Any) -> None:
    with pytest.raises(ServiceError):
        services.person_create(
            actor=None, organisation=world.organisation, full_name="Kopi", email="EMPLOYEE@testby.test"
        )


def test_same_email_in_two_organisations_shares_one_account(world: Any, other_world: Any) -> None:
    # Only the operator (no actor) links an existing account directly; pages send an invitation.
    person = services.person_create(
        actor=None, organisation=other_world.organisation, full_name="Delt", email="employee@testby.test"
    )
    assert person.user == world.user("employee")
    orgs = list(selectors.organisations_for_user(person.user))
    assert {o.slug for o in orgs} == {"testby", "annenby"}


def test_objects_of_another_organisation_are_refused(world: Any, other_world: Any) -> None:
    with pytest.raises(ServiceError):
        services.membership_add(actor=None, unit=world.team, person=other_world.people["employee"])
    with pytest.raises(ServiceError):
        services.unit_update(
            actor=world.actor("admin"),
            unit=world.team,
            name="x",
            parent=other_world.top,
            leader=None,
            version=world.team.version,
        )
    assert not Membership.objects.filter(unit=world.team, person=other_world.people["employee"]).exists()


def test_only_admin_changes_roles_and_nobody_demotes_themself(world: Any) -> None:
    with pytest.raises(ServiceError):
        services.person_update(
            actor=world.actor("leader"),
            person=world.people["employee"],
            version=world.people["employee"].version,
            full_name="A",
            email="employee@testby.test",
            job_role=None,
            role=Role.ADMIN,
        )
    with pytest.raises(ServiceError):
        services.person_update(
            actor=world.actor("admin"),
            person=world.people["admin"],
            version=world.people["admin"].version,
            full_name="A",
            email=world.people["admin"].email,
            job_role=None,
            role=Role.EMPLOYEE,
        )
    updated = services.person_update(
        actor=world.actor("admin"),
        person=world.people["employee"],
        version=world.people["employee"].version,
        full_name="Ny",
        email="employee@testby.test",
        job_role=None,
        role=Role.LEADER,
    )
    assert updated.role == Role.LEADER


def test_joining_the_working_group_makes_an_employee_a_coordinator(world: Any) -> None:
    employee = world.people["employee"]
    member = services.working_group_member_add(actor=world.actor("leader"), unit=world.team, person=employee)
    employee.refresh_from_db()
    assert employee.role == Role.COORDINATOR
    assert world.team.pk in world.actor("employee").coordinated_unit_ids
    assert AuditEntry.objects.filter(action="working_group.member_add", object_id=str(member.pk)).exists()


def test_external_cannot_join_a_working_group(world: Any) -> None:
    with pytest.raises(ServiceError):
        services.working_group_member_add(actor=None, unit=world.team, person=world.people["external"])


def test_lead_must_be_a_member(world: Any) -> None:
    with pytest.raises(ServiceError):
        services.working_group_update(
            actor=world.actor("leader"),
            unit=world.team,
            mandate="m",
            deadline=None,
            lead=world.people["employee"],
            minute_taker=None,
            version=world.group.version,
        )


def test_removing_the_lead_clears_the_role(world: Any) -> None:
    services.working_group_member_remove(actor=world.actor("leader"), member=world.group_member)
    world.group.refresh_from_db()
    assert world.group.lead is None and world.group.minute_taker is None
    assert not WorkingGroupMember.objects.filter(pk=world.group_member.pk).exists()


def test_working_group_size_warnings(world: Any) -> None:
    from django.utils import translation

    translation.activate("en")
    group = world.group
    warnings = selectors.working_group_warnings(group, 2)
    assert any("at least 3" in w for w in warnings)
    assert any("at most 5" in w for w in selectors.working_group_warnings(group, 6))
    assert not any("members" in w for w in selectors.working_group_warnings(group, 4))
    assert selectors.working_group_warnings(None, 0) == ["The unit has no working group yet."]


def test_coordinator_writes_minutes_of_own_group_only(world: Any) -> None:
    coordinator = world.actor("coordinator")
    meeting = services.meeting_create(
        actor=coordinator,
        unit=world.team,
        held_on=datetime.date(2026, 1, 5),
        minutes="Vi kartla kunnskapsflyten.",
        minute_taker=world.people["coordinator"],
    )
    assert meeting.group == world.group
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=world.actor("coordinator"),
            unit=world.other_team,
            held_on=datetime.date(2026, 1, 5),
            minutes="x",
            minute_taker=None,
        )
    with pytest.raises(ServiceError):
        services.meeting_create(
            actor=world.actor("coordinator"),
            unit=world.team,
            held_on=datetime.date(2026, 1, 5),
            minutes="   ",
            minute_taker=None,
        )


def test_unit_with_sub_units_cannot_be_deleted(world: Any) -> None:
    with pytest.raises(ServiceError):
        services.unit_delete(actor=world.actor("admin"), unit=world.top)
    services.unit_delete(actor=world.actor("admin"), unit=world.other_team)
    assert not Unit.objects.filter(pk=world.other_team.pk).exists()
    assert Person.objects.filter(pk=world.people["other_leader"].pk).exists()


def test_every_organisation_is_separate(world: Any, other_world: Any) -> None:
    assert Organisation.objects.count() == 2
    assert (
        not Person.objects.for_org(world.organisation).filter(organisation=other_world.organisation).exists()
    )


def test_working_group_coordinates_the_units_below(world: Any) -> None:
    sub = services.unit_create(actor=None, organisation=world.organisation, name="SE", parent=world.team)
    coordinator = world.actor("coordinator")
    assert {world.team.pk, sub.pk} <= coordinator.coordinated_unit_ids
    assert world.other_team.pk not in coordinator.coordinated_unit_ids
