"""Every page of the demo organisation, as each role, in each language, on a phone.

For each role (admin, leader, coordinator, employee) and language (nb, nn, sv, da, en) the test signs in as
that role's demo account, chooses the language and follows every same-site link from the organisation's
start page (GET only; no sign-out, nothing but HTML; links to files carry the `download` attribute and are
not followed, and a link that starts a download without it is reported), keeping one page per URL pattern (and
one with a query string). On every page at 375 px it checks that the page answers 200, that `<html lang>`
is the chosen language, that nothing scrolls sideways, and runs axe-core's WCAG 2.1 A/AA and best-practice
rules; in bokmål each page is checked with axe at 1280 px as well. All findings are collected and reported
together, page by page. Every parameterless page the role may open must have been reached through links,
so a broken menu cannot make the crawl pass by visiting nothing. On PostgreSQL each role is crawled in
one language only (see `_combinations`).
"""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, ViewportSize
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from laera.core.demo import DEMO_SLUG
from laera.testing.browser import (
    PHONE,
    axe_violations,
    overflow_report,
    preload_axe,
    screenshot,
    sign_in_as,
    violation_lines,
)
from laera.testing.demo import load_demo_data
from laera.testing.readonly import ReadOnlyDatabase, ReadOnlyServer

ROLES = {
    "admin": "admin@demo.laera.no",
    "leader": "leder@demo.laera.no",
    "coordinator": "koordinator@demo.laera.no",
    "employee": "ansatt@demo.laera.no",
}
LANGUAGES = ["nb", "nn", "sv", "da", "en"]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

# The apps whose pages belong to an organisation, and the signed-in user's own pages.
ORG_NAMESPACES = ["organisations", "mapping", "plans", "competences"]
ACCOUNT_PAGES = ["accounts:profile"]
# Never followed: signing out, Django's own admin site (not Læra's pages), and routes that only answer POST.
SKIPPED_ROUTES = {"accounts:logout", "accounts:language"}
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")
DOWNLOAD_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".json", ".ics", ".md", ".zip")

# Pages that are documents rather than screens of the application: written in the plan's own language, like
# its PDF, whatever language the reader has chosen for the interface.
DOCUMENT_ROUTES = {"plans:plan_print"}

# axe findings left out element by element, each with the reason it does not apply: (rule, selector).
AXE_EXCLUSIONS: dict[tuple[str, str], str] = {}

# On PostgreSQL: each role once, the five languages among them (see _combinations).
POSTGRESQL_SAMPLE = {
    ("admin", "nb"),
    ("leader", "nn"),
    ("coordinator", "sv"),
    ("employee", "da"),
    ("employee", "en"),
}

# Pages per route name: one without a query string and one with.
PER_ROUTE = 1


def _route(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _parameterless_routes() -> list[tuple[str, str]]:
    """(route name, path) of every page in ORG_NAMESPACES that needs no argument but the organisation."""
    routes = []
    for namespace in ORG_NAMESPACES:
        resolver = get_resolver().namespace_dict[namespace][1]
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver) or not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            if set(pattern.pattern.regex.groupindex) - {"org_slug"}:
                continue
            name = f"{namespace}:{pattern.name}"
            routes.append((name, reverse(name, kwargs={"org_slug": DEMO_SLUG})))
    routes += [(name, reverse(name)) for name in ACCOUNT_PAGES]
    return routes


@functools.cache
def _expected_routes(email: str) -> frozenset[str]:
    """The parameterless HTML pages this account may open: the crawl must reach each of them by links.

    Worked out once per account and process: every crawl reads the same demo (laera/testing/readonly.py),
    and which pages an account may open does not depend on its language."""
    from laera.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    expected = set()
    for name, path in _parameterless_routes():
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            expected.add(name)
    return frozenset(expected)


# The links a crawl follows: not those to files (marked `download`; one that is not is reported). Read with a
# plain evaluate: Playwright's selector calls would install its injected script in every document crawled.
_HREFS = "() => Array.from(document.querySelectorAll('a[href]:not([download])'), (a) => a.href)"


def _links(page: Page, origin: str) -> list[str]:
    hrefs: list[str] = page.evaluate(_HREFS)
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        if parts.path.lower().endswith(DOWNLOAD_SUFFIXES):
            continue
        found.append(url)
    return found


def _axe(page: Page) -> list[str]:
    exclude = [[selector] for (_rule, selector) in AXE_EXCLUSIONS]
    violations = axe_violations(page, best_practice=True, exclude=exclude or None)
    return violation_lines(violations)


# The crawls need the test database (pytest-django sets it up for tests marked django_db), but not a
# transaction or a flush around each crawl: they share one committed load of the demo (demo_server).
pytestmark = [pytest.mark.django_db, pytest.mark.heavy]


@pytest.fixture(autouse=True)
def _django_db_marker() -> None:
    """Takes the place of pytest-django's fixture of this name, which would wrap each crawl in a transaction
    that the live server could not see into on PostgreSQL."""


@pytest.fixture(scope="module")
def demo_server(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[ReadOnlyServer]:
    """The demo organisation, loaded once for the crawls this process runs, behind a live server of its own.

    pytest-django's `live_server` would make every crawl transactional: the demo loaded again and every
    table emptied after each crawl. The crawls only read, so they share one load (laera/testing/readonly.py
    checks that after each of them, and loads it again if one wrote anything but its sign-in).
    """
    database = ReadOnlyDatabase(load=load_demo_data)
    with django_db_blocker.unblock():
        database.fill()
    server = LiveServer("localhost")
    try:
        yield ReadOnlyServer(url=str(server.url), database=database)
    finally:
        _wait_for_request_threads()
        server.stop()
        with django_db_blocker.unblock():
            database.empty()


def _request_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.endswith("(process_request_thread)")]


def _wait_for_request_threads(timeout: float = 10.0) -> None:
    """Let the live server's request threads end before it stops. A thread still answering, or reading a
    kept-alive connection that the browser has just closed, would otherwise close the shared in-memory
    database connection after the server gave it back, from a thread no longer allowed to touch it."""
    deadline = time.monotonic() + timeout
    for thread in _request_threads():
        thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def demo(demo_server: ReadOnlyServer, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    with django_db_blocker.unblock():
        yield demo_server.url
        demo_server.database.restore()


def _combinations() -> list[Any]:
    """Every role in every language. The pages, their markup and styles are the same whatever the
    database, so on PostgreSQL, where `make test` runs a second time, each role is crawled in one language
    and the five languages are shared among the roles: every page is still visited as every role there."""
    on_postgresql = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    combinations = []
    for role in ROLES:
        for language in LANGUAGES:
            marks = []
            if on_postgresql and (role, language) not in POSTGRESQL_SAMPLE:
                marks.append(pytest.mark.skip(reason="crawled in full on SQLite; one language per role here"))
            combinations.append(pytest.param(role, language, marks=marks, id=f"{role}-{language}"))
    return combinations


@pytest.mark.parametrize(("role", "language"), _combinations())
def test_every_page_fits_a_phone_and_passes_axe(page: Page, demo: str, role: str, language: str) -> None:
    from laera.accounts.models import User

    started = time.monotonic()
    email = ROLES[role]
    User.objects.filter(email=email).update(language=language)
    expected = _expected_routes(email)
    page.set_viewport_size(PHONE)
    preload_axe(page)
    sign_in_as(page, demo, email)

    start = f"{demo}{reverse('organisations:home', kwargs={'org_slug': DEMO_SLUG})}"
    queue: deque[str] = deque([start])
    seen_urls = {start}
    linked_from: dict[str, str] = {}
    taken: dict[tuple[str, bool], int] = {}
    visited: dict[str, str] = {}  # route name -> first URL
    problems: dict[str, list[str]] = {}

    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        route = _route(path)
        if route is None or route in SKIPPED_ROUTES:
            continue
        key = (route, bool(urlsplit(url).query))
        if taken.get(key, 0) >= PER_ROUTE:
            continue
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                where = f"{_route(urlsplit(linked_from[url]).path)} {linked_from[url]}"
                problems.setdefault(where, []).append(
                    f"links to a file without the download attribute: {url}"
                )
                continue
            raise
        assert response is not None
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        taken[key] = taken.get(key, 0) + 1
        visited.setdefault(route, url)
        found: list[str] = []
        if response.status != 200:
            found.append(f"answers {response.status}")
        html_lang = page.evaluate("document.documentElement.lang")
        if html_lang != language and not (route in DOCUMENT_ROUTES and html_lang in LANGUAGES):
            found.append(f'<html lang="{html_lang}">, expected "{language}"')
        overflow = overflow_report(page)
        if overflow:
            found.append("overflow at 375 px: " + overflow.split("\n", 1)[-1].strip())
        found += [f"axe 375 px: {line}" for line in _axe(page)]
        if language == "nb":
            page.set_viewport_size(DESKTOP)
            found += [f"axe 1280 px: {line}" for line in _axe(page)]
            page.set_viewport_size(PHONE)
        if found:
            problems[f"{route} {url}"] = found
            screenshot(page, f"crawl-{role}-{language}-{route.replace(':', '-')}", failure=True)
        for link in _links(page, demo):
            if link not in seen_urls:
                seen_urls.add(link)
                linked_from[link] = url
                queue.append(link)

    elapsed = time.monotonic() - started
    print(f"crawl {role}/{language}: {len(visited)} routes, {sum(taken.values())} pages, {elapsed:.1f} s")
    print("  " + " ".join(sorted(visited)))
    missing = sorted(expected - set(visited))
    report = [
        f"- {where}\n" + "\n".join(f"    {line}" for line in lines) for where, lines in problems.items()
    ]
    if missing:
        report.append(f"- not reached by links as {role}: {', '.join(missing)}")
    assert len(visited) >= len(expected) > 5, f"the crawl as {role} visited only {sorted(visited)}"
    assert not report, f"{len(problems)} page(s) with problems as {role} in {language}:\n" + "\n".join(report)


def test_the_server_stops_only_after_its_request_threads_end(live_server: LiveServer) -> None:
    """A connection kept alive holds a request thread; the wait lets it end once the browser closes it."""
    address = urlsplit(str(live_server.url))
    with socket.create_connection((address.hostname, address.port)) as kept:
        kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
        assert b"200 OK" in kept.recv(4096)
        assert _request_threads()
        closing = threading.Timer(0.3, kept.close)
        closing.start()
        _wait_for_request_threads()
        assert not _request_threads()
        closing.join()
