"""Helpers for the browser tests: signing in, checking a page with axe-core, a phone-size viewport.

The pages send a strict Content-Security-Policy (script-src 'self', no 'unsafe-eval'). axe-core is
injected with Playwright's page.evaluate, which goes through the DevTools protocol and is not subject
to the page's policy, and axe's own rules do not use eval, so the checks run against the real
headers; no browser context with bypass_csp is needed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, ViewportSize

REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"

# WCAG 2.1 level A and AA, which is what the Norwegian universal design regulations require.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PHONE: ViewportSize = {"width": 375, "height": 812}


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name).strip('-')}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page: Page, name: str) -> None:
    """Screenshot the page, then fail with a readable report if axe-core finds any WCAG 2.1 A/AA violation."""
    path = screenshot(page, name)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations: list[dict[str, Any]] = Axe().run(page, options=options).response["violations"]
    if violations:
        raise AssertionError(_report(violations, page.url, path))


def _report(violations: list[dict[str, Any]], url: str, screenshot_path: Path) -> str:
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
