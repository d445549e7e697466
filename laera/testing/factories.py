"""factory_boy factories for narrow unit tests: one row and what it needs, written straight to the database.

The test worlds (laera/testing/world.py) are built through the services, as people build an organisation,
and are what most tests want. A test about one model, one constraint or one small function needs less:
a unit, a person, a membership, each with the organisation it belongs to and nothing else. These
factories give that without the services' checks and audit entries, so a test can also write what the
services would refuse and see the database refuse it (laera/organisations/tests/test_constraints.py).
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from laera.accounts.models import User
from laera.organisations.models import (
    Invitation,
    JobRole,
    Membership,
    Organisation,
    Person,
    Unit,
    WorkingGroup,
    WorkingGroupMember,
)


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"NAV Fabrikk {n}")
    slug = factory.Sequence(lambda n: f"fabrikk-{n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"bruker{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Bruker {n}")


class JobRoleFactory(DjangoModelFactory[JobRole]):
    class Meta:
        model = JobRole

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Veileder {n}")


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))
    unit = factory.SubFactory(UnitFactory, organisation=factory.SelfAttribute("..organisation"))


class WorkingGroupFactory(DjangoModelFactory[WorkingGroup]):
    class Meta:
        model = WorkingGroup

    organisation = factory.SubFactory(OrganisationFactory)
    unit = factory.SubFactory(UnitFactory, organisation=factory.SelfAttribute("..organisation"))


class WorkingGroupMemberFactory(DjangoModelFactory[WorkingGroupMember]):
    class Meta:
        model = WorkingGroupMember

    organisation = factory.SubFactory(OrganisationFactory)
    group = factory.SubFactory(WorkingGroupFactory, organisation=factory.SelfAttribute("..organisation"))
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))


def _in_two_weeks(_invitation: Any) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=Invitation.VALID_DAYS)


class InvitationFactory(DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))
    email = factory.SelfAttribute("person.email")
    key = factory.Sequence(lambda n: f"key{n:012d}")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyAttribute(_in_two_weeks)
