"""Invitations on the pages, as each role: the person page's sign-in state, sending an invitation again,
and the public invitation page. The security probes are in core/tests/test_security_identity.py."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from laera.core.permissions import Role
from laera.organisations import services
from laera.organisations.models import Invitation, Person
from laera.testing.world import World

pytestmark = pytest.mark.django_db

ROLES = ["admin", "leader", "coordinator", "employee", "external", "other_leader"]


def url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(f"organisations:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


def client_as(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


@pytest.fixture
def invited(world: World, django_capture_on_commit_callbacks: Any) -> Person:
    """Someone the admin added on a page, in the leader's team: invited, not yet signed in."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.person_create(
            actor=world.actor("admin"),
            organisation=world.organisation,
            full_name="Nora Ny",
            email="nora@ny.test",
            units=[world.team],
        )


# Who sees the sign-in state and may send the invitation again: admins, and leaders of the person's
# units (who could have added them); 404 for an external contributor, who sees no one else.
MAY_INVITE = {"admin", "leader"}


@pytest.mark.parametrize("role", ROLES)
def test_person_page_shows_the_sign_in_state_to_those_who_may_edit(
    role: str, world: World, invited: Person
) -> None:
    response = client_as(world, role).get(url(world, "person_detail", person_id=invited.pk))
    if role == "external":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    content = response.content.decode()
    shown = "Invited on" in content and "The invitation expires on" in content
    button = "Send the invitation again" in content
    assert shown == button == (role in MAY_INVITE), role


@pytest.mark.parametrize("role", ROLES)
def test_sending_the_invitation_again_by_role(
    role: str, world: World, invited: Person, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as(world, role)
    before = mail.outbox[:]
    target = url(world, "person_invite", person_id=invited.pk)
    assert client.get(target).status_code == (404 if role == "external" else 405)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(target, follow=role in MAY_INVITE)

    if role in MAY_INVITE:
        assert response.status_code == 200
        assert "An invitation to sign in is sent to nora@ny.test. It works for 14 days." in (
            response.content.decode()
        )
        assert len(mail.outbox) == len(before) + 1 and mail.outbox[-1].to == ["nora@ny.test"]
        assert [i.status for i in invited.invitations.order_by("id")] == ["revoked", "open"]
    else:
        assert response.status_code == (404 if role == "external" else 403)
        assert len(mail.outbox) == len(before)
        assert invited.invitations.get().status == "open"


def test_the_states_of_signing_in(world: World, invited: Person, client_for: Any) -> None:
    admin = client_as(world, "admin")

    def state(person: Person) -> str:
        content = admin.get(url(world, "person_detail", person_id=person.pk)).content.decode()
        found = re.search(r'id="sign-in-state">\s*(.*?)\s*</p>', content, re.S)
        assert found is not None
        return " ".join(found.group(1).split())

    assert state(world.people["employee"]) == "Has an account and signs in as employee@testby.test."
    assert state(invited).startswith("Invited on ")
    Invitation.objects.filter(person=invited).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert "expired on" in state(invited)
    nameless = services.person_create(
        actor=world.actor("admin"), organisation=world.organisation, full_name="Uten E-post"
    )
    assert state(nameless) == "Has no e-mail address, so cannot sign in."
    quiet = services.person_create(
        actor=world.actor("admin"),
        organisation=world.organisation,
        full_name="Ikke invitert",
        email="stille@ny.test",
        account="none",
    )
    assert state(quiet) == "Has not been invited to sign in yet."
    provisioned = services.person_create(
        actor=None, organisation=world.organisation, full_name="Uten passord", email="uten@ny.test"
    )
    assert state(provisioned) == "Has an account, but has not chosen a password yet."


def test_no_invitation_for_someone_who_signs_in_already_or_has_no_address(
    world: World, client_for: Any
) -> None:
    admin = client_as(world, "admin")
    response = admin.post(url(world, "person_invite", person_id=world.people["employee"].pk), follow=True)
    assert "already signs in with their account" in response.content.decode()
    nameless = services.person_create(
        actor=world.actor("admin"), organisation=world.organisation, full_name="Uten E-post"
    )
    response = admin.post(url(world, "person_invite", person_id=nameless.pk), follow=True)
    assert "has no e-mail address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_leader_may_not_invite_someone_ranked_above_them(world: World) -> None:
    world.top.leader = world.people["leader"]
    world.top.save()
    admin = world.people["admin"]
    response = client_as(world, "leader").post(url(world, "person_invite", person_id=admin.pk))
    assert response.status_code == 403


def test_another_organisations_person_cannot_be_invited(world: World, other_world: World) -> None:
    response = client_as(world, "admin").post(
        url(world, "person_invite", person_id=other_world.people["employee"].pk)
    )
    assert response.status_code == 404


def test_adding_a_person_says_an_invitation_was_sent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as(world, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(world, "person_create"),
            {"full_name": "Kari Nordmann", "email": "kari@ny.test", "role": Role.EMPLOYEE},
            follow=True,
        )
    assert "Kari Nordmann is added, and an invitation to sign in is sent to kari@ny.test." in (
        response.content.decode()
    )
    assert mail.outbox[-1].to == ["kari@ny.test"]
    body = mail.outbox[-1].body
    assert "http://testserver/invitations/" in body  # the address of the page it was sent from
    assert "Admin NAV Testby" in body  # who invited


# The public invitation page, as each role and as no one --------------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
def test_invitation_page_by_role(
    role: str | None, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            actor=world.actor("admin"),
            organisation=world.organisation,
            full_name="Nora Ny",
            email="nora@ny.test",
        )
    found = re.search(r"/invitations/([A-Za-z0-9_-]+)/", mail.outbox[-1].body)
    assert found is not None
    page = reverse("invitations:accept", kwargs={"token": found.group(1)})
    client = client_as(world, role) if role else Client()
    if role is None:
        client.post(reverse("accounts:language"), {"language": "en"})

    response = client.get(page)

    assert response.status_code == 200
    content = response.content.decode()
    # The organisation's name carries its own language inside the sentence: compare the text.
    assert "Invitation to NAV Testby" in strip_tags(content) and "nora@ny.test" in content
    if role is None:
        assert 'name="password1"' in content and 'name="full_name"' in content
    else:
        assert f"You are signed in as {world.user(role).email}" in content
        assert 'name="password1"' not in content
    person.refresh_from_db()
    assert person.user is None
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_operator_sees_invitations_read_only_and_never_their_token(world: World, invited: Person) -> None:
    from laera.accounts.models import User

    User.objects.create_superuser(email="drift@laera.no", password="operator-password-1")
    client = Client()
    client.force_login(User.objects.get(email="drift@laera.no"))
    invitation = invited.invitations.get()
    assert client.get("/admin/organisations/invitation/").status_code == 200
    detail = client.get(f"/admin/organisations/invitation/{invitation.pk}/change/")
    assert detail.status_code == 200
    assert invitation.token_hash not in detail.content.decode()
    assert client.get("/admin/organisations/invitation/add/").status_code == 403
