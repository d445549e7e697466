"""The plan pages in Chromium, with the accessibility check on each."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.plans.models import Outcome, Plan
from laera.testing.browser import (
    PHONE,
    assert_accessible,
    assert_no_overflow,
    sign_in_as,
)
from laera.testing.demo import load_demo_data

ORG = "/o/nav-royken/plans"


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def _office_plan() -> Plan:
    return Plan.objects.get(organisation__slug="nav-royken", parent=None)


def test_employee_reads_the_published_plan_on_a_phone(page: Page, demo: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in_as(page, demo, "ansatt@demo.laera.no")
    page.goto(f"{demo}{ORG}/")
    assert_accessible(page, "plan-list")
    page.get_by_role("link", name="Våren 2015", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("NAV Røyken våren 2015")
    expect(page.get_by_role("cell", name="22. eller 23. april")).to_be_visible()
    assert_no_overflow(page)
    expect(page.get_by_role("heading", name="Plan check")).to_have_count(0)
    assert_accessible(page, "plan-detail-phone")


def test_coordinator_edits_the_sub_plan_in_place(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    sub = Plan.objects.get(organisation__slug="nav-royken", parent__isnull=False)
    page.goto(f"{demo}{ORG}/{sub.pk}/")
    expect(page.get_by_role("heading", name="Plan check")).to_be_visible()
    assert_accessible(page, "plan-detail-draft")
    theme = sub.themes.get()
    section = page.locator(f"#theme-{theme.pk}")
    section.get_by_role("link", name="Add learning outcome").click()
    editor = page.locator(f"#editor-theme-{theme.pk}")
    expect(editor.get_by_role("radio", name="General competence")).to_be_visible()
    assert_accessible(page, "outcome-form-inline")
    editor.get_by_role("radio", name="General competence").check()
    editor.get_by_label("Learning outcome").fill("Veilederne kan formidle erfaringer med MI til kolleger")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator(f"#theme-{theme.pk}")).to_contain_text("kan formidle erfaringer med MI")
    outcome = Outcome.objects.get(text__startswith="Veilederne kan formidle")
    page.locator(f"#theme-{theme.pk}").get_by_role("link", name="Add activity").last.click()
    editor = page.locator(f"#editor-theme-{theme.pk}")
    editor.get_by_label("Other place", exact=False).first.fill("Teammøtet")
    editor.get_by_label("Method, in the plan's words").fill("Ansattes 10 minutter")
    editor.get_by_label("Participants, in the plan's words").fill("Oppfølgingsteamet")
    editor.get_by_role("radio", name="On a date or dates").check()
    editor.get_by_role("textbox", name="Date or dates").fill("2015-04-14")
    assert_accessible(page, "activity-form-inline")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator(f"#theme-{theme.pk}")).to_contain_text("Ansattes 10 minutter")
    assert outcome.activities.count() == 1


def test_leader_publishes_after_seeing_the_findings(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "leder@demo.laera.no", language="en")
    sub = Plan.objects.get(organisation__slug="nav-royken", parent__isnull=False)
    page.goto(f"{demo}{ORG}/{sub.pk}/")
    page.get_by_role("button", name="Set as published").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the plan?")
    assert_accessible(page, "plan-publish-confirm")
    page.get_by_role("button", name="Publish anyway").click()
    expect(page.get_by_text("The plan is now: Published.")).to_be_visible()


def test_new_plan_form(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/new/")
    assert_accessible(page, "plan-form")
    page.locator("#id_unit").select_option(label="Mottaksteam")
    page.locator("#id_name").fill("Høsten 2015")
    page.locator("#id_period_start").fill("2015-08-01")
    page.locator("#id_period_end").fill("2015-12-31")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The plan Høsten 2015 is created.")).to_be_visible()
    page.get_by_role("link", name="Add theme").click()
    assert_accessible(page, "theme-form")


def test_print_version_and_downloads(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "ansatt@demo.laera.no")
    plan = _office_plan()
    page.goto(f"{demo}{ORG}/{plan.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Word (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")
    page.goto(f"{demo}{ORG}/{plan.pk}/print/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("NAV Røyken våren 2015")
    expect(page.get_by_role("columnheader", name="Tid for gjennomføring").first).to_be_visible()
    assert_accessible(page, "plan-print")


def test_timeline_and_new_plan_from_the_last(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    plan = _office_plan()
    page.goto(f"{demo}{ORG}/{plan.pk}/")
    page.get_by_role("link", name="Timeline").click()
    expect(page.locator("figure svg[role=img]")).to_be_visible()
    assert_accessible(page, "plan-timeline")
    page.goto(f"{demo}{ORG}/{plan.pk}/")
    page.get_by_role("link", name="New plan from this one").click()
    assert_accessible(page, "plan-copy")
    page.locator("#id_name").fill("Høsten 2015")
    page.get_by_role("button", name="Make the new plan").click()
    expect(
        page.get_by_role("heading", name="Tema: Supported employment (SE)")
    ).to_be_visible()  # in the plan's language
    assert Plan.objects.get(name="Høsten 2015").based_on == plan


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_plan_page_shows_line_breaks_and_outcome_categories(page: Page, demo: str, viewport: Any) -> None:
    page.set_viewport_size(viewport)
    sign_in_as(page, demo, "koordinator@demo.laera.no")
    outcome = Outcome.objects.get(text__contains="seks kjennetegnene ved god kvalitet")
    page.goto(f"{demo}{ORG}/{outcome.theme.plan_id}/#outcome-{outcome.pk}")
    heading = page.locator(f"#outcome-{outcome.pk} th").first
    expect(heading.locator(".laera-outcome-category")).to_have_text("Kunnskap")
    text = heading.inner_text()
    assert "Tjenestene skal:\nVære trygge og sikre\nVære virkningsfulle\n" in text
    heading.scroll_into_view_if_needed()
    assert_accessible(page, f"plan-detail-categories-{viewport['width']}")
