from __future__ import annotations

import datetime
import io
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone, translation

from laera.core.errors import ServiceError
from laera.core.versioning import ConflictError
from laera.mapping.models import Method
from laera.plans import checks, periods, presentation, selectors, services
from laera.plans.models import Activity, Plan, PlanStatus, TimeKind

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _plan(world: Any, **kwargs: Any) -> Any:
    data = services.PlanInput(
        name="Våren 2026",
        period_start=D(2026, 1, 1),
        period_end=D(2026, 6, 30),
        evaluation_on=D(2026, 6, 15),
        **kwargs,
    )
    return services.plan_create(actor=world.actor("coordinator"), unit=world.team, data=data)


def _send_for_comments(world: Any, plan: Plan, days: int = 14) -> Plan:
    return services.plan_send_for_comments(
        actor=world.actor("coordinator"),
        plan=plan,
        until=timezone.localdate() + datetime.timedelta(days=days),
        message="",
        version=plan.version,
    )


def _method(world: Any, key: str) -> Method:
    return Method.objects.for_org(world.organisation).get(key=key)


def _activity(world: Any, outcome: Any, **kwargs: Any) -> Activity:
    values: dict[str, Any] = {
        "arena": world.extra_objects["arena"],
        "method": _method(world, "lecture"),
        "participant_units": [world.team],
        "time_kind": TimeKind.DATES,
        "dates": [D(2026, 4, 22)],
    }
    values.update(kwargs)
    return services.activity_create(
        actor=world.actor("coordinator"), outcome=outcome, data=services.ActivityInput(**values)
    )


def _full_plan(world: Any) -> Any:
    plan = _plan(world)
    theme = services.theme_create(
        actor=world.actor("coordinator"),
        plan=plan,
        title="Supported Employment",
        why="Forslag fra de ansatte",
    )
    outcome = services.outcome_create(
        actor=world.actor("coordinator"),
        theme=theme,
        text="NAV-veiledere skal kjenne til SE",
        category="knowledge",
    )
    _activity(world, outcome)
    return plan


def test_coordinator_builds_a_plan(world: Any) -> None:
    plan = _full_plan(world)
    tree = selectors.access_plan(world.actor("coordinator"), plan.pk, tree=True)
    activity = tree.themes.all()[0].outcomes.all()[0].activities.all()[0]
    assert activity.dates == ["2026-04-22"] and activity.arena == world.extra_objects["arena"]


def test_only_coordinators_of_the_unit_edit(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=world.actor("employee"),
            unit=world.team,
            data=services.PlanInput(name="X", period_start=D(2026, 1, 1), period_end=D(2026, 6, 30)),
        )
    plan = _plan(world)
    with pytest.raises(PermissionDenied):
        services.theme_create(actor=world.actor("other_leader"), plan=plan, title="Tema")


def test_period_must_be_in_order(world: Any) -> None:
    with pytest.raises(ServiceError):
        services.plan_create(
            actor=world.actor("coordinator"),
            unit=world.team,
            data=services.PlanInput(name="Feil", period_start=D(2026, 6, 30), period_end=D(2026, 1, 1)),
        )


def test_status_flow_and_who_moves_it(world: Any) -> None:
    plan = _full_plan(world)
    plan = _send_for_comments(world, plan)
    services.plan_comment(actor=world.actor("employee"), plan=plan, text="Bra plan!")
    with pytest.raises(PermissionDenied):
        services.plan_set_status(actor=world.actor("coordinator"), plan=plan, status=PlanStatus.PUBLISHED)
    plan = services.plan_set_status(actor=world.actor("leader"), plan=plan, status=PlanStatus.PUBLISHED)
    assert plan.published_at is not None
    with pytest.raises(ServiceError):
        services.plan_set_status(actor=world.actor("leader"), plan=plan, status=PlanStatus.CLOSED)
    with pytest.raises(ServiceError):
        services.theme_create(actor=world.actor("coordinator"), plan=plan, title="For sent")
    with pytest.raises(ServiceError):
        services.plan_comment(actor=world.actor("employee"), plan=plan, text="For sent")


def test_drafts_are_hidden_from_readers(world: Any) -> None:
    plan = _plan(world)
    with pytest.raises(Http404):
        selectors.access_plan(world.actor("employee"), plan.pk)
    assert plan not in selectors.plan_list(world.actor("employee"))
    _send_for_comments(world, plan)
    assert selectors.access_plan(world.actor("employee"), plan.pk) == plan
    with pytest.raises(Http404):
        selectors.access_plan(world.actor("external"), plan.pk)


def test_second_save_from_the_same_version_is_refused(world: Any) -> None:
    plan = _full_plan(world)
    theme = plan.themes.get()
    services.theme_update(
        actor=world.actor("coordinator"),
        theme=theme,
        title="SE",
        description="",
        why="x",
        version=theme.version,
    )
    with pytest.raises(ConflictError) as caught:
        services.theme_update(
            actor=world.actor("leader"),
            theme=theme,
            title="Supported employment (SE)",
            description="",
            why="y",
            version=theme.version,
        )
    assert caught.value.current is not None and caught.value.current.title == "SE"
    theme.refresh_from_db()
    assert theme.title == "SE"
    activity = Activity.objects.get(outcome__theme__plan=plan)
    services.activity_update(
        actor=world.actor("coordinator"),
        activity=activity,
        version=activity.version,
        data=services.ActivityInput(time_kind=TimeKind.CONTINUOUS),
    )
    with pytest.raises(ConflictError):
        services.activity_update(
            actor=world.actor("leader"),
            activity=activity,
            version=activity.version,
            data=services.ActivityInput(time_kind=TimeKind.DATES),
        )
    with pytest.raises(ConflictError):
        services.plan_update(
            actor=world.actor("leader"),
            plan=plan,
            version=plan.version - 1,
            data=services.PlanInput(name="X", period_start=D(2026, 1, 1), period_end=D(2026, 2, 1)),
        )


def test_activity_time_kinds(world: Any) -> None:
    plan = _full_plan(world)
    outcome = plan.themes.get().outcomes.get()
    recurring = _activity(
        world, outcome, time_kind=TimeKind.RECURRENCE, recurrence="monthly", dates=[D(2026, 1, 15)]
    )
    assert recurring.rrule == "FREQ=MONTHLY"
    either = _activity(world, outcome, dates=[D(2026, 4, 23), D(2026, 4, 22)], dates_are_alternatives=True)
    assert either.dates == ["2026-04-22", "2026-04-23"] and either.dates_are_alternatives
    with pytest.raises(ServiceError):
        _activity(world, outcome, time_kind=TimeKind.RECURRENCE, recurrence="")
    with pytest.raises(ServiceError):
        _activity(world, outcome, capacity=-1)


def test_an_activity_with_no_element_is_refused(world: Any) -> None:
    plan = _full_plan(world)
    outcome = plan.themes.get().outcomes.get()
    coordinator = world.actor("coordinator")
    before = Activity.objects.count()
    # Only what is not an element (mandatory, hours, cost) is still a blank activity.
    blank = services.ActivityInput(time_kind=TimeKind.DATES, mandatory=True, hours=None, capacity=5)
    with translation.override("en"), pytest.raises(ServiceError, match="The activity is empty"):
        services.activity_create(actor=coordinator, outcome=outcome, data=blank)
    assert Activity.objects.count() == before
    existing = Activity.objects.filter(outcome=outcome).first()
    assert existing is not None
    with pytest.raises(ServiceError):
        services.activity_update(actor=coordinator, activity=existing, data=blank, version=existing.version)
    existing.refresh_from_db()
    assert existing.arena_id is not None and existing.dates
    # One element is enough; the plan check names the rest.
    for partial in (
        {"responsible_external": "HiØ"},
        {"participant_units": [world.team]},
        {"time_kind": TimeKind.CONTINUOUS},
        {"time_kind": TimeKind.TRIGGER, "trigger": "Ny medarbeider"},
    ):
        created = services.activity_create(
            actor=coordinator, outcome=outcome, data=services.ActivityInput(**partial)
        )
        assert created.pk is not None, partial


def _codes(plan: Any) -> list[str]:
    return [f.code for f in checks.check_plan(selectors.plan_tree_queryset().get(pk=plan.pk))]


def test_plan_check_finds_each_kind(world: Any) -> None:
    plan = services.plan_create(
        actor=world.actor("coordinator"),
        unit=world.team,
        data=services.PlanInput(name="Hele året", period_start=D(2026, 1, 1), period_end=D(2026, 12, 31)),
    )
    theme = services.theme_create(actor=world.actor("coordinator"), plan=plan, title="Uten begrunnelse")
    empty = services.outcome_create(
        actor=world.actor("coordinator"), theme=theme, text="Uten aktivitet", category="knowledge"
    )
    bare = services.outcome_create(
        actor=world.actor("coordinator"), theme=theme, text="Med tom aktivitet", category="skills"
    )
    services.activity_create(
        actor=world.actor("coordinator"),
        outcome=bare,
        data=services.ActivityInput(time_kind=TimeKind.DATES, responsible_external="HiØ"),
    )
    for _i in range(2):
        _activity(world, bare, participant_units=[], participants_all=True)
    codes = _codes(plan)
    for code in (
        "no_evaluation",
        "long_period",
        "theme_without_input",
        "outcome_without_activity",
        "activity_without_arena",
        "activity_without_method",
        "activity_without_participants",
        "activity_without_time",
        "little_variety",
        "mostly_lectures",
        "arena_clash",
        "transfers_missing",
    ):
        assert code in codes, code
    assert empty.pk in [
        f.target_id for f in checks.check_plan(selectors.plan_tree_queryset().get(pk=plan.pk))
    ]


def test_everything_for_everyone_is_flagged(world: Any) -> None:
    plan = _full_plan(world)
    Activity.objects.filter(outcome__theme__plan=plan).update(participants_all=True)
    Activity.objects.get(outcome__theme__plan=plan).participant_units.clear()
    assert "all_for_everyone" in _codes(plan)


def test_a_good_plan_has_few_findings(world: Any) -> None:
    plan = _full_plan(world)
    outcome = plan.themes.get().outcomes.get()
    _activity(world, outcome, method=_method(world, "collegial_guidance"), dates=[D(2026, 2, 3)])
    _activity(world, outcome, method=_method(world, "reflection_group"), dates=[D(2026, 3, 3)])
    codes = _codes(plan)
    for code in (
        "no_evaluation",
        "outcome_without_activity",
        "activity_without_time",
        "little_variety",
        "mostly_lectures",
        "arena_clash",
        "all_for_everyone",
        "theme_without_input",
    ):
        assert code not in codes, code


def test_new_plan_from_the_last_one(world: Any) -> None:
    plan = _full_plan(world)
    outcome = plan.themes.get().outcomes.get()
    done = _activity(world, outcome, dates=[D(2026, 2, 1)])
    done.completed = True
    done.save()
    _activity(world, outcome, time_kind=TimeKind.DEADLINE, deadline=D(2026, 5, 1), dates=[])
    child = services.plan_create(
        actor=None,
        unit=world.team,
        parent=plan,
        data=services.PlanInput(
            name="Våren 2026 – team", period_start=D(2026, 1, 1), period_end=D(2026, 6, 30)
        ),
    )
    source = selectors.plan_tree_queryset().get(pk=plan.pk)
    copy = services.plan_copy(
        actor=world.actor("coordinator"),
        source=source,
        data=services.PlanInput(
            name="Høsten 2026",
            period_start=D(2026, 7, 1),
            period_end=D(2026, 12, 31),
            evaluation_on=D(2026, 12, 15),
        ),
    )
    assert copy.based_on == plan and copy.status == PlanStatus.DRAFT
    activities = list(Activity.objects.filter(outcome__theme__plan=copy).order_by("id"))
    assert len(activities) == 2  # the completed one stays behind
    # The 181 days between the periods are nearest to 26 weeks: Wednesday 22 April is Wednesday 21 October.
    assert activities[0].dates == ["2026-10-21"]
    assert activities[1].deadline == D(2026, 10, 30)
    assert activities[0].participant_units.get() == world.team
    assert copy.children.get().name == "Høsten 2026 – team"
    assert (copy.children.get().period_start, copy.children.get().period_end) == (
        D(2026, 7, 1),
        D(2026, 12, 31),
    )
    assert child.pk != copy.children.get().pk
    assert plan.themes.get().outcomes.get().activities.count() == 3  # the old plan is untouched


def _demo_spring_2015() -> Any:
    call_command("demo", stdout=io.StringIO())
    plan = Plan.objects.get(organisation__slug="nav-royken", parent=None, period_start=D(2015, 1, 1))
    return selectors.plan_tree_queryset().get(pk=plan.pk)


def _activities_of(plan: Any) -> list[Activity]:
    return [
        a for t in plan.themes.all() for o in t.outcomes.all() for a in o.activities.all() if not a.completed
    ]


def test_the_next_period_is_written_the_way_offices_write_it() -> None:
    assert periods.next_period(D(2015, 1, 1), D(2015, 6, 30)) == (D(2015, 7, 1), D(2015, 12, 31))
    assert periods.next_period(D(2015, 7, 1), D(2015, 12, 31)) == (D(2016, 1, 1), D(2016, 6, 30))
    # Other periods: the same length after the end, on a month end when the original ended on one.
    assert periods.next_period(D(2015, 9, 1), D(2015, 11, 30)) == (D(2015, 12, 1), D(2016, 2, 29))
    assert periods.next_period(D(2015, 8, 15), D(2015, 9, 14)) == (D(2015, 9, 15), D(2015, 10, 15))
    assert periods.move_month_text("Mai", 6, "nb") == "November"
    assert periods.move_month_text("juni 2015", 7, "nb") == "januar 2016"
    assert periods.move_month_text("May", 6, "en") == "November"
    assert periods.move_month_text("Hvert kvartal", 6, "nb") is None


def test_copying_the_demo_spring_plan_keeps_every_time() -> None:
    source = _demo_spring_2015()
    start, end = periods.next_period(source.period_start, source.period_end)
    assert (start, end) == (D(2015, 7, 1), D(2015, 12, 31))
    copy = services.plan_copy(
        actor=None,
        source=source,
        data=services.PlanInput(
            name="Høsten 2015",
            period_start=start,
            period_end=end,
            evaluation_on=D(2015, 12, 17),
            language=source.language,
        ),
    )
    copy = selectors.plan_tree_queryset().get(pk=copy.pk)
    source = selectors.plan_tree_queryset().get(pk=source.pk)  # the copy reuses the loaded rows
    before, after = _activities_of(source), _activities_of(copy)
    assert [a.time_kind for a in after] == [a.time_kind for a in before]  # nothing dropped
    dated = 0
    for old, new in zip(before, after, strict=True):
        old_days = [D.fromisoformat(d) for d in old.dates]
        new_days = [D.fromisoformat(d) for d in new.dates]
        assert [d.weekday() for d in new_days] == [d.weekday() for d in old_days]
        assert all(start <= d <= end for d in new_days)
        if old.deadline is not None:
            assert new.deadline is not None and new.deadline.weekday() == old.deadline.weekday()
            assert start <= new.deadline <= end
        dated += bool(old_days or old.deadline)
        if old.time_kind in (TimeKind.RECURRENCE, TimeKind.CONTINUOUS, TimeKind.TRIGGER):
            assert (new.time_text, new.recurrence, new.trigger) == (
                old.time_text,
                old.recurrence,
                old.trigger,
            )
        assert presentation.time_label(new, copy.language), old.time_text
    assert dated >= 4
    either = next(a for a in after if a.dates_are_alternatives)
    assert either.dates == ["2015-10-21", "2015-10-22"]  # Wednesday and Thursday, as 22 and 23 April
    months_only = {
        old.time_text: new.time_text
        for old, new in zip(before, after, strict=True)
        if old.time_text in ("Mai", "Juni")
    }
    assert months_only == {"Mai": "November", "Juni": "Desember"}
    # The copy raises no finding of the plan check that the original did not have; its copied times are
    # listed for review beside the check instead.
    old_codes = Counter(f.code for f in checks.check_plan(source))
    new_codes = Counter(f.code for f in checks.check_plan(copy))
    assert new_codes - old_codes == Counter()
    assert checks.times_to_check(copy) is not None
    team = copy.children.get()
    assert (team.period_start, team.period_end) == (D(2015, 7, 1), D(2015, 12, 31))
    team_source = selectors.plan_tree_queryset().get(pk=source.children.get().pk)
    team_copy = selectors.plan_tree_queryset().get(pk=team.pk)
    assert [a.time_kind for a in _activities_of(team_copy)] == [
        a.time_kind for a in _activities_of(team_source)
    ]
    assert (
        Counter(f.code for f in checks.check_plan(team_copy))
        - Counter(f.code for f in checks.check_plan(team_source))
        == Counter()
    )
    assert checks.times_to_check(team_copy) is not None
