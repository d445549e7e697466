"""Pages read in English in a bokmål organisation, in Chromium: the organisation's names carry lang="nb",
dates are written the English way (day before month, 24-hour clock), and every page passes axe and fits a
phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.testing.browser import PHONE, assert_accessible, assert_no_overflow, sign_in_as
from laera.testing.shared import transactional_world
from laera.testing.world import World


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> tuple[str, World]:
    return str(live_server.url), transactional_world()


def _sign_in_in_english(page: Page, base: str, world: World, role: str) -> None:
    sign_in_as(page, base, world.people[role].user.email, language="en")


# No US month-first dates, no 12-hour clock, no Nordic "6." day numbers in English.
_NOT_ENGLISH = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b[ap]\.m\.|\b\d{1,2}\. [A-Z][a-z]+ \d{4}\b")


def test_organisation_content_is_marked_and_dates_are_english(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    objects = world.extra_objects
    org = f"{base}/o/{world.organisation.slug}"
    _sign_in_in_english(page, base, world, "admin")
    pages = [
        ("unit", f"{org}/units/{world.team.pk}/", "Oppfølging"),
        ("arena-list", f"{org}/mapping/arenas/", "Teammøte"),
        ("arena-detail", f"{org}/mapping/arenas/{objects['arena'].pk}/", "Teammøte"),
        ("arena-calendar-week", f"{org}/mapping/arenas/calendar/?view=week&start=2026-01-05", "Teammøte"),
        (
            "arena-calendar-halfyear",
            f"{org}/mapping/arenas/calendar/?view=halfyear&start=2026-01-01",
            "Teammøte",
        ),
        ("catalogue", f"{org}/competences/catalogues/{objects['catalogue'].pk}/", "Motiverende intervju"),
        ("round", f"{org}/competences/rounds/{objects['round'].pk}/", "Kartlegging våren 2026"),
        ("plans", f"{org}/plans/", "Våren 2026"),
    ]
    for name, url, content in pages:
        for viewport in ({"width": 1280, "height": 800}, PHONE):
            page.set_viewport_size(viewport)  # type: ignore[arg-type]
            response = page.goto(url)
            assert response is not None and response.ok, url
            expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.locator("main [lang='nb']").filter(has_text=content).first).to_be_visible()
            expect(page.locator(".laera-brand__org")).to_have_attribute("lang", "nb")
            text = page.locator("main").inner_text()
            assert not _NOT_ENGLISH.search(text), (url, _NOT_ENGLISH.search(text))
            assert_no_overflow(page)
            assert_accessible(page, f"content-language-{name}-{viewport['width']}")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{org}/mapping/arenas/calendar/?view=week&start=2026-01-05")
    expect(page.get_by_role("columnheader", name="Monday 5 January")).to_be_visible()
    page.goto(f"{org}/mapping/arenas/calendar/?view=halfyear&start=2026-01-01")
    expect(page.get_by_role("columnheader", name="January 2026")).to_be_visible()
    page.goto(f"{org}/competences/rounds/{objects['round'].pk}/")
    deadline = objects["round"].deadline
    expect(page.locator("main")).to_contain_text(f"{deadline.day} {deadline:%B} {deadline.year}")
