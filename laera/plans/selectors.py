"""Reads for plans: who may see which plan, and a plan with everything under it in a fixed number of queries.

Who sees which plan is `policies.plan_policy` (PlanAction.VIEW): drafts by those who edit them (the unit's
coordinators, its leaders, admins); from the moment a plan goes out for comments everyone in the
organisation; external contributors only through the invitations that come with the input rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from laera.organisations.tenancy import Actor

from .checks import check_plan
from .models import Activity, Outcome, Plan, PlanStatus, Theme
from .policies import PlanAction, plan_policy


def _visible(actor: Actor, plan: Plan) -> bool:
    return plan_policy.allows(actor, PlanAction.VIEW, plan)


def _activities() -> QuerySet[Activity]:
    return Activity.objects.select_related("arena", "method", "responsible", "outcome").prefetch_related(
        "participant_units", "participant_job_roles", "participant_people"
    )


def plan_tree_queryset() -> QuerySet[Plan]:
    """Plans with their themes, outcomes and activities (and the activities' relations) prefetched."""
    activities: Any = Prefetch("activities", queryset=_activities())
    outcomes: Any = Prefetch("outcomes", queryset=Outcome.objects.prefetch_related(activities, "competences"))
    themes: Any = Prefetch("themes", queryset=Theme.objects.prefetch_related(outcomes))
    return Plan.objects.select_related("unit", "unit__leader", "organisation", "parent").prefetch_related(
        themes
    )


def access_plan(actor: Actor, plan_id: int, *, tree: bool = False) -> Plan:
    """The plan, or 404 when it is missing, in another organisation, or a draft this person may not see."""
    queryset = plan_tree_queryset() if tree else Plan.objects.select_related("unit", "organisation")
    try:
        plan = queryset.filter(organisation=actor.organisation).get(pk=int(plan_id))
    except (ValueError, TypeError, Plan.DoesNotExist) as exc:
        raise Http404 from exc
    if not _visible(actor, plan):
        raise Http404
    return plan


def _get(model: Any, actor: Actor, pk: int, plan_path: str) -> Any:
    try:
        obj = model.objects.filter(organisation=actor.organisation).select_related(plan_path).get(pk=int(pk))
    except (ValueError, TypeError, model.DoesNotExist) as exc:
        raise Http404 from exc
    plan = obj
    for part in plan_path.split("__"):
        plan = getattr(plan, part)
    if not _visible(actor, plan):
        raise Http404
    return obj


def access_theme(actor: Actor, theme_id: int) -> Theme:
    theme: Theme = _get(Theme, actor, theme_id, "plan")
    return theme


def access_outcome(actor: Actor, outcome_id: int) -> Outcome:
    outcome: Outcome = _get(Outcome, actor, outcome_id, "theme__plan")
    return outcome


def access_activity(actor: Actor, activity_id: int) -> Activity:
    activity: Activity = _get(Activity, actor, activity_id, "outcome__theme__plan")
    return activity


def plan_list(actor: Actor) -> QuerySet[Plan]:
    """Every plan this person may see, newest period first."""
    actor.require_member()
    return (
        plan_policy.objects_for(actor, PlanAction.VIEW)
        .select_related("unit", "parent")
        .order_by("-period_start", "unit__name")
    )


def children_of(actor: Actor, plan: Plan) -> list[Plan]:
    return [child for child in plan_tree_queryset().filter(parent=plan) if _visible(actor, child)]


# The start page ------------------------------------------------------------------------------------


@dataclass
class PlansDue:
    """A few plans of one kind for the start page, with how many there are in all."""

    plans: list[Plan]
    total: int


def consultation_plans(
    actor: Actor,
    *,
    unit_ids: set[int] | None = None,
    exclude_unit_ids: set[int] | None = None,
    limit: int = 3,
) -> PlansDue:
    """Plans out for comments that the actor may read (only in `unit_ids` when given, none of
    `exclude_unit_ids`), whether or not their comment deadline has passed, the closest deadline first, each
    with `comment_count` — two queries, whatever the number of plans or comments. For the start page of
    those who write and publish them; readers get `plans_open_for_comment`."""
    if actor.is_external or (unit_ids is not None and not unit_ids):
        return PlansDue(plans=[], total=0)
    plans = Plan.objects.for_org(actor.organisation).filter(status=PlanStatus.CONSULTATION)
    if unit_ids is not None:
        plans = plans.filter(unit_id__in=unit_ids)
    if exclude_unit_ids:
        plans = plans.exclude(unit_id__in=exclude_unit_ids)
    shown = list(
        plans.select_related("unit", "organisation")
        .annotate(comment_count=Count("comments", distinct=True))
        .order_by(F("comments_until").asc(nulls_last=True), "period_start", "unit__name", "pk")[:limit]
    )
    total = len(shown) if len(shown) < limit else plans.count()
    return PlansDue(plans=shown, total=total)


def draft_plans_with_findings(actor: Actor, *, limit: int = 3) -> PlansDue:
    """Draft plans of the units whose working group the actor sits in (and those they lead), each with
    `finding_count` from the plan check. The plans' contents are read in one prefetch for all of them, so
    the number of queries does not grow with the plans or their activities."""
    unit_ids = actor.coordinated_unit_ids
    if not unit_ids:
        return PlansDue(plans=[], total=0)
    drafts = Plan.objects.for_org(actor.organisation).filter(status=PlanStatus.DRAFT, unit_id__in=unit_ids)
    shown = list(
        plan_tree_queryset().filter(pk__in=drafts.values("pk")).order_by("period_start", "pk")[:limit]
    )
    for plan in shown:
        plan.finding_count = len(check_plan(plan))  # type: ignore[attr-defined]
    total = len(shown) if len(shown) < limit else drafts.count()
    return PlansDue(plans=shown, total=total)


def published_plans_of_units(actor: Actor, unit_ids: set[int], *, limit: int = 3) -> PlansDue:
    """Published and running plans of these units, the newest period first — two queries at most."""
    if actor.is_external or not unit_ids:
        return PlansDue(plans=[], total=0)
    plans = Plan.objects.for_org(actor.organisation).filter(
        status__in=[PlanStatus.PUBLISHED, PlanStatus.RUNNING], unit_id__in=unit_ids
    )
    shown = list(
        plans.select_related("unit", "organisation").order_by("-period_start", "unit__name", "pk")[:limit]
    )
    total = len(shown) if len(shown) < limit else plans.count()
    return PlansDue(plans=shown, total=total)


def plans_open_for_comment(actor: Actor) -> QuerySet[Plan]:
    """Plans out for comments whose comment deadline has not passed, that `actor` may read and comment on.

    The deadline is the last day comments are taken (today, Europe/Oslo, still counts); a plan sent out
    before deadlines existed has none and stays open until it moves on. External contributors and people
    outside the organisation get nothing. Ordered by the deadline, the closest first, with the unit loaded.
    """
    if actor.is_external or not actor.is_member:
        return Plan.objects.none()
    today = timezone.localdate()
    return (
        Plan.objects.for_org(actor.organisation)
        .filter(status=PlanStatus.CONSULTATION)
        .filter(Q(comments_until__gte=today) | Q(comments_until__isnull=True))
        .select_related("unit")
        .order_by(F("comments_until").asc(nulls_last=True), "unit__name", "pk")
    )
