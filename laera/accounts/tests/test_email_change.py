"""A person's own change of e-mail address: asked for with the password, confirmed from the new address."""

from __future__ import annotations

import re
import time
from typing import Any
from unittest import mock
from urllib.parse import unquote

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from laera.accounts import services
from laera.accounts.models import ThrottleCounter, User
from laera.core.models import AuditEntry
from laera.organisations.models import Person
from laera.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:email_change")
CONFIRM = reverse("accounts:email_change_confirm")
NEW = "ny.adresse@testby.test"


def _ask(client: Client, new_email: str = NEW, password: str = PASSWORD) -> Any:
    return client.post(
        CHANGE, {"email-new_email": new_email, "email-password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


def _link(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/profile/email/confirm/\?token=\S+)", message.body)
    assert found, message.body
    return found.group(1)


def _token(link: str) -> str:
    return unquote(link.split("token=", 1)[1])


def _english(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


@pytest.mark.parametrize("role", ["admin", "leader", "coordinator", "employee", "external"])
def test_each_role_changes_its_own_address(client_for: Any, world: World, role: str) -> None:
    client = _english(client_for(role))
    user = world.user(role)
    old = user.email
    person = world.people[role]
    version = Person.objects.get(pk=person.pk).version

    asked = _ask(client)
    assert asked.status_code == 302
    assert User.objects.get(pk=user.pk).email == old  # nothing changes before the confirmation
    confirmation, notice = mail.outbox
    assert confirmation.to == [NEW] and notice.to == [old]
    assert NEW in notice.body

    link = _link(confirmation)
    page = client.get(link)
    assert page.status_code == 200
    assert NEW in page.content.decode()
    assert User.objects.get(pk=user.pk).email == old  # not on GET

    done = client.post(CONFIRM, {"token": _token(link)})
    assert done.status_code == 302
    assert User.objects.get(pk=user.pk).email == NEW
    saved = Person.objects.get(pk=person.pk)
    assert saved.email == NEW
    assert saved.version == version + 1
    entry = AuditEntry.objects.get(action="person.email_change", object_id=str(person.pk))
    assert entry.organisation_id == world.organisation.pk
    assert entry.before == {"email": old} and entry.after == {"email": NEW}
    assert Client().login(email=NEW, password=PASSWORD)
    assert not Client().login(email=old, password=PASSWORD)


def test_every_person_of_the_account_gets_the_new_address(
    client_for: Any, world: World, other_world: World
) -> None:
    user = world.user("employee")
    other = Person.objects.create(
        organisation=other_world.organisation, user=user, full_name="Ansatt", email=user.email
    )
    client = client_for("employee")
    _ask(client)
    client.post(CONFIRM, {"token": _token(_link(mail.outbox[0]))})
    assert Person.objects.get(pk=other.pk).email == NEW
    organisations = set(
        AuditEntry.objects.filter(action="person.email_change").values_list("organisation_id", flat=True)
    )
    assert organisations == {world.organisation.pk, other_world.organisation.pk}


def test_a_wrong_password_sends_nothing_and_counts_as_a_failure(client_for: Any, world: World) -> None:
    client = _english(client_for("employee"))
    response = _ask(client, password="wrong")
    assert response.status_code == 200
    assert "The password is wrong." in response.content.decode()
    assert mail.outbox == []
    assert ThrottleCounter.objects.filter(key__startswith="login:account:", count=1).exists()


def test_the_password_check_is_behind_the_sign_in_throttle(
    client_for: Any, world: World, settings: Any
) -> None:
    client = _english(client_for("employee"))
    for _ in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT):
        _ask(client, password="wrong")
    response = _ask(client)
    assert "Too many failed sign-in attempts for this account" in response.content.decode()
    assert mail.outbox == []


def test_the_present_address_is_refused(client_for: Any, world: World) -> None:
    response = _ask(_english(client_for("employee")), new_email="EMPLOYEE@testby.test")
    assert "This is already your e-mail address." in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("holder", ["another account", "a person without an account"])
def test_an_address_someone_else_has_is_refused(client_for: Any, world: World, holder: str) -> None:
    if holder == "another account":
        User.objects.create_user(NEW, "someone-elses-pass")
    else:
        Person.objects.create(organisation=world.organisation, full_name="Uten konto", email=NEW)
    response = _ask(_english(client_for("employee")))
    assert response.status_code == 200
    assert f"The address {NEW} is already used by someone else in Læra." in response.content.decode()
    assert mail.outbox == []


def test_an_address_taken_meanwhile_is_refused_at_confirmation(client_for: Any, world: World) -> None:
    client = _english(client_for("employee"))
    _ask(client)
    link = _link(mail.outbox[0])
    User.objects.create_user(NEW, "someone-elses-pass")
    page = client.get(link)
    assert page.status_code == 400
    assert "already used by someone else" in page.content.decode()
    refused = client.post(CONFIRM, {"token": _token(link)})
    assert refused.status_code == 400
    assert User.objects.get(pk=world.user("employee").pk).email == "employee@testby.test"
    assert Person.objects.get(pk=world.people["employee"].pk).email == "employee@testby.test"


def test_an_expired_link_is_refused(client_for: Any, world: World, settings: Any) -> None:
    user = world.user("employee")
    past = time.time() - settings.LAERA_EMAIL_CHANGE_TIMEOUT - 60
    with mock.patch("django.core.signing.time.time", return_value=past):
        token = services.email_change_token(user=user, new_email=NEW)
    client = _english(client_for("employee"))
    page = client.get(CONFIRM, {"token": token})
    assert "This link has expired: it works for 24 hours." in page.content.decode()
    client.post(CONFIRM, {"token": token})
    assert User.objects.get(pk=user.pk).email == "employee@testby.test"


def test_a_link_works_once(client_for: Any, world: World) -> None:
    client = _english(client_for("employee"))
    _ask(client)
    token = _token(_link(mail.outbox[0]))
    assert client.post(CONFIRM, {"token": token}).status_code == 302
    again = client.post(CONFIRM, {"token": token})
    assert again.status_code == 400
    assert "This link has been used already" in again.content.decode()
    assert User.objects.get(pk=world.user("employee").pk).email == NEW


def test_an_older_link_is_void_after_another_change(client_for: Any, world: World) -> None:
    client = _english(client_for("employee"))
    _ask(client, new_email="first@testby.test")
    _ask(client, new_email="second@testby.test")
    first, second = _token(_link(mail.outbox[0])), _token(_link(mail.outbox[2]))
    assert client.post(CONFIRM, {"token": second}).status_code == 302
    assert client.post(CONFIRM, {"token": first}).status_code == 400
    assert User.objects.get(pk=world.user("employee").pk).email == "second@testby.test"


def test_another_users_link_is_refused(client_for: Any, world: World) -> None:
    _ask(client_for("employee"))
    token = _token(_link(mail.outbox[0]))
    leader = _english(client_for("leader"))
    page = leader.get(CONFIRM, {"token": token})
    assert page.status_code == 400
    assert "This link was sent for another account." in page.content.decode()
    assert NEW not in page.content.decode()
    assert leader.post(CONFIRM, {"token": token}).status_code == 400
    assert User.objects.get(pk=world.user("employee").pk).email == "employee@testby.test"
    assert User.objects.get(pk=world.user("leader").pk).email == "leader@testby.test"


@pytest.mark.parametrize("token", ["", "garbage", "eyJ1c2VyIjoxfQ:1abc:forged"])
def test_a_damaged_link_is_refused(client_for: Any, world: World, token: str) -> None:
    client = _english(client_for("employee"))
    page = client.get(CONFIRM, {"token": token})
    assert page.status_code == 400
    assert "This link is not valid." in page.content.decode()


def test_a_token_for_another_purpose_is_refused(client_for: Any, world: World) -> None:
    from django.core import signing

    user = world.user("employee")
    token = signing.dumps({"user": user.pk, "old": user.email, "new": NEW}, salt="another.purpose")
    page = _english(client_for("employee")).get(CONFIRM, {"token": token})
    assert "This link is not valid." in page.content.decode()


def test_the_link_needs_the_account_signed_in(world: World) -> None:
    user = world.user("employee")
    link = f"{CONFIRM}?token={services.email_change_token(user=user, new_email=NEW)}"
    response = Client().get(link)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    # Signing in leads back to the confirmation page.
    client = Client()
    signed_in = client.post(
        response["Location"],
        {"email": user.email, "password": PASSWORD, "next": link},
    )
    assert signed_in["Location"] == link


def test_requests_are_limited(client_for: Any, world: World, settings: Any) -> None:
    settings.LAERA_EMAIL_CHANGE_LIMIT = 2
    client = _english(client_for("employee"))
    assert _ask(client, new_email="a@testby.test").status_code == 302
    assert _ask(client, new_email="b@testby.test").status_code == 302
    refused = _ask(client, new_email="c@testby.test")
    assert refused.status_code == 200
    assert "You have asked to change your e-mail address too many times." in refused.content.decode()
    assert len(mail.outbox) == 4


def test_the_emails_speak_the_users_language(client_for: Any, world: World) -> None:
    user = world.user("employee")
    user.language = "sv"
    user.save()
    _ask(client_for("employee"))
    with translation.override("sv"):
        subject = translation.gettext("Confirm your new e-mail address for Læra")
    assert mail.outbox[0].subject == subject


def test_a_failed_email_changes_nothing(client_for: Any, world: World) -> None:
    client = _english(client_for("employee"))
    with mock.patch("laera.accounts.services.EmailMessage.send", side_effect=OSError("smtp down")):
        response = _ask(client)
    assert "The e-mail could not be sent. Try again later." in response.content.decode()
    assert not AuditEntry.objects.filter(action="user.email_change_request").exists()


def test_the_profile_shows_the_form(client_for: Any, world: World) -> None:
    page = _english(client_for("external")).get(reverse("accounts:profile"))
    content = page.content.decode()
    assert 'name="email-new_email"' in content and 'name="email-password"' in content
    assert "external@testby.test" in content


def test_get_on_the_request_url_changes_nothing(client_for: Any, world: World) -> None:
    response = client_for("employee").get(CHANGE, {"email-new_email": NEW, "email-password": PASSWORD})
    assert response.status_code == 302
    assert mail.outbox == []
