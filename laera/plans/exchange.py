"""A plan as plain data (for every document and the JSON exchange format), and back: reads only.

`plan_document` reads a plan loaded by `selectors.plan_tree_queryset`. The other way, the service
`services.plan_import` writes a plan from a `PlanDocument` with what this module gives it: every text it
would save checked first against its field's limit and the shared text rules (`plan_document_problems`),
and an activity's time as the service's input (`activity_time_input`). Export → import → export gives the
same document, ids aside.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from laera.core.limits import LINE_MAX_LENGTH, FieldLimit, field_limit
from laera.documents.plan_data import (
    ActivityData,
    ActivityTime,
    ArenaLine,
    Labels,
    OutcomeData,
    PlanDocument,
    ThemeData,
)
from laera.mapping.models import Arena, Recurrence
from laera.mapping.recurrence import build_rrule

from . import presentation
from .models import Activity, Outcome, Plan, Theme, TimeKind

# The rules Læra makes itself, back to the recurrence they came from.
RRULE_TO_RECURRENCE = {
    build_rrule(r, starts_on=None): r
    for r in Recurrence
    if r not in (Recurrence.ON_DEMAND, Recurrence.TIMES_PER_YEAR)
}


def labels(language: str) -> Labels:
    with translation.override(language):
        return Labels(
            plan=_("Plan for learning"),
            leader=_("Leader"),
            introduction=_("Introduction"),
            arenas_heading=_("Overview of learning arenas and participants"),
            themes_heading=_("Learning themes"),
            theme=_("Theme"),
            outcome=_("Learning outcome"),
            arena=_("Arena"),
            method=_("Pedagogical method"),
            participants=_("Participants"),
            time=_("Time of execution"),
            responsible=_("Responsible"),
            evaluation=_("Evaluation"),
            contents=_("Contents"),
            page=_("Page"),
            draft=_("Draft — not published"),
            consultation=_("Out for comments — not published"),
        )


def _activity_time(activity: Activity, language: str) -> ActivityTime:
    dates = tuple(datetime.date.fromisoformat(d) for d in activity.dates)
    return ActivityTime(
        kind=activity.time_kind,
        text=presentation.time_label(activity, language),
        dates=dates,
        either=activity.dates_are_alternatives,
        rrule=activity.rrule,
        deadline=activity.deadline,
    )


def _arena_lines(plan: Plan, arenas: list[Arena]) -> tuple[ArenaLine, ...]:
    if plan.arena_overview:
        return tuple(
            ArenaLine(
                name=a.get("name", ""),
                recurrence=a.get("recurrence", ""),
                participants=a.get("participants", ""),
                purpose=a.get("purpose", ""),
            )
            for a in plan.arena_overview
        )
    with translation.override(plan.language):
        return tuple(
            ArenaLine(
                name=a.name,
                recurrence=str(a.get_recurrence_display()),
                participants=_("All employees") if a.participants_all else a.participant_groups,
                purpose=a.purpose,
            )
            for a in arenas
        )


def plan_document(
    plan: Plan, *, arenas: list[Arena] | None = None, children: list[Plan] | None = None
) -> PlanDocument:
    """The plan as plain data in its own language; `plan` comes from `selectors.plan_tree_queryset`."""
    language = plan.language
    with translation.override(language):
        themes = tuple(
            ThemeData(
                key=f"t{theme.pk}",
                title=theme.title,
                description=theme.description,
                why=theme.why,
                outcomes=tuple(
                    OutcomeData(
                        key=f"o{outcome.pk}",
                        text=outcome.text,
                        category=outcome.category,
                        category_label=str(outcome.get_category_display()),
                        verb=outcome.verb,
                        competences=tuple(sorted(c.name for c in outcome.competences.all())),
                        activities=tuple(
                            ActivityData(
                                key=f"a{a.pk}",
                                arena=presentation.arena_label(a),
                                method=presentation.method_label(a),
                                responsible=presentation.responsible_label(a),
                                participants=presentation.participants_label(a),
                                time=_activity_time(a, language),
                                mandatory=a.mandatory,
                                open_to_others=a.open_to_others,
                                capacity=a.capacity,
                                hours=float(a.hours) if a.hours is not None else None,
                                cost=float(a.cost) if a.cost is not None else None,
                                arena_is_mapped=a.arena_id is not None,
                                method_key=a.method.key if a.method is not None else "",
                            )
                            for a in outcome.activities.all()
                        ),
                    )
                    for outcome in theme.outcomes.all()
                ),
            )
            for theme in plan.themes.all()
        )
        title = plan.title or f"{_('Plan for learning')}: {plan.unit.name}, {plan.name}"
    return PlanDocument(
        title=title,
        name=plan.name,
        organisation=plan.organisation.name,
        unit=plan.unit.name,
        language=language,
        period_start=plan.period_start,
        period_end=plan.period_end,
        leader=plan.unit.leader.full_name if plan.unit.leader is not None else "",
        status=plan.status,
        introduction=plan.introduction,
        evaluation_on=plan.evaluation_on,
        labels=labels(language),
        arenas=_arena_lines(plan, arenas or []),
        themes=themes,
        children=tuple(plan_document(child) for child in (children or [])),
    )


def activity_time_input(time: ActivityTime) -> dict[str, Any]:
    """The time of an activity in the exchange format, as keyword arguments of `services.ActivityInput`."""
    values: dict[str, Any] = {
        "time_kind": time.kind,
        "time_text": time.text,
        "dates": list(time.dates),
        "dates_are_alternatives": time.either,
        "deadline": time.deadline,
    }
    if time.kind == TimeKind.RECURRENCE:
        # Keep the rule as given; name the recurrence too when it is one Læra knows.
        values["rrule"] = time.rrule
        if time.rrule in RRULE_TO_RECURRENCE:
            values["recurrence"] = RRULE_TO_RECURRENCE[time.rrule]
    if time.kind == TimeKind.TRIGGER:
        values["trigger"] = time.text
    return values


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def plan_document_problems(doc: PlanDocument, path: str = "") -> list[str]:
    """Every text of `doc` (and its sub-plans) that `plan_import` would save but its field cannot hold,
    as "path: message", the path as in the exchange format (`themes[0].outcomes[1].text`)."""
    line = FieldLimit(LINE_MAX_LENGTH, multiline=False)
    problems: list[str] = []

    def check(where: str, value: str, limit: FieldLimit) -> None:
        problems.extend(f"{where}: {message}" for message in limit.errors(value, field=_("The text")))

    check(_join(path, "name"), doc.name, field_limit(Plan, "name"))
    check(_join(path, "title"), doc.title, field_limit(Plan, "title"))
    check(_join(path, "introduction"), doc.introduction, field_limit(Plan, "introduction"))
    for a, arena in enumerate(doc.arenas):
        where = _join(path, f"arenas[{a}]")
        check(f"{where}.name", arena.name, field_limit(Arena, "name"))
        check(f"{where}.recurrence", arena.recurrence, line)
        check(f"{where}.participants", arena.participants, field_limit(Arena, "participant_groups"))
        check(f"{where}.purpose", arena.purpose, field_limit(Arena, "purpose"))
    for t, theme in enumerate(doc.themes):
        theme_path = _join(path, f"themes[{t}]")
        check(f"{theme_path}.title", theme.title, field_limit(Theme, "title"))
        check(f"{theme_path}.description", theme.description, field_limit(Theme, "description"))
        check(f"{theme_path}.why", theme.why, field_limit(Theme, "why"))
        for o, outcome in enumerate(theme.outcomes):
            outcome_path = f"{theme_path}.outcomes[{o}]"
            check(f"{outcome_path}.text", outcome.text, field_limit(Outcome, "text"))
            check(f"{outcome_path}.verb", outcome.verb, field_limit(Outcome, "verb"))
            for i, activity in enumerate(outcome.activities):
                where = f"{outcome_path}.activities[{i}]"
                check(f"{where}.arena", activity.arena, field_limit(Activity, "place"))
                check(f"{where}.method", activity.method, field_limit(Activity, "method_detail"))
                check(
                    f"{where}.responsible",
                    activity.responsible,
                    field_limit(Activity, "responsible_external"),
                )
                check(
                    f"{where}.participants", activity.participants, field_limit(Activity, "participants_text")
                )
                check(f"{where}.time.text", activity.time.text, field_limit(Activity, "time_text"))
                check(f"{where}.time.rrule", activity.time.rrule, field_limit(Activity, "rrule"))
    for c, child in enumerate(doc.children):
        problems += plan_document_problems(child, _join(path, f"children[{c}]"))
    return problems
