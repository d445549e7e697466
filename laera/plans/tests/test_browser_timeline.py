"""The demo plan's timeline in Chromium: every activity drawn on a wide screen, a month list on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.plans.exchange import labels as plan_labels
from laera.plans.models import Plan
from laera.testing.browser import PHONE, assert_accessible, assert_no_overflow, screenshot, sign_in_as
from laera.testing.demo import load_demo_data

ORG = "/o/nav-royken/plans"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def _timeline(page: Page, demo: str) -> Plan:
    sign_in_as(page, demo, "ansatt@demo.laera.no")
    plan = Plan.objects.get(organisation__slug="nav-royken", parent=None)
    page.goto(f"{demo}{ORG}/{plan.pk}/timeline/")
    return plan


def test_every_activity_of_the_spring_plan_is_on_the_line(page: Page, demo: str) -> None:
    page.set_viewport_size(DESKTOP)
    _timeline(page, demo)
    chart = page.locator("figure.laera-timeline svg[role=img]")
    expect(chart).to_be_visible()
    rows = chart.locator("g[id^='timeline-a']")
    assert rows.count() == 14
    for index in range(rows.count()):
        row = rows.nth(index)
        shapes = row.locator("circle, rect, path, text[font-style=italic]").count()
        assert shapes > 0, row.locator("title").text_content()
    labels = [rows.nth(i).locator("text").first.text_content() for i in range(rows.count())]
    assert len(set(labels)) == 14 and labels[0].startswith("1.1 ")
    # Quarterly, monthly and month-only activities are drawn too.
    quarterly = chart.locator("g", has=page.locator("title", has_text="Hvert kvartal"))
    assert quarterly.locator("rect").count() == 2
    monthly = chart.locator("g", has=page.locator("title", has_text="En gang pr. mnd."))
    assert monthly.locator("rect").count() == 6
    may = chart.locator("g", has=page.locator("title", has_text="— Mai"))
    assert may.count() == 2 and may.first.locator("rect").count() == 1
    expect(page.locator(".laera-timeline-months")).to_be_hidden()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(15)
    assert_no_overflow(page)
    assert_accessible(page, "plan-timeline-desktop", best_practice=True)


def test_on_a_phone_the_timeline_reads_month_by_month(page: Page, demo: str) -> None:
    page.set_viewport_size(PHONE)
    _timeline(page, demo)
    expect(page.locator("figure.laera-timeline")).to_be_hidden()
    months = page.locator(".laera-timeline-months")
    expect(months).to_be_visible()
    expect(months.get_by_role("heading", level=3)).to_have_count(6 + 2)  # six months, throughout, triggers
    april = months.locator("h3:has-text('2015') + ul").nth(3)
    expect(april).to_contain_text("22.")
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader").first).to_be_visible()
    assert_no_overflow(page)
    assert_no_overflow(page)
    assert_accessible(page, "plan-timeline-phone", best_practice=True)
    screenshot(page, "plan-timeline-phone-full")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_print_page_marks_the_draft_sub_plan_for_its_coordinator_only(
    page: Page, demo: str, viewport: Any
) -> None:
    page.set_viewport_size(viewport)
    plan = Plan.objects.get(organisation__slug="nav-royken", parent=None)
    sign_in_as(page, demo, "koordinator@demo.laera.no")
    page.goto(f"{demo}{ORG}/{plan.pk}/print/")
    draft = page.locator("section.plan-child.plan-draft")
    expect(draft).to_have_count(1)
    expect(draft.locator(".plan-status-note")).to_have_text(plan_labels(plan.language).draft)
    expect(draft.get_by_role("heading").first).to_contain_text("Oppfølgingsteam")
    expect(page.locator(".plan-title-page .plan-status-note")).to_have_count(0)
    draft.scroll_into_view_if_needed()
    assert_no_overflow(page)
    assert_accessible(page, f"plan-print-draft-marked-{viewport['width']}")
    page.context.clear_cookies()
    sign_in_as(page, demo, "ansatt@demo.laera.no")
    page.goto(f"{demo}{ORG}/{plan.pk}/print/")
    expect(page.locator("section.plan-child")).to_have_count(0)
    expect(page.get_by_text("Våren 2015 – Oppfølgingsteam")).to_have_count(0)
