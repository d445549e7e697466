"""The e-mail change in Chromium: the profile's form, the confirmation page, at desktop and phone width."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from laera.accounts.models import User
from laera.organisations.models import Organisation, Person
from laera.testing.browser import PHONE, assert_accessible, sign_in_as

PASSWORD = "a-long-browser-password"


@pytest.fixture
def base(transactional_db: Any, live_server: Any) -> str:
    organisation = Organisation.objects.create(name="NAV Nettleser", slug="nettleser")
    user = User.objects.create_user("ansatt@nettleser.test", PASSWORD, full_name="Ansatt", language="en")
    Person.objects.create(organisation=organisation, user=user, full_name="Ansatt", email=user.email)
    return str(live_server.url)


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at {PHONE['width']}px"


def _ask(page: Page, new_email: str, password: str) -> None:
    form = page.locator("form").filter(has=page.get_by_label("New e-mail address"))
    form.get_by_label("New e-mail address").fill(new_email)
    form.get_by_label("Your password").fill(password)
    with page.expect_navigation():
        form.get_by_role("button", name="Send confirmation link").click()


def test_a_person_changes_their_email_address(page: Page, base: str) -> None:
    sign_in_as(page, base, "ansatt@nettleser.test")
    page.goto(f"{base}/accounts/profile/")
    expect(page.get_by_role("heading", name="E-mail address")).to_be_visible()
    assert_accessible(page, "profile-email-change")

    _ask(page, "ny@nettleser.test", "not-my-password")
    expect(page.get_by_text("The password is wrong.", exact=True)).to_be_visible()
    assert_accessible(page, "profile-email-change-error")
    assert mail.outbox == []

    _ask(page, "ny@nettleser.test", PASSWORD)
    expect(page.get_by_text("We have sent a link to ny@nettleser.test.")).to_be_visible()
    assert_accessible(page, "profile-email-change-sent")
    link = re.search(r"https?://\S+/accounts/profile/email/confirm/\?token=\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your new e-mail address")
    expect(page.get_by_text("ny@nettleser.test")).to_be_visible()
    assert_accessible(page, "email-change-confirm")
    page.set_viewport_size(PHONE)
    assert_accessible(page, "email-change-confirm-phone")
    _fits(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Use the new address").click()
    expect(page.get_by_text("Your e-mail address is now ny@nettleser.test.")).to_be_visible()
    assert User.objects.get(pk=User.objects.get(email="ny@nettleser.test").pk).email == "ny@nettleser.test"
    assert Person.objects.get(user__email="ny@nettleser.test").email == "ny@nettleser.test"


def test_the_profile_and_a_spent_link_on_a_phone(page: Page, base: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in_as(page, base, "ansatt@nettleser.test")
    page.goto(f"{base}/accounts/profile/")
    expect(page.get_by_label("New e-mail address")).to_be_visible()
    assert_accessible(page, "profile-email-change-phone")
    _fits(page)

    page.goto(f"{base}/accounts/profile/email/confirm/?token=spent")
    expect(page.get_by_role("alert")).to_contain_text("This link is not valid.")
    assert_accessible(page, "email-change-confirm-invalid-phone")
    _fits(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    assert_accessible(page, "email-change-confirm-invalid")
