"""Plumbing for the browser tests, which drive Debian's Chromium against pytest-django's live server.

A test is a browser test when it uses one of pytest-playwright's browser fixtures (usually `page`) or
lives in a file named test_browser*.py; it is then marked `browser`, so `-m "not browser"` leaves it out.
Without /usr/bin/chromium those tests are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Playwright

# Playwright's sync API runs an event loop in the test's thread, and Django refuses database access
# from a thread with a running loop unless told otherwise. The tests touch the database from there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BROWSER_FIXTURES = {"page", "context", "new_context", "browser"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _is_browser_test(item: pytest.Item) -> bool:
    # A parameter named like a fixture (`page`, a page name in the access tables) is not that fixture.
    callspec = getattr(item, "callspec", None)
    parameters = set(callspec.params) if callspec is not None else set()
    fixtures = set(getattr(item, "fixturenames", ())) - parameters
    return bool(fixtures & BROWSER_FIXTURES) or item.path.name.startswith("test_browser")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the marker must be in place before `-m "not browser"` deselects by it.
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Runs before any fixture is set up, so a missing browser costs no database or live server.
    if item.get_closest_marker("browser") is None or CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing; install Debian's chromium package to run the browser tests"
    if _in_ci():
        pytest.fail(f"{reason} (CI=true does not allow skipping them)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments (--headed, --slowmo, ...) plus Debian's Chromium."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def playwright(playwright: Playwright) -> Iterator[Playwright]:
    """pytest-playwright's Playwright, closing the database connections opened while it ran.

    Django keeps its connections in an asgiref Local, which switches to separate storage while an
    event loop runs in the thread, and Playwright's sync API keeps its loop marked as running. So the
    tests use one set of connections while Playwright is up and another before and after. Without
    this, a connection opened while Playwright was up outlives the tests, and PostgreSQL refuses to
    drop the test database ("being accessed by other users").
    """
    yield playwright
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def base_url() -> str | None:
    """No base URL: tests address pages through pytest-django's `live_server.url`."""
    return None
