"""In Chromium: the heatmap's labels and the gap table's headings are whole in Norwegian and Danish on a
desktop and a phone; the competence start page shows "what is expected of me" to an employee, a leader and
a coordinator, with the gap analysis one click away for those who read it; the hidden-competence list names
a few people per competence with a "show all" drill-down. Each page with axe, a screenshot and the 375 px
overflow check."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.testing.browser import PHONE, assert_accessible, screenshot, sign_in_as

from .gap_world import GapWorld, law_below_required, more_required, transactional_gap_world

DESKTOP = {"width": 1280, "height": 900}

# Everything drawn inside the heatmap's SVG, and every heading cell of the gap tables, must be whole: the
# label boxes inside the drawing, no heading text wider than its cell.
CLIPPED = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll('.gap-heatmap svg')) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      const outside = r.top < box.top - 1 || r.left < box.left - 1;
      if (outside || r.right > box.right + 1 || r.bottom > box.bottom + 1) {
        problems.push('svg: ' + text.textContent.trim());
      }
    }
  }
  for (const th of document.querySelectorAll('.gap-table th, .gap-numbers th')) {
    if (th.scrollWidth > th.clientWidth + 1) problems.push('th: ' + th.textContent.trim());
  }
  for (const wrap of document.querySelectorAll('.laera-table-wrap')) {
    const style = getComputedStyle(wrap);
    if (wrap.scrollWidth > wrap.clientWidth + 1 && !['auto', 'scroll'].includes(style.overflowX)) {
      problems.push('wrap cuts: ' + (wrap.getAttribute('aria-labelledby') || ''));
    }
  }
  return problems;
}"""


# The headings of a table wider than its box, with their widths (empty when the table fits).
FITS = """w => w.scrollWidth <= w.clientWidth + 1 ? [] :
  [w.scrollWidth, w.clientWidth, ...[...w.querySelectorAll('thead th')].map(
    t => t.textContent.trim() + ':' + Math.round(t.getBoundingClientRect().width))]"""


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> tuple[str, GapWorld]:
    gaps = transactional_gap_world()
    _long_critical_competence(gaps)
    return str(live_server.url), gaps


def _long_critical_competence(gaps: GapWorld) -> None:
    """A critical competence with a long name, rated by Oppfølging, and more people above the
    requirement than the list names at first."""
    from laera.competences.models import Importance
    from laera.competences.services import catalogues, rounds

    from .gap_world import _rate

    world = gaps.world
    long = catalogues.competence_create(
        actor=None,
        area=world.extra_objects["area"],
        data=catalogues.CompetenceInput(name="Vurdering av bistandsbehov og arbeidsevne", category="skills"),
    )
    catalogues.requirement_set(
        actor=None,
        data=catalogues.RequirementInput(
            competence=long, job_role=world.job_role, level=2, importance=Importance.CRITICAL
        ),
    )
    rounds.participants_sync(gaps.round)
    for key in ("leader", "coordinator", "employee", "e1", "e2", "e3", "e4", "e5"):
        _rate(gaps.round, gaps.people[key], long, 4 if key != "e3" else 1)


def _sign_in(page: Page, base: str, gaps: GapWorld, role: str, code: str = "en") -> None:
    sign_in_as(page, base, gaps.world.people[role].user.email, language=code)


def _no_overflow(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("code", ["nb", "da"])
def test_heatmap_labels_and_table_headings_are_whole(
    page: Page, site: tuple[str, GapWorld], code: str
) -> None:
    base, gaps = site
    _sign_in(page, base, gaps, "admin", code)
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        page.goto(f"{base}{gaps.url('gap_overview')}")
        expect(page.locator(".gap-heatmap svg").first).to_be_visible()
        heads = page.locator(".gap-heatmap svg text[font-weight='700'][transform]")
        long = heads.filter(has_text="Vurdering av bistandsbehov og arbeidsevne")
        expect(long).to_have_count(1)
        expect(long.locator("title")).to_have_text("Vurdering av bistandsbehov og arbeidsevne")
        assert page.evaluate(CLIPPED) == []
        if size is DESKTOP:
            wrap = page.locator(".laera-table-wrap:has(table.gap-table)")
            assert wrap.evaluate(FITS) == []
        _no_overflow(page)
        assert_accessible(page, f"gaps-labels-{code}-{name}")
        page.goto(f"{base}{gaps.url('unit_gaps', unit_id=gaps.world.team.pk)}")
        assert page.evaluate(CLIPPED) == []
        if size is DESKTOP:
            # On a desktop the whole gap report fits: no heading or button is left past the right edge.
            wrap = page.locator(".laera-table-wrap:has(table.gap-table)")
            assert wrap.evaluate(FITS) == []
        _no_overflow(page)
        assert_accessible(page, f"gaps-unit-labels-{code}-{name}")


def test_every_competence_expected_opens_as_a_table_that_fits_a_phone(
    page: Page, site: tuple[str, GapWorld]
) -> None:
    base, gaps = site
    more_required(gaps, 8)
    _sign_in(page, base, gaps, "employee")
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        page.goto(f"{base}{gaps.url('home')}")
        expected = page.get_by_role("region", name="What is expected of me")
        expect(expected.get_by_role("listitem")).to_have_count(6)
        table = expected.get_by_role("table")
        expect(table).to_be_hidden()
        summary = expected.locator("summary")
        expect(summary).to_have_text(re.compile(r"Show all \(\d+\)"))
        count = int(re.findall(r"\d+", summary.inner_text())[0])
        summary.click()
        expect(table).to_be_visible()
        expect(table.locator("tbody tr")).to_have_count(count)
        expect(table.get_by_role("rowheader", name="Ekstra kompetanse 07")).to_contain_text("Not rated yet")
        _no_overflow(page)
        assert_accessible(page, f"competence-home-all-expected-{name}")
        screenshot(page, f"competence-home-all-expected-{name}")


@pytest.mark.parametrize("role", ["employee", "leader", "coordinator"])
def test_what_is_expected_of_me_on_the_start_page(page: Page, site: tuple[str, GapWorld], role: str) -> None:
    base, gaps = site
    _sign_in(page, base, gaps, role)
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        page.goto(f"{base}{gaps.url('home')}")
        expected = page.get_by_role("region", name="What is expected of me")
        expect(expected).to_be_visible()
        card = expected.get_by_role("listitem").filter(has_text="Vurdering av bistandsbehov").first
        expect(card).to_contain_text("Critical")
        expect(card).to_contain_text("Your rating")
        # The own rating is in view on a phone: within the viewport's width.
        own = card.locator("dd").nth(1)
        box = own.bounding_box()
        assert box is not None and box["x"] + box["width"] <= (page.viewport_size or PHONE)["width"]
        gap_link = page.get_by_role("link", name="Competence gaps in your units")
        if role == "employee":
            expect(gap_link).to_have_count(0)
        else:
            expect(gap_link).to_be_visible()
        _no_overflow(page)
        assert_accessible(page, f"competence-home-{role}-{name}")
    if role != "employee":
        page.get_by_role("link", name="Competence gaps in your units").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Competence gaps")


def test_who_could_teach_names_the_people_of_one_competence_on_request(
    page: Page, site: tuple[str, GapWorld]
) -> None:
    base, gaps = site
    _sign_in(page, base, gaps, "leader")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}{gaps.url('gap_overview')}")
    hidden = page.locator("#hidden-heading").locator("xpath=..")
    items = hidden.locator(".gap-hidden > li")
    # Both critical; Motiverende intervju has the larger gap (4 below, against 1), so it comes first.
    expect(items.nth(0)).to_contain_text("Motiverende intervju")
    second = items.nth(1)
    expect(second).to_contain_text("Vurdering av bistandsbehov")
    expect(hidden.locator(".gap-names")).to_have_count(0)  # no names until asked
    second.get_by_role("link", name=re.compile(r"Who\?")).click()
    who = page.locator(".gap-who")
    expect(who.get_by_role("heading")).to_contain_text("Vurdering av bistandsbehov")
    expect(who.locator(".gap-names > li")).to_have_count(7)
    _no_overflow(page)
    assert_accessible(page, "gaps-who-phone")
    screenshot(page, "gaps-who-phone")


def test_a_large_profile_is_read_one_area_at_a_time(
    page: Page, site: tuple[str, GapWorld], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond a screenful of competences, a person's profile opens at the first area with a gap, and the
    leader moves to another area by its link — on a desktop and a phone."""
    from laera.competences.selectors import catalogues as catalogue_selectors

    base, gaps = site
    monkeypatch.setattr(catalogue_selectors, "COMPETENCES_AT_ONCE", 1)
    employee = gaps.world.people["employee"]
    law_below_required(gaps)
    _sign_in(page, base, gaps, "leader")
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        page.goto(f"{base}{gaps.url('person_profile', person_id=employee.pk)}")
        areas = page.get_by_role("navigation", name="One competence area at a time")
        expect(areas.locator("[aria-current=page]")).to_have_text("Lover")
        table = page.locator(f"#round-{gaps.round.pk}").locator("xpath=..").get_by_role("table")
        expect(table).to_contain_text("Forvaltningsloven")
        expect(table).not_to_contain_text("Motiverende intervju")
        _no_overflow(page)
        assert_accessible(page, f"profile-one-area-{name}")
        screenshot(page, f"profile-one-area-{name}")
        areas.get_by_role("link", name=gaps.competence.area.name).click()
        expect(areas.locator("[aria-current=page]")).to_have_text(gaps.competence.area.name)
        expect(table).to_contain_text("Motiverende intervju")
        expect(table).not_to_contain_text("Forvaltningsloven")
