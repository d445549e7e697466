"""Two people editing the same thing in Chromium: the second save is refused with the first one's work
shown and the focus on the message, and saving again is a deliberate choice. Accessible at 1280 and
375 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from laera.organisations.models import Unit
from laera.plans.models import Theme
from laera.testing.browser import PHONE, assert_accessible, assert_no_overflow, sign_in_as
from laera.testing.shared import transactional_world
from laera.testing.world import World


@pytest.fixture
def live_world(transactional_db: Any, live_server: Any) -> tuple[World, str]:
    return transactional_world(), str(live_server.url)


@pytest.fixture
def signed_in(browser: Browser, live_world: tuple[World, str]) -> Iterator[Callable[[str], Page]]:
    """A page for a role in a browser context of its own, as if on another person's computer, in
    English; the contexts close with the test, before the live server stops."""
    world, base = live_world
    contexts: list[BrowserContext] = []

    def open_as(role: str) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        sign_in_as(page, base, world.people[role].user.email, language="en")
        return page

    yield open_as
    for context in contexts:
        context.close()


def _open_theme_editor(page: Page, base: str, world: World, theme: Theme) -> Any:
    plan = world.extra_objects["plan"]
    page.goto(
        base + reverse("plans:plan_detail", kwargs={"org_slug": world.organisation.slug, "plan_id": plan.pk})
    )
    page.locator(f"#theme-{theme.pk}").get_by_role("link", name="Edit theme").click()
    editor = page.locator(f"#editor-theme-{theme.pk}")
    expect(editor.get_by_role("textbox", name="Theme (required)")).to_be_visible()
    return editor


def test_the_second_save_of_a_theme_in_place_gets_the_conflict(
    signed_in: Callable[[str], Page], live_world: tuple[World, str]
) -> None:
    world, base = live_world
    theme = world.extra_objects["theme"]
    coordinator = signed_in("coordinator")
    leader = signed_in("leader")
    first = _open_theme_editor(coordinator, base, world, theme)
    second = _open_theme_editor(leader, base, world, theme)

    first.get_by_role("textbox", name="Theme (required)").fill("Supported Employment i teamet")
    first.get_by_role("button", name="Save").click()
    expect(coordinator.locator(f"#theme-{theme.pk}-heading")).to_contain_text("Supported Employment i teamet")

    second.get_by_role("textbox", name="Theme (required)").fill("SE for hele kontoret")
    second.get_by_role("button", name="Save").click()
    conflict = leader.locator(f"#conflict-{theme.pk}")
    expect(conflict).to_contain_text("Someone else saved this theme")
    expect(conflict).to_contain_text("Supported Employment i teamet")
    expect(conflict).to_be_focused()
    expect(second.get_by_role("textbox", name="Theme (required)")).to_have_value("SE for hele kontoret")
    assert Theme.objects.get(pk=theme.pk).title == "Supported Employment i teamet"
    assert_accessible(leader, "version-conflict-in-place")
    leader.set_viewport_size(PHONE)
    assert_accessible(leader, "version-conflict-in-place-phone")

    # Saving again, having seen the other title, replaces it.
    leader.locator(f"#editor-theme-{theme.pk}").get_by_role("button", name="Save").click()
    expect(leader.locator(f"#theme-{theme.pk}-heading")).to_contain_text("SE for hele kontoret")
    assert Theme.objects.get(pk=theme.pk).title == "SE for hele kontoret"


def test_the_second_save_of_a_unit_gets_the_conflict(
    signed_in: Callable[[str], Page], live_world: tuple[World, str]
) -> None:
    world, base = live_world
    address = base + reverse(
        "organisations:unit_edit", kwargs={"org_slug": world.organisation.slug, "unit_id": world.team.pk}
    )
    admin = signed_in("admin")
    leader = signed_in("leader")
    admin.goto(address)
    leader.goto(address)
    admin.get_by_label("Description").fill("Oppfølging av arbeidssøkere")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text("The unit is saved.")).to_be_visible()

    leader.get_by_label("Description").fill("Teamet for ungdom")
    leader.get_by_role("button", name="Save").click()
    conflict = leader.locator("#conflict")
    expect(conflict).to_contain_text("Someone else saved this unit")
    expect(conflict).to_contain_text("Oppfølging av arbeidssøkere")
    expect(conflict).to_be_focused()
    assert Unit.objects.get(pk=world.team.pk).description == "Oppfølging av arbeidssøkere"
    assert_accessible(leader, "version-conflict-page")
    leader.set_viewport_size(PHONE)
    assert_accessible(leader, "version-conflict-page-phone")
    box = conflict.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # The whole form fits a phone: no field pushes the page sideways.
    assert_no_overflow(leader)


def test_two_leaders_rating_the_same_person_row_by_row(
    signed_in: Callable[[str], Page], live_world: tuple[World, str]
) -> None:
    """The leader's rating saves each row as it changes: a row another leader saved since is refused in
    place, announced in the row's status with their rating and the focus on it; the next change to the
    row saves on top of theirs."""
    from laera.competences.models import Assessment

    world, base = live_world
    round, competence = world.extra_objects["round"], world.extra_objects["competence"]
    employee = world.people["employee"]
    address = base + reverse(
        "competences:leader_rating",
        kwargs={"org_slug": world.organisation.slug, "round_id": round.pk, "person_id": employee.pk},
    )
    admin = signed_in("admin")
    leader = signed_in("leader")
    admin.goto(address)
    leader.goto(address)
    status = f"#c{competence.pk}-status"

    saved = f"Saved: {competence.name}"
    admin.locator(f"#c{competence.pk}").get_by_label("Leader's rating").select_option("4")
    expect(admin.locator(status)).to_contain_text(saved)
    leader.locator(f"#c{competence.pk}").get_by_label("Leader's rating").select_option("2")
    conflict = leader.locator(f"#conflict-{competence.pk}")
    expect(conflict).to_contain_text("Someone else saved this assessment")
    expect(conflict).to_contain_text("4 ")
    expect(conflict).to_be_focused()
    # Announced in the page's one live region, as every message after an HTMX swap is.
    expect(leader.locator("#laera-status")).to_contain_text("Someone else saved this assessment")
    assert Assessment.objects.get(round=round, person=employee, competence=competence).leader_level == 4
    assert_accessible(leader, "version-conflict-row")
    leader.set_viewport_size(PHONE)
    assert_accessible(leader, "version-conflict-row-phone")

    # The row now carries the saved version: the leader's next change replaces the other rating.
    leader.locator(f"#c{competence.pk}").get_by_label("Leader's rating").select_option("1")
    expect(leader.locator(status)).to_contain_text(saved)
    row = Assessment.objects.get(round=round, person=employee, competence=competence)
    assert (row.leader_level, row.leader) == (1, world.people["leader"])
