"""The person picker in Chromium (laera/organisations/widgets.py): choosing people by typing part of a name,
with the keyboard alone, on a desktop and a phone, and the same form without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from laera.mapping.models import Arena
from laera.testing.browser import (
    PHONE,
    assert_accessible,
    assert_no_overflow,
    choose_person,
    context_without_scripts,
    screenshot,
    sign_in_as,
)
from laera.testing.shared import transactional_world
from laera.testing.world import World

SLUG = "testby"
FOCUSED = "() => { const el = document.activeElement; return el ? (el.id || el.textContent.trim()) : ''; }"


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> tuple[str, World]:
    return str(live_server.url), transactional_world()


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": SLUG, **kwargs})


def _sign_in(page: Page, base: str, world: World, role: str) -> None:
    sign_in_as(page, base, world.people[role].email, language="en")


def _settled(page: Page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def _status(page: Page) -> Any:
    return expect(page.locator("#laera-status"))


def test_coordinator_names_a_participant_by_keyboard_alone(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    employee = world.people["employee"].full_name  # Ansatt NAV Testby
    _sign_in(page, base, world, "coordinator")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}{_url('mapping:arena_create')}")
    people = page.get_by_role("group", name="Named people")
    search = people.get_by_role("searchbox", name="Search by name or e-mail")
    expect(people).to_contain_text("No one is chosen.")

    # Tab to the search box, type part of a name; the matches come as buttons and are announced.
    search.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(search).to_be_focused()
    page.keyboard.type("ansa")
    _status(page).to_have_text("1 person found")
    expect(search).to_be_focused()  # the swap leaves focus where the person is typing
    option = people.get_by_role("button", name=employee, exact=True)
    expect(option).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(option).to_be_focused()
    page.keyboard.press("Enter")
    _status(page).to_have_text(f"{employee} is chosen.")
    expect(search).to_be_focused()
    expect(search).to_have_value("")
    chosen = people.locator("[data-picker-chosen]")
    expect(chosen).to_contain_text(employee)
    expect(people.locator("input[type=hidden][name=participant_people]")).to_have_count(1)
    expect(people.get_by_text("No one is chosen.")).to_be_hidden()

    # The remove button sits just before the search box; removing says so and returns to the box.
    page.keyboard.press("Shift+Tab")
    remove = people.get_by_role("button", name=f"Remove {employee}")
    expect(remove).to_be_focused()
    page.keyboard.press("Enter")
    _status(page).to_have_text(f"{employee} is no longer chosen.")
    expect(search).to_be_focused()
    expect(people.locator("input[type=hidden][name=participant_people]")).to_have_count(0)
    expect(people.get_by_text("No one is chosen.")).to_be_visible()

    # And again, choosing with Space this time; Enter in the box searches, it does not send the form.
    page.keyboard.type("nav testby")
    page.keyboard.press("Enter")
    _status(page).to_have_text("6 people found")
    assert "/arenas/new/" in page.url
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    expect(option).to_be_focused()  # by name: Admin NAV Testby, then Ansatt NAV Testby
    page.keyboard.press("Space")
    _status(page).to_have_text(f"{employee} is chosen.")
    expect(chosen).to_contain_text(employee)

    # With matches open in another picker, the form passes axe, on a desktop and on a phone.
    responsible = page.get_by_role("group", name="Formally responsible")
    responsible.get_by_role("searchbox").fill("leder")
    _status(page).to_have_text("2 people found")
    _settled(page)
    assert_accessible(page, "person-picker-results")
    screenshot(page, "person_picker_1280")
    page.set_viewport_size(PHONE)
    responsible.get_by_role("searchbox").scroll_into_view_if_needed()
    assert_no_overflow(page)
    assert_accessible(page, "person-picker-results-phone")
    screenshot(page, "person_picker_375")
    responsible.get_by_role("button", name=world.people["leader"].full_name, exact=True).click()
    _status(page).to_have_text(f"{world.people['leader'].full_name} is chosen.")
    # One person only: a second choice replaces the first.
    choose_person(page, "Formally responsible", "mottaks", world.people["other_leader"].full_name)
    expect(responsible.locator("input[type=hidden][name=responsible]")).to_have_count(1)
    expect(responsible.locator("[data-picker-chosen]")).not_to_contain_text(world.people["leader"].full_name)
    screenshot(page, "person_picker_375_chosen")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("#id_name").fill("Fagkafé")
    page.locator("#id_unit").select_option(label="Oppfølging")
    page.get_by_role("radio", name="Internal").check()
    page.get_by_label("How often").select_option("on_demand")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fagkafé")
    participants = page.locator("dt", has_text="Participants").locator("xpath=following-sibling::dd[1]")
    expect(participants).to_contain_text(employee)
    expect(page.locator("main")).to_contain_text(world.people["other_leader"].full_name)
    arena = Arena.objects.get(name="Fagkafé")
    assert [p.full_name for p in arena.participant_people.all()] == [employee]
    assert arena.responsible == world.people["other_leader"]
    screenshot(page, "person_picker_saved")


def test_leader_edits_the_unit_leader_and_adds_a_member(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    _sign_in(page, base, world, "leader")
    page.goto(f"{base}{_url('organisations:unit_detail', unit_id=world.team.pk)}")
    choose_person(page, "Person", "brukerrep", world.people["external"].full_name)
    with page.expect_navigation():
        page.get_by_role("button", name="Add to unit").click()
    expect(page.get_by_text(f"{world.people['external'].full_name} is added to the unit.")).to_be_visible()
    # A leader of another unit is no one this leader may place: the search does not offer them.
    search = page.get_by_role("group", name=re.compile("^Person")).get_by_role("searchbox")
    search.fill("mottaks")
    _status(page).to_have_text("No one matches.")
    assert_accessible(page, "person-picker-unit-page")


def test_without_javascript_the_search_comes_back_as_choices(
    browser: Browser, site: tuple[str, World]
) -> None:
    base, world = site
    context = context_without_scripts(browser)
    page = context.new_page()
    _sign_in(page, base, world, "coordinator")
    page.goto(f"{base}{_url('mapping:arena_create')}")
    page.locator("#id_name").fill("Frokostmøte")
    page.locator("#id_unit").select_option(label="Oppfølging")
    page.get_by_role("radio", name="Internal").check()
    page.get_by_label("How often").select_option("on_demand")
    people = page.get_by_role("group", name="Named people")
    people.get_by_role("searchbox").fill("ansa")
    with page.expect_navigation():
        people.get_by_role("searchbox").press("Enter")
    expect(page.locator(".ds-error-summary")).to_contain_text("Choose from the people found for “ansa”.")
    assert not Arena.objects.filter(name="Frokostmøte").exists()
    people = page.get_by_role("group", name="Named people")
    people.get_by_role("checkbox", name=world.people["employee"].full_name).check()
    assert_accessible(page, "person-picker-without-javascript")
    screenshot(page, "person_picker_without_javascript")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frokostmøte")
    arena = Arena.objects.get(name="Frokostmøte")
    assert list(arena.participant_people.all()) == [world.people["employee"]]
    context.close()
