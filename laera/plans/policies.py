"""Who may do what with plans and everything in them (`laera.core.policies`).

- Drafts are seen by those who coordinate the plan's unit (its working group, its leaders, admins); from
  the moment a plan goes out for comments everyone in the organisation reads it. External contributors
  see plans only through the invitations of the input rounds.
- Those who coordinate the unit edit drafts and plans out for comments (themes, outcomes, activities,
  sending for comments) and copy a plan into the next period; the unit's leader (or an admin) moves a plan
  to published, running, evaluation and closed (`TRANSITIONS`).
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.policies import PermissionPolicy, PolicyActor, refuse

from .models import Plan, PlanStatus

EDITABLE = {PlanStatus.DRAFT, PlanStatus.CONSULTATION}
# Who may move a plan from one status to the next: "coordinator" or "leader".
TRANSITIONS: dict[tuple[str, str], str] = {
    (PlanStatus.DRAFT, PlanStatus.CONSULTATION): "coordinator",
    (PlanStatus.CONSULTATION, PlanStatus.DRAFT): "coordinator",
    (PlanStatus.DRAFT, PlanStatus.PUBLISHED): "leader",
    (PlanStatus.CONSULTATION, PlanStatus.PUBLISHED): "leader",
    (PlanStatus.PUBLISHED, PlanStatus.RUNNING): "leader",
    (PlanStatus.PUBLISHED, PlanStatus.DRAFT): "leader",
    (PlanStatus.RUNNING, PlanStatus.EVALUATION): "leader",
    (PlanStatus.EVALUATION, PlanStatus.CLOSED): "leader",
}


class PlanAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # the plan, its themes, outcomes and activities, sending it for comments
    COORDINATE = "coordinate"  # the plan check, copying, the coordinators' status changes
    LEAD = "lead"  # the leaders' status changes


class PlanPolicy(PermissionPolicy[Plan]):
    model = Plan

    def allows(self, actor: PolicyActor, action: str, obj: Plan | None = None) -> bool:
        """Without a plan: may they do it to any plan at all (create one, for EDIT and COORDINATE)."""
        if action == PlanAction.VIEW:
            return actor.is_member and (
                obj is None or obj.status != PlanStatus.DRAFT or obj.unit_id in actor.coordinated_unit_ids
            )
        if action == PlanAction.LEAD:
            return bool(actor.led_unit_ids) if obj is None else obj.unit_id in actor.led_unit_ids
        coordinates = (
            bool(actor.coordinated_unit_ids) if obj is None else obj.unit_id in actor.coordinated_unit_ids
        )
        if action == PlanAction.EDIT:
            return coordinates and (obj is None or obj.status in EDITABLE)
        return coordinates

    def objects_for(self, actor: PolicyActor, action: str) -> models.QuerySet[Plan]:
        plans = self.in_organisation(actor)
        if action == PlanAction.VIEW:
            if not actor.is_member:
                return plans.none()
            return plans.filter(~Q(status=PlanStatus.DRAFT) | Q(unit_id__in=actor.coordinated_unit_ids))
        if action == PlanAction.LEAD:
            return plans.filter(unit_id__in=actor.led_unit_ids)
        plans = plans.filter(unit_id__in=actor.coordinated_unit_ids)
        return plans.filter(status__in=EDITABLE) if action == PlanAction.EDIT else plans

    def allows_in_unit(self, actor: PolicyActor, unit_id: int) -> bool:
        """Whether the actor may make plans for this unit."""
        return unit_id in actor.coordinated_unit_ids

    def require_in_unit(self, actor: PolicyActor | None, unit_id: int) -> None:
        """Refuse with 403 unless `allows_in_unit`; no actor is the operator (command line, demo, import)."""
        if actor is not None and not self.allows_in_unit(actor, unit_id):
            raise refuse()

    def allows_transition(self, actor: PolicyActor, plan: Plan, status: str) -> bool:
        """Whether the actor may move `plan` to `status` (False for a move that does not exist)."""
        who = TRANSITIONS.get((plan.status, status))
        if who is None:
            return False
        return self.allows(actor, PlanAction.LEAD if who == "leader" else PlanAction.COORDINATE, plan)

    def require_edit(self, actor: PolicyActor | None, plan: Plan) -> None:
        """Refuse a change to a plan that is no longer editable (`ServiceError`, saying why), then one the
        actor's role does not allow (403). No actor is the operator (command line, demo, import)."""
        if plan.status not in EDITABLE:
            raise ServiceError(
                _("The plan is %(status)s and can no longer be changed.")
                % {"status": plan.get_status_display().lower()}
            )
        if actor is not None and not self.allows(actor, PlanAction.COORDINATE, plan):
            raise refuse()


plan_policy = PlanPolicy()
