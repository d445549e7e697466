"""Reads for plans: who may see which plan, and a plan with everything under it in a fixed number of queries.

Drafts are seen by those who edit them (the unit's coordinators, its leaders, admins). From the moment a
plan goes out for comments it is readable by everyone in the organisation; external contributors see
plans only through the invitations that come with the input rounds.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from laera.core.tenancy import Actor

from .models import Activity, Outcome, Plan, PlanStatus, Theme


def _visible(actor: Actor, plan: Plan) -> bool:
    if actor.is_external:
        return False
    return plan.status != PlanStatus.DRAFT or actor.can_coordinate(plan.unit_id)


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


def access_plan(actor: Actor, plan_id: Any, *, tree: bool = False) -> Plan:
    """The plan, or 404 when it is missing, in another organisation, or a draft this person may not see."""
    queryset = plan_tree_queryset() if tree else Plan.objects.select_related("unit", "organisation")
    try:
        plan = queryset.filter(organisation=actor.organisation).get(pk=int(plan_id))
    except (ValueError, TypeError, Plan.DoesNotExist) as exc:
        raise Http404 from exc
    if not _visible(actor, plan):
        raise Http404
    return plan


def _get(model: Any, actor: Actor, pk: Any, plan_path: str) -> Any:
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


def access_theme(actor: Actor, theme_id: Any) -> Theme:
    theme: Theme = _get(Theme, actor, theme_id, "plan")
    return theme


def access_outcome(actor: Actor, outcome_id: Any) -> Outcome:
    outcome: Outcome = _get(Outcome, actor, outcome_id, "theme__plan")
    return outcome


def access_activity(actor: Actor, activity_id: Any) -> Activity:
    activity: Activity = _get(Activity, actor, activity_id, "outcome__theme__plan")
    return activity


def plan_list(actor: Actor) -> QuerySet[Plan]:
    """Every plan this person may see, newest period first."""
    actor.require_member()
    qs = Plan.objects.for_org(actor.organisation).select_related("unit", "parent")
    return qs.filter(~Q(status=PlanStatus.DRAFT) | Q(unit_id__in=actor.coordinated_unit_ids)).order_by(
        "-period_start", "unit__name"
    )


def children_of(actor: Actor, plan: Plan) -> list[Plan]:
    return [child for child in plan_tree_queryset().filter(parent=plan) if _visible(actor, child)]
