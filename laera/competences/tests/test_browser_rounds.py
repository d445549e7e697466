"""The mapping round pages in Chromium: the self-assessment on a phone, the leader's rating, the progress,
qualifications — each with the accessibility check."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laera.competences.models import Assessment, MappingRound, Qualification, RoundParticipant
from laera.competences.services import catalogues
from laera.organisations.models import Person
from laera.testing.browser import PHONE, assert_accessible, assert_no_overflow, screenshot, sign_in_as
from laera.testing.demo import load_demo_data
from laera.testing.shared import transactional_world
from laera.testing.world import World

from .gap_world import GapWorld, transactional_gap_world
from .round_tree import TreeRound, person_in, tree_round


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> tuple[str, World]:
    world = transactional_world()
    area = catalogues.area_create(
        actor=None, catalogue=world.extra_objects["catalogue"], name="Lov og regelverk"
    )
    second = catalogues.competence_create(
        actor=None,
        area=area,
        data=catalogues.CompetenceInput(
            name="Arbeidsrett",
            category="knowledge",
            description="Arbeidsmiljøloven og folketrygdloven i oppfølgingen av sykmeldte.",
        ),
    )
    catalogues.requirement_set(
        actor=None, data=catalogues.RequirementInput(competence=second, unit=world.team, level=2)
    )
    world.extra_objects["second"] = second
    return str(live_server.url), world


def _sign_in(page: Page, base: str, world: World, role: str) -> None:
    sign_in_as(page, base, world.people[role].email, language="en")


def test_employee_answers_on_a_phone_and_it_saves_as_they_go(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    page.set_viewport_size(PHONE)
    _sign_in(page, base, world, "coordinator")
    page.goto(f"{base}/o/testby/competences/")
    assert_accessible(page, "competences-home-phone")
    page.get_by_role("link", name=re.compile("Answer now")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kartlegging våren 2026")
    expect(page.locator("#assess-progress")).to_contain_text("You have answered 0 of 2 competences")
    assert_no_overflow(page)
    assert_accessible(page, "self-assessment-phone")

    competence = world.extra_objects["competence"]
    second = world.extra_objects["second"]
    person = world.people["coordinator"]
    first_item = page.locator(f"#c{competence.pk}")
    first_item.get_by_text("Can do it independently").click()
    expect(page.locator(f"#c{competence.pk}-status")).to_contain_text("Saved")
    expect(page.locator("#assess-progress")).to_contain_text("You have answered 1 of 2 competences")
    assert Assessment.objects.get(person=person, competence=competence).self_level == 3

    second_item = page.locator(f"#c{second.pk}")
    second_item.locator("summary").click()
    expect(second_item).to_contain_text("Arbeidsmiljøloven")
    second_item.get_by_text("Can do it with support").click()
    expect(page.locator("#assess-progress")).to_contain_text("You have answered 2 of 2 competences")
    saves = f"/me/{second.pk}/"
    with page.expect_response(lambda r: saves in r.url):
        second_item.get_by_label("I want to learn this").check()
    # The comment saves by itself shortly after typing stops.
    with page.expect_response(lambda r: saves in r.url):
        second_item.get_by_label("Comment").press_sequentially("Vil lære mer", delay=20)
    expect(page.locator(f"#c{second.pk}-status")).to_contain_text("Saved")
    row = Assessment.objects.get(person=person, competence=second)
    assert (row.self_level, row.wants_to_learn, row.self_comment) == (2, True, "Vil lære mer")
    assert RoundParticipant.objects.get(round=world.extra_objects["round"], person=person).submitted_at
    assert_no_overflow(page)
    assert_accessible(page, "self-assessment-phone-answered")


def test_leader_follows_progress_and_rates_side_by_side(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    _sign_in(page, base, world, "leader")
    round = world.extra_objects["round"]
    page.goto(f"{base}/o/testby/competences/rounds/{round.pk}/")
    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    expect(page.locator("main")).to_contain_text("0 of 3 people have answered")
    expect(page.locator("main")).to_contain_text("In progress (1 of 2 competences)")
    assert_accessible(page, "round-progress")
    employee = world.people["employee"]
    page.get_by_role("link", name=f"Rate {employee.full_name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(employee.full_name)
    assert_accessible(page, "leader-rating")
    competence = world.extra_objects["competence"]
    item = page.locator(f"#c{competence.pk}")
    expect(item).to_contain_text(f"{employee.full_name}'s rating:")
    item.get_by_label("Leader's rating").select_option("3")
    expect(page.locator(f"#c{competence.pk}-status")).to_contain_text("Saved")
    # Wait for the agreed level's own save: the progress line below already counts the leader's rating.
    with page.expect_response(lambda r: r.request.method == "POST" and f"/{competence.pk}/" in r.url):
        item.get_by_label("Agreed level").select_option("3")
    expect(page.locator(f"#c{competence.pk}-status")).to_contain_text("Saved")
    expect(page.locator("#assess-progress")).to_contain_text("You have rated 1 of 2 competences")
    row = Assessment.objects.get(round=round, person=employee, competence=competence)
    assert (row.self_level, row.leader_level, row.agreed_level) == (2, 3, 3)
    page.get_by_role("button", name="Mark my rating as done").click()
    expect(page.locator("main")).to_contain_text("marked as done")
    assert RoundParticipant.objects.get(round=round, person=employee).leader_done_at is not None
    page.set_viewport_size(PHONE)
    assert_no_overflow(page)
    assert_accessible(page, "round-progress-phone")


def test_leader_starts_a_round_and_keeps_track_of_qualifications(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    _sign_in(page, base, world, "leader")
    page.goto(f"{base}/o/testby/competences/rounds/new/")
    assert_accessible(page, "round-form")
    page.get_by_label(re.compile(r"^Name")).fill("Høsten 2026")
    page.get_by_label("Oppfølging").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Høsten 2026")
    page.goto(f"{base}/o/testby/competences/rounds/")
    assert_accessible(page, "round-list")
    page.goto(f"{base}/o/testby/competences/qualifications/")
    expect(page.locator("main")).to_contain_text("Førstehjelpskurs")
    assert_accessible(page, "qualification-list")
    employee = world.people["employee"].full_name
    form = page.locator("#add-for-form")
    form.get_by_label("Search by name").fill(employee.split()[0][:4].lower())
    form.get_by_role("button", name="Search").click()
    expect(page.get_by_role("list", name="People found")).to_contain_text(employee)
    assert_accessible(page, "qualification-list-found")
    page.set_viewport_size(PHONE)
    assert_no_overflow(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("list", name="People found").get_by_role("link", name=employee).click()
    assert_accessible(page, "qualification-form")
    page.get_by_label(re.compile(r"^Name")).fill("Kurs i arbeidsrett")
    page.get_by_label("Expires").fill("2027-01-31")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Kurs i arbeidsrett")
    assert Qualification.objects.get(name="Kurs i arbeidsrett").person == world.people["employee"]


@pytest.fixture
def tree_site(transactional_db: Any, live_server: Any) -> tuple[str, World, TreeRound]:
    world = transactional_world()
    tree = tree_round(world)
    # Enough people in Team nord for two pages of them.
    for i in range(30):
        person = person_in(world, f"Ansatt nord {i:02}", [tree.north])
        RoundParticipant.objects.create(organisation=world.organisation, round=tree.round, person=person)
    return str(live_server.url), world, tree


def test_admin_drills_down_the_progress_and_searches_it(
    page: Page, tree_site: tuple[str, World, TreeRound]
) -> None:
    base, world, tree = tree_site
    _sign_in(page, base, world, "admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}{tree.address(world)}")
    section = page.locator("section", has=page.get_by_role("heading", name="Progress"))
    expect(section).to_contain_text("1 of 38 people have answered")
    units = page.get_by_role("group", name="Your units")
    units.get_by_role("link", name="NAV Testby kontor").click()
    units = page.get_by_role("group", name="Units in NAV Testby kontor")
    expect(units.get_by_role("row")).to_have_count(3)
    units.get_by_role("link", name="Oppfølging").click()
    units = page.get_by_role("group", name="Units in Oppfølging")
    expect(units.get_by_role("row", name=re.compile("Team nord"))).to_contain_text("32")
    expect(units.get_by_role("row", name=re.compile("People directly in Oppfølging"))).to_be_visible()
    crumbs = page.get_by_role("navigation", name="You are here")
    expect(crumbs.locator("[aria-current=page]")).to_have_text("Oppfølging")
    people = page.get_by_role("group", name="Participants")
    expect(people.get_by_role("row")).to_have_count(26)
    expect(page.locator("main")).to_contain_text("Page 1 of 2")
    page.get_by_role("link", name="Next").click()
    expect(people.get_by_role("row")).to_have_count(12)
    assert f"unit={world.team.pk}" in page.url and "page=2" in page.url
    screenshot(page, "round_progress_1280")
    assert_accessible(page, "round-progress-units")

    # Search by name in the unit, then filter by state: the form keeps the unit.
    page.get_by_label("Search by name").fill("begge")
    page.get_by_role("button", name="Search").click()
    expect(people.get_by_role("row")).to_have_count(2)
    expect(people).to_contain_text("Per Begge")
    expect(page.locator("main")).to_contain_text("1 person")
    page.get_by_label("Search by name").fill("")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Search").click()
    expect(people.get_by_role("row")).to_have_count(2)
    expect(people).to_contain_text("In progress (1 of 2 competences)")
    assert f"unit={world.team.pk}" in page.url and "state=in_progress" in page.url
    page.get_by_label("Search by name").fill("nobody at all")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("No one matches.")

    # Back up by the breadcrumb.
    crumbs.get_by_role("link", name="NAV Testby kontor").click()
    expect(page.get_by_role("group", name="Units in NAV Testby kontor")).to_be_visible()
    page.set_viewport_size(PHONE)
    page.goto(f"{base}{tree.address(world, f'?unit={world.team.pk}')}")
    screenshot(page, "round_progress_375")
    assert_no_overflow(page)
    assert_accessible(page, "round-progress-units-phone")


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    load_demo_data()
    return str(live_server.url)


def test_demo_employee_completes_the_open_round_on_a_phone(page: Page, demo: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in_as(page, demo, "ansatt@demo.laera.no")
    round = MappingRound.objects.get(organisation__slug="nav-royken", closed_at__isnull=True)
    person = Person.objects.get(organisation__slug="nav-royken", email="ansatt@demo.laera.no")
    page.goto(f"{demo}/o/nav-royken/competences/rounds/{round.pk}/me/")
    items = page.locator("fieldset.laera-assess__item")
    total = items.count()
    assert total > 0
    for index in range(total):
        item = items.nth(index)
        if item.locator("input[type=radio]:checked").count():
            continue
        with page.expect_response(lambda r: "/me/" in r.url and r.request.method == "POST"):
            item.locator("label.laera-assess__step").nth(2).click()
    expect(page.locator("#assess-progress")).to_contain_text(re.compile(rf"\b{total}\D+{total}\b"))
    rated = Assessment.objects.filter(round=round, person=person, self_level__isnull=False).count()
    assert rated == total
    assert RoundParticipant.objects.get(round=round, person=person).submitted_at is not None
    assert_no_overflow(page)
    assert_accessible(page, "self-assessment-demo-phone")


@pytest.fixture
def gap_site(transactional_db: Any, live_server: Any) -> tuple[str, GapWorld]:
    return str(live_server.url), transactional_gap_world()


def test_leader_rating_page_speaks_about_the_person_and_whoever_rated(
    page: Page, gap_site: tuple[str, GapWorld]
) -> None:
    base, gaps = gap_site
    # An admin leads every unit: a second leader of someone the team's leader has already rated.
    _sign_in(page, base, gaps.world, "admin")
    employee, leader = gaps.people["employee"], gaps.people["leader"]
    page.goto(f"{base}{gaps.url('leader_rating', round_id=gaps.round.pk, person_id=employee.pk)}")
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rating of {employee.full_name}")
    expect(page.locator("h1 [lang=nb]")).to_have_text(employee.full_name)
    expect(page.locator("#assess-progress")).to_contain_text("You have rated 0 of 2 competences")
    expect(main).to_contain_text(f"{employee.full_name} answered on")
    item = page.locator(f"#c{gaps.competence.pk}")
    expect(item).to_contain_text(f"{employee.full_name}'s rating:")
    expect(item).to_contain_text(f"Rated by {leader.full_name} on")
    expect(item.get_by_label("Leader's rating")).to_have_value("3")
    for phrase in ("Your rating", "Their own rating", "They have rated"):
        expect(main).not_to_contain_text(phrase)
    assert_accessible(page, "leader-rating-second-leader")
    page.set_viewport_size(PHONE)
    assert_no_overflow(page)
    assert_accessible(page, "leader-rating-second-leader-phone")


def test_a_large_catalogue_is_answered_and_given_requirements_one_area_at_a_time(
    page: Page, site: tuple[str, World], monkeypatch: Any
) -> None:
    """With more competences than a page shows at once, the employee answers one area, moves on to the
    next by its link, and the admin sets the requirements of one area at a time — on a phone too."""
    from laera.competences.selectors import catalogues as catalogue_selectors
    from laera.competences.selectors import rounds as round_selectors

    monkeypatch.setattr(round_selectors, "COMPETENCES_AT_ONCE", 1)
    monkeypatch.setattr(catalogue_selectors, "COMPETENCES_AT_ONCE", 1)
    base, world = site
    competence, second = world.extra_objects["competence"], world.extra_objects["second"]
    page.set_viewport_size(PHONE)
    _sign_in(page, base, world, "coordinator")
    page.goto(f"{base}/o/testby/competences/rounds/{world.extra['round_id']}/me/")
    areas = page.get_by_role("navigation", name="One competence area at a time")
    expect(areas).to_contain_text("Lov og regelverk")
    expect(page.locator(f"#c{second.pk}")).to_have_count(0)
    page.locator(f"#c{competence.pk}").get_by_text("Can do it independently").click()
    expect(page.locator("#assess-progress")).to_contain_text("You have answered 1 of 2 competences")
    assert_no_overflow(page)
    assert_accessible(page, "self-assessment-one-area-phone")
    screenshot(page, "self_assessment_area_375")
    areas.get_by_role("link", name="Lov og regelverk").click()
    expect(page.locator(f"#c{second.pk}")).to_be_visible()
    page.locator(f"#c{second.pk}").get_by_text("Can do it with support").click()
    expect(page.locator("#assess-progress")).to_contain_text("You have answered 2 of 2 competences")
    assert Assessment.objects.get(person=world.people["coordinator"], competence=second).self_level == 2

    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()
    _sign_in(page, base, world, "admin")
    catalogue = world.extra_objects["catalogue"]
    page.goto(
        f"{base}/o/testby/competences/catalogues/{catalogue.pk}/requirements/?job_role={world.job_role.pk}"
    )
    areas = page.get_by_role("navigation", name="One competence area at a time")
    expect(page.locator(f"#id_level_{competence.pk}")).to_be_visible()
    expect(page.locator(f"#id_level_{second.pk}")).to_have_count(0)
    assert_accessible(page, "requirements-one-area")
    screenshot(page, "requirements_area_1280")
    areas.get_by_role("link", name="Lov og regelverk").click()
    page.locator(f"#id_level_{second.pk}").select_option("2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The requirements are saved (1 changed).")).to_be_visible()
    expect(page.locator(f"#id_level_{second.pk}")).to_have_value("2")
