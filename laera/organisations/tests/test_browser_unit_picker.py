"""The unit picker in Chromium (laera/organisations/widgets.py): in an organisation with more units than a
list of checkboxes is kept for, an admin chooses the units of a mapping round by typing part of a name, with
the keyboard alone, on a desktop and a phone; and the same form without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from laera.competences.models import MappingRound
from laera.organisations.models import Unit
from laera.organisations.selectors import UNIT_CHECKBOXES_UP_TO
from laera.testing.browser import (
    PHONE,
    assert_accessible,
    assert_no_overflow,
    context_without_scripts,
    screenshot,
    sign_in_as,
)
from laera.testing.shared import transactional_world
from laera.testing.world import World

SLUG = "testby"


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> tuple[str, World]:
    world = transactional_world()
    Unit.objects.bulk_create(
        Unit(organisation=world.organisation, parent=world.top, name=f"Avdeling {n:02}")
        for n in range(UNIT_CHECKBOXES_UP_TO + 10)
    )
    return str(live_server.url), world


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": SLUG, **kwargs})


def _status(page: Page) -> Any:
    return expect(page.locator("#laera-status"))


def _fill_round(page: Page, name: str) -> None:
    page.locator("#id_name").fill(name)


def test_admin_chooses_the_units_of_a_round_by_keyboard(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    sign_in_as(page, base, world.people["admin"].email, language="en")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}{_url('competences:round_create')}")
    units = page.get_by_role("group", name=re.compile("^Units"))
    search = units.get_by_role("searchbox", name="Search by the unit's name")
    expect(units).to_contain_text("No unit is chosen.")
    expect(units.get_by_role("checkbox")).to_have_count(0)  # no list of every unit

    # Type part of a name: every word must match, "1" anywhere in the number. The matches come as buttons,
    # each with the unit it is part of, and are announced.
    search.focus()
    page.keyboard.type("avdeling 1")
    _status(page).to_have_text("13 units found")
    expect(search).to_be_focused()
    first = units.get_by_role("button", name="Avdeling 01 (in NAV Testby kontor)", exact=True)
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    _status(page).to_have_text("Avdeling 01 (in NAV Testby kontor) is chosen.")
    expect(search).to_be_focused()
    expect(search).to_have_value("")

    # A second unit; the first is no longer offered.
    page.keyboard.type("avdeling 1")
    _status(page).to_have_text("12 units found")
    expect(units.get_by_role("button", name=re.compile("^Avdeling 01 "))).to_have_count(0)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    expect(units.get_by_role("button", name="Avdeling 31 (in NAV Testby kontor)")).to_be_focused()
    page.keyboard.press("Space")
    _status(page).to_have_text("Avdeling 31 (in NAV Testby kontor) is chosen.")
    expect(units.locator("input[type=hidden][name=units]")).to_have_count(2)

    # Removing one says so and returns to the box.
    page.keyboard.press("Shift+Tab")
    remove = units.get_by_role("button", name="Remove Avdeling 31 (in NAV Testby kontor)")
    expect(remove).to_be_focused()
    page.keyboard.press("Enter")
    _status(page).to_have_text("Avdeling 31 (in NAV Testby kontor) is no longer chosen.")
    expect(search).to_be_focused()

    # Nothing matches, said in words; then the team too, and the form passes axe on a desktop and a phone.
    search.fill("ingen slik")
    _status(page).to_have_text("No unit matches.")
    search.fill("oppfølg")
    _status(page).to_have_text("1 unit found")
    assert_accessible(page, "unit-picker-results")
    screenshot(page, "unit_picker_1280")
    page.set_viewport_size(PHONE)
    search.scroll_into_view_if_needed()
    assert_no_overflow(page)
    assert_accessible(page, "unit-picker-results-phone")
    screenshot(page, "unit_picker_375")
    units.get_by_role("button", name="Oppfølging (in NAV Testby kontor)").click()
    _status(page).to_have_text("Oppfølging (in NAV Testby kontor) is chosen.")
    screenshot(page, "unit_picker_375_chosen")

    _fill_round(page, "Vårkartlegging")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(Save|Create)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vårkartlegging")
    round = MappingRound.objects.get(name="Vårkartlegging")
    assert sorted(unit.name for unit in round.units.all()) == ["Avdeling 01", "Oppfølging"]

    # Editing it shows the two chosen, and only them.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}{_url('competences:round_edit', round_id=round.pk)}")
    chosen = page.get_by_role("group", name=re.compile("^Units")).locator("[data-picker-chosen]")
    expect(chosen).to_contain_text("Avdeling 01 (in NAV Testby kontor)")
    expect(chosen).to_contain_text("Oppfølging (in NAV Testby kontor)")
    expect(chosen.locator("li")).to_have_count(2)
    screenshot(page, "unit_picker_edit")


def test_without_javascript_the_unit_search_comes_back_as_choices(
    browser: Browser, site: tuple[str, World]
) -> None:
    base, world = site
    context = context_without_scripts(browser)
    page = context.new_page()
    sign_in_as(page, base, world.people["admin"].email, language="en")
    page.goto(f"{base}{_url('competences:round_create')}")
    _fill_round(page, "Høstkartlegging")
    units = page.get_by_role("group", name=re.compile("^Units"))
    units.get_by_role("searchbox").fill("avdeling 0")
    with page.expect_navigation():
        units.get_by_role("searchbox").press("Enter")
    expect(page.locator(".ds-error-summary")).to_contain_text("Choose from the units found for “avdeling 0”.")
    assert not MappingRound.objects.filter(name="Høstkartlegging").exists()
    units = page.get_by_role("group", name=re.compile("^Units"))
    units.get_by_role("checkbox", name="Avdeling 03 (in NAV Testby kontor)").check()
    assert_accessible(page, "unit-picker-without-javascript")
    screenshot(page, "unit_picker_without_javascript")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(Save|Create)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Høstkartlegging")
    round = MappingRound.objects.get(name="Høstkartlegging")
    assert [unit.name for unit in round.units.all()] == ["Avdeling 03"]
    context.close()
