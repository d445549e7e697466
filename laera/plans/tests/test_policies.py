"""Who may do what with plans (`laera.plans.policies`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from laera.core.errors import ServiceError
from laera.plans import services
from laera.plans.models import Plan, PlanStatus
from laera.plans.policies import PlanAction, plan_policy
from laera.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "view_draft", "edit", "lead"),
    [
        ("admin", True, True, True),
        ("leader", True, True, True),
        ("coordinator", True, True, False),
        ("employee", False, False, False),
        ("external", False, False, False),
        ("other_leader", False, False, False),
    ],
)
def test_a_draft_by_role(world: World, role: str, view_draft: bool, edit: bool, lead: bool) -> None:
    actor = world.actor(role)
    plan: Any = world.extra_objects["plan"]
    assert plan.status == PlanStatus.DRAFT
    assert plan_policy.allows(actor, PlanAction.VIEW, plan) is view_draft
    assert plan_policy.allows(actor, PlanAction.EDIT, plan) is edit
    assert plan_policy.allows(actor, PlanAction.COORDINATE, plan) is edit
    assert plan_policy.allows(actor, PlanAction.LEAD, plan) is lead
    assert (plan in plan_policy.objects_for(actor, PlanAction.VIEW)) is view_draft
    assert (plan in plan_policy.objects_for(actor, PlanAction.EDIT)) is edit
    assert plan_policy.allows_transition(actor, plan, PlanStatus.PUBLISHED) is lead
    assert plan_policy.allows_transition(actor, plan, PlanStatus.CLOSED) is False


def test_a_published_plan_is_read_by_every_member_and_edited_by_no_one(world: World) -> None:
    plan: Any = world.extra_objects["plan"]
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.PUBLISHED)
    plan.refresh_from_db()
    assert plan_policy.allows(world.actor("employee"), PlanAction.VIEW, plan)
    assert not plan_policy.allows(world.actor("external"), PlanAction.VIEW, plan)
    assert not plan_policy.allows(world.actor("admin"), PlanAction.EDIT, plan)
    assert plan_policy.allows(world.actor("admin"), PlanAction.COORDINATE, plan)
    assert plan not in plan_policy.objects_for(world.actor("admin"), PlanAction.EDIT)
    with pytest.raises(ServiceError):
        plan_policy.require_edit(world.actor("admin"), plan)


def test_require_edit_refuses_the_role_after_the_status(world: World) -> None:
    plan: Any = world.extra_objects["plan"]
    plan_policy.require_edit(world.actor("coordinator"), plan)
    plan_policy.require_edit(None, plan)
    with pytest.raises(PermissionDenied):
        plan_policy.require_edit(world.actor("employee"), plan)


def test_without_a_plan_the_question_is_whether_they_make_plans_at_all(world: World) -> None:
    assert plan_policy.allows(world.actor("coordinator"), PlanAction.EDIT)
    assert not plan_policy.allows(world.actor("employee"), PlanAction.EDIT)
    assert plan_policy.allows_in_unit(world.actor("coordinator"), world.team.pk)
    assert not plan_policy.allows_in_unit(world.actor("coordinator"), world.other_team.pk)


def test_the_services_still_read_the_status_rules_from_the_policy() -> None:
    assert services.EDITABLE == {PlanStatus.DRAFT, PlanStatus.CONSULTATION}
    assert services.TRANSITIONS[(PlanStatus.DRAFT, PlanStatus.PUBLISHED)] == "leader"
