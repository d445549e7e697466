"""Sign-in identity: the probes that took over an admin's account and pulled other organisations'
accounts in, as regression tests, and the invitation that now stands between an address and access.

* Defect 1: a leader edited the e-mail of the admin (who sits in a unit the leader leads) to the address
  of an account from another organisation; that account got the admin's rights and the admin got 404.
  A junior leader could first add the admin to their own unit.
* Defect 5: any admin could add a person with another organisation's account address and role admin;
  that account then saw this organisation in its chooser.
* Defect 8 (first half): people created in the app could never sign in.

Now a person's sign-in identity is changed only by an admin, never re-linked to an existing account,
and an account joins an organisation only by accepting an invitation sent to its address.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laera.accounts.models import User
from laera.core.errors import ServiceError
from laera.core.models import AuditEntry
from laera.core.permissions import Role
from laera.core.versioning import ConflictError
from laera.organisations import selectors, services
from laera.organisations.models import Invitation, Membership, Person
from laera.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-password-2026"
TOKEN = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


def org_url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(f"organisations:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


def invitation_url(token: str) -> str:
    return reverse("invitations:accept", kwargs={"token": token})


def english(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_data(person: Person, **changes: Any) -> dict[str, Any]:
    """What the edit form sends back unchanged, with `changes` on top: the current version included, so
    a refusal below is about the rule and never about the version."""
    person.refresh_from_db()
    data: dict[str, Any] = {
        "full_name": person.full_name,
        "email": person.email,
        "job_role": person.job_role_id or "",
        "role": person.role,
        "version": person.version,
    }
    if person.is_active:
        data["is_active"] = "on"
    return data | changes


def has_access(user: Any, world: World) -> bool:
    """Whether the account reaches the organisation: its pages, and its place in the chooser."""
    reached = signed_in(user).get(org_url(world, "home")).status_code == 200
    listed = world.organisation in selectors.organisations_for_user(user)
    assert reached == listed
    return reached


def last_token(to: str) -> str:
    messages = [message for message in mail.outbox if to in message.to]
    assert messages, f"no e-mail to {to}"
    found = TOKEN.search(messages[-1].body)
    assert found is not None, messages[-1].body
    return found.group(1)


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what waits for the commit (the invitation e-mails) as the test's changes are never committed."""

    def run() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return run


def invite(world: World, capture: Any, email: str, role: str = Role.EMPLOYEE) -> tuple[Person, str]:
    """The admin adds a person with this address on a page; returns the person and the token e-mailed."""
    with capture():
        person = services.person_create(
            actor=world.actor("admin"),
            organisation=world.organisation,
            full_name="Nora Ny",
            email=email,
            role=role,
            units=[world.team],
            site_url="http://testserver",
        )
    return person, last_token(email)


# Defect 1: taking over the admin by editing their e-mail -------------------------------------------


@pytest.mark.parametrize("role", ["leader", "coordinator", "employee", "external", "other_leader"])
def test_no_one_but_an_admin_can_re_link_the_admin(role: str, world: World, other_world: World) -> None:
    # As in the probe, the leader leads the top unit, where the admin sits.
    world.top.leader = world.people["leader"]
    world.top.save()
    admin = world.people["admin"]
    admin_user, victim = admin.user, other_world.user("admin")
    version = admin.version
    attacker = signed_in(world.user(role))

    response = attacker.post(
        org_url(world, "person_edit", person_id=admin.pk), edit_data(admin, email=victim.email)
    )

    assert response.status_code in (403, 404)
    admin.refresh_from_db()
    assert (admin.user, admin.email, admin.version) == (admin_user, "admin@testby.test", version)
    assert not Person.objects.filter(organisation=world.organisation, user=victim).exists()
    assert not Invitation.objects.filter(email=victim.email).exists()
    assert not has_access(victim, world)
    assert has_access(admin_user, world)
    assert not AuditEntry.objects.filter(action="person.update", object_id=str(admin.pk)).exists()


def test_a_leader_of_the_admins_unit_may_not_even_open_the_admins_edit_page(world: World) -> None:
    world.top.leader = world.people["leader"]
    world.top.save()
    client = signed_in(world.user("leader"))
    assert client.get(org_url(world, "person_edit", person_id=world.people["admin"].pk)).status_code == 403
    detail = english(client).get(org_url(world, "person_detail", person_id=world.people["admin"].pk))
    assert org_url(world, "person_edit", person_id=world.people["admin"].pk) not in detail.content.decode()


def test_a_junior_leader_cannot_add_the_admin_to_their_unit_and_then_edit_them(
    world: World, other_world: World
) -> None:
    admin, victim = world.people["admin"], other_world.user("admin")
    junior = signed_in(world.user("other_leader"))

    response = junior.post(
        org_url(world, "membership_add", unit_id=world.other_team.pk), {"person": admin.pk}
    )

    # The admin is not among the people offered: the choice is refused and nothing is written.
    assert response.status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=world.actor("other_leader"), unit=world.other_team, person=admin)
    assert not Membership.objects.filter(person=admin, unit=world.other_team).exists()
    # Even with the admin in their unit (put there by an admin), the leader may not edit them.
    services.membership_add(actor=world.actor("admin"), unit=world.other_team, person=admin)
    edit = org_url(world, "person_edit", person_id=admin.pk)
    assert junior.get(edit).status_code == 403
    assert junior.post(edit, edit_data(admin, email=victim.email)).status_code == 403
    admin.refresh_from_db()
    assert admin.user == world.user("admin") and admin.email == "admin@testby.test"
    assert not has_access(victim, world)
    with pytest.raises(PermissionDenied):
        services.person_update(
            actor=world.actor("other_leader"),
            person=admin,
            version=admin.version,
            full_name=admin.full_name,
            email=admin.email,
            job_role=None,
            role=admin.role,
        )


def test_a_leader_cannot_place_another_leader_in_their_unit_or_edit_them(world: World) -> None:
    """Leading a unit someone is in lets a leader edit them and read their assessments, so a leader
    places only people ranking below them; admins place leaders."""
    senior, junior = world.people["leader"], signed_in(world.user("other_leader"))
    # The unit page's person picker offers (searches) only the people the leader may place.
    offered = junior.get(
        org_url(world, "person_search"),
        {"field": "unit-member", "unit": world.other_team.pk, "name": "person", "person__q": "testby"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert f'value="{senior.pk}"' not in offered
    assert f'value="{world.people["employee"].pk}"' in offered

    response = junior.post(
        org_url(world, "membership_add", unit_id=world.other_team.pk), {"person": senior.pk}
    )

    assert response.status_code in (302, 403)
    assert not Membership.objects.filter(person=senior, unit=world.other_team).exists()
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=world.actor("other_leader"), unit=world.other_team, person=senior)
    # Placed there by an admin, the senior leader is still not the junior's to edit.
    services.membership_add(actor=world.actor("admin"), unit=world.other_team, person=senior)
    assert junior.get(org_url(world, "person_edit", person_id=senior.pk)).status_code == 403
    # A leader still places employees, and themselves.
    services.membership_add(
        actor=world.actor("other_leader"), unit=world.other_team, person=world.people["employee"]
    )
    services.membership_add(
        actor=world.actor("other_leader"), unit=world.other_team, person=world.people["other_leader"]
    )


def test_a_leader_edits_only_name_and_job_role(world: World, other_world: World) -> None:
    employee = world.people["employee"]
    victim = other_world.user("employee")
    leader = signed_in(world.user("leader"))

    # The leader's form has no e-mail, role or activity: what is posted for them is ignored.
    response = leader.post(
        org_url(world, "person_edit", person_id=employee.pk),
        edit_data(employee, full_name="Ansatt Nytt Navn", email=victim.email, role=Role.ADMIN),
    )

    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.full_name == "Ansatt Nytt Navn"
    assert (employee.email, employee.role, employee.user) == (
        "employee@testby.test",
        Role.EMPLOYEE,
        world.user("employee"),
    )
    # And the service refuses them outright.
    for changes in ({"email": victim.email}, {"role": Role.LEADER}, {"is_active": False}):
        arguments: dict[str, Any] = {
            "full_name": employee.full_name,
            "email": employee.email,
            "job_role": None,
            "role": employee.role,
            "is_active": True,
        } | changes
        with pytest.raises(ServiceError):
            services.person_update(
                actor=world.actor("leader"), person=employee, version=employee.version, **arguments
            )
    employee.refresh_from_db()
    assert employee.user == world.user("employee") and employee.email == "employee@testby.test"


def test_no_one_gives_a_role_above_their_own(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.actor("leader"),
            organisation=world.organisation,
            full_name="Sjef",
            role=Role.LEADER,
            units=[world.team],
        )
    with pytest.raises(ServiceError):
        services.person_update(
            actor=world.actor("leader"),
            person=world.people["employee"],
            version=world.people["employee"].version,
            full_name="Ansatt",
            email="employee@testby.test",
            job_role=None,
            role=Role.ADMIN,
        )
    world.people["employee"].refresh_from_db()
    assert world.people["employee"].role == Role.EMPLOYEE


def test_an_admin_changing_an_address_never_links_the_account_that_has_it(
    world: World, other_world: World, capture: Any
) -> None:
    employee = world.people["employee"]
    old_user, victim = employee.user, other_world.user("employee")
    admin = english(signed_in(world.user("admin")))
    # The form says what will happen before the admin saves.
    form = admin.get(org_url(world, "person_edit", person_id=employee.pk)).content.decode()
    assert "their account is no longer linked to this person" in form

    with capture():
        response = admin.post(
            org_url(world, "person_edit", person_id=employee.pk), edit_data(employee, email=victim.email)
        )

    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.user is None and employee.email == victim.email
    assert not has_access(victim, world)  # until the owner of the address accepts
    assert not has_access(old_user, world)  # the account that had the old address is unlinked
    assert User.objects.filter(pk=old_user.pk).exists()  # it has a password, so it stays
    invitation = Invitation.objects.get(person=employee)
    assert invitation.status == "open" and invitation.email == victim.email
    token = last_token(victim.email)
    assert signed_in(victim).post(invitation_url(token)).status_code == 302
    employee.refresh_from_db()
    assert employee.user == victim and has_access(victim, world)


def test_an_admin_cannot_change_their_own_address(world: World) -> None:
    admin = world.people["admin"]
    with pytest.raises(ServiceError):
        services.person_update(
            actor=world.actor("admin"),
            person=admin,
            version=admin.version,
            full_name=admin.full_name,
            email="ny-adresse@testby.test",
            job_role=None,
            role=Role.ADMIN,
        )
    admin.refresh_from_db()
    assert admin.email == "admin@testby.test" and admin.user == world.user("admin")


def test_an_account_left_with_no_person_and_no_password_is_deleted(world: World, other_world: World) -> None:
    # The operator provisions accounts without a password; when the address changes, nothing can reach it.
    alone = services.person_create(
        actor=None, organisation=world.organisation, full_name="Alene", email="alene@testby.test"
    )
    shared = services.person_create(
        actor=None, organisation=world.organisation, full_name="Delt", email="delt@testby.test"
    )
    services.person_create(
        actor=None, organisation=other_world.organisation, full_name="Delt", email="delt@testby.test"
    )
    alone_user, shared_user = alone.user, shared.user
    assert alone_user is not None and not alone_user.has_usable_password()
    for person, email in ((alone, "alene2@testby.test"), (shared, "delt2@testby.test")):
        services.person_update(
            actor=world.actor("admin"),
            person=person,
            version=person.version,
            full_name=person.full_name,
            email=email,
            job_role=None,
            role=person.role,
        )
    assert not User.objects.filter(pk=alone_user.pk).exists()
    assert AuditEntry.objects.filter(action="user.delete", object_id=str(alone_user.pk)).exists()
    assert User.objects.filter(pk=shared_user.pk).exists()  # still someone in the other organisation


# Defect 5: pulling another organisation's account in -----------------------------------------------


@pytest.mark.parametrize("role", ["admin", "leader", "other_leader", "coordinator", "employee", "external"])
def test_adding_someone_with_another_organisations_address_gives_that_account_nothing(
    role: str, world: World, other_world: World, capture: Any
) -> None:
    victim = other_world.user("leader")
    client = signed_in(world.user(role))
    people = Person.objects.count()

    with capture():
        response = client.post(
            org_url(world, "person_create"), {"full_name": "Leder", "email": victim.email, "role": Role.ADMIN}
        )

    if role in ("admin",):
        assert response.status_code == 302
        person = Person.objects.get(organisation=world.organisation, email=victim.email)
        assert person.user is None and person.role == Role.ADMIN
        assert Invitation.objects.get(person=person).status == "open"
        assert mail.outbox[-1].to == [victim.email]
    elif role in ("leader", "other_leader"):
        assert response.status_code == 200  # admin is not a role a leader may give
        assert Person.objects.count() == people
        unit = world.team if role == "leader" else world.other_team
        with capture():
            response = client.post(
                org_url(world, "person_create"),
                {"full_name": "Leder", "email": victim.email, "role": Role.EMPLOYEE, "units": [unit.pk]},
            )
        assert response.status_code == 302
        assert Person.objects.get(organisation=world.organisation, email=victim.email).user is None
    else:
        assert response.status_code in (403, 404)
        assert Person.objects.count() == people
    assert not has_access(victim, world)
    assert list(selectors.organisations_for_user(victim)) == [other_world.organisation]


def test_no_page_links_or_creates_an_account(world: World, other_world: World) -> None:
    accounts = User.objects.count()
    for email in (other_world.user("employee").email, "helt-ny@testby.test"):
        person = services.person_create(
            actor=world.actor("admin"), organisation=world.organisation, full_name="X", email=email
        )
        assert person.user is None
    assert User.objects.count() == accounts
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.actor("admin"),
            organisation=world.organisation,
            full_name="Y",
            email="y@testby.test",
            account="provision",
        )


# Accepting an invitation ------------------------------------------------------------------------------


def test_a_new_person_chooses_a_password_and_signs_in(world: World, capture: Any) -> None:
    person, token = invite(world, capture, "nora@ny.test")
    assert person.user is None and not User.objects.filter(email="nora@ny.test").exists()
    client = english(Client())

    page = client.get(invitation_url(token))

    assert page.status_code == 200
    content = page.content.decode()
    assert "NAV Testby" in content and "Nora Ny" in content and "nora@ny.test" in content
    assert "Choose your name and a password" in content
    person.refresh_from_db()
    assert person.user is None and not User.objects.filter(email="nora@ny.test").exists()  # not on GET

    mismatch = client.post(
        invitation_url(token), {"full_name": "Nora", "password1": NEW_PASSWORD, "password2": "other"}
    )
    assert mismatch.status_code == 200 and not User.objects.filter(email="nora@ny.test").exists()
    response = client.post(
        invitation_url(token),
        {"full_name": "Nora Nyberg", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] == org_url(world, "home")
    user = User.objects.get(email="nora@ny.test")
    person.refresh_from_db()
    assert person.user == user and user.full_name == "Nora Nyberg"
    assert client.get(org_url(world, "home")).status_code == 200  # signed in
    # People created in the app can sign in from now on.
    fresh = Client()
    assert fresh.login(email="nora@ny.test", password=NEW_PASSWORD)
    assert fresh.get(org_url(world, "home")).status_code == 200
    invitation = Invitation.objects.get(person=person)
    assert invitation.accepted_at is not None and invitation.accepted_by == user
    assert AuditEntry.objects.filter(action="invitation.accept", object_id=str(invitation.pk)).exists()


def test_the_password_validators_apply(world: World, capture: Any, settings: Any) -> None:
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 10},
        }
    ]
    _person, token = invite(world, capture, "nora@ny.test")
    client = english(Client())
    response = client.post(
        invitation_url(token), {"full_name": "Nora", "password1": "kort", "password2": "kort"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="nora@ny.test").exists()


def test_an_account_without_a_password_chooses_one(world: World, capture: Any) -> None:
    account = User.objects.create_user(email="uten@passord.test")
    person, token = invite(world, capture, "uten@passord.test")
    client = english(Client())
    content = client.get(invitation_url(token)).content.decode()
    assert "without a password" in content and 'name="full_name"' not in content

    response = client.post(invitation_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    account.refresh_from_db()
    person.refresh_from_db()
    assert person.user == account and account.check_password(NEW_PASSWORD)


def test_an_existing_account_signs_in_and_accepts(world: World, other_world: World, capture: Any) -> None:
    owner = other_world.user("employee")
    person, token = invite(world, capture, owner.email)
    anonymous = english(Client())

    page = anonymous.get(invitation_url(token)).content.decode()
    assert "Sign in as employee@annenby.test" in page
    assert reverse("accounts:login") + "?next=" + invitation_url(token).replace("/", "%2F") in page
    assert anonymous.post(invitation_url(token), {"password1": "x", "password2": "x"}).status_code == 200
    person.refresh_from_db()
    owner.refresh_from_db()
    assert person.user is None and owner.check_password(PASSWORD)  # no password set by a stranger

    client = Client()
    assert client.login(email=owner.email, password=PASSWORD)
    english(client)
    assert "Accept the invitation" in client.get(invitation_url(token)).content.decode()
    person.refresh_from_db()
    assert person.user is None  # nothing on GET
    response = client.post(invitation_url(token))

    assert response.status_code == 302 and response["Location"] == org_url(world, "home")
    person.refresh_from_db()
    assert person.user == owner
    assert set(selectors.organisations_for_user(owner)) == {world.organisation, other_world.organisation}


@pytest.mark.parametrize("role", ["admin", "leader", "coordinator", "employee", "external"])
def test_signed_in_as_another_account_nothing_is_linked(
    role: str, world: World, other_world: World, capture: Any
) -> None:
    for email in ("nora@ny.test", other_world.user("employee").email):  # a new and an existing account
        person, token = invite(world, capture, email)
        client = english(signed_in(world.user(role)))

        page = client.get(invitation_url(token))
        response = client.post(
            invitation_url(token), {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )

        assert page.status_code == 200 and response.status_code == 200
        assert f"You are signed in as {world.user(role).email}" in response.content.decode()
        person.refresh_from_db()
        assert person.user is None
        assert Invitation.objects.get(person=person).status == "open"
        world.user(role).refresh_from_db()
        assert world.user(role).check_password(PASSWORD)
    assert not User.objects.filter(email="nora@ny.test").exists()
    with pytest.raises(services.InvitationWrongAccount):
        services.invitation_accept(invitation=Invitation.objects.get(person=person), user=world.user("admin"))


def test_an_expired_invitation_is_refused(world: World, capture: Any) -> None:
    person, token = invite(world, capture, "nora@ny.test")
    Invitation.objects.filter(person=person).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client = english(Client())

    page = client.get(invitation_url(token))
    response = client.post(
        invitation_url(token), {"full_name": "Nora", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert page.status_code == 410 and response.status_code == 410
    assert "This invitation expired on" in page.content.decode()
    assert "send you a new invitation" in page.content.decode()
    assert not User.objects.filter(email="nora@ny.test").exists()
    person.refresh_from_db()
    assert person.user is None


def test_an_invitation_works_once(world: World, capture: Any) -> None:
    person, token = invite(world, capture, "nora@ny.test")
    client = Client()
    data = {"full_name": "Nora", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(invitation_url(token), data).status_code == 302

    again = english(Client())
    page = again.get(invitation_url(token))
    response = again.post(
        invitation_url(token), data | {"password1": "x-other-pass", "password2": "x-other-pass"}
    )

    assert page.status_code == 410 and response.status_code == 410
    assert "used already" in page.content.decode()
    assert User.objects.get(email="nora@ny.test").check_password(NEW_PASSWORD)
    with pytest.raises(services.InvitationUnusable):
        services.invitation_accept(
            invitation=Invitation.objects.get(person=person), user=None, password="x-other-pass"
        )


def test_sending_again_withdraws_the_old_invitation(world: World, capture: Any) -> None:
    person, old = invite(world, capture, "nora@ny.test")
    admin = english(signed_in(world.user("admin")))

    with capture():
        response = admin.post(org_url(world, "person_invite", person_id=person.pk))

    assert response.status_code == 302
    new = last_token("nora@ny.test")
    assert new != old
    gone = english(Client()).get(invitation_url(old))
    assert gone.status_code == 410 and "withdrawn" in gone.content.decode()
    assert Client().get(invitation_url(new)).status_code == 200
    assert Invitation.objects.filter(person=person).count() == 2
    assert [i.status for i in Invitation.objects.filter(person=person).order_by("id")] == ["revoked", "open"]


def test_unknown_and_forged_tokens_are_not_found(world: World, capture: Any) -> None:
    _person, token = invite(world, capture, "nora@ny.test")
    client = Client()
    assert client.get(invitation_url("x" * 55)).status_code == 404
    assert client.get(invitation_url(token[: Invitation.KEY_LENGTH])).status_code == 404
    forged = token[: Invitation.KEY_LENGTH] + "A" * (len(token) - Invitation.KEY_LENGTH)
    assert client.get(invitation_url(forged)).status_code == 404
    assert client.post(invitation_url(forged), {"password1": NEW_PASSWORD}).status_code == 404
    # Only the hash of the token is stored.
    invitation = Invitation.objects.get()
    assert token not in (invitation.key, invitation.token_hash)
    assert invitation.token_hash == Invitation.hash_token(token)


def test_changing_the_address_or_deactivating_withdraws_open_invitations(world: World, capture: Any) -> None:
    person, token = invite(world, capture, "nora@ny.test")
    with capture():
        services.person_update(
            actor=world.actor("admin"),
            person=person,
            version=person.version,
            full_name=person.full_name,
            email="nora@annen.test",
            job_role=None,
            role=person.role,
        )
    assert Client().get(invitation_url(token)).status_code == 410
    newer = last_token("nora@annen.test")
    person.refresh_from_db()
    services.person_update(
        actor=world.actor("admin"),
        person=person,
        version=person.version,
        full_name=person.full_name,
        email=person.email,
        job_role=None,
        role=person.role,
        is_active=False,
    )
    assert Client().get(invitation_url(newer)).status_code == 410
    assert AuditEntry.objects.filter(action="invitation.revoke", object_id=str(person.pk)).count() == 2


# Imports ------------------------------------------------------------------------------------------


def test_the_import_page_invites_and_links_no_existing_account(
    world: World, other_world: World, capture: Any
) -> None:
    owner = other_world.user("employee")
    upload = SimpleUploadedFile(
        "people.csv", f"name;email;units\nNora Ny;nora@ny.test;Oppfølging\nAnsatt;{owner.email};\n".encode()
    )
    admin = english(signed_in(world.user("admin")))

    with capture():
        started = admin.post(org_url(world, "people_import"), {"file": upload})
    response = admin.get(started["Location"])  # the import's own page, once its task has run

    assert response.status_code == 200
    assert "2 invitations to sign in were sent by e-mail." in response.content.decode()
    for email in ("nora@ny.test", owner.email):
        person = Person.objects.get(organisation=world.organisation, email=email)
        assert person.user is None
        assert Invitation.objects.get(person=person).status == "open"
        last_token(email)
    assert not User.objects.filter(email="nora@ny.test").exists()
    assert not has_access(owner, world)


def test_the_import_command_invites_and_links_no_existing_account(
    world: World, other_world: World, capture: Any, tmp_path: Path, settings: Any
) -> None:
    settings.LAERA_SITE_URL = "https://laera.example.no/"
    owner = other_world.user("employee")
    path = tmp_path / "people.csv"
    path.write_text(f"name;email\nNora Ny;nora@ny.test\nAnsatt;{owner.email}\n", encoding="utf-8")
    accounts = User.objects.count()
    out = io.StringIO()
    call_command("import-people", str(path), "--org", "testby", "--dry-run", "--language", "en", stdout=out)
    assert "Invitations to send: 2" in out.getvalue() and not Invitation.objects.exists()
    out = io.StringIO()

    with capture():
        call_command("import-people", str(path), "--org", "testby", "--language", "en", stdout=out)

    assert "Invitations sent: 2" in out.getvalue()
    assert User.objects.count() == accounts
    for email in ("nora@ny.test", owner.email):
        assert Person.objects.get(organisation=world.organisation, email=email).user is None
        assert last_token(email).startswith(
            Invitation.objects.get(person__organisation=world.organisation, email=email).key
        )
    assert "https://laera.example.no/invitations/" in mail.outbox[-1].body  # LAERA_SITE_URL, no page
    assert not has_access(owner, world)

    # Run again: everyone still has an open invitation, so no one is invited twice.
    out = io.StringIO()
    with capture():
        call_command("import-people", str(path), "--org", "testby", "--language", "en", stdout=out)
    assert "Invitations sent: 0" in out.getvalue()


def test_the_import_command_can_add_people_without_invitations(
    world: World, capture: Any, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name;email\nNora Ny;nora@ny.test\n", encoding="utf-8")
    out = io.StringIO()

    with capture():
        call_command(
            "import-people", str(path), "--org", "testby", "--no-invitations", "--language", "en", stdout=out
        )

    person = Person.objects.get(email="nora@ny.test")
    assert person.user is None and not Invitation.objects.filter(person=person).exists()
    assert not mail.outbox and "none sent" in out.getvalue()
    # Later runs invite those who cannot sign in yet.
    with capture():
        call_command("import-people", str(path), "--org", "testby", "--language", "en", stdout=io.StringIO())
    assert Invitation.objects.get(person=person).status == "open"


# Lost updates of a person ---------------------------------------------------------------------------


def test_a_person_is_saved_only_from_the_current_version(world: World) -> None:
    employee = world.people["employee"]
    arguments: dict[str, Any] = {
        "full_name": "Nytt navn",
        "email": employee.email,
        "job_role": None,
        "role": employee.role,
    }
    for version in (None, employee.version - 1):
        with pytest.raises(ConflictError):
            services.person_update(actor=world.actor("admin"), person=employee, version=version, **arguments)
    saved = services.person_update(
        actor=world.actor("admin"), person=employee, version=employee.version, **arguments
    )
    assert saved.version == employee.version + 1


def test_the_edit_page_shows_what_is_saved_after_a_conflict(world: World) -> None:
    employee = world.people["employee"]
    stale = edit_data(employee, full_name="Fra skjemaet")
    services.person_update(
        actor=world.actor("admin"),
        person=employee,
        version=employee.version,
        full_name="Lagret av en annen",
        email=employee.email,
        job_role=None,
        role=employee.role,
    )
    admin = english(signed_in(world.user("admin")))

    for data in (stale, {key: value for key, value in stale.items() if key != "version"}):
        response = admin.post(org_url(world, "person_edit", person_id=employee.pk), data)
        assert response.status_code == 200
        assert "Lagret av en annen" in response.content.decode()
    employee.refresh_from_db()
    assert employee.full_name == "Lagret av en annen"


def test_changes_made_elsewhere_are_new_versions_of_the_person(world: World) -> None:
    from laera.organisations.imports import read_people_file
    from laera.organisations.services import people_import

    employee = world.people["employee"]
    opened = employee.version
    services.working_group_member_add(actor=world.actor("leader"), unit=world.team, person=employee)
    employee.refresh_from_db()
    assert employee.role == Role.COORDINATOR and employee.version == opened + 1
    with pytest.raises(ConflictError):  # a form opened before cannot put the old role back
        services.person_update(
            actor=world.actor("admin"),
            person=employee,
            version=opened,
            full_name=employee.full_name,
            email=employee.email,
            job_role=None,
            role=Role.EMPLOYEE,
        )
    rows = read_people_file(io.BytesIO(b"name;email\nNytt Navn;employee@testby.test\n"), "people.csv")
    people_import(actor=world.actor("admin"), organisation=world.organisation, rows=rows)
    employee.refresh_from_db()
    assert employee.full_name == "Nytt Navn" and employee.version == opened + 2
