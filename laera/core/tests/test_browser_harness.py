"""The browser-test harness works: Chromium starts, pages load from the live server, axe-core runs."""

from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from laera.testing import browser
from laera.testing.browser import AXE, PHONE, assert_accessible, login, sign_in_as

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


def test_sign_in_as_gives_the_browser_the_session_the_form_would(page: Page, live_server, django_user_model):
    user = django_user_model.objects.create_user("harness@example.org", "a-long-test-password")
    assert user.last_login is None and user.language != "sv"

    sign_in_as(page, live_server.url, "harness@example.org", language="sv")
    response = page.goto(live_server.url + "/accounts/profile/")

    assert response is not None and response.status == 200
    assert page.url == live_server.url + "/accounts/profile/", "sent to the sign-in page: no session"
    assert page.evaluate("document.documentElement.lang") == "sv"
    user.refresh_from_db()
    assert user.language == "sv" and user.last_login is not None
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies(live_server.url)}
    session = Session.objects.get(session_key=cookies[settings.SESSION_COOKIE_NAME])
    assert session.get_decoded()["_auth_user_id"] == str(user.pk)


# Colours written every way a stylesheet may write them, layered, half-transparent, and two that fail.
COLOURS_PAGE = """<!doctype html><html lang="en"><head><title>Colours</title><style>
  .a { color: #767676; background: #fff; }
  .b { color: rgb(0 0 0 / 60%); background: hsl(210 40% 96%); }
  .c { color: oklch(45% 0.1 250); background: color-mix(in srgb, white 70%, #005db1); }
  .d { background: rgba(0, 93, 177, 0.5); } .d span { color: white; opacity: 0.9; }
  .e { color: #aaa; background: white; }
  .f { color: light-dark(#2a2a2a, #eee); background: transparent; }
  .g { color: lab(20% 10 -30); background: #f0f4fa; }
</style></head><body><main><h1>Colours</h1>
  <p class="a">Grey on white that passes</p><p class="b">Translucent black on a tint</p>
  <p class="c">Oklch on a mixed colour</p><p class="d"><span>White on half-transparent blue</span></p>
  <p class="e">Light grey that fails</p><p class="f">On the page's own background</p>
  <p class="g">Lab on a tint</p><p><span class="e">A second failure, nested</span></p>
</main></body></html>"""

_AXE_EVERYTHING = """
async () => {
  const results = await window.axe.run(document);
  const shape = (list) => list.map((rule) => [rule.id, rule.nodes.map((node) => node.target.join(" "))]);
  const remembers = Boolean(window.axe.commons.color.Color.prototype.parseString.remembers);
  // memoizee's cached functions carry delete(); those kept in Maps only clear().
  const maps = window.axe._memoizedFns.every((fn) => typeof fn.delete !== "function");
  // A colour's channels under symbols rather than in private fields (which no reflection shows).
  const symbols = Object.getOwnPropertySymbols(new window.axe.commons.color.Color(1, 2, 3)).length;
  return {violations: shape(results.violations), incomplete: shape(results.incomplete),
          passes: shape(results.passes), remembers, maps, symbols};
}
"""


def test_remembering_parsed_colours_leaves_axes_findings_unchanged(page: Page):
    """The pages' axe (AXE) keeps parsed colours per document, its caches in Maps and a colour's channels
    under symbols; it must find exactly what axe-core does."""
    plain = page.context.new_page()
    findings = {}
    for name, tab, script in [("plain", plain, AXE_SCRIPT), ("remembering", page, AXE)]:
        tab.set_content(COLOURS_PAGE)
        tab.evaluate(script)
        first = tab.evaluate(_AXE_EVERYTHING)
        # A second run on the same document is served from what the first parsed.
        assert tab.evaluate(_AXE_EVERYTHING) == first
        findings[name] = first

    assert findings["plain"]["remembers"] is False and findings["plain"]["maps"] is False
    assert findings["remembering"].pop("remembers") is True and findings["remembering"].pop("maps") is True
    assert findings["plain"].pop("symbols") == 0 and findings["remembering"].pop("symbols") == 6
    findings["plain"].pop("remembers")
    findings["plain"].pop("maps")
    assert findings["remembering"] == findings["plain"]
    contrast = dict(findings["plain"]["violations"])["color-contrast"]
    # The two light greys, and white on the half-transparent blue once its opacity is counted.
    assert sorted(contrast) == [".d > span", "main > .e", "p:nth-child(9) > span"]


def test_screenshots_are_kept_in_the_repositorys_test_artifacts() -> None:
    """Where README.md and CONTRIBUTING.md say they are: test-artifacts/screenshots/ beside pyproject.toml."""
    assert browser.SCREENSHOT_DIR.parts[-2:] == ("test-artifacts", "screenshots")
    assert (browser.SCREENSHOT_DIR.parents[1] / "pyproject.toml").is_file()


def test_a_failing_page_always_leaves_a_screenshot_and_a_passing_one_only_when_asked(
    page: Page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "SCREENSHOT_DIR", tmp_path)
    monkeypatch.setattr(browser, "KEEP_SCREENSHOTS", False)
    text = '<!doctype html><html lang="en"><title>T</title><main><h1>T</h1><p{}>Text</p></main></html>'
    page.set_content(text.format(' style="color: #aaa"'))
    with pytest.raises(AssertionError, match=r"screenshot: .*failing\.png\):\n- color-contrast"):
        assert_accessible(page, "failing")
    assert (tmp_path / "failing.png").read_bytes().startswith(b"\x89PNG")

    page.set_content(text.format(""))
    assert_accessible(page, "passing")
    assert browser.screenshot(page, "taken") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["failing.png"]

    monkeypatch.setattr(browser, "KEEP_SCREENSHOTS", True)
    assert_accessible(page, "passing")
    assert browser.screenshot(page, "taken") == tmp_path / "taken.png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["failing.png", "passing.png", "taken.png"]


def test_the_overflow_check_measures_the_page_a_click_leads_to(page: Page) -> None:
    wide = '<!doctype html><html lang="en"><body><div id="wide" style="width:900px">Wide</div></body></html>'
    page.set_viewport_size(PHONE)
    page.set_content(wide)
    report = browser.overflow_report(page)
    assert report is not None and "div#wide (right edge 908 px, width 900 px)" in report

    # While a navigation is under way there may be no body yet: the check waits for the page that arrives.
    page.set_content('<!doctype html><html lang="en"><body><p>Narrow</p></body></html>')
    page.evaluate("document.body.remove()")
    page.evaluate(
        "setTimeout(() => document.documentElement.appendChild(document.createElement('body')), 200)"
    )
    assert browser.overflow_report(page) is None
