"""Every inline editor driven by keyboard alone, as issue 10 item 16 asks: after each HTMX swap focus is
on what appeared (never on <body>), and the page's live region (#laera-status) says what happened.

Also: no focus stop on the self-assessment hides under the sticky "save all" bar, an empty import
submit shows an error summary with focus on it, and people are chosen with the person picker.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from laera.competences.models import Assessment
from laera.competences.services import catalogues
from laera.mapping.models import Arena, KnowledgeFlow
from laera.organisations import services as org_services
from laera.organisations.models import WorkingGroupMember
from laera.plans.models import Activity
from laera.testing.browser import PHONE, assert_accessible, assert_no_overflow, sign_in_as
from laera.testing.shared import transactional_world
from laera.testing.world import World

SLUG = "testby"

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body", text: "", id: ""};
  return {
    tag: el.tagName.toLowerCase(), id: el.id || "", name: el.getAttribute("name") || "",
    text: (el.textContent || "").replace(/\\s+/g, " ").trim(), connected: el.isConnected,
  };
}"""


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> tuple[str, World]:
    return str(live_server.url), transactional_world()


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": SLUG, **kwargs})


def _sign_in(page: Page, base: str, world: World, role: str) -> None:
    sign_in_as(page, base, world.people[role].email, language="en")


def _focused(page: Page) -> dict[str, Any]:
    """The focused element, once HTMX has finished any request and settled what it swapped in (laera.js
    moves focus when the swap has settled, a moment after the new content is visible)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
    return dict(page.evaluate(FOCUSED))


def _tab_to(page: Page, predicate: str, limit: int = 250) -> None:
    """Press Tab until the focused element satisfies the JavaScript `predicate` (given `el`)."""
    check = (
        "() => { const el = document.activeElement;"
        f" return !!el && el !== document.body && ({predicate}); }}"
    )
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check):
            return
    raise AssertionError(f"No focus stop matching {predicate!r} within {limit} presses of Tab")


def _status(page: Page) -> Any:
    return expect(page.locator("#laera-status"))


def _no_overflow_on_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    assert_no_overflow(page)


def test_status_region_is_on_every_page_and_empty_at_load(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    _sign_in(page, base, world, "leader")
    page.goto(f"{base}{_url('organisations:person_list')}")
    region = page.locator("#laera-status")
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_have_text("")
    expect(region).to_have_attribute("data-error-text", re.compile(r"not saved"))
    # A page load never moves focus by itself.
    assert _focused(page)["tag"] == "body"


def test_working_group_members_by_keyboard(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    _sign_in(page, base, world, "leader")
    page.goto(f"{base}{_url('organisations:working_group_detail', unit_id=world.team.pk)}")
    employee = world.people["employee"]
    _tab_to(page, "el.name === 'person__q'")
    page.keyboard.type(employee.full_name[:6])
    _status(page).to_have_text("1 person found")
    assert _focused(page)["name"] == "person__q"  # the matches do not take focus from the search box
    page.keyboard.press("ArrowDown")
    assert _focused(page)["text"] == employee.full_name
    page.keyboard.press("Enter")
    _status(page).to_have_text(f"{employee.full_name} is chosen.")
    expect(page.locator("#working-group-members input[type=hidden][name=person]")).to_have_value(
        str(employee.pk)
    )
    _tab_to(page, "el.textContent.includes('Add to working group')")
    page.keyboard.press("Enter")
    _status(page).to_have_text(f"{employee.full_name} is added to the working group.")
    focused = _focused(page)
    assert focused["text"] == f"{employee.full_name} is added to the working group.", focused
    assert WorkingGroupMember.objects.filter(group=world.group, person=employee).exists()
    assert_accessible(page, "keyboard-working-group-added")

    # The Remove button disappears with the row: focus goes to the message, not to <body>.
    _tab_to(page, f"el.textContent.trim() === 'Remove {employee.full_name}'")
    page.keyboard.press("Enter")
    _status(page).to_have_text(f"{employee.full_name} is removed from the working group.")
    assert _focused(page)["text"] == f"{employee.full_name} is removed from the working group."
    assert not WorkingGroupMember.objects.filter(group=world.group, person=employee).exists()

    # Adding nobody is refused with a message that takes focus and is announced.
    _tab_to(page, "el.textContent.includes('Add to working group')")
    page.keyboard.press("Enter")
    _status(page).to_have_text("Choose a person to add.")
    assert _focused(page)["text"] == "Choose a person to add."
    _no_overflow_on_phone(page)
    assert_accessible(page, "keyboard-working-group-phone")


def test_knowledge_flow_quick_entry_by_keyboard(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    _sign_in(page, base, world, "coordinator")
    page.goto(f"{base}{_url('mapping:unit_flows', unit_id=world.team.pk)}")
    _tab_to(page, "el.name === 'activity'")
    page.keyboard.press("Enter")  # nothing typed: the errors are summarised and announced
    _status(page).to_have_text("Please correct this")
    summary = page.locator("#flow-sections .ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("^Activity:"))).to_be_visible()

    _tab_to(page, "el.name === 'activity'")
    page.keyboard.type("Lunsj og lær")
    _tab_to(page, "el.name === 'transfer'")
    page.keyboard.press("ArrowDown")  # from transfer 1 to 3
    page.keyboard.press("ArrowDown")
    expect(page.locator("select[name=transfer]")).to_have_value("3")
    _tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Add'")
    page.keyboard.press("Enter")
    _status(page).to_have_text(re.compile(r"Added “Lunsj og lær” under transfer 3\."))
    assert _focused(page)["name"] == "activity"  # ready for the next line
    assert KnowledgeFlow.objects.filter(unit=world.team, activity="Lunsj og lær", transfer=3).exists()
    assert_accessible(page, "keyboard-flows-added")

    _tab_to(page, "el.textContent.replace(/\\s+/g, ' ').trim() === 'Delete Lunsj og lær'")
    page.keyboard.press("Enter")
    _status(page).to_have_text("The row is deleted.")
    assert _focused(page)["text"] == "The row is deleted."
    assert not KnowledgeFlow.objects.filter(activity="Lunsj og lær").exists()
    _no_overflow_on_phone(page)
    assert_accessible(page, "keyboard-flows-phone")


def test_people_search_keeps_focus_in_the_box_and_announces_the_count(
    page: Page, site: tuple[str, World]
) -> None:
    base, world = site
    _sign_in(page, base, world, "leader")
    page.goto(f"{base}{_url('organisations:person_list')}")
    _tab_to(page, "el.id === 'people-search'")
    page.keyboard.type("Ansatt")
    _status(page).to_have_text("1 person")
    assert _focused(page)["id"] == "people-search"
    page.keyboard.type("zzz")
    _status(page).to_have_text("No one matches.")
    assert _focused(page)["id"] == "people-search"
    assert_accessible(page, "keyboard-people-search")


def _add_competences(world: World, count: int) -> None:
    area = catalogues.area_create(
        actor=None, catalogue=world.extra_objects["catalogue"], name="Lov og regelverk"
    )
    for number in range(count):
        competence = catalogues.competence_create(
            actor=None,
            area=area,
            data=catalogues.CompetenceInput(
                name=f"Regelverk {number + 1}",
                category="knowledge",
                description="Lover og forskrifter i oppfølgingen.",
            ),
        )
        catalogues.requirement_set(
            actor=None, data=catalogues.RequirementInput(competence=competence, unit=world.team, level=2)
        )


def test_self_assessment_saves_by_keyboard_and_announces_it(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    _sign_in(page, base, world, "employee")
    round = world.extra_objects["round"]
    competence = world.extra_objects["competence"]
    page.goto(f"{base}{_url('competences:self_assessment', round_id=round.pk)}")
    _tab_to(page, f"el.name === 'c{competence.pk}-level'")
    page.keyboard.press("ArrowRight")  # from the saved step 2 to step 3
    _status(page).to_have_text(f"Saved: {competence.name}")
    # The answer saves itself: focus stays where the person is answering.
    focused = _focused(page)
    assert focused["name"] == f"c{competence.pk}-level", focused
    employee = world.people["employee"]
    assert Assessment.objects.get(round=round, person=employee, competence=competence).self_level == 3
    _tab_to(page, f"el.id === 'c{competence.pk}-wants_to_learn'")
    before = page.locator(f"#c{competence.pk}-wants_to_learn").is_checked()
    page.evaluate(
        """() => { window.laeraSeen = []; const region = document.getElementById('laera-status');
        new MutationObserver(() => window.laeraSeen.push(region.textContent))
          .observe(region, {childList: true, characterData: true, subtree: true}); }"""
    )
    with page.expect_response(lambda r: "/me/" in r.url and r.request.method == "POST"):
        page.keyboard.press("Space")
    expect(page.locator(f"#c{competence.pk}-wants_to_learn")).to_be_checked(checked=not before)
    # The same message again is announced again: the region is cleared and written anew.
    _status(page).to_have_text(f"Saved: {competence.name}")
    page.wait_for_function("() => window.laeraSeen.length >= 2")
    assert page.evaluate("window.laeraSeen") == ["", f"Saved: {competence.name}"]
    assert _focused(page)["id"] == f"c{competence.pk}-wants_to_learn"
    row = Assessment.objects.get(round=round, person=employee, competence=competence)
    assert row.wants_to_learn is (not before)
    assert_accessible(page, "keyboard-self-assessment")


COVERED = """(el) => {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return null;
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const hit = document.elementFromPoint(x, y);
  if (!hit) return "nothing at " + Math.round(x) + "," + Math.round(y);
  const labels = Array.from(el.labels || []);
  if (hit === el || el.contains(hit) || labels.some((label) => label.contains(hit))) return null;
  return (hit.closest(".laera-assess__submit") ? "the save bar" : hit.tagName) + " covers " +
    (el.id || el.getAttribute("name") || el.tagName) + " at y=" + Math.round(y);
}"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, PHONE], ids=["desktop", "phone"])
def test_no_focus_stop_hides_under_the_save_bar(page: Page, site: tuple[str, World], viewport: Any) -> None:
    base, world = site
    _add_competences(world, 8)
    _sign_in(page, base, world, "employee")
    page.set_viewport_size(viewport)
    round = world.extra_objects["round"]
    page.goto(f"{base}{_url('competences:self_assessment', round_id=round.pk)}")
    expect(page.locator(".laera-assess__submit")).to_be_visible()
    stops, covered = 0, []
    for _ in range(400):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("document.activeElement")
        if page.evaluate("(el) => el === document.body", handle):
            break
        if page.evaluate("(el) => !el.closest('main')", handle):
            continue  # the bar covers only the main content
        stops += 1
        problem = page.evaluate(COVERED, handle)
        if problem:
            covered.append(problem)
        if stops and page.evaluate("(el) => !!el.closest('.laera-section')", handle):
            break  # the "back" link after the form: every stop in the form has been checked
    assert covered == [], covered
    assert stops >= 9 * 4 + 1, stops  # per item: steps, box, comment, "what this means"; the button
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_leader_rating_by_keyboard(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    _sign_in(page, base, world, "leader")
    round = world.extra_objects["round"]
    competence = world.extra_objects["competence"]
    employee = world.people["employee"]
    page.goto(f"{base}{_url('competences:leader_rating', round_id=round.pk, person_id=employee.pk)}")
    _tab_to(page, f"el.name === 'c{competence.pk}-level'")
    page.keyboard.type("3")
    _status(page).to_have_text(f"Saved: {competence.name}")
    assert _focused(page)["name"] == f"c{competence.pk}-level"
    row = Assessment.objects.get(round=round, person=employee, competence=competence)
    assert row.leader_level == 3
    assert_accessible(page, "keyboard-leader-rating")


@pytest.mark.parametrize(
    "url_name", ["organisations:people_import", "mapping:arena_import", "competences:catalogue_import"]
)
def test_empty_import_shows_a_focused_error_summary(
    page: Page, site: tuple[str, World], url_name: str
) -> None:
    base, world = site
    _sign_in(page, base, world, "admin")
    kwargs = {"catalogue_id": world.extra_objects["catalogue"].pk} if "catalogue" in url_name else {}
    page.goto(f"{base}{_url(url_name, **kwargs)}")
    _tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Import'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please correct this")
    link = summary.get_by_role("link", name=re.compile(r"file: This field is required\.$", re.IGNORECASE))
    expect(link).to_have_count(1)
    # The link leads to the file field.
    target = link.get_attribute("href")
    assert target and page.locator(target).get_attribute("type") == "file"
    # Above the form: the summary comes before the first field.
    assert page.evaluate(
        "(t) => !!(document.querySelector('.ds-error-summary').compareDocumentPosition("
        "document.querySelector(t)) & Node.DOCUMENT_POSITION_FOLLOWING)",
        target,
    )
    assert_accessible(page, f"import-empty-{url_name.split(':')[1]}")
    _no_overflow_on_phone(page)


def test_empty_import_summary_in_norwegian(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    sign_in_as(page, base, world.people["admin"].email, language="nb")
    page.goto(f"{base}{_url('organisations:people_import')}")
    with page.expect_navigation():
        page.locator("form.laera-form button[type=submit]").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Rett opp dette")
    expect(summary.get_by_role("link")).to_contain_text("Fil: Feltet er påkrevet.")


def test_named_people_on_the_arena_form_by_keyboard(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    outsider = world.people["other_leader"]  # in Mottak, not in the arena's unit: still a person to name
    _sign_in(page, base, world, "leader")
    arena = world.extra_objects["arena"]
    page.goto(f"{base}{_url('mapping:arena_edit', arena_id=arena.pk)}")
    people = page.get_by_role("group", name="Named people")
    expect(people.get_by_role("checkbox")).to_have_count(0)  # no list of everyone
    _tab_to(page, "el.type === 'search' && el.closest('[data-picker]') !== null")
    page.keyboard.type("Mottaks")
    _status(page).to_have_text("1 person found")
    page.keyboard.press("Enter")  # searches; must not submit
    assert "/edit/" in page.url
    page.keyboard.press("ArrowDown")
    expect(people.get_by_role("button", name=outsider.full_name, exact=True)).to_be_focused()
    page.keyboard.press("Space")
    _status(page).to_have_text(f"{outsider.full_name} is chosen.")
    expect(people.get_by_role("button", name=f"Remove {outsider.full_name}")).to_be_visible()
    assert_accessible(page, "keyboard-arena-named-people")
    _no_overflow_on_phone(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    names = set(Arena.objects.get(pk=arena.pk).participant_people.values_list("full_name", flat=True))
    assert names == {outsider.full_name}


def test_plan_activity_editor_by_keyboard(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    plan = world.extra_objects["plan"]
    theme = world.extra_objects["theme"]
    outcome = world.extra_objects["outcome"]
    _sign_in(page, base, world, "coordinator")
    page.goto(f"{base}{_url('plans:plan_detail', plan_id=plan.pk)}")
    _tab_to(page, "el.tagName === 'A' && el.textContent.startsWith('Add activity')")
    page.keyboard.press("Enter")
    editor = page.locator(f"#editor-theme-{theme.pk}")
    expect(editor.locator("form")).to_be_visible()
    # Focus moves once HTMX has settled the swap, a moment after the form is visible.
    page.wait_for_function(
        f"() => document.getElementById('editor-theme-{theme.pk}').contains(document.activeElement)"
    )
    focused = _focused(page)
    assert focused["tag"] != "body" and "Add activity" not in focused["text"], focused
    assert page.evaluate(
        f"() => document.getElementById('editor-theme-{theme.pk}').contains(document.activeElement)"
    )
    # Named people: the person picker works in the editor HTMX swapped in, by keyboard alone.
    people = editor.get_by_role("group", name="Named people")
    expect(people.get_by_role("checkbox")).to_have_count(0)
    _tab_to(page, "el.name === 'participant_people__q'")
    page.keyboard.type("ansatt")
    _status(page).to_have_text("1 person found")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _status(page).to_have_text(f"{world.people['employee'].full_name} is chosen.")
    assert _focused(page)["name"] == "participant_people__q"
    assert_accessible(page, "keyboard-plan-activity-form")

    _tab_to(page, "el.name === 'place'")
    page.keyboard.type("Møterom Fjorden")
    _tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Save'")
    page.keyboard.press("Enter")
    expect(page.locator(f"#theme-{theme.pk}")).to_contain_text("Møterom Fjorden")
    page.wait_for_function(
        f"() => document.getElementById('theme-{theme.pk}').contains(document.activeElement)"
    )
    focused = _focused(page)
    assert focused["tag"] != "body" and focused.get("connected"), focused
    assert page.evaluate(
        f"() => document.getElementById('theme-{theme.pk}').contains(document.activeElement)"
    )
    _status(page).not_to_have_text("")
    activity = Activity.objects.get(outcome=outcome, place="Møterom Fjorden")
    assert list(activity.participant_people.all()) == [world.people["employee"]]
    _no_overflow_on_phone(page)


def test_a_failed_request_is_announced(page: Page, site: tuple[str, World]) -> None:
    base, world = site
    _sign_in(page, base, world, "leader")
    page.goto(f"{base}{_url('organisations:working_group_detail', unit_id=world.team.pk)}")
    # The member is removed elsewhere meanwhile: the button's request now fails with 404.
    member = WorkingGroupMember.objects.get(group=world.group, person=world.people["coordinator"])
    org_services.working_group_member_remove(actor=world.actor("admin"), member=member)
    _tab_to(page, f"el.textContent.trim() === 'Remove {world.people['coordinator'].full_name}'")
    page.keyboard.press("Enter")
    _status(page).to_have_text(re.compile(r"Something went wrong, and the change was not saved"))
