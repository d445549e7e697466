"""The plan check: the guide's own advice, applied to a plan, each finding in plain words.

The advice is that of 003_8a0b773b4c09b074.txt (the KLAR guide, docs/product.md §7); the findings are listed
in docs/product.md §3.5.

`check_plan` reads a plan already loaded with its themes, outcomes and activities (see
`selectors.plan_tree`) and issues no queries of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.core import nkr
from laera.mapping.sveiby import TRANSFERS

from . import presentation
from .models import Activity, Plan, TimeKind

# Which of Sveiby's transfers a method usually carries (docs/product.md §5); an external presenter adds 3.
METHOD_TRANSFERS: dict[str, tuple[int, ...]] = {
    "lecture": (1,),
    "e_learning": (5,),
    "course": (3,),
    "further_education": (3,),
    "staff_seminar": (1, 9),
    "collegial_guidance": (1,),
    "guidance_group": (1,),
    "reflection_group": (1, 4),
    "case_discussion": (1,),
    "internal_teaching": (1, 5),
    "employees_10_minutes": (1,),
    "job_rotation": (1, 9),
    "shadowing": (3, 6),
    "mentoring": (1,),
    "buddy_scheme": (1, 5),
    "coaching_each_other": (1,),
    "sparring_feedback": (1,),
    "better_meetings": (9,),
    "idea_workshop": (4, 9),
    "learning_with_users": (3, 7),
    "study_visit": (3,),
    "employer_breakfast": (2, 3),
    "research_circle": (3, 4),
    "transfer_from_courses": (3, 4),
    "everyday_learning": (1,),
    "learn_from_new_hires": (1, 4),
    "reflection_in_meetings": (1, 4),
    "group_work": (1,),
}


MAX_PERIOD_DAYS = 186  # the guide advises half a year at a time


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    target: str = "plan"  # "plan", "theme", "outcome" or "activity"
    target_id: int | None = None
    # Activities the finding lists, each as (label, activity id), shown under the message with a link.
    items: tuple[tuple[str, int], ...] = ()


def _activities(plan: Plan) -> list[Activity]:
    return [a for t in plan.themes.all() for o in t.outcomes.all() for a in o.activities.all()]


def _has_participants(activity: Activity) -> bool:
    return bool(
        activity.participants_all
        or activity.participant_groups
        or activity.participants_text
        or activity.participant_units.all()
        or activity.participant_job_roles.all()
        or activity.participant_people.all()
    )


def _has_time(activity: Activity) -> bool:
    kind = activity.time_kind
    if activity.time_text.strip():
        return True  # the plan's own words ("Hvert kvartal", "Innen 1. mai") fix the time
    if kind == TimeKind.DATES:
        return bool(activity.dates)
    if kind == TimeKind.RECURRENCE:
        return bool(activity.recurrence or activity.rrule)
    if kind == TimeKind.DEADLINE:
        return activity.deadline is not None
    if kind == TimeKind.TRIGGER:
        return bool(activity.trigger or activity.time_text)
    return True  # continuous through the period


def check_plan(plan: Plan) -> list[Finding]:
    """Every finding of the plan check, in the order a working group would fix them."""
    findings: list[Finding] = []
    if plan.evaluation_on is None:
        findings.append(
            Finding(
                "no_evaluation",
                _(
                    "The plan has no evaluation time. When everything is done the plan must be evaluated, "
                    "preferably with those affected, so the next plan can be better."
                ),
            )
        )
    if (plan.period_end - plan.period_start).days > MAX_PERIOD_DAYS:
        findings.append(
            Finding(
                "long_period",
                _(
                    "The plan covers more than six months. The guide advises half a year at a time, so the "
                    "themes stay current."
                ),
            )
        )
    activities = _activities(plan)
    for theme in plan.themes.all():
        if not theme.why.strip():
            findings.append(
                Finding(
                    "theme_without_input",
                    _(
                        "The theme %(theme)s does not say why it was chosen or what the employees proposed. "
                        "Anchoring with the employees is a critical factor."
                    )
                    % {"theme": theme.title},
                    "theme",
                    theme.pk,
                )
            )
        if not theme.outcomes.all():
            findings.append(
                Finding(
                    "theme_without_outcome",
                    _("The theme %(theme)s has no learning outcomes yet.") % {"theme": theme.title},
                    "theme",
                    theme.pk,
                )
            )
        for outcome in theme.outcomes.all():
            fit = nkr.verb_fit(outcome.text, outcome.category, plan.language)
            if not fit.fits and fit.suggested_category:
                findings.append(
                    Finding(
                        "outcome_verb_mismatch",
                        _(
                            "The learning outcome “%(outcome)s” is filed under %(category)s, "
                            "but its verb belongs to "
                            "%(suggested)s. Change the category or the verb."
                        )
                        % {
                            "outcome": outcome.text[:80],
                            "category": outcome.get_category_display().lower(),
                            "suggested": str(nkr.Category(fit.suggested_category).label).lower(),
                        },
                        "outcome",
                        outcome.pk,
                    )
                )
            if not outcome.activities.all():
                findings.append(
                    Finding(
                        "outcome_without_activity",
                        _(
                            "The learning outcome “%(outcome)s” has no activity: "
                            "say where, how, for whom and "
                            "when it is learned."
                        )
                        % {"outcome": outcome.text[:80]},
                        "outcome",
                        outcome.pk,
                    )
                )
    for activity in activities:
        label = activity.outcome.text[:60]
        if activity.arena_id is None and not activity.place:
            findings.append(
                Finding(
                    "activity_without_arena",
                    _("An activity for “%(outcome)s” has no arena. Say where the learning takes place.")
                    % {"outcome": label},
                    "activity",
                    activity.pk,
                )
            )
        if activity.method_id is None and not activity.method_detail:
            findings.append(
                Finding(
                    "activity_without_method",
                    _("An activity for “%(outcome)s” has no pedagogical method.") % {"outcome": label},
                    "activity",
                    activity.pk,
                )
            )
        if not _has_participants(activity):
            findings.append(
                Finding(
                    "activity_without_participants",
                    _("An activity for “%(outcome)s” does not say who takes part.") % {"outcome": label},
                    "activity",
                    activity.pk,
                )
            )
        if not _has_time(activity):
            findings.append(
                Finding(
                    "activity_without_time",
                    _(
                        "An activity for “%(outcome)s” has no fixed time. "
                        "Without a fixed time the plan cannot be "
                        "evaluated."
                    )
                    % {"outcome": label},
                    "activity",
                    activity.pk,
                )
            )
    findings.extend(_method_findings(activities))
    if activities and all(a.participants_all for a in activities):
        findings.append(
            Finding(
                "all_for_everyone",
                _(
                    "Every activity is for all employees. "
                    "Some will find it too elementary, others irrelevant: "
                    "say who needs what."
                ),
            )
        )
    findings.extend(_clashes(activities))
    findings.extend(_transfer_findings(activities))
    return findings


def times_to_check(plan: Plan) -> Finding | None:
    """Copied activities whose time was moved or kept from the old plan and not checked since.

    Kept apart from `check_plan`: a copy is not a worse plan than its original, so these are a review
    list shown beside the plan check, not findings of it.
    """
    marked = [a for a in _activities(plan) if a.time_to_check]
    if not marked:
        return None
    count = len(marked)
    language = plan.language
    return Finding(
        "times_to_check",
        ngettext(
            "The time of %(count)s activity came from the plan this one was made from. Check it, "
            "then edit the time or mark it as right:",
            "The times of %(count)s activities came from the plan this one was made from. Check "
            "them, then edit each time or mark it as right:",
            count,
        )
        % {"count": count},
        items=tuple(
            (f"“{a.outcome.text[:60]}”: {presentation.time_label(a, language) or '–'}", a.pk) for a in marked
        ),
    )


def _method_findings(activities: list[Activity]) -> list[Finding]:
    methods = [a.method for a in activities if a.method is not None]
    if len(activities) < 3 or not methods:
        return []
    findings = []
    if len({m.pk for m in methods}) < 3:
        findings.append(
            Finding(
                "little_variety",
                _(
                    "The plan uses fewer than three different methods. Vary them: what works for one learner "
                    "does not work for all."
                ),
            )
        )
    transmitting = sum(1 for m in methods if m.mode == "transmits")
    if transmitting * 2 > len(methods):
        findings.append(
            Finding(
                "mostly_lectures",
                _(
                    "Most activities pass knowledge on (lectures, courses, e-learning). Methods where the "
                    "employees are involved in their own learning probably give more effect."
                ),
            )
        )
    return findings


def _clashes(activities: list[Activity]) -> list[Finding]:
    by_slot: dict[tuple[int, str], list[Activity]] = defaultdict(list)
    for activity in activities:
        if (
            activity.arena_id is None
            or activity.time_kind != TimeKind.DATES
            or activity.dates_are_alternatives
        ):
            continue
        for day in activity.dates:
            by_slot[(activity.arena_id, day)].append(activity)
    findings = []
    for (_arena_id, day), clash in sorted(by_slot.items(), key=lambda item: item[0][1]):
        if len(clash) > 1:
            findings.append(
                Finding(
                    "arena_clash",
                    _(
                        "%(count)s activities use %(arena)s on %(date)s. "
                        "Check that there is room and time for both."
                    )
                    % {
                        "count": len(clash),
                        "arena": clash[0].arena.name if clash[0].arena else "",
                        "date": day,
                    },
                    "activity",
                    clash[1].pk,
                )
            )
    return findings


def transfers_planned(activities: list[Any]) -> set[int]:
    planned: set[int] = set()
    for activity in activities:
        if activity.method is not None:
            planned.update(METHOD_TRANSFERS.get(activity.method.key, ()))
        if activity.responsible_external:
            planned.add(3)
    return planned


def _transfer_findings(activities: list[Activity]) -> list[Finding]:
    if not activities:
        return []
    missing = [t for t in TRANSFERS if t.number not in transfers_planned(activities)]
    if not missing:
        return []
    names = ", ".join(f"{t.number} ({t.name})" for t in missing)
    return [
        Finding(
            "transfers_missing",
            _(
                "Nothing in the plan carries these knowledge transfers: %(transfers)s. "
                "See the knowledge-flow map "
                "for activities that could."
            )
            % {"transfers": names},
        )
    ]
