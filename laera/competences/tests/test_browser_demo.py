"""The demo organisation's competence pages, as a leader at NAV Røyken would use them, in Norwegian."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.testing.browser import assert_accessible, sign_in_as
from laera.testing.demo import load_demo_data

ORG = "/o/nav-royken/competences"


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def test_leader_sees_critical_gaps_and_who_could_teach_then_opens_a_person(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "leder@demo.laera.no")
    page.goto(f"{demo}{ORG}/")
    page.get_by_role("link", name="Kompetansegap i enhetene dine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kompetansegap")
    critical = page.locator("section", has=page.get_by_role("heading", name="Kritiske gap først"))
    # The office's critical gaps come first: the first row of the table is marked critical.
    expect(critical.locator("tbody tr").first).to_contain_text("Kritisk")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    hidden = page.locator("section", has=page.get_by_role("heading", name=re.compile("Skjult kompetanse")))
    # Names for one competence at a time: the first competence with hidden competence, when asked.
    hidden.get_by_role("link", name=re.compile(r"^Hvem\?")).first.click()
    who = page.locator(".gap-who")
    expect(who.get_by_role("heading", name=re.compile("Hvem kan lære bort"))).to_be_visible()
    person = who.locator(".gap-names a").first
    expect(person).to_be_visible()
    name = person.inner_text()
    assert_accessible(page, "demo-gap-overview-nb")
    person.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kompetanseprofil: {name}")
    table = page.locator("table").first
    expect(table.get_by_role("columnheader", name="Egen vurdering")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Lederens vurdering")).to_be_visible()
    assert_accessible(page, "demo-person-profile-nb")
