"""The mapping pages in Chromium, each with the accessibility check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.mapping.models import Arena, KnowledgeFlow
from laera.organisations.models import Unit
from laera.testing.browser import (
    PHONE,
    assert_accessible,
    assert_no_overflow,
    choose_person,
    sign_in_as,
)
from laera.testing.demo import load_demo_data

ORG = "/o/nav-royken/mapping"


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def _unit(name: str) -> int:
    return Unit.objects.get(organisation__slug="nav-royken", name=name).pk


def test_coordinator_maps_the_knowledge_flow_in_one_sitting(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    team = _unit("Mottaksteam")
    page.goto(f"{demo}{ORG}/flows/")
    assert_accessible(page, "flow-overview")
    page.get_by_role("link", name="Mottaksteam").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mottaksteam")
    assert_accessible(page, "unit-flows-empty")
    for activity, transfer in [
        ("Nyansatte går sammen med en erfaren kollega", "1"),
        ("Mottaksrutinen skrives inn i veiledningsplattformen", "4"),
        ("Innspill fra brukerutvalget om ventetid", "7"),
    ]:
        page.get_by_label("Activity").fill(activity)
        page.get_by_label("Knowledge transfer").select_option(transfer)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator(f"#transfer-{transfer}")).to_contain_text(activity)
        expect(page.get_by_label("Activity")).to_be_focused()
    assert KnowledgeFlow.objects.filter(unit_id=team).count() == 3
    assert_accessible(page, "unit-flows")
    page.get_by_role("link", name="Diagram and gaps").click()
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.get_by_role("heading", name="Gaps, and what could fill them")).to_be_visible()
    assert_accessible(page, "unit-diagram")
    page.get_by_role("link", name="Responsibility").click()
    assert_accessible(page, "unit-responsibility")


def test_office_diagram_shows_the_demo_gap(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "leder@demo.laera.no")
    page.goto(f"{demo}{ORG}/units/{_unit('NAV Røyken')}/diagram/")
    expect(page.locator('g[data-transfer="8"][data-count="0"]')).to_have_count(1)
    expect(page.locator('g[data-transfer="1"][data-count="4"]')).to_have_count(1)
    assert_accessible(page, "unit-diagram-nb")


def test_arena_pages(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/arenas/")
    expect(page.get_by_role("link", name="Kontormøte")).to_be_visible()
    assert_accessible(page, "arena-list")
    page.get_by_role("link", name="Veiledningsgrupper MI").click()
    expect(page.get_by_text("Every third week on Tuesday, 120 min")).to_be_visible()
    assert_accessible(page, "arena-detail")
    page.get_by_role("link", name="Edit").click()
    assert_accessible(page, "arena-form")
    page.get_by_label("Duration in minutes").fill("150")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The arena Veiledningsgrupper MI is saved.")).to_be_visible()
    assert Arena.objects.get(name="Veiledningsgrupper MI").duration_minutes == 150
    page.goto(f"{demo}{ORG}/arenas/calendar/?view=halfyear&start=2015-01-01")
    office_meeting = page.get_by_role("row", name="Kontormøte")
    expect(office_meeting.locator("time[datetime='2015-01-08']")).to_have_text("8")
    assert_accessible(page, "arena-calendar-halfyear")
    page.goto(f"{demo}{ORG}/arenas/calendar/?view=week&start=2015-01-05")
    assert_accessible(page, "arena-calendar-week")


def test_new_arena_and_import(page: Page, demo: str, tmp_path: Path) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/arenas/new/")
    page.locator("#id_name").fill("Frokostmøte med næringslivet")
    page.locator("#id_unit").select_option(label="NAV Røyken")
    page.get_by_role("radio", name="External").check()
    page.get_by_label("How often").select_option("times_per_year")
    page.get_by_label("Times a year").fill("4")
    page.get_by_label("Date of a meeting").fill("2015-02-10")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frokostmøte med næringslivet")
    page.goto(f"{demo}{ORG}/arenas/import/")
    assert_accessible(page, "arena-import")
    bad = tmp_path / "arenaer.csv"
    bad.write_text("navn;hyppighet;dato\n;ukentlig;2015-01-05\n", encoding="utf-8")
    page.locator("#id_unit").select_option(label="Mottaksteam")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".ds-error-summary tbody tr")).to_have_count(1)
    assert_accessible(page, "arena-import-errors")
    good = tmp_path / "gode.csv"
    good.write_text("navn;hyppighet;dato\nMorgenmøte;ukentlig;2015-01-05\n", encoding="utf-8")
    page.locator("#id_unit").select_option(label="Mottaksteam")
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing arenas")
    expect(page.locator("#job")).to_contain_text("1 arena is imported.")
    assert_accessible(page, "arena-import-job")
    page.set_viewport_size(PHONE)
    assert_no_overflow(page)
    page.get_by_role("link", name="Arenas", exact=True).last.click()
    expect(page.get_by_role("link", name="Morgenmøte")).to_be_visible()


def test_employee_browses_ways_to_learn_on_a_phone(page: Page, demo: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in_as(page, demo, "ansatt@demo.laera.no")
    page.goto(f"{demo}{ORG}/methods/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Måter å lære på i jobben")
    assert_no_overflow(page)
    assert_accessible(page, "methods-phone")
    page.get_by_role("link", name="Fadderordning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fadderordning")
    assert_no_overflow(page)
    assert_accessible(page, "method-detail-phone")


@pytest.mark.parametrize("code", ["nn", "sv", "da", "en"])
def test_method_bank_in_each_language(page: Page, demo: str, code: str) -> None:
    from django.utils import translation

    from laera.mapping.method_catalogue import BY_KEY

    with translation.override(code):
        name = str(BY_KEY["buddy_scheme"].name)
    sign_in_as(page, demo, "ansatt@demo.laera.no")
    page.goto(f"{demo}/accounts/profile/")
    page.select_option("#laera-language-select", code)
    with page.expect_navigation():
        page.locator("form.laera-language button[type=submit]").click()
    page.goto(f"{demo}{ORG}/methods/")
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


def test_leader_adapts_the_method_bank(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "leder@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/methods/new/")
    assert_accessible(page, "method-form")
    page.get_by_label("Name").fill("Lunsj og lær")
    page.get_by_label("Involves the participants").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The method Lunsj og lær is added.")).to_be_visible()
    page.get_by_role("link", name="Lunsj og lær").click()
    page.get_by_role("button", name="Hide from employees").click()
    expect(page.get_by_role("button", name="Show to employees")).to_be_visible()


def test_coordinator_completes_a_row(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/units/{_unit('NAV Røyken')}/flows/")
    row = page.locator("#transfer-1 tr", has_text="To ansatte er felles om en bruker")
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit row")
    assert_accessible(page, "flow-form")
    page.locator("#id_arena").select_option(label="Kollegaveiledning «skulder til skulder»")
    choose_person(page, "Carried in practice by", "marit", "Marit Johansen")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The row is saved.")).to_be_visible()
    flow = KnowledgeFlow.objects.get(activity="To ansatte er felles om en bruker")
    assert flow.arena is not None and flow.informal_label == "Marit Johansen"


def test_arena_page_says_how_often_in_words_on_desktop_and_phone(page: Page, demo: str) -> None:
    arena = Arena.objects.get(organisation__slug="nav-royken", name="Veiledningsgrupper MI")
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{demo}{ORG}/arenas/{arena.pk}/")
    how_often = page.locator("dt", has_text="How often").locator("xpath=following-sibling::dd[1]")
    expect(how_often).to_have_text("Every third week on Tuesday, 120 min")
    expect(page.locator("main")).not_to_contain_text("FREQ=")
    assert_accessible(page, "arena-detail-recurrence")
    page.set_viewport_size(PHONE)
    page.reload()
    expect(how_often).to_be_visible()
    assert_no_overflow(page)
    assert_accessible(page, "arena-detail-recurrence-phone")
