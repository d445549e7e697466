"""Notices in Chromium: a coordinator sends the team's plan out for comments; the employee finds the notice
in the bell, opens it, marks the others read by keyboard, and finds the e-mail with a working link; the
settings page on a phone. Each page with the accessibility check, at 1280 px and 375 px."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from laera.notifications.models import Notification
from laera.organisations.models import Person
from laera.plans.models import Plan
from laera.testing.browser import (
    PHONE,
    assert_accessible,
    assert_no_overflow,
    screenshot,
    sign_in_as,
)
from laera.testing.demo import load_demo_data

ORG = "/o/nav-royken"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def test_the_employee_is_told_when_the_team_plan_goes_out_for_comments(page: Page, demo: str) -> None:
    sub = Plan.objects.get(organisation__slug="nav-royken", parent__isnull=False)
    employee = Person.objects.get(organisation__slug="nav-royken", email="ansatt@demo.laera.no")
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/plans/{sub.pk}/")
    page.get_by_role("link", name="Send for comments").click()
    until = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("Comments until").fill(until.isoformat())
    mail.outbox.clear()
    page.get_by_role("button", name="Send for comments").click()
    expect(page.locator("#consultation")).to_be_visible()

    notice = Notification.objects.get(person=employee, kind="plans.consultation")
    sent = [m for m in mail.outbox if m.to == ["ansatt@demo.laera.no"]]
    assert len(sent) == 1, "the e-mail goes when the change commits"
    link = re.search(r"https?://\S+/plans/\d+/", sent[0].body)
    assert link is not None and link.group(0).endswith(f"/plans/{sub.pk}/")

    page.context.clear_cookies()
    sign_in_as(page, demo, "ansatt@demo.laera.no", language="en")
    unread = Notification.objects.filter(person=employee, read_at__isnull=True).count()
    page.goto(f"{demo}{ORG}/")
    bell = page.locator(".laera-bell")
    expect(bell).to_contain_text(f"Notices {unread} unread")
    assert_accessible(page, "notices-bell-1280")
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notices")
    item = page.locator(f"#notice-{notice.pk}")
    expect(item).to_contain_text(f"The plan {sub.name} is out for comments until")
    expect(item.locator(f"span[lang='{sub.language}']")).to_have_text(sub.name)
    assert_accessible(page, "notices-list-1280")

    # Mark another one read by keyboard: focus lands on the confirmation, and it is announced.
    others = Notification.objects.filter(person=employee, read_at__isnull=True).exclude(pk=notice.pk)
    other = others.first()
    assert other is not None
    button = page.locator(f"#notice-{other.pk} button")
    button.focus()
    page.keyboard.press("Enter")
    confirmation = page.locator(f"#notice-{other.pk} [data-status]")
    expect(confirmation).to_be_focused()
    expect(page.locator("#laera-status")).to_have_text("Marked as read.")

    # Open the plan's notice from the list: it leads to the plan and is read since.
    item.get_by_role("link").click()
    expect(page).to_have_url(re.compile(f"/plans/{sub.pk}/$"))
    expect(page.locator("#consultation")).to_be_visible()
    notice.refresh_from_db()
    assert notice.read_at is not None

    page.set_viewport_size(PHONE)
    page.goto(f"{demo}{ORG}/notifications/")
    assert_no_overflow(page)
    assert_accessible(page, "notices-list-375")
    page.get_by_role("link", name="Choose which notices you get by e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notices by e-mail")
    page.get_by_label("A plan for learning is published").select_option("digest")
    assert_no_overflow(page)
    assert_accessible(page, "notices-settings-375")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    expect(page.get_by_label("A plan for learning is published")).to_have_value("digest")
    screenshot(page, "notices-settings-375")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    page.goto(f"{demo}{ORG}/notifications/")
    screenshot(page, "notices-list-1280")


def test_admin_sees_the_background_work(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "admin@demo.laera.no", language="en")
    for viewport, name in ((DESKTOP, "1280"), (PHONE, "375")):
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        page.goto(f"{demo}{ORG}/background/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Background work")
        expect(page.get_by_text("Every e-mail has been sent.")).to_be_visible()
        assert_no_overflow(page)
        assert_accessible(page, f"background-work-{name}")
