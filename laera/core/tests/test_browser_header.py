"""The page header on a phone and on a desktop: compact at 375 px, every menu link reachable by keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.testing.browser import PHONE, assert_accessible, assert_no_overflow, login, sign_in_as
from laera.testing.demo import load_demo_data

HOME = "/o/nav-royken/"
# Of a 812 px tall phone screen, the header may take a quarter before the page's own content starts.
MAX_PHONE_HEADER = 200


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def _header_height(page: Page) -> float:
    return float(page.evaluate("document.querySelector('header').getBoundingClientRect().height"))


def _menu_hrefs(page: Page) -> list[str]:
    return list(page.eval_on_selector_all("nav.laera-nav a", "links => links.map(a => a.href)"))


@pytest.mark.parametrize("email", ["admin@demo.laera.no", "leder@demo.laera.no"])
def test_header_is_compact_on_a_phone_and_every_menu_link_is_reachable_by_keyboard(
    page: Page, demo: str, email: str
) -> None:
    page.set_viewport_size(PHONE)
    login(page, demo, email)
    # Danish has the longest menu labels of the five languages.
    page.select_option("#laera-language-select", "da")
    with page.expect_navigation():
        page.locator("form.laera-language button[type=submit]").click()
    page.goto(f"{demo}{HOME}people/")
    height = _header_height(page)
    print(f"header at 375 px as {email}: {height} px")
    assert height < MAX_PHONE_HEADER, f"the header is {height} px tall at 375 px"
    expect(page.locator("nav.laera-nav a[aria-current=page]")).to_have_attribute("href", f"{HOME}people/")
    assert_no_overflow(page)
    assert_accessible(page, f"header-phone-{email.split('@')[0]}", best_practice=True)

    # Tab from the top of the page: every menu link takes focus in order, and is scrolled into sight.
    hrefs = _menu_hrefs(page)
    assert len(hrefs) >= 8
    page.locator("body").focus()
    reached: list[str] = []
    for _ in range(len(hrefs) + 12):
        page.keyboard.press("Tab")
        # The browser scrolls a focused element into view with the next frame.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        focused = page.evaluate(
            """() => {
              const el = document.activeElement;
              const box = el.getBoundingClientRect();
              return {href: el.closest('nav.laera-nav') ? el.href : null, left: box.left, right: box.right};
            }"""
        )
        if focused["href"]:
            reached.append(focused["href"])
            assert focused["left"] >= 0 and focused["right"] <= PHONE["width"], (
                f"{focused['href']} has focus but is off the screen ({focused['left']}–{focused['right']} px)"
            )
        if len(reached) == len(hrefs):
            break
    assert reached == hrefs
    # The last link, scrolled into view by the keyboard, opens its page.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == hrefs[-1]


def test_header_at_desktop_width_keeps_the_menu_on_view(page: Page, demo: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(page, demo, "admin@demo.laera.no")
    page.goto(f"{demo}{HOME}")
    menu = page.locator("nav.laera-nav")
    for link in menu.get_by_role("link").all():
        expect(link).to_be_in_viewport()
    expect(menu.locator("a[aria-current=page]")).to_have_attribute("href", HOME)
    assert _header_height(page) < MAX_PHONE_HEADER
    assert_no_overflow(page)
    assert_accessible(page, "header-desktop-admin", best_practice=True)
