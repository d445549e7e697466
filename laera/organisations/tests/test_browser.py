"""The organisation pages in Chromium: each page's main path, with the accessibility check on each."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from laera.organisations.models import Organisation, Unit, WorkingGroup, WorkingGroupMeeting
from laera.testing.browser import (
    PHONE,
    assert_accessible,
    assert_no_overflow,
    choose_person,
    login,
    sign_in_as,
    switch_to_english,
)
from laera.testing.demo import load_demo_data

ORG = "/o/nav-royken"


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def _team(name: str) -> int:
    return Unit.objects.get(organisation__slug="nav-royken", name=name).pk


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("admin@demo.laera.no", "admin"),
        ("leder@demo.laera.no", "leader"),
        ("koordinator@demo.laera.no", "coordinator"),
        ("ansatt@demo.laera.no", "employee"),
    ],
)
def test_start_page_for_each_role(page: Page, demo: str, email: str, role: str) -> None:
    sign_in_as(page, demo, email, language="en")
    page.goto(f"{demo}{ORG}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()
    expect(page.locator("nav[aria-label='Main menu']")).to_be_visible()
    # What is due for this role, each step with a link that opens a page of Læra.
    steps = page.locator("ol.laera-steps > li[data-step]")
    assert steps.count() >= 1
    for index in range(steps.count()):
        href = steps.nth(index).locator("a").last.get_attribute("href") or ""
        assert href.startswith("/"), href
    assert_accessible(page, f"start-{role}")
    page.set_viewport_size(PHONE)
    page.reload()
    assert_no_overflow(page)
    assert_accessible(page, f"start-{role}-phone")
    first = steps.first.locator("a").last
    first.click()
    page.wait_for_load_state()
    assert page.url.startswith(demo) and "/o/nav-royken/" in page.url


def test_units_tree_and_unit_page(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "leder@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/units/")
    expect(page.get_by_role("link", name="Oppfølgingsteam")).to_be_visible()
    assert_accessible(page, "units")
    page.get_by_role("link", name="Oppfølgingsteam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oppfølgingsteam")
    expect(page.get_by_role("cell", name="NAV-veileder").first).to_be_visible()
    assert_accessible(page, "unit-detail")


def test_admin_creates_a_unit_in_the_browser(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "admin@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/units/new/")
    assert_accessible(page, "unit-form")
    page.get_by_role("textbox", name="Name").fill("Ungdomsteam")
    page.get_by_label("Part of").select_option(label="NAV Røyken")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ungdomsteam")
    expect(page.get_by_text("The unit Ungdomsteam is created.")).to_be_visible()
    assert Unit.objects.get(name="Ungdomsteam").parent.name == "NAV Røyken"  # type: ignore[union-attr]


def test_form_errors_are_shown_and_accessible(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "admin@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/people/new/")
    page.get_by_label("E-mail").fill("not an address")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This field is required.", exact=True)).to_be_visible()
    expect(page.get_by_text("Enter a valid email address.", exact=True)).to_be_visible()
    # The summary at the top has focus and links each error to its field.
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Name: This field is required.")
    expect(link).to_have_attribute("href", "#id_full_name")
    assert_accessible(page, "person-form-errors")


def test_people_search_updates_in_place(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "ansatt@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/people/")
    assert_accessible(page, "people")
    page.get_by_label("Search by name or e-mail").fill("Gravningen")
    expect(page.locator("#people-results tbody tr")).to_have_count(1)
    expect(page.locator("#people-results")).to_contain_text("Ole Petter Gravningen")
    page.get_by_role("link", name="Ole Petter Gravningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ole Petter Gravningen")
    assert_accessible(page, "person-detail")


def test_leader_builds_the_working_group_with_htmx(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "leder@demo.laera.no", language="en")
    unit_id = _team("Sosialtjenesten")
    page.goto(f"{demo}{ORG}/units/{unit_id}/working-group/")
    expect(page.get_by_text("The unit has no working group yet.")).to_be_visible()
    assert_accessible(page, "working-group-empty")
    for name in ("Mona Nilsen", "Fatima Ali", "Per Jacobsen"):
        choose_person(page, "Person", name, name)
        page.get_by_role("button", name="Add to working group").click()
        expect(page.locator("#working-group-members")).to_contain_text(f"Remove {name}")
    expect(page.get_by_text("No one leads the group.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"The group has \d+ members"))).to_have_count(0)
    page.get_by_role("link", name="Edit mandate and roles").click()
    assert_accessible(page, "working-group-form")
    page.get_by_label("Mandate").fill("Lage plan for læring for Sosialtjenesten.")
    page.get_by_label("Deadline").fill("2015-02-20")
    choose_person(page, "Lead", "jacob", "Per Jacobsen")
    choose_person(page, "Minute taker", "fatima", "Fatima Ali")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The working group is saved.")).to_be_visible()
    group = WorkingGroup.objects.get(unit_id=unit_id)
    assert group.lead.full_name == "Per Jacobsen"  # type: ignore[union-attr]
    assert group.members.count() == 3


def test_coordinator_writes_minutes(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "koordinator@demo.laera.no", language="en")
    unit_id = _team("NAV Røyken")
    page.goto(f"{demo}{ORG}/units/{unit_id}/working-group/")
    assert_accessible(page, "working-group")
    page.get_by_role("link", name="Write minutes").click()
    assert_accessible(page, "meeting-form")
    page.get_by_label("Date").fill("2015-02-05")
    page.get_by_role("textbox", name="Minutes").fill(
        "Temaene for våren er valgt: SE, arbeidsmarkedskompetanse og kvalitetsstrategi."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The minutes are saved.")).to_be_visible()
    expect(page.get_by_text("Temaene for våren er valgt")).to_be_visible()
    assert_accessible(page, "meeting-detail")


def test_admin_pages(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "admin@demo.laera.no", language="en")
    for path, heading, name in [
        ("/job-roles/", "Job roles", "job-roles"),
        ("/settings/", "Settings", "settings"),
        ("/audit/", "Audit log", "audit-log"),
    ]:
        page.goto(f"{demo}{ORG}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page, name)


def test_import_lists_every_bad_row(page: Page, demo: str, tmp_path: Path) -> None:
    sign_in_as(page, demo, "admin@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/people/import/")
    assert_accessible(page, "people-import")
    bad = tmp_path / "people.csv"
    bad.write_text(
        "name,email,units\nGod Rad,god@x.no,Mottaksteam\n,mangler@x.no,\nUten Epost,ikke-epost,\n",
        encoding="utf-8",
    )
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    errors = page.locator(".ds-error-summary tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.first).to_contain_text("3")
    assert_accessible(page, "people-import-errors")
    good = tmp_path / "good.csv"
    good.write_text(
        "name,email,units,job_role\nGod Rad,god@x.no,Mottaksteam,NAV-veileder\n", encoding="utf-8"
    )
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    # Here tasks run as soon as they are queued: the import's page opens on its end.
    expect(page.get_by_role("heading", name="The import is done.")).to_be_visible()
    expect(page.locator("#job")).to_contain_text("1 new person")


@pytest.mark.parametrize("code", ["nb", "nn", "sv", "da", "en"])
def test_language_menu(page: Page, demo: str, code: str) -> None:
    with translation.override(code):
        heading = translation.gettext("Sign in to Læra")
        start = translation.gettext("Start")
    assert (heading == "Sign in to Læra") == (code == "en")
    page.goto(f"{demo}/accounts/login/")
    page.select_option("#laera-language-select", code)
    with page.expect_navigation():
        page.locator("form.laera-language button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == code
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page, f"login-{code}")
    # The choice follows the person through sign-in.
    login(page, demo, "ansatt@demo.laera.no")
    expect(page.locator("nav[aria-label] a[aria-current=page]")).to_have_text(start)


def test_phone_layout_and_keyboard(page: Page, demo: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in_as(page, demo, "ansatt@demo.laera.no")
    for path in ("/", "/units/", "/people/"):
        page.goto(f"{demo}{ORG}{path}")
        assert_no_overflow(page)
    assert_accessible(page, "people-phone")
    # The first Tab lands on the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    expect(page.locator(".ds-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_error_pages(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "ansatt@demo.laera.no", language="en")
    response = page.goto(f"{demo}{ORG}/settings/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    assert_accessible(page, "error-403")
    response = page.goto(f"{demo}/o/no-such-org/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    assert_accessible(page, "error-404")


def test_profile_and_password_pages(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "ansatt@demo.laera.no", language="en")
    page.goto(f"{demo}/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    assert_accessible(page, "profile")
    page.get_by_role("link", name="Change password").click()
    assert_accessible(page, "password-change")
    page.context.clear_cookies()
    page.goto(f"{demo}/accounts/password-reset/")
    assert_accessible(page, "password-reset")


def test_delete_confirmations(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "admin@demo.laera.no", language="en")
    unit_id = _team("SE-prosjektet")
    page.goto(f"{demo}{ORG}/units/{unit_id}/delete/")
    assert_accessible(page, "unit-delete")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("The unit SE-prosjektet is deleted.")).to_be_visible()
    page.goto(f"{demo}{ORG}/job-roles/")
    page.get_by_role("link", name="Edit Delprosjektleder").click()
    assert_accessible(page, "job-role-form")
    page.get_by_role("link", name="Delete").click()
    assert_accessible(page, "job-role-delete")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("The job role Delprosjektleder is deleted.")).to_be_visible()
    meeting = WorkingGroupMeeting.objects.filter(group__unit__name="NAV Røyken").first()
    assert meeting is not None
    page.goto(f"{demo}{ORG}/meetings/{meeting.pk}/delete/")
    assert_accessible(page, "meeting-delete")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("The minutes are deleted.")).to_be_visible()


def test_external_contributor_sees_only_the_start_page(page: Page, demo: str) -> None:
    from laera.core.permissions import Role
    from laera.organisations import services

    org = Organisation.objects.get(slug="nav-royken")
    person = services.person_create(
        actor=None,
        organisation=org,
        full_name="Berit Brukerutvalg",
        email="berit@brukerutvalg.no",
        role=Role.EXTERNAL,
    )
    assert person.user is not None
    person.user.set_password("brukerutvalg-2015")
    person.user.save()
    login(page, demo, "berit@brukerutvalg.no", "brukerutvalg-2015")
    switch_to_english(page, demo)
    page.goto(f"{demo}{ORG}/")
    expect(page.get_by_text("You are invited to contribute.")).to_be_visible()
    expect(page.get_by_role("link", name="Units")).to_have_count(0)
    assert_accessible(page, "start-external")
    response = page.goto(f"{demo}{ORG}/units/")
    assert response is not None and response.status == 403


def test_person_in_two_organisations_chooses(page: Page, demo: str) -> None:
    from laera.organisations import services

    services.organisation_create(name="NAV Hurum", slug="nav-hurum", admin_email="ansatt@demo.laera.no")
    sign_in_as(page, demo, "ansatt@demo.laera.no", language="en")
    page.goto(f"{demo}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose organisation")
    assert_accessible(page, "choose-organisation")
    page.get_by_role("link", name="NAV Hurum").click()
    expect(page.locator(".laera-brand__org")).to_have_text("NAV Hurum")


def test_password_reset_in_the_browser(page: Page, demo: str, mailoutbox: Any) -> None:
    mailoutbox.clear()  # loading the demo e-mails its notices (a plan published, a round opened)
    page.goto(f"{demo}/accounts/login/")
    page.select_option("#laera-language-select", "en")
    with page.expect_navigation():
        page.locator("form.laera-language button[type=submit]").click()
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email").fill("ansatt@demo.laera.no")
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_accessible(page, "password-reset-done")
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", mailoutbox[0].body)
    assert link is not None
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page, "password-reset-confirm")
    page.get_by_label("New password", exact=False).first.fill("a-brand-new-password-2015")
    page.get_by_label("New password confirmation").fill("a-brand-new-password-2015")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password saved")
    assert_accessible(page, "password-reset-complete")
    login(page, demo, "ansatt@demo.laera.no", "a-brand-new-password-2015")


def test_audit_log_filters(page: Page, demo: str) -> None:
    sign_in_as(page, demo, "admin@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/audit/")
    page.get_by_label("What").select_option(label="Unit created")
    today = timezone.localdate().isoformat()
    page.get_by_label("To date").fill(today)
    with page.expect_navigation():
        page.get_by_label("To date").press("Enter")  # the form is sent from the keyboard
    assert "what=unit.create" in page.url
    cells = page.locator("table tbody tr td:nth-child(3)")
    expect(cells.first).to_have_text("Unit created")
    assert set(cells.all_inner_texts()) == {"Unit created"}
    expect(page.get_by_label("What")).to_have_value("unit.create")
    assert_accessible(page, "audit-log-filtered")
    page.set_viewport_size(PHONE)
    assert_accessible(page, "audit-log-filtered-phone")
