"""Issue 10 in Chromium: the depth fills the outcome, sending for comments, plan tables on a phone, and
the inline activity editor by keyboard. Each page is checked with axe and for sideways scrolling at 375 px."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from laera.plans.models import Activity, Outcome, Plan
from laera.testing.browser import PHONE, assert_accessible, screenshot, sign_in_as
from laera.testing.demo import load_demo_data

ORG = "/o/nav-royken/plans"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def _spring_2015() -> Plan:
    return Plan.objects.get(organisation__slug="nav-royken", parent=None)


def _sub_plan() -> Plan:
    return Plan.objects.get(organisation__slug="nav-royken", parent__isnull=False)


def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 375 px"


def _active(page: Page, script: str) -> Any:
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def test_choosing_a_depth_by_keyboard_fills_the_empty_text(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    sub = _sub_plan()
    theme = sub.themes.get()
    page.goto(f"{demo}{ORG}/{sub.pk}/")
    page.locator(f"#theme-{theme.pk}").get_by_role("link", name="Add learning outcome").click()
    editor = page.locator(f"#editor-theme-{theme.pk}")
    depth = editor.get_by_label("Depth")
    text = editor.get_by_role("textbox", name="Learning outcome")
    expect(text).to_have_value("")
    # The swap has settled once laera.js has put focus in the editor; only then is focus ours to move.
    expect(editor.locator(":focus")).to_have_count(1)
    depth.focus()
    expect(depth).to_be_focused()
    for _ in range(20):  # down the list by keyboard until the first step of skills
        if depth.input_value() == "apply":
            break
        page.keyboard.press("ArrowDown")
    assert depth.input_value() == "apply"
    expect(text).to_have_value("kan anvende ")  # the plan's language (bokmål) although the page is English
    expect(editor.get_by_role("radio", name="Skills")).to_be_checked()
    assert _active(page, "el.name") == "verb"  # focus stays on the select
    page.keyboard.press("ArrowDown")  # another step replaces an opening that was put there
    expect(text).not_to_have_value("kan anvende ")
    page.keyboard.press("ArrowUp")
    expect(text).to_have_value("kan anvende ")
    text.press("End")
    text.type("MI i oppfølgingssamtaler")
    depth.focus()
    page.keyboard.press("ArrowDown")  # a written text is never overwritten
    expect(text).to_have_value("kan anvende MI i oppfølgingssamtaler")
    page.keyboard.press("ArrowUp")
    assert_accessible(page, "issue10-outcome-depth-1280")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator("#laera-status")).to_have_text("The learning outcome is saved.")
    expect(page.locator(f"#editor-theme-{theme.pk}")).to_be_empty()  # the section was swapped
    expect(page.locator(f"#theme-{theme.pk} table")).to_contain_text("kan anvende MI i oppfølgingssamtaler")
    assert Outcome.objects.filter(theme=theme, text="kan anvende MI i oppfølgingssamtaler").exists()

    # The outcome's own page (without HTMX) loads the same script.
    page.set_viewport_size(PHONE)
    page.goto(f"{demo}{ORG}/themes/{theme.pk}/outcomes/new/")
    page.get_by_label("Depth").select_option("know_of")
    expect(page.get_by_role("textbox", name="Learning outcome")).to_have_value("kjenner til ")
    _fits_the_phone(page)
    assert_accessible(page, "issue10-outcome-page-375")


def test_sending_for_comments_and_commenting_near_the_top(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    sub = _sub_plan()
    page.goto(f"{demo}{ORG}/{sub.pk}/")
    page.get_by_role("link", name="Send for comments").click()
    assert_accessible(page, "issue10-send-for-comments")
    page.set_viewport_size(PHONE)
    _fits_the_phone(page)
    screenshot(page, "issue10-send-for-comments-375")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    page.get_by_label("Comments until").fill("")  # a deadline is proposed: take it away
    page.get_by_role("button", name="Send for comments").click()
    expect(page.locator(".laera-error-summary")).to_be_focused()
    until = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("Comments until").fill(until.isoformat())
    page.get_by_label("Message to readers").fill("Vi vil særlig høre om rollespillene.")
    page.get_by_role("button", name="Send for comments").click()
    banner = page.locator("#consultation")
    expect(banner.get_by_role("heading")).to_contain_text("Out for comments until")
    expect(banner).to_contain_text("Vi vil særlig høre om rollespillene.")

    page.context.clear_cookies()
    sign_in_as(page, demo, "ansatt@demo.laera.no", language="en")
    for viewport, name in ((DESKTOP, "1280"), (PHONE, "375")):
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        page.goto(f"{demo}{ORG}/{sub.pk}/")
        expect(page.locator("#consultation")).to_be_visible()
        _fits_the_phone(page) if name == "375" else None
        assert_accessible(page, f"issue10-consultation-{name}")
    box = page.locator("#comment-form")
    assert box.bounding_box()["width"] <= PHONE["width"]  # type: ignore[index]
    page.locator("#consultation").get_by_role("link", name="Write a comment").click()
    assert page.url.endswith("#comment-form")
    page.get_by_label("Your comment").fill("Kan rollespillene filmes?")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Thank you. Your comment is saved.")).to_be_visible()

    Plan.objects.filter(pk=sub.pk).update(comments_until=timezone.localdate() - datetime.timedelta(days=1))
    page.goto(f"{demo}{ORG}/{sub.pk}/")
    expect(page.locator("#consultation").get_by_role("heading")).to_contain_text("Comments closed on")
    expect(page.locator("#comment-form")).to_have_count(0)
    expect(page.locator("#comments")).to_contain_text("Kan rollespillene filmes?")
    _fits_the_phone(page)
    assert_accessible(page, "issue10-consultation-closed-375")


def test_plan_tables_are_stacked_rows_on_a_phone(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "ansatt@demo.laera.no")
    plan = _spring_2015()
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    page.goto(f"{demo}{ORG}/{plan.pk}/")
    screenshot(page, "issue10-plan-tables-1280")
    assert page.locator("table.laera-plan-table thead").first.is_visible()
    page.set_viewport_size(PHONE)
    page.goto(f"{demo}{ORG}/{plan.pk}/")
    _fits_the_phone(page)
    widths = page.evaluate(
        """() => [...document.querySelectorAll('table.laera-plan-table')].map(t => [t.scrollWidth,
            t.closest('.laera-table-wrap').clientWidth])"""
    )
    assert len(widths) >= 3 and all(table <= wrap for table, wrap in widths), widths
    cell = page.locator("table.laera-plan-table td[data-label]").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Arena"', label  # the column's heading, in the plan's language
    # Still a table with column headers for screen readers.
    assert (
        page.locator("table.laera-plan-table").first.evaluate(
            "t => t.querySelectorAll('thead th[scope=col]').length"
        )
        == 5
    )
    theme = Activity.objects.filter(outcome__theme__plan=plan).first().outcome.theme  # type: ignore[union-attr]
    page.locator(f"#theme-{theme.pk}").scroll_into_view_if_needed()
    screenshot(page, "issue10-plan-tables-375")
    assert_accessible(page, "issue10-plan-tables-375-axe")


def test_adding_an_activity_by_keyboard(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    sub = _sub_plan()
    theme = sub.themes.get()
    outcome = theme.outcomes.first()
    assert outcome is not None
    page.goto(f"{demo}{ORG}/{sub.pk}/")
    for _ in range(300):
        page.keyboard.press("Tab")
        if _active(page, "el.textContent.trim()").startswith("Add activity"):
            break
    assert _active(page, "el.textContent.trim()").startswith("Add activity")
    page.keyboard.press("Enter")
    editor = page.locator(f"#editor-theme-{theme.pk}")
    heading = editor.get_by_role("heading", name="New activity")
    expect(heading).to_be_focused()

    # An empty form sent with Enter: focus goes to the error summary and the error is announced.
    for _ in range(40):
        page.keyboard.press("Tab")
        if _active(page, "el.name") == "place":
            break
    assert _active(page, "el.name") == "place"
    page.keyboard.press("Enter")
    summary = editor.locator(".laera-error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#laera-status")).to_contain_text("Please correct this")
    assert_accessible(page, "issue10-activity-error-1280")

    for _ in range(40):
        page.keyboard.press("Tab")
        if _active(page, "el.name") == "place":
            break
    page.keyboard.type("Teammøtet")
    for _ in range(10):
        page.keyboard.press("Tab")
        if _active(page, "el.name") == "method_detail":
            break
    page.keyboard.type("Ansattes 10 minutter")
    page.keyboard.press("Enter")
    expect(page.locator("#laera-status")).to_have_text("The activity is saved.")
    saved = Activity.objects.get(outcome=outcome, place="Teammøtet")
    expect(page.locator(f"#activity-{saved.pk}")).to_be_focused()
    expect(page.locator(f"#activity-{saved.pk}")).to_contain_text("Ansattes 10 minutter")
    assert_accessible(page, "issue10-activity-saved-1280")


def test_a_copy_marks_its_times_to_check(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    plan = _spring_2015()
    page.goto(f"{demo}{ORG}/{plan.pk}/copy/")
    page.locator("#id_name").fill("Høsten 2015")
    page.get_by_role("button", name="Make the new plan").click()
    copy = Plan.objects.get(name="Høsten 2015", parent=None)
    marked = list(Activity.objects.filter(outcome__theme__plan=copy, time_to_check=True).order_by("pk"))
    count = len(marked)
    assert count >= 10
    expect(page.locator(".laera-time-check")).to_have_count(count)
    check = page.locator("#plan-check")
    expect(check).to_contain_text(f"The times of {count} activities came from the plan")
    expect(check.locator("a[href^='#activity-']")).to_have_count(count)
    assert_accessible(page, "issue10-copy-time-check-1280")
    first = marked[0]
    row = page.locator(f"#activity-{first.pk}")
    row.get_by_role("button", name="The time is right").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#laera-status")).to_have_text("The time is marked as checked.")
    expect(page.locator(f"#activity-{first.pk}")).to_be_focused()
    expect(page.locator(f"#activity-{first.pk} .laera-time-check")).to_have_count(0)
    expect(page.locator(".laera-time-check")).to_have_count(count - 1)
    page.set_viewport_size(PHONE)
    page.goto(f"{demo}{ORG}/{copy.pk}/#activity-{first.pk}")
    _fits_the_phone(page)
    assert_accessible(page, "issue10-copy-time-check-375")
