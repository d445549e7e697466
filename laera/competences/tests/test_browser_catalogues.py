"""The catalogue pages in Chromium: an admin builds a catalogue, sets requirements and words the scale;
the accessibility check runs on every page, and the catalogue is read on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.competences.models import Catalogue, Competence, Requirement
from laera.testing.browser import (
    PHONE,
    assert_accessible,
    assert_no_overflow,
    sign_in_as,
)
from laera.testing.shared import transactional_world
from laera.testing.world import World


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> tuple[str, World]:
    return str(live_server.url), transactional_world()


def _sign_in(page: Page, base: str, world: World, role: str) -> None:
    sign_in_as(page, base, world.people[role].user.email, language="en")


def test_admin_builds_a_catalogue_with_requirements_and_scale(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    org = f"{base}/o/{world.organisation.slug}/competences"
    _sign_in(page, base, world, "admin")
    page.goto(f"{org}/catalogues/")
    expect(page.get_by_role("link", name="Kompetanse i NAV")).to_be_visible()
    assert_accessible(page, "catalogue-list")

    page.get_by_role("link", name="New catalogue").click()
    assert_accessible(page, "catalogue-create")
    page.get_by_label("Blank: start with an empty catalogue").check()
    page.locator("#id_name").fill("Lederskap")
    page.get_by_role("button", name="Create catalogue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lederskap")
    catalogue = Catalogue.objects.get(organisation=world.organisation, name="Lederskap")
    assert_accessible(page, "catalogue-detail-empty")

    page.get_by_role("link", name="New area").click()
    assert_accessible(page, "catalogue-area-form")
    page.locator("#id_name").fill("Personalledelse")
    page.get_by_role("button", name="Save").click()
    section = page.locator("section.laera-catalogue-area").filter(has_text="Personalledelse")
    section.locator("summary").click()
    section.get_by_label("Name").fill("Medarbeidersamtaler")
    section.get_by_label("Category").select_option("skills")
    section.get_by_label("NKR level").select_option("6")
    assert_accessible(page, "catalogue-detail-add-competence")
    section.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("link", name="Medarbeidersamtaler")).to_be_visible()
    competence = Competence.objects.get(catalogue=catalogue, name="Medarbeidersamtaler")
    assert (competence.category, competence.nkr_level) == ("skills", "6")
    assert_accessible(page, "catalogue-detail")

    page.get_by_role("link", name="Requirements", exact=True).first.click()
    assert_accessible(page, "requirements-overview")
    page.get_by_label("Job role", exact=True).select_option(label="NAV-veileder")
    page.get_by_role("button", name="Show requirements").click()
    expect(page.get_by_role("heading", name="Requirements for NAV-veileder")).to_be_visible()
    page.get_by_label("Level needed now: Medarbeidersamtaler").select_option("3")
    page.get_by_label("Importance: Medarbeidersamtaler").select_option("critical")
    page.get_by_label("Level needed later: Medarbeidersamtaler").select_option("4")
    page.get_by_label("Needed by: Medarbeidersamtaler").fill("2027-06-30")
    assert_accessible(page, "requirements-matrix")
    page.get_by_role("button", name="Save requirements").click()
    expect(page.locator(".laera-messages")).to_contain_text("requirements are saved")
    requirement = Requirement.objects.get(competence=competence, job_role=world.job_role, unit=None)
    assert (requirement.level, requirement.importance, requirement.future_level) == (3, "critical", 4)
    profile_row = page.locator("section[aria-labelledby=profiles-heading] tbody tr").filter(
        has_text="NAV-veileder"
    )
    expect(profile_row.get_by_role("cell")).to_have_text(["(any unit)", "1", "1"])

    page.goto(f"{org}/catalogues/{catalogue.pk}/")
    page.get_by_role("link", name="Edit the scale").click()
    assert_accessible(page, "catalogue-scale")
    page.get_by_label("Step 2, Svenska").fill("Kan med handledning")
    page.get_by_label("Step 4 is the proficient step").check()
    page.get_by_role("button", name="Save the scale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lederskap")
    catalogue.refresh_from_db()
    assert catalogue.proficient_level == 4
    assert catalogue.levels.get(value=2).label_sv == "Kan med handledning"
    proficient = page.locator(".laera-scale__step--proficient")
    expect(proficient).to_contain_text("4")

    page.get_by_role("link", name="Medarbeidersamtaler").click()
    expect(page.get_by_role("cell", name="NAV-veileder")).to_be_visible()
    assert_accessible(page, "competence-detail")
    page.get_by_role("link", name="Edit", exact=True).click()
    assert_accessible(page, "competence-form")
    page.goto(f"{org}/catalogues/{catalogue.pk}/import/")
    assert_accessible(page, "catalogue-import")


def test_import_errors_are_listed_by_line(page: Page, site: tuple[str, World], tmp_path: Any) -> None:
    base, world = site
    catalogue = world.extra_objects["catalogue"]
    _sign_in(page, base, world, "admin")
    page.goto(f"{base}/o/{world.organisation.slug}/competences/catalogues/{catalogue.pk}/import/")
    bad = tmp_path / "katalog.csv"
    bad.write_text(
        "Område;Kompetanse;Kategori\nLovverk;Arbeidsrett;holdning\n;Uten område;\n", encoding="utf-8"
    )
    page.get_by_label("CSV or Excel file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_contain_text("2 problems in the file")
    expect(summary.get_by_role("row").nth(1)).to_contain_text("Unknown category holdning")
    expect(summary.get_by_role("row").nth(2)).to_contain_text("The area is missing.")
    assert_accessible(page, "catalogue-import-errors")
    assert not Competence.objects.filter(name="Arbeidsrett").exists()
    good = tmp_path / "god.csv"
    good.write_text("Område;Kompetanse;Kategori\nLovverk;Arbeidsrett;kunnskap\n", encoding="utf-8")
    page.get_by_label("CSV or Excel file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    # The import's own page (here tasks run as soon as they are queued, so it opens on the end).
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing competences")
    expect(page.locator("#job")).to_contain_text("1 competence added")
    assert_accessible(page, "catalogue-import-job")
    page.set_viewport_size(PHONE)
    assert_no_overflow(page)
    assert_accessible(page, "catalogue-import-job-phone")
    page.locator("#job").page.get_by_role("link", name=catalogue.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(catalogue.name)
    assert Competence.objects.filter(name="Arbeidsrett", catalogue=catalogue).exists()


def test_leader_reads_and_sets_requirements_on_a_phone(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    catalogue = world.extra_objects["catalogue"]
    page.set_viewport_size(PHONE)
    _sign_in(page, base, world, "leader")
    page.goto(f"{base}/o/{world.organisation.slug}/competences/catalogues/{catalogue.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kompetanse i NAV")
    assert_no_overflow(page)
    assert_accessible(page, "catalogue-detail-phone")
    page.get_by_role("link", name="Requirements", exact=True).first.click()
    page.get_by_label("Unit", exact=True).select_option(label="Oppfølging")
    page.get_by_role("button", name="Show requirements").click()
    page.get_by_label("Level needed now: Motiverende intervju").select_option("2")
    assert_no_overflow(page)
    assert_accessible(page, "requirements-matrix-phone")
    page.get_by_role("button", name="Save requirements").click()
    expect(page.locator(".laera-messages")).to_contain_text("requirements are saved")
    assert Requirement.objects.get(unit=world.team).level == 2
