"""Helpers for the browser tests: signing in, checking a page with axe-core, a phone-size viewport.

The pages send a strict Content-Security-Policy (script-src 'self', no 'unsafe-eval'). axe-core is
injected with Playwright's page.evaluate, which goes through the DevTools protocol and is not subject
to the page's policy, and axe's own rules do not use eval, so the checks run against the real
headers; no browser context with bypass_csp is needed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

from laera.accounts.services import user_set_language

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
KEEP_SCREENSHOTS = os.environ.get("LAERA_SCREENSHOTS", "") not in ("", "0")

# WCAG 2.1 level A and AA, which is what the Norwegian universal design regulations require.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe-core's best practices on top: landmarks, heading order, one <h1>, unique landmark names, ...
BEST_PRACTICE_TAGS = [*WCAG_TAGS, "best-practice"]

PHONE: ViewportSize = {"width": 375, "height": 812}

# axe-core's colour-contrast rule, which takes most of axe's time, parses each computed colour string
# through colorjs for every element and every layer behind it: the same few dozen strings, thousands of
# times a page. Parsing is a pure function of the string, so its results are kept per document; the
# findings stay exactly the same (laera/core/tests/test_browser_harness.py compares them on a page with a
# contrast failure) and a crawl's axe runs take about 40 % less time.
REMEMBER_PARSED_COLOURS = """
(() => {
  const Color = window.axe && window.axe.commons && window.axe.commons.color.Color;
  if (!Color || Color.prototype.parseString.remembers) return;
  const parse = Color.prototype.parseString;
  const parsed = new Map();
  const remembering = function (text) {
    const known = parsed.get(text);
    if (known === undefined) {
      parse.call(this, text);
      parsed.set(text, [this.r, this.g, this.b, this.alpha]);
    } else {
      [this.r, this.g, this.b, this.alpha] = known;
    }
    return this;
  };
  remembering.remembers = true;
  Color.prototype.parseString = remembering;
})();
"""
# axe-core keeps what its helpers work out for the length of a run in memoizee caches, which look a call's
# arguments up with a linear indexOf: about 6 % of a run on the demo's larger pages. The same caches kept
# in Maps, keyed on the same arguments (the first fn.length of them, compared as memoizee compares them,
# NaN equal to NaN) and emptied by the same clear() after each run. The findings stay exactly the same
# (laera/core/tests/test_browser_harness.py compares every pass, violation and incomplete result).
_MEMOIZEE = "function(e){return e=(0,so.default)(e),axe._memoizedFns.push(e),e}"
_MEMOIZE_IN_MAPS = (
    "function(e){return e=(function(fn){var n=fn.length,root=new Map(),once=null;"
    "var m=function(){if(n===0){if(once===null){once={value:fn.apply(this,arguments)}}return once.value}"
    "var map=root;for(var i=0;i<n-1;i++){var k=arguments[i],next=map.get(k);"
    "if(next===undefined){next=new Map();map.set(k,next)}map=next}"
    "var last=arguments[n-1];if(map.has(last)){return map.get(last)}"
    "var v=fn.apply(this,arguments);map.set(last,v);return v};"
    "m.clear=function(){root=new Map();once=null};return m})(e),axe._memoizedFns.push(e),e}"
)
if AXE_SCRIPT.count(_MEMOIZEE) != 1:
    raise RuntimeError("axe-core's memoize wrapper has changed: look again at _MEMOIZE_IN_MAPS")

# axe-core's Color class keeps its six channels (r, g, b and red, green, blue) in private class fields, which
# its build turns into six WeakMaps and a WeakSet: each colour made puts seven entries in them, and each
# channel read or written looks one up. The colour-contrast rule makes and reads colours for every element
# and every layer behind it; the constructor and those lookups took about a sixth of an axe run. The same
# class with its channels kept under symbols of its own, which only it knows as the fields were: the same
# values, computed by the same code, so the findings stay exactly the same (laera/core/tests/
# test_browser_harness.py compares every pass, violation and incomplete result).
_COLOUR_CLASS = ("ep=(Se=new WeakMap", "function tp(e){")
_COLOUR_CHANNELS = ("Se", "_e", "Me", "Pe", "Ie", "Be")
_COLOUR_FIELDS = "".join(f"{name}=new WeakMap," for name in _COLOUR_CHANNELS) + "je=new WeakSet,"


def _colour_channels_as_symbols(script: str) -> str:
    start = script.index(_COLOUR_CLASS[0])
    end = script.index(_COLOUR_CLASS[1], start)
    cls = script[start:end]
    cls = cls.replace(_COLOUR_FIELDS, "".join(f'{name}=Symbol("{name}"),' for name in _COLOUR_CHANNELS))
    cls = cls.replace("he(this,je),", "").replace("ye(je,this,tp).call(", "tp.call(")
    cls = re.sub(r"\bme\(this,(\w+),void 0\)", r"this[\1]=void 0", cls)
    cls = re.sub(r"\bve\((\w+),this\)", r"this[\1]", cls)
    cls = re.sub(r"\bbe\((\w+),this,", r"(this[\1]=", cls)
    if re.search(r"\b(me|he|ve|be|ye)\(|WeakMap|WeakSet|\bje\b", cls):
        raise RuntimeError("axe-core's Color class has changed: look again at _colour_channels_as_symbols")
    return script[:start] + cls + script[end:]


# axe-core as the pages get it.
AXE = (
    _colour_channels_as_symbols(AXE_SCRIPT.replace(_MEMOIZEE, _MEMOIZE_IN_MAPS))
    + f"\n;{REMEMBER_PARSED_COLOURS}"
)


def screenshot(page: Page, name: str, *, failure: bool = False) -> Path | None:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png and return its path.

    Screenshots are for people to look at, not for the checks: of a page that fails a check one is always
    taken (failure=True); of the others only when LAERA_SCREENSHOTS is set, as when working on a page
    (`LAERA_SCREENSHOTS=1 make test PYTEST_ARGS="-n 0 laera/plans"`). A full suite would otherwise spend
    about half a minute taking some 250 of them that nobody opens. Returns None when none was taken.
    """
    if not (failure or KEEP_SCREENSHOTS):
        return None
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name).strip('-')}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page: Page, name: str, *, best_practice: bool = False) -> None:
    """Fail with a readable report, and a screenshot, if axe-core finds any WCAG 2.1 A/AA violation.

    With best_practice=True axe-core's best-practice rules are run as well.
    """
    violations = axe_violations(page, best_practice=best_practice)
    if violations:
        raise AssertionError(_report(violations, page.url, screenshot(page, name, failure=True)))
    screenshot(page, name)


def axe_violations(
    page: Page, *, best_practice: bool = False, exclude: list[list[str]] | None = None
) -> list[dict[str, Any]]:
    """Run axe-core on the page and return its violations (WCAG 2.1 A/AA, plus best practice if asked).

    exclude lists CSS selectors (axe's context format, one list per frame path) of elements to leave out.
    axe-core is injected once per document, and only the violations travel back: both matter when a
    test checks many pages.
    """
    if page.evaluate("typeof window.axe") == "undefined":
        page.evaluate(AXE)
    tags = BEST_PRACTICE_TAGS if best_practice else WCAG_TAGS
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    context: dict[str, Any] = {"exclude": exclude or []}
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN, [context, options])
    return violations


def preload_axe(page: Page) -> None:
    """Have every document the page's context opens load axe-core itself, before its own scripts.

    Cheaper than sending axe-core's source over the DevTools protocol for each page when a test checks many.
    """
    page.context.add_init_script(AXE)


_AXE_RUN = """
async ([context, options]) => {
  const results = await window.axe.run(context.exclude.length ? context : document, options);
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, failureSummary: n.failureSummary})),
  }));
}
"""


def violation_lines(violations: list[dict[str, Any]]) -> list[str]:
    """One line per rule and its targets, short enough to read many pages' findings at once."""
    lines = []
    for violation in violations:
        targets = ", ".join(
            " ".join(str(part) for part in node.get("target", [])) for node in violation["nodes"]
        )
        lines.append(f"{violation['id']} [{violation.get('impact') or '?'}]: {targets}")
    return lines


# The elements that reach past the right edge of the viewport and whose parent does not (the causes, not
# every descendant that follows them), skipping what sits inside a scrolling or clipping container.
_OVERFLOW_SCRIPT = """
() => {
  if (document.documentElement === null || document.body === null) return null;
  const limit = document.documentElement.clientWidth;
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) {
      text += "." + el.className.trim().split(/\\s+/).join(".");
    }
    return text;
  };
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden" || x === "clip") return true;
    }
    return false;
  };
  const sticksOut = (el) => el.getBoundingClientRect().right > limit + 0.5;
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!sticksOut(el) || clipped(el)) continue;
    const parent = el.parentElement;
    if (parent && parent !== document.body && sticksOut(parent)) continue;
    const box = el.getBoundingClientRect();
    const path = [];
    for (let a = el; a && a !== document.body && path.length < 4; a = a.parentElement) {
      path.unshift(describe(a));
    }
    const size = ` (right edge ${Math.round(box.right)} px, width ${Math.round(box.width)} px)`;
    found.push(path.join(" > ") + size);
    if (found.length >= 8) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, found};
}
"""


def overflow_report(page: Page) -> str | None:
    """None if the page fits the viewport's width; otherwise which elements stick out, and by how much."""
    result = page.evaluate(_OVERFLOW_SCRIPT)
    if result is None:
        # A click that navigates leaves a moment with no document; measure the page that arrives. (Only
        # then: waiting installs Playwright's injected script, which costs a crawl ~25 ms a page.)
        page.wait_for_function("() => document.documentElement !== null && document.body !== null")
        result = page.evaluate(_OVERFLOW_SCRIPT)
    if result["scrollWidth"] <= result["innerWidth"]:
        return None
    lines = [f"{page.url} is {result['scrollWidth']} px wide in a {result['innerWidth']} px viewport:"]
    lines += [f"    {element}" for element in result["found"]] or ["    (no single element found)"]
    return "\n".join(lines)


def assert_no_overflow(page: Page) -> None:
    """Fail if the page scrolls sideways (WCAG 1.4.10 reflow), naming the elements that stick out."""
    report = overflow_report(page)
    if report:
        raise AssertionError(report)


def _report(violations: list[dict[str, Any]], url: str, screenshot_path: Path | None) -> str:
    lines = [f"{len(violations)} accessibility rule(s) violated on {url} (screenshot: {screenshot_path}):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact') or 'unknown impact'}]: {violation['help']}"
            f" ({violation.get('helpUrl', '')})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            # failureSummary is "Fix any of the following:" and then one finding per line.
            summary = "; ".join(line.strip() for line in (node.get("failureSummary") or "").splitlines())
            summary = summary.replace(":; ", ": ")
            lines.append(f"    {target}: {summary}" if summary else f"    {target}")
    return "\n".join(lines)


def login(page: Page, live_server_url: str, email: str, password: str = "demo") -> None:  # noqa: S107
    """Sign in through the sign-in form and wait for the page it leads to."""
    page.goto(f"{live_server_url}/accounts/login/")
    form = page.locator("form").filter(has=page.locator("input[name='password']"))
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
    if "/accounts/login/" in page.url:
        raise AssertionError(f"Signing in as {email} failed: still on {page.url}")


def sign_in_as(page: Page, live_server_url: str, email: str, *, language: str | None = None) -> None:
    """Sign the browser in as the account with this e-mail address, without going through the form.

    The session is made on the server as the sign-in view makes it (`django.contrib.auth.login`, through the
    test client's `force_login`: the same session, the same last-login stamp) and given to the browser as
    its cookie. Nothing is opened: the test goes to its own page next. `language` is the account's choice of
    language, saved by the service the language menu calls (`user_set_language`; `switch_to_english`
    chooses it in the menu itself).

    For tests about something else than signing in: it spares each of them the sign-in page, the form and
    the start page it leads to, three page loads. The form is tested with `login`, which goes through it
    (laera/accounts/tests/, laera/core/tests/test_security_signin.py and the tests that sign in with a new
    password).
    """
    user = get_user_model().objects.get(email=email)
    if language is not None and user.language != language:
        user_set_language(user=user, language=language)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server_url}]
    )


def switch_to_english(page: Page, live_server_url: str) -> None:
    """Choose English in the language menu (on the profile page), as a person would."""
    page.goto(f"{live_server_url}/accounts/profile/")
    page.select_option("#laera-language-select", "en")
    with page.expect_navigation():
        page.locator("form.laera-language button[type=submit]").click()


def choose_person(page: Page, field: str, typed: str, name: str) -> None:
    """Choose `name` in the person picker of the field whose label starts with `field`: type `typed` in its
    search box, wait for the matches and press the one named `name` (laera/organisations/widgets.py)."""
    group = page.get_by_role("group", name=re.compile(rf"^{re.escape(field)}"))
    # A picker that has just been swapped in (after adding someone) listens once laera.js has prepared it,
    # as it has long before a person could type.
    group.locator("[data-picker][data-picker-ready]").wait_for()
    group.locator("input[type=search]").fill(typed)
    group.locator("[data-picker-choose]", has_text=re.compile(rf"^{re.escape(name)}$")).click()
    group.locator("[data-picker-chosen]", has_text=name).wait_for()


# Læra's own scripts: a context that never loads them gets the pages as a browser without JavaScript does.
_LAERA_SCRIPTS = re.compile(r"/static/(laera/laera|vendor/htmx/htmx\.min)\.js")


def context_without_scripts(browser: Browser) -> BrowserContext:
    """A browser context in which Læra's scripts (laera.js, HTMX) never load; axe-core still can."""
    context = browser.new_context()
    context.route(_LAERA_SCRIPTS, lambda route: route.abort())
    return context


def picker_matches(response: Any) -> list[str]:
    """What a picker search's answer offers (organisations/widgets/picker_results.html), in order."""
    return re.findall(
        r'data-picker-choose data-status-text="[^"]*">([^<]+)</button>', response.content.decode()
    )
