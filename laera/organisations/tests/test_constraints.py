"""The database itself refuses what the organisation's services refuse: the last line when a service is
bypassed or two requests race. Narrow tests, one row each, built with the factories
(laera/testing/factories.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from laera.testing.factories import (
    InvitationFactory,
    JobRoleFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
    WorkingGroupMemberFactory,
)

pytestmark = pytest.mark.django_db


def _refused(write: Callable[[], Any], constraint: str) -> None:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        write()
    names = _named(constraint)
    assert any(name in str(refused.value) for name in names), f"not refused by {constraint}: {refused.value}"


def _named(constraint: str) -> set[str]:
    """How the databases name the constraint when it refuses a row: PostgreSQL and SQLite's check and
    expression constraints by its name, SQLite's unique constraints on fields by their columns."""
    for model in apps.get_models():
        for rule in model._meta.constraints:
            if rule.name == constraint:
                table = model._meta.db_table
                fields = getattr(rule, "fields", ())
                columns = ", ".join(f"{table}.{model._meta.get_field(name).column}" for name in fields)
                return {constraint, columns} if columns else {constraint}
    raise AssertionError(f"no constraint named {constraint}")


def test_a_job_role_name_is_unique_in_an_organisation_whatever_its_case() -> None:
    role = JobRoleFactory(name="Veileder")
    _refused(
        lambda: JobRoleFactory(organisation=role.organisation, name="VEILEDER"), "jobrole_unique_name_per_org"
    )
    assert JobRoleFactory(name="Veileder").organisation != role.organisation


def test_two_units_under_the_same_parent_cannot_share_a_name() -> None:
    office = UnitFactory(name="NAV Fabrikk")
    UnitFactory(organisation=office.organisation, parent=office, name="Mottak")
    _refused(
        lambda: UnitFactory(organisation=office.organisation, parent=office, name="mottak"),
        "unit_unique_name_per_parent",
    )
    # The same name under another parent is another unit.
    other = UnitFactory(organisation=office.organisation, name="NAV Annet")
    assert UnitFactory(organisation=office.organisation, parent=other, name="Mottak").pk


def test_a_unit_cannot_be_its_own_parent() -> None:
    unit = UnitFactory()
    unit.parent = unit

    _refused(lambda: unit.save(update_fields=["parent"]), "unit_not_own_parent")


def test_an_email_address_belongs_to_one_person_in_an_organisation_and_blank_ones_do_not_count() -> None:
    person = PersonFactory(email="kari@example.org")
    _refused(
        lambda: PersonFactory(organisation=person.organisation, email="Kari@Example.org"),
        "person_unique_email_per_org",
    )
    PersonFactory(organisation=person.organisation, email="")
    assert PersonFactory(organisation=person.organisation, email="").pk
    assert PersonFactory(email="kari@example.org").organisation != person.organisation


def test_an_account_is_one_person_in_an_organisation() -> None:
    user = UserFactory()
    person = PersonFactory(user=user)
    _refused(lambda: PersonFactory(organisation=person.organisation, user=user), "person_unique_user_per_org")
    assert PersonFactory(user=user).organisation != person.organisation


def test_a_person_is_a_member_of_a_unit_once() -> None:
    membership = MembershipFactory()
    _refused(
        lambda: MembershipFactory(
            organisation=membership.organisation, person=membership.person, unit=membership.unit
        ),
        "membership_unique",
    )


def test_a_person_sits_in_a_working_group_once() -> None:
    member = WorkingGroupMemberFactory()
    _refused(
        lambda: WorkingGroupMemberFactory(
            organisation=member.organisation, group=member.group, person=member.person
        ),
        "wgmember_unique",
    )


def test_a_person_has_one_open_invitation_at_a_time() -> None:
    invitation = InvitationFactory()
    _refused(
        lambda: InvitationFactory(organisation=invitation.organisation, person=invitation.person),
        "invitation_one_open_per_person",
    )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    assert InvitationFactory(organisation=invitation.organisation, person=invitation.person).pk
