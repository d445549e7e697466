from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from laera.accounts import throttle
from laera.accounts.models import User
from laera.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("accounts:login"), {"email": email, "password": password}, **extra)


def test_sign_in_with_email_case_insensitively(world: Any) -> None:
    client = Client()
    response = _login(client, "EMPLOYEE@testby.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"] == f"/o/{world.organisation.slug}/"


def test_wrong_password_is_refused_in_the_users_language(world: Any) -> None:
    response = _login(Client(), "employee@testby.test", "wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The e-mail address or the password is wrong." in response.content.decode()


def test_sign_in_is_throttled_after_repeated_failures(
    world: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    for _attempt in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT):
        _login(client, "employee@testby.test", "wrong")
    # Even the right password is refused while locked.
    response = _login(client, "employee@testby.test", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Too many failed sign-in attempts for this account" in response.content.decode()
    # When the window has passed, the right password works again.
    later = throttle.now() + settings.LAERA_LOGIN_WINDOW_SECONDS
    monkeypatch.setattr(throttle, "now", lambda: later)
    assert _login(client, "employee@testby.test", PASSWORD).status_code == 302


def test_next_must_stay_on_this_site(world: Any) -> None:
    response = Client().post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"email": "employee@testby.test", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_sign_out_only_by_post(client_for: Any) -> None:
    client = client_for("employee")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_by_email(world: Any) -> None:
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "employee@testby.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": "a-new-long-password-1", "new_password2": "a-new-long-password-1"}
    )
    assert done.status_code == 302
    assert Client().login(email="employee@testby.test", password="a-new-long-password-1")


def test_password_reset_for_unknown_address_sends_nothing(world: Any) -> None:
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@testby.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_language_choice_is_remembered_on_the_account(client_for: Any, world: Any) -> None:
    client = client_for("employee")
    response = client.post(reverse("accounts:language"), {"language": "sv", "next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert User.objects.get(email="employee@testby.test").language == "sv"
    # A new session on another device speaks Swedish too.
    other = Client()
    other.login(email="employee@testby.test", password=PASSWORD)
    page = other.get(reverse("organisations:home", kwargs={"org_slug": world.organisation.slug}))
    assert page.context["LANGUAGE_CODE"] == "sv"
    assert '<html lang="sv"' in page.content.decode()


def test_unknown_language_is_ignored(client_for: Any) -> None:
    client = client_for("employee")
    client.post(reverse("accounts:language"), {"language": "xx"})
    assert User.objects.get(email="employee@testby.test").language == ""


def test_organisation_default_applies_until_the_user_chooses(client_for: Any, world: Any) -> None:
    world.organisation.default_language = "da"
    world.organisation.save()
    client = client_for("employee")
    url = reverse("organisations:home", kwargs={"org_slug": world.organisation.slug})
    assert client.get(url).context["LANGUAGE_CODE"] == "da"
    client.post(reverse("accounts:language"), {"language": "nn"})
    assert client.get(url).context["LANGUAGE_CODE"] == "nn"


def test_anonymous_language_choice_uses_a_cookie() -> None:
    client = Client()
    client.post(reverse("accounts:language"), {"language": "en"})
    page = client.get(reverse("accounts:login"))
    assert page.context["LANGUAGE_CODE"] == "en"


def test_profile_saves_the_language(client_for: Any) -> None:
    client = client_for("employee")
    response = client.post(reverse("accounts:profile"), {"language": "da"})
    assert response.status_code == 302
    assert User.objects.get(email="employee@testby.test").language == "da"


@pytest.mark.parametrize("code", ["nb", "nn", "sv", "da", "en"])
def test_sign_in_page_speaks_each_language(code: str) -> None:
    with translation.override(code):
        expected = translation.gettext("Sign in to Læra")
    client = Client()
    client.post(reverse("accounts:language"), {"language": code})
    content = client.get(reverse("accounts:login")).content.decode()
    assert expected in content
    if code != "en":
        assert expected != "Sign in to Læra"


def test_demo_accounts_are_shown_only_with_the_demo(world: Any) -> None:
    assert "admin@demo.laera.no" not in Client().get(reverse("accounts:login")).content.decode()
    world.organisation.is_demo = True
    world.organisation.save()
    assert "admin@demo.laera.no" in Client().get(reverse("accounts:login")).content.decode()


def test_language_chosen_before_sign_in_is_kept(world: Any) -> None:
    client = Client()
    client.post(reverse("accounts:language"), {"language": "sv"})
    _login(client, "employee@testby.test", PASSWORD)
    assert User.objects.get(email="employee@testby.test").language == "sv"
    page = client.get(reverse("organisations:home", kwargs={"org_slug": world.organisation.slug}))
    assert page.context["LANGUAGE_CODE"] == "sv"
