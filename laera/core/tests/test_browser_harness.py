"""The browser-test harness works: Chromium starts, pages load from the live server, axe-core runs."""

import pytest
from playwright.sync_api import Page, expect

from laera.testing.browser import PHONE, assert_accessible, login

PUBLIC_PAGES = [
    pytest.param("/accounts/login/", id="login"),
    pytest.param("/accessibility/", id="accessibility"),
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_a_heading_and_no_accessibility_violations(page: Page, live_server, path):
    response = page.goto(live_server.url + path)

    assert response is not None and response.ok
    # axe runs under the pages' real, strict policy, not one loosened for the tests.
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "harness" + path.rstrip("/").replace("/", "-"))


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_fits_a_phone_without_horizontal_scrolling(page: Page, live_server, path):
    page.set_viewport_size(PHONE)
    response = page.goto(live_server.url + path)
    assert response is not None and response.ok

    scroll_width = page.evaluate("document.documentElement.scrollWidth")

    assert scroll_width <= PHONE["width"], f"{path} is {scroll_width}px wide at {PHONE['width']}px"


def test_login_helper_signs_in_through_the_form(page: Page, live_server, django_user_model):
    django_user_model.objects.create_user("harness@example.org", "a-long-test-password")

    login(page, live_server.url, "harness@example.org", "a-long-test-password")
    page.goto(live_server.url + "/accounts/profile/")

    assert page.url == live_server.url + "/accounts/profile/"
