"""What the security work says to people, in each of the five languages: the invitation e-mail and page,
the sign-in lock, the refused text, the version conflict and the profile's e-mail change."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from laera.organisations import services
from laera.organisations.models import Organisation
from laera.testing.world import World

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TOKEN = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


def _in(code: str, text: str) -> str:
    with translation.override(code):
        return gettext(text)


def _browser_in(code: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def _user_in(world: World, role: str, code: str) -> Client:
    user = world.user(role)
    user.language = code
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_invitation_speaks_the_organisations_language(
    code: str, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Organisation.objects.filter(pk=world.organisation.pk).update(default_language=code)
    world.organisation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.person_create(
            actor=world.actor("admin"),
            organisation=world.organisation,
            full_name="Nora Ny",
            email="nora@testby.test",
            units=[world.team],
            site_url="http://testserver",
        )
    message = mail.outbox[-1]
    with translation.override(code):
        subject = gettext("Invitation to %(organisation)s in Læra")
    assert message.subject == subject % {"organisation": world.organisation.name}
    token = TOKEN.search(message.body)
    assert token is not None

    page = _browser_in(code).get(reverse("invitations:accept", kwargs={"token": token.group(1)}))

    assert page.status_code == 200
    html = page.content.decode()
    assert f'lang="{code}"' in html
    assert _in(code, "Create the account and join") in html
    if code != "en":
        assert "Create the account and join" not in html


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_sign_in_lock_is_explained_in_the_chosen_language(code: str, world: World) -> None:
    client = _browser_in(code)
    for _attempt in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT):
        client.post(reverse("accounts:login"), {"email": "employee@testby.test", "password": "wrong"})

    page = client.post(reverse("accounts:login"), {"email": "employee@testby.test", "password": "wrong"})

    with translation.override(code):
        start = ngettext(
            "Too many failed sign-in attempts for this account. Wait %(minutes)s minute and try again, "
            "or reset your password.",
            "Too many failed sign-in attempts for this account. Wait %(minutes)s minutes and try again, "
            "or reset your password.",
            15,
        ).split("%(minutes)s")[0]
    assert start.strip() and start.strip() in page.content.decode()


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_refused_text_and_a_version_conflict_are_explained(code: str, world: World) -> None:
    client = _user_in(world, "admin", code)
    url = reverse(
        "organisations:unit_edit", kwargs={"org_slug": world.organisation.slug, "unit_id": world.team.pk}
    )
    unit = world.team
    unit.refresh_from_db()
    data = {
        "name": "Oppf\u202eølging",
        "parent": unit.parent_id or "",
        "leader": unit.leader_id or "",
        "description": "",
        "version": unit.version,
    }

    refused = client.post(url, data).content.decode()

    with translation.override(code):
        direction = gettext(
            "%(field)s contains an invisible character that changes the direction of the text "
            "(%(character)s). Remove it."
        ).split("%(character)s")[-1]
    assert direction.strip(" .") and direction.strip(" .") in refused

    stale = client.post(url, data | {"name": "Oppfølging", "version": unit.version - 1}).content.decode()

    with translation.override(code):
        conflict = gettext(
            "Someone else saved this %(what)s while you were editing it. Their version is shown; "
            "make your change again on top of it."
        ) % {"what": gettext("unit")}
    assert conflict in stale.replace("&#x27;", "'")
    unit.refresh_from_db()
    assert unit.name == "Oppfølging"


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_profile_offers_the_email_change(code: str, world: World) -> None:
    page = _user_in(world, "employee", code).get(reverse("accounts:profile")).content.decode()
    assert _in(code, "Send confirmation link") in page
    if code != "en":
        assert "Send confirmation link" not in page
