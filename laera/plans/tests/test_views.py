"""The plan pages as each role, editing in place, conflicts, publishing with findings, query counts."""

from __future__ import annotations

import datetime
import html
import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laera.plans import services
from laera.plans.models import Activity, Outcome, Plan, PlanComment, PlanStatus, Theme, TimeKind

pytestmark = pytest.mark.django_db
ROLES = ["admin", "leader", "coordinator", "employee", "external"]
D = datetime.date


def url(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"plans:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


def _english(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


EDITORS = {"admin", "leader", "coordinator"}
PAGES = {
    "plan_list": ({}, {"admin", "leader", "coordinator", "employee"}),
    "plan_create": ({}, EDITORS),
    "plan_detail": ({"plan_id": "plan"}, EDITORS),  # a draft: only those who edit it see it
    "plan_edit": ({"plan_id": "plan"}, EDITORS),
    "theme_create": ({"plan_id": "plan"}, EDITORS),
    "theme_edit": ({"theme_id": "theme"}, EDITORS),
    "outcome_create": ({"theme_id": "theme"}, EDITORS),
    "outcome_edit": ({"outcome_id": "outcome"}, EDITORS),
    "activity_create": ({"outcome_id": "outcome"}, EDITORS),
    "activity_edit": ({"activity_id": "activity"}, EDITORS),
}


def _kwargs(world: Any, spec: dict[str, str]) -> dict[str, int]:
    return {key: world.extra_objects[value].pk for key, value in spec.items()}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(page: str, role: str, world: Any, client_for: Any) -> None:
    spec, allowed = PAGES[page]
    status = client_for(role).get(url(world, page, **_kwargs(world, spec))).status_code
    if role in allowed:
        assert status == 200, (page, role)
    else:
        # Readers cannot see a draft at all (404); the list and "new" pages refuse with 403.
        assert status in (403, 404), (page, role, status)


def test_published_plan_is_readable_by_everyone_in_the_organisation(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    services.plan_set_status(actor=world.actor("leader"), plan=plan, status=PlanStatus.PUBLISHED)
    for role in ("employee", "other_leader"):
        response = client_for(role).get(url(world, "plan_detail", plan_id=plan.pk))
        assert response.status_code == 200
        assert "NAV-veiledere skal kjenne til grunnleggende forskning om SE" in response.content.decode()
    assert client_for("external").get(url(world, "plan_detail", plan_id=plan.pk)).status_code == 404


def test_coordinator_creates_a_plan(world: Any, client_for: Any) -> None:
    response = client_for("coordinator").post(
        url(world, "plan_create"),
        {
            "unit": world.team.pk,
            "name": "Høsten 2026",
            "period_start": "2026-08-01",
            "period_end": "2026-12-31",
            "evaluation_on": "2026-12-10",
            "language": "nn",
            "introduction": "Plan for hausten.",
        },
    )
    plan = Plan.objects.get(name="Høsten 2026")
    assert response["Location"] == plan.get_absolute_url()
    assert plan.language == "nn" and plan.status == PlanStatus.DRAFT


def test_plan_form_errors(world: Any, client_for: Any) -> None:
    client = _english(client_for("coordinator"))
    response = client.post(
        url(world, "plan_create"),
        {
            "unit": world.team.pk,
            "name": "",
            "period_start": "2026-08-01",
            "period_end": "2026-01-01",
            "language": "nb",
        },
    )
    content = response.content.decode()
    assert "This field is required." in content and "The period ends before it starts." in content


def test_edit_in_place_with_htmx(world: Any, client_for: Any) -> None:
    client = client_for("coordinator")
    theme = world.extra_objects["theme"]
    form = client.get(url(world, "theme_edit", theme_id=theme.pk), HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and "<html" not in form.content.decode()
    saved = client.post(
        url(world, "theme_edit", theme_id=theme.pk),
        {"title": "Supported Employment (SE)", "description": "", "why": "Forslag", "version": theme.version},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and f'id="theme-{theme.pk}"' in saved.content.decode()
    assert "Supported Employment (SE)" in saved.content.decode()
    outcome = client.post(
        url(world, "outcome_create", theme_id=theme.pk),
        {"category": "skills", "text": "NAV-veiledere kan anvende SE-metodikken"},
        HTTP_HX_REQUEST="true",
    )
    assert "kan anvende SE-metodikken" in outcome.content.decode()
    new = Outcome.objects.get(text="NAV-veiledere kan anvende SE-metodikken")
    response = client.post(
        url(world, "activity_create", outcome_id=new.pk),
        {
            "place": "Brukermøtet",
            "method_detail": "Relasjonsarbeid",
            "participants_text": "Brukere og medarbeidere",
            "time_kind": "continuous",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Brukermøtet" in response.content.decode()
    assert Activity.objects.filter(outcome=new).count() == 1


def test_htmx_form_error_goes_to_the_editor_slot(world: Any, client_for: Any) -> None:
    theme = world.extra_objects["theme"]
    response = client_for("coordinator").post(
        url(world, "outcome_create", theme_id=theme.pk),
        {"category": "skills", "text": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == f"#editor-theme-{theme.pk}"
    assert "ds-validation-message" in response.content.decode()


def test_second_editor_gets_a_conflict_not_an_overwrite(world: Any, client_for: Any) -> None:
    activity = world.extra_objects["activity"]
    stale = activity.version
    services.activity_update(
        actor=world.actor("leader"),
        activity=activity,
        version=stale,
        data=services.ActivityInput(
            time_kind=TimeKind.DATES, dates=[D(2026, 4, 23)], time_text="23. april", participants_all=True
        ),
    )
    client = _english(client_for("coordinator"))
    response = client.post(
        url(world, "activity_edit", activity_id=activity.pk),
        {"time_kind": "dates", "dates": "2026-04-22", "time_text": "22. april", "version": stale},
    )
    content = response.content.decode()
    assert "Someone else saved this activity" in content and "23. april" in content
    activity.refresh_from_db()
    assert activity.time_text == "23. april"


def test_publishing_with_findings_needs_confirmation(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]  # no evaluation time: the plan check has findings
    client = _english(client_for("leader"))
    response = client.post(url(world, "plan_status", plan_id=plan.pk), {"status": "published"})
    assert response.status_code == 200 and "Publish anyway" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    client.post(url(world, "plan_status", plan_id=plan.pk), {"status": "published", "confirm": "1"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED


def test_coordinator_cannot_publish(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    client_for("coordinator").post(
        url(world, "plan_status", plan_id=plan.pk), {"status": "published", "confirm": "1"}
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_comments_in_consultation(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    services.plan_send_for_comments(
        actor=world.actor("coordinator"),
        plan=plan,
        until=timezone.localdate() + datetime.timedelta(days=7),
        version=plan.version,
    )
    client = client_for("employee")
    assert "Your comment" in _english(client).get(url(world, "plan_detail", plan_id=plan.pk)).content.decode()
    client.post(url(world, "plan_comment", plan_id=plan.pk), {"text": "Kan SE-temaet åpnes for mottak?"})
    assert PlanComment.objects.get(plan=plan).author == world.people["employee"]


def test_plan_check_is_shown_to_editors(world: Any, client_for: Any) -> None:
    content = (
        _english(client_for("coordinator"))
        .get(url(world, "plan_detail", plan_id=world.extra_objects["plan"].pk))
        .content.decode()
    )
    assert "Plan check" in content and "The plan has no evaluation time." in content


def _grow(world: Any, plan: Plan, themes: int) -> None:
    for t in range(themes):
        theme = services.theme_create(actor=None, plan=plan, title=f"Tema {t}", why="x")
        for o in range(3):
            outcome = services.outcome_create(
                actor=None, theme=theme, text=f"Utbytte {t}.{o}", category="knowledge"
            )
            for _a in range(2):
                services.activity_create(
                    actor=None,
                    outcome=outcome,
                    data=services.ActivityInput(
                        arena=world.extra_objects["arena"],
                        method=world.extra_objects["method"],
                        responsible=world.people["leader"],
                        participant_units=[world.team],
                        participant_job_roles=[world.job_role],
                        participant_people=[world.people["employee"]],
                        time_kind=TimeKind.DATES,
                        dates=[D(2026, 3, 1)],
                    ),
                )


def test_query_count_does_not_grow_with_the_plan(world: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = world.extra_objects["plan"]
    client = client_for("coordinator")
    target = url(world, "plan_detail", plan_id=plan.pk)
    client.get(target)
    with CaptureQueriesContext(connection) as small:
        assert client.get(target).status_code == 200
    _grow(world, plan, 5)
    assert Theme.objects.filter(plan=plan).count() == 6
    with CaptureQueriesContext(connection) as large:
        assert client.get(target).status_code == 200
    assert len(large) == len(small), [q["sql"][:150] for q in large.captured_queries]


def _openings(content: str) -> dict[str, str]:
    found = re.search(r'data-nkr-openings="([^"]*)"', content)
    assert found, "the depth select carries no openings"
    return dict(json.loads(html.unescape(found.group(1))))


@pytest.mark.parametrize("htmx", [False, True])
def test_outcome_editor_carries_the_openings_in_the_plans_language(
    htmx: bool, world: Any, client_for: Any
) -> None:
    theme = world.extra_objects["theme"]
    client = client_for("coordinator")
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    content = client.get(url(world, "outcome_create", theme_id=theme.pk), **headers).content.decode()
    assert _openings(content)["apply"] == "kan anvende"
    assert 'data-nkr-text="text"' in content and "hx-get" not in content
    if not htmx:  # the page loads the script itself; in place, the plan page has loaded it
        assert "plans/outcomes.js" in content
    plan = world.extra_objects["plan"]
    plan.language = "sv"
    plan.save()
    content = client.get(url(world, "outcome_create", theme_id=theme.pk), **headers).content.decode()
    assert _openings(content)["apply"] == "kan tillämpa"


def test_outcome_saved_with_a_depth_and_no_verb_gets_the_opening(world: Any, client_for: Any) -> None:
    theme = world.extra_objects["theme"]
    client = client_for("coordinator")
    client.post(
        url(world, "outcome_create", theme_id=theme.pk),
        {"category": "skills", "verb": "apply", "text": "MI i oppfølgingssamtaler"},
    )
    assert Outcome.objects.filter(theme=theme, text="kan anvende MI i oppfølgingssamtaler").exists()
    client.post(
        url(world, "outcome_create", theme_id=theme.pk),
        {"category": "skills", "verb": "apply", "text": "Veilederne kan anvende SE-metodikken"},
    )
    assert Outcome.objects.filter(theme=theme, text="Veilederne kan anvende SE-metodikken").exists()


def test_the_plan_page_loads_the_outcome_script_for_editors_only(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    assert (
        "plans/outcomes.js"
        in client_for("coordinator").get(url(world, "plan_detail", plan_id=plan.pk)).content.decode()
    )
    plan.status = PlanStatus.PUBLISHED
    plan.save()
    assert (
        "plans/outcomes.js"
        not in client_for("employee").get(url(world, "plan_detail", plan_id=plan.pk)).content.decode()
    )


def test_depth_must_belong_to_the_category(world: Any, client_for: Any) -> None:
    theme = world.extra_objects["theme"]
    response = _english(client_for("coordinator")).post(
        url(world, "outcome_create", theme_id=theme.pk),
        {"category": "knowledge", "verb": "plan_and_carry_out", "text": "Kan planlegge og gjennomføre møter"},
    )
    assert "This depth belongs to another category" in response.content.decode()
    assert not Outcome.objects.filter(text__startswith="Kan planlegge").exists()


def test_plan_check_flags_a_verb_in_the_wrong_category(world: Any, client_for: Any) -> None:
    theme = world.extra_objects["theme"]
    services.outcome_create(
        actor=None, theme=theme, text="Veilederne kan planlegge og gjennomføre samtaler", category="knowledge"
    )
    content = (
        _english(client_for("coordinator"))
        .get(url(world, "plan_detail", plan_id=world.extra_objects["plan"].pk))
        .content.decode()
    )
    assert "is filed under knowledge, but its verb belongs to general competence" in content


def test_timeline_shows_dates_deadlines_and_a_table(world: Any, client_for: Any) -> None:
    import xml.etree.ElementTree as ET

    outcome = world.extra_objects["outcome"]
    services.activity_create(
        actor=None,
        outcome=outcome,
        data=services.ActivityInput(time_kind=TimeKind.DEADLINE, deadline=D(2026, 5, 1), place="E-arena"),
    )
    services.activity_create(
        actor=None,
        outcome=outcome,
        data=services.ActivityInput(
            time_kind=TimeKind.RECURRENCE, recurrence="monthly", dates=[D(2026, 1, 15)]
        ),
    )
    response = _english(client_for("coordinator")).get(
        url(world, "plan_timeline", plan_id=world.extra_objects["plan"].pk)
    )
    content = response.content.decode()
    main = content[content.index('<main id="main"') :]  # past the header's icons
    svg = main[main.index("<svg") : main.index("</svg>") + 6]
    root = ET.fromstring(svg)  # noqa: S314 - our own markup
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert len(list(root.iter(f"{ns}circle"))) == 1 + 6  # 22 April, and monthly from January to June
    assert len(list(root.iter(f"{ns}path"))) == 1  # the deadline
    assert "style" not in svg
    assert "The same in a table" in content and "Innen 1. mai" in content  # the plan's words, in nb


def test_new_plan_from_this_one_page(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    client = client_for("coordinator")
    form = client.get(url(world, "plan_copy", plan_id=plan.pk))
    assert form.context["form"].initial["period_start"] == D(2026, 7, 1)
    response = client.post(
        url(world, "plan_copy", plan_id=plan.pk),
        {"name": "Høsten 2026", "period_start": "2026-07-01", "period_end": "2026-12-30", "language": "nb"},
    )
    copy = Plan.objects.get(name="Høsten 2026")
    assert response["Location"] == copy.get_absolute_url()
    assert copy.themes.get().title == "Supported Employment"
    assert client_for("employee").get(url(world, "plan_copy", plan_id=plan.pk)).status_code == 404


def test_plan_check_follows_each_edit(world: Any, client_for: Any) -> None:
    theme = world.extra_objects["theme"]
    response = _english(client_for("coordinator")).post(
        url(world, "outcome_create", theme_id=theme.pk),
        {"category": "knowledge", "text": "Veilederne har kunnskap om MI"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert 'id="plan-check"' in content and 'hx-swap-oob="true"' in content
    assert "“Veilederne har kunnskap om MI” has no activity" in content


@pytest.mark.parametrize("htmx", [False, True])
def test_an_empty_activity_form_is_refused(htmx: bool, world: Any, client_for: Any) -> None:
    outcome = world.extra_objects["outcome"]
    before = Activity.objects.count()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    # What the browser sends when Save is pressed on the untouched form.
    response = _english(client_for("coordinator")).post(
        url(world, "activity_create", outcome_id=outcome.pk),
        {"time_kind": "dates", "dates": "", "recurrence": "", "place": "", "participants_text": ""},
        **headers,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "The activity is empty." in content
    assert Activity.objects.count() == before
    if htmx:
        assert response["HX-Retarget"] == f"#editor-theme-{outcome.theme_id}"
        assert "<html" not in content


def test_an_activity_cannot_be_emptied(world: Any, client_for: Any) -> None:
    activity = world.extra_objects["activity"]
    response = _english(client_for("coordinator")).post(
        url(world, "activity_edit", activity_id=activity.pk),
        {"time_kind": "dates", "version": activity.version},
    )
    assert "The activity is empty." in response.content.decode()
    activity.refresh_from_db()
    assert activity.arena_id is not None


def test_plan_page_keeps_line_breaks_and_shows_each_outcomes_category() -> None:
    call_command("demo", stdout=io.StringIO())
    outcome = Outcome.objects.get(text__contains="seks kjennetegnene ved god kvalitet")
    plan = outcome.theme.plan
    client = Client()
    assert client.login(email="koordinator@demo.laera.no", password="demo")  # noqa: S106
    _english(client)
    kwargs = {"org_slug": "nav-royken", "plan_id": plan.pk}
    content = client.get(reverse("plans:plan_detail", kwargs=kwargs)).content.decode()
    assert "Tjenestene skal:<br>Være trygge og sikre<br>Være virkningsfulle<br>" in content
    # The category is part of the plan, so it is in the plan's language (nb) like the table's headings.
    assert '<span class="ds-tag laera-outcome-category" data-color="info">Kunnskap</span>' in content
    assert "Ferdigheter" in content or "Generell kompetanse" in content
    theme = outcome.theme
    outcome.text = "Første linje\n<b>andre</b> linje"
    outcome.save()
    content = client.get(reverse("plans:plan_detail", kwargs=kwargs)).content.decode()
    assert "Første linje<br>&lt;b&gt;andre&lt;/b&gt; linje" in content
    assert f'id="theme-{theme.pk}"' in content


def test_the_copy_form_proposes_the_autumn_after_the_demo_spring() -> None:
    call_command("demo", stdout=io.StringIO())
    spring = Plan.objects.get(organisation__slug="nav-royken", parent=None, period_start=D(2015, 1, 1))
    client = Client()
    assert client.login(email="koordinator@demo.laera.no", password="demo")  # noqa: S106
    response = client.get(reverse("plans:plan_copy", kwargs={"org_slug": "nav-royken", "plan_id": spring.pk}))
    initial = response.context["form"].initial
    assert (initial["period_start"], initial["period_end"]) == (D(2015, 7, 1), D(2015, 12, 31))
    # The evaluation moves by whole weeks: Thursday 18 June is Thursday 17 December.
    assert initial["evaluation_on"] == D(2015, 12, 17)
    content = response.content.decode()
    for name, value in (("period_start", "2015-07-01"), ("period_end", "2015-12-31")):
        assert f'name="{name}" value="{value}"' in content, name
