"""The start page says, for each role, what is due: with a count, a date where there is one, and a link,
from real data, only what the person may read, and in a number of queries that does not grow with the
organisation."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from laera.organisations import services
from laera.organisations.models import Organisation, Unit
from laera.testing.world import World

ROLES = ["admin", "leader", "coordinator", "employee", "other_leader"]


def _date(value: datetime.date) -> str:
    with translation.override("en"):
        return date_format(value, "SHORT_DATE_FORMAT")


def _home(world: World) -> str:
    return reverse("organisations:home", kwargs={"org_slug": world.organisation.slug})


def _page(world: World, client_for: Any, role: str) -> str:
    client = client_for(role)
    client.post(reverse("accounts:language"), {"language": "en"})
    response = client.get(_home(world))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _steps(content: str) -> dict[str, list[str]]:
    """The start page's steps by kind: the text of each list item."""
    found: dict[str, list[str]] = {}
    for kind, text in re.findall(r'<li data-step="([a-z_]+)">(.*?)</li>', content):
        found.setdefault(kind, []).append(re.sub(r"<[^>]+>", "", text).strip())
    return found


def _send_out(world: World, *, comments: int = 1) -> Any:
    from laera.plans import services as plans

    plan = world.extra_objects["plan"]
    until = timezone.localdate() + datetime.timedelta(days=10)
    plans.plan_send_for_comments(actor=None, plan=plan, until=until, version=None)
    plan.refresh_from_db()
    for i in range(comments):
        plans.plan_comment(actor=world.actor("employee"), plan=plan, text=f"Innspill {i}")
    return plan


def test_employee_sees_plans_out_for_comments_with_their_deadline_and_what_is_expected(
    world: World, client_for: Any
) -> None:
    plan = _send_out(world)
    steps = _steps(_page(world, client_for, "employee"))
    until = plan.comments_until
    assert steps["consultation"] == [
        f"The plan Våren 2026 for Oppfølging is out for comments. Read it and say what you think. "
        f"Deadline {_date(until)}. Read and comment"
    ]
    assert steps["expected"] == [
        "1 competence is required in your job. You are below the required level in 1 of them. "
        "What is expected of me"
    ]
    # The employee rated the only competence that applies to them: no round waits on them.
    assert "round_to_answer" not in steps and "draft" not in steps and "to_publish" not in steps


def test_employee_sees_the_published_plans_of_their_units(world: World, client_for: Any) -> None:
    from laera.plans import services as plans
    from laera.plans.models import PlanStatus

    plans.plan_set_status(actor=None, plan=world.extra_objects["plan"], status=PlanStatus.PUBLISHED)
    steps = _steps(_page(world, client_for, "employee"))
    assert steps["published"] == [
        "1 published plan for learning applies to you, the latest Våren 2026 for Oppfølging. Read the plan"
    ]
    # Another unit's people are not told the plan applies to them.
    assert "published" not in _steps(_page(world, client_for, "other_leader"))


def test_coordinator_sees_the_round_to_answer_the_draft_and_its_findings(
    world: World, client_for: Any
) -> None:
    content = _page(world, client_for, "coordinator")
    steps = _steps(content)
    round = world.extra_objects["round"]
    assert steps["round_to_answer"] == [
        f"Mapping round Kartlegging våren 2026: you have rated 0 of 1 competence. "
        f"Deadline {_date(round.deadline)}. Answer now"
    ]
    [draft] = steps["draft"]
    assert re.fullmatch(
        r"The draft plan Våren 2026 for Oppfølging: the plan check has \d+ findings?\. Open the plan", draft
    ) or draft.startswith("The draft plan Våren 2026 for Oppfølging passes the plan check")
    plan = world.extra_objects["plan"]
    assert f'href="{plan.get_absolute_url()}#plan-check"' in content
    assert "ratings_due" not in steps and "round_running" not in steps  # a coordinator leads no one


def test_coordinator_sees_how_many_comments_came_in_and_units_left_to_map(
    world: World, client_for: Any
) -> None:
    _send_out(world, comments=2)
    services.working_group_member_add(actor=None, unit=world.other_team, person=world.people["coordinator"])
    content = _page(world, client_for, "coordinator")
    steps = _steps(content)
    assert steps["own_consultation"][0].startswith(
        "The plan Våren 2026 for Oppfølging is out for comments: 2 comments so far."
    )
    # Their own unit's plan is not also offered as someone else's plan to comment on.
    assert "consultation" not in steps
    assert steps["mapping"] == ["Mottak has no arenas and no knowledge flows mapped yet. Map knowledge flows"]
    assert (
        reverse(
            "mapping:unit_flows", kwargs={"org_slug": world.organisation.slug, "unit_id": world.other_team.pk}
        )
        in content
    )


def test_leader_sees_plans_to_publish_rounds_ratings_and_critical_gaps(world: World, client_for: Any) -> None:
    from laera.competences.models import RoundParticipant

    _send_out(world, comments=1)
    round = world.extra_objects["round"]
    # Show groups of any size, so the one-person gap of the world counts.
    Organisation.objects.filter(pk=world.organisation.pk).update(privacy_threshold=1)
    content = _page(world, client_for, "leader")
    steps = _steps(content)
    assert steps["to_publish"][0].startswith(
        "The plan Våren 2026 for Oppfølging is out for comments and waits for you to publish it: "
        "1 comment to read."
    )
    participants = RoundParticipant.objects.filter(round=round).count()
    answered = RoundParticipant.objects.filter(round=round, submitted_at__isnull=False).count()
    assert steps["round_running"] == [
        f"Mapping round Kartlegging våren 2026 is running: {answered} of {participants} people have "
        f"answered. Deadline {_date(round.deadline)}. Follow the round"
    ]
    assert steps["ratings_due"][0].startswith(
        "Mapping round Kartlegging våren 2026: 1 person you lead waits for your rating."
    )
    assert steps["critical_gaps"] == [
        "In Kartlegging våren 2026 your units are below the required level in 1 critical competence. "
        "Gap analysis"
    ]
    # Another unit's leader is told none of it: not the round, the ratings or the gaps.
    other = _steps(_page(world, client_for, "other_leader"))
    assert not {"round_running", "ratings_due", "critical_gaps", "to_publish"} & set(other)
    assert other["consultation"][0].startswith("The plan Våren 2026 for Oppfølging is out for comments.")


def test_critical_gaps_of_small_groups_stay_hidden(world: World, client_for: Any) -> None:
    # The world's team has fewer people assessed than the default threshold: no count is shown.
    assert "critical_gaps" not in _steps(_page(world, client_for, "leader"))


def test_admin_sees_people_who_cannot_sign_in_units_without_leader_and_empty_catalogues(
    world: World, client_for: Any
) -> None:
    from laera.competences.services import catalogues

    services.person_create(
        actor=None,
        organisation=world.organisation,
        full_name="Uten konto",
        email="uten@testby.test",
        units=[world.team],
        account="none",
    )
    services.person_create(
        actor=world.actor("admin"),
        organisation=world.organisation,
        full_name="Invitert",
        email="invitert@testby.test",
        units=[world.team],
        account="invite",
        site_url="http://testserver",
    )
    catalogue = catalogues.catalogue_create(actor=None, organisation=world.organisation, name="Tom")
    area = catalogues.area_create(actor=None, catalogue=catalogue, name="Område")
    catalogues.competence_create(
        actor=None, area=area, data=catalogues.CompetenceInput(name="Noe", category="skills", nkr_level="")
    )
    steps = _steps(_page(world, client_for, "admin"))
    assert steps["not_invited"] == [
        "1 person has an e-mail address but cannot sign in yet: send them an invitation. People"
    ]
    assert steps["invited"] == ["1 invitation has not been accepted yet. People"]
    without = Unit.objects.filter(organisation=world.organisation, leader__isnull=True).count()
    assert without == 2  # the unit made with the organisation, and the office
    assert steps["no_leader"] == ["2 units have no leader to approve and publish their plans. Units"]
    Unit.objects.filter(organisation=world.organisation, leader__isnull=True).exclude(pk=world.top.pk).update(
        leader=world.people["leader"]
    )
    assert _steps(_page(world, client_for, "admin"))["no_leader"] == [
        "1 unit has no leader to approve and publish its plans. Units"
    ]
    assert steps["no_requirements"][0].startswith("1 competence catalogue has no requirements")
    # Nobody else is told about the organisation's loose ends.
    for role in ("leader", "coordinator", "employee"):
        assert not {"not_invited", "invited", "no_leader", "no_requirements"} & set(
            _steps(_page(world, client_for, role))
        )


def test_external_contributor_is_told_nothing_of_the_organisation(world: World, client_for: Any) -> None:
    _send_out(world)
    steps = _steps(_page(world, client_for, "external"))
    assert not {"consultation", "round_to_answer", "expected", "published", "draft"} & set(steps)


def _grow(world: World, n: int, prefix: str) -> None:
    """More of everything the start page counts: units, people, plans, comments, rounds' participants."""
    from laera.competences.services import rounds
    from laera.plans import services as plans

    for i in range(n):
        unit = services.unit_create(
            actor=None, organisation=world.organisation, name=f"{prefix} team {i}", parent=world.top
        )
        for j in range(3):
            services.person_create(
                actor=None,
                organisation=world.organisation,
                full_name=f"{prefix} {i}-{j}",
                email=f"{prefix}{i}-{j}@testby.test",
                job_role=world.job_role,
                units=[unit, world.team],
                account="none" if j == 0 else None,
            )
        for person in ("coordinator", "leader"):
            services.working_group_member_add(actor=None, unit=unit, person=world.people[person])
        plan = plans.plan_create(
            actor=None,
            unit=unit,
            data=plans.PlanInput(
                name=f"{prefix} plan {i}",
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 6, 30),
            ),
        )
        if i % 2:
            plans.plan_send_for_comments(
                actor=None,
                plan=plan,
                until=timezone.localdate() + datetime.timedelta(days=i + 1),
                version=None,
            )
            plan.refresh_from_db()
            plans.plan_comment(actor=world.actor("employee"), plan=plan, text="Innspill")
    round = world.extra_objects["round"]
    for k in range(2):
        rounds.round_create(
            actor=None,
            organisation=world.organisation,
            data=rounds.RoundInput(
                name=f"{prefix} kartlegging {k}",
                catalogue=round.catalogue,
                units=[world.team],
                opens_on=round.opens_on,
                deadline=round.deadline,
            ),
        )


MAX_QUERIES = 60


def _difference(small: CaptureQueriesContext, large: CaptureQueriesContext) -> list[str]:
    """The queries run with more data that were not run with less, with numbers taken out."""

    def shape(context: CaptureQueriesContext) -> list[str]:
        return [re.sub(r"\d+", "N", q["sql"])[:300] for q in context.captured_queries]

    before = shape(small)
    extra = []
    for query in shape(large):
        if query in before:
            before.remove(query)
        else:
            extra.append(query)
    return extra


@pytest.mark.parametrize("role", ROLES)
def test_the_start_page_costs_the_same_whatever_the_size_of_the_organisation(
    role: str, world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    # Every kind of step is there already, more of each than the page shows; then many more are added.
    _send_out(world)
    _grow(world, 5, "a")
    client = client_for(role)
    client.post(reverse("accounts:language"), {"language": "en"})
    client.get(_home(world))
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as small:
        assert client.get(_home(world)).status_code == 200
    _grow(world, 12, "b")
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as large:
        response = client.get(_home(world))
    assert response.status_code == 200
    assert len(large) == len(small), _difference(small, large)
    if role in ("coordinator", "leader"):
        assert "and " in _steps(re.sub(r"\s+", " ", response.content.decode())).get("draft", [""])[-1]
