"""Invitations in Chromium: the person page's invitation state, and the invitation page for a new account
and for an existing one, each checked with axe at 1280 px and at phone size (375 px)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.organisations import services
from laera.organisations.models import Person
from laera.testing.browser import PHONE, assert_accessible, login, sign_in_as
from laera.testing.demo import load_demo_data

ORG = "/o/nav-royken"
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "a-long-new-password-2015"


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def _english(page: Page) -> None:
    page.select_option("#laera-language-select", "en")
    with page.expect_navigation():
        page.locator("form.laera-language button[type=submit]").click()


def _accessible_at_both_sizes(page: Page, name: str) -> None:
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    assert_accessible(page, name)
    page.set_viewport_size(PHONE)
    assert_accessible(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]


def _link(mailoutbox: list[Any], to: str) -> str:
    body = [message for message in mailoutbox if to in message.to][-1].body
    found = re.search(r"https?://\S+/invitations/[A-Za-z0-9_-]+/", body)
    assert found is not None, body
    return found.group(0)


def test_a_person_added_in_the_app_is_invited_and_gets_in(page: Page, demo: str, mailoutbox: Any) -> None:
    sign_in_as(page, demo, "admin@demo.laera.no")
    page.goto(f"{demo}{ORG}/people/new/")
    _english(page)
    page.get_by_label("Name").fill("Nora Nyansatt")
    page.get_by_label("E-mail").fill("nora.nyansatt@demo.laera.no")
    page.get_by_label("Oppfølgingsteam").check()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("an invitation to sign in is sent to nora.nyansatt@demo.laera.no")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Signing in")).to_be_visible()
    expect(page.locator("#sign-in-state")).to_contain_text("Invited on")
    _accessible_at_both_sizes(page, "person-invited")
    first = _link(mailoutbox, "nora.nyansatt@demo.laera.no")

    page.get_by_role("button", name="Send the invitation again").click()
    expect(
        page.get_by_text("An invitation to sign in is sent to nora.nyansatt@demo.laera.no.")
    ).to_be_visible()
    link = _link(mailoutbox, "nora.nyansatt@demo.laera.no")
    assert link != first
    page.get_by_role("button", name="Sign out").click()

    page.goto(first)  # the first link was withdrawn when the invitation was sent again
    _english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("The invitation cannot be used")
    _accessible_at_both_sizes(page, "invitation-withdrawn")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation to NAV Røyken")
    expect(page.get_by_text("Choose your name and a password")).to_be_visible()
    _accessible_at_both_sizes(page, "invitation-new-account")
    page.locator("input[name='password1']").fill(PASSWORD)
    page.locator("input[name='password2']").fill("not the same")
    page.get_by_role("button", name="Create the account and join").click()
    expect(page.get_by_text("The two passwords are not the same.", exact=True)).to_be_visible()
    _accessible_at_both_sizes(page, "invitation-new-account-errors")
    page.locator("input[name='password1']").fill(PASSWORD)
    page.locator("input[name='password2']").fill(PASSWORD)
    page.get_by_role("button", name="Create the account and join").click()
    expect(page.get_by_text("Welcome to NAV Røyken.")).to_be_visible()
    assert page.url.endswith(f"{ORG}/")

    page.get_by_role("button", name="Sign out").click()
    login(page, demo, "nora.nyansatt@demo.laera.no", PASSWORD)
    assert page.url.endswith(f"{ORG}/")


def test_an_existing_account_signs_in_to_accept(page: Page, demo: str, mailoutbox: Any) -> None:
    # Someone with an account in another organisation, invited to NAV Røyken by its admin.
    _org, other_admin, _password = services.organisation_create(
        name="NAV Hurum", slug="nav-hurum", admin_email="per@hurum.test", admin_name="Per Hurum"
    )
    assert other_admin.user is not None
    other_admin.user.set_password(PASSWORD)
    other_admin.user.save()
    sign_in_as(page, demo, "admin@demo.laera.no")
    page.goto(f"{demo}{ORG}/people/new/")
    _english(page)
    page.get_by_label("Name").fill("Per Hurum")
    page.get_by_label("E-mail").fill("per@hurum.test")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#sign-in-state")).to_contain_text("Invited on")
    person = Person.objects.get(organisation__slug="nav-royken", email="per@hurum.test")
    assert person.user is None  # the existing account is not linked by adding them
    page.get_by_role("button", name="Sign out").click()

    page.goto(_link(mailoutbox, "per@hurum.test"))
    _english(page)
    expect(page.get_by_text("There is already a Læra account for per@hurum.test.")).to_be_visible()
    _accessible_at_both_sizes(page, "invitation-sign-in")
    page.get_by_role("link", name="Sign in as per@hurum.test").click()
    page.locator("input[name='email']").fill("per@hurum.test")
    page.locator("input[name='password']").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form").filter(has=page.locator("input[name='password']")).locator(
            "button[type=submit]"
        ).click()
    expect(page.get_by_role("button", name="Accept the invitation")).to_be_visible()
    _accessible_at_both_sizes(page, "invitation-accept")
    person.refresh_from_db()
    assert person.user is None  # nothing is linked by opening the page
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_text("Welcome to NAV Røyken.")).to_be_visible()
    person.refresh_from_db()
    assert person.user == other_admin.user
    page.goto(f"{demo}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose organisation")
