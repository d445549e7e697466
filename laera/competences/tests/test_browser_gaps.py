"""The gap analysis pages in Chromium, each with the accessibility check: the leader opens the heatmap,
sees the critical gaps and who could teach others, and opens a person with both ratings side by side."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.testing.browser import (
    PHONE,
    assert_accessible,
    assert_no_overflow,
    screenshot,
    sign_in_as,
)

from .gap_world import GapWorld, transactional_gap_world


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> tuple[str, GapWorld]:
    return str(live_server.url), transactional_gap_world()


def _sign_in(page: Page, base: str, gaps: GapWorld, role: str) -> None:
    sign_in_as(page, base, gaps.world.people[role].user.email, language="en")


def test_leader_finds_the_gaps_and_who_could_teach(page: Page, site: tuple[str, GapWorld]) -> None:
    base, gaps = site
    _sign_in(page, base, gaps, "leader")
    page.goto(f"{base}{gaps.url('gap_overview')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Competence gaps")
    critical = page.get_by_role("region", name="Critical gaps first")
    expect(critical.get_by_role("row").nth(1)).to_contain_text("Motiverende intervju")
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.get_by_role("group", name="The numbers")).to_contain_text("4 of 8")
    hidden = page.locator("#hidden-heading").locator("xpath=..")
    expect(hidden).not_to_contain_text("Person e1")  # names for one competence at a time, when asked
    hidden.get_by_role("link", name=re.compile(r"Who\?\W+Motiverende intervju")).click()
    expect(page.locator("#who-heading")).to_contain_text("Motiverende intervju")
    expect(page.locator("#who-heading").locator("xpath=..")).to_contain_text("Person e1")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "gap_overview_leader_1280")
    assert_accessible(page, "gap-overview")
    page.get_by_role("region", name="Gap report per unit").get_by_role("link", name="Oppfølging").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Oppfølging")
    expect(page.locator("svg[aria-labelledby^=people-title]")).to_be_visible()
    assert_accessible(page, "gap-unit")
    page.get_by_role("button", name=re.compile(r"Send to input round\W+Motiverende intervju")).click()
    expect(page.get_by_text("is sent to the next input round")).to_be_visible()
    page.get_by_role("group", name="Own rating and the leader's rating").get_by_role(
        "link", name="Ansatt NAV Testby"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ansatt NAV Testby")
    row = page.get_by_role("row").filter(has_text="Motiverende intervju").first
    expect(row).to_contain_text("Can guide others")
    expect(row).to_contain_text("Can do it independently")
    assert_accessible(page, "gap-person-profile")


def test_gap_overview_on_a_phone(page: Page, site: tuple[str, GapWorld]) -> None:
    base, gaps = site
    page.set_viewport_size(PHONE)
    _sign_in(page, base, gaps, "admin")
    page.goto(f"{base}{gaps.url('gap_overview')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Competence gaps")
    numbers = page.get_by_role("group", name="The numbers")
    # The organisation has two top units; the office opens the units below it.
    numbers.get_by_role("link", name=gaps.world.top.name, exact=True).click()
    expect(page.get_by_role("navigation", name="Units shown")).to_contain_text(gaps.world.top.name)
    numbers = page.get_by_role("group", name="The numbers")
    expect(numbers.get_by_role("row").filter(has_text="Småteam")).to_contain_text("fewer than 5 people")
    assert_no_overflow(page)
    assert_accessible(page, "gap-overview-phone")
    screenshot(page, "gap_overview_admin_375")
    page.get_by_role("navigation", name="Units shown").get_by_role("link", name="All your units").click()
    expect(page.get_by_role("group", name="The numbers")).not_to_contain_text("Småteam")


def test_coordinator_links_competences_to_an_outcome(page: Page, site: tuple[str, GapWorld]) -> None:
    base, gaps = site
    _sign_in(page, base, gaps, "coordinator")
    world = gaps.world
    plan = world.extra_objects["plan"]
    page.goto(f"{base}{plan.get_absolute_url()}")
    page.locator(f"#outcome-{world.extra['outcome_id']}").get_by_role(
        "link", name=re.compile(r"^Competences\W")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Competences of the learning outcome")
    assert_accessible(page, "gap-outcome-competences")
    page.get_by_label("Motiverende intervju").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The competences of the learning outcome are saved.")).to_be_visible()
    expect(page.locator(f"#outcome-{world.extra['outcome_id']}")).to_contain_text("Motiverende intervju")
    assert list(world.extra_objects["outcome"].competences.values_list("name", flat=True)) == [
        "Motiverende intervju"
    ]
    page.goto(f"{base}{gaps.url('gap_signal_list')}")
    assert_accessible(page, "gap-signal-list")


def test_admin_gets_a_large_spreadsheet_from_its_own_page(
    page: Page, site: tuple[str, GapWorld], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every export counts as large here; tasks run as they are queued, so the page opens on the end."""
    from laera.competences import gap_export

    monkeypatch.setattr(gap_export, "CELLS_AT_ONCE", 0)
    base, gaps = site
    _sign_in(page, base, gaps, "admin")
    page.goto(f"{base}{gaps.url('gap_overview')}")
    page.get_by_role("link", name="Download as spreadsheet (XLSX)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Making the spreadsheet")
    expect(page.get_by_role("heading", name="The spreadsheet is ready.")).to_be_visible()
    assert_accessible(page, "gap-export-job")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download .*\.xlsx$")).click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.set_viewport_size(PHONE)
    assert_no_overflow(page)
    assert_accessible(page, "gap-export-job-phone")
