"""Who may do what with arenas, knowledge flows and the method bank (`laera.mapping.policies`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from laera.core.errors import ServiceError
from laera.mapping import services
from laera.mapping.models import Arena, Method
from laera.mapping.policies import MappingAction, MethodAction, arena_policy, flow_policy, method_policy
from laera.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "view", "edit"),
    [
        ("admin", True, True),
        ("leader", True, True),
        ("coordinator", True, True),
        ("employee", True, False),
        ("external", False, False),
        ("other_leader", True, False),
    ],
)
def test_arenas_and_flows_are_edited_by_those_who_coordinate_their_unit(
    world: World, role: str, view: bool, edit: bool
) -> None:
    actor = world.actor(role)
    arena: Any = world.extra_objects["arena"]
    flow: Any = world.extra_objects["flow"]
    assert arena_policy.allows(actor, MappingAction.VIEW, arena) is view
    assert arena_policy.allows(actor, MappingAction.EDIT, arena) is edit
    assert flow_policy.allows(actor, MappingAction.EDIT, flow) is edit
    assert flow_policy.allows_in_unit(actor, world.team.pk) is edit
    assert (arena in arena_policy.objects_for(actor, MappingAction.EDIT)) is edit
    assert (arena in arena_policy.objects_for(actor, MappingAction.VIEW)) is view
    if edit:
        arena_policy.require_in_unit(actor, world.team.pk)
    else:
        with pytest.raises(PermissionDenied):
            arena_policy.require_in_unit(actor, world.team.pk)


def test_the_operator_may_always_add_to_a_map(world: World) -> None:
    arena_policy.require_in_unit(None, world.team.pk)


def test_objects_for_stays_in_the_organisation(world: World, other_world: World) -> None:
    theirs = Arena.objects.filter(organisation=other_world.organisation)
    assert theirs.exists()
    assert not arena_policy.objects_for(world.actor("admin"), MappingAction.VIEW).filter(pk__in=theirs)


@pytest.mark.parametrize(
    ("role", "edit"),
    [("admin", True), ("leader", True), ("coordinator", False), ("employee", False), ("external", False)],
)
def test_admins_and_leaders_edit_the_method_bank_and_see_hidden_methods(
    world: World, role: str, edit: bool
) -> None:
    actor = world.actor(role)
    method: Any = world.extra_objects["method"]
    Method.objects.filter(pk=method.pk).update(is_hidden=True)
    method.refresh_from_db()
    assert method_policy.allows(actor, MethodAction.EDIT) is edit
    assert method_policy.allows(actor, MethodAction.VIEW, method) is edit
    assert (method in method_policy.objects_for(actor, MethodAction.VIEW)) is edit
    visible = method_policy.objects_for(actor, MethodAction.VIEW)
    assert visible.exists() is (role != "external")


def test_arenas_create_saves_all_or_none(world: World) -> None:
    before = Arena.objects.filter(unit=world.team).count()
    inputs = [services.ArenaInput(name="Fagdag", recurrence="on_demand"), services.ArenaInput(name=" ")]
    with pytest.raises(ServiceError):
        services.arenas_create(actor=world.actor("coordinator"), unit=world.team, inputs=inputs)
    assert Arena.objects.filter(unit=world.team).count() == before
    made = services.arenas_create(actor=world.actor("coordinator"), unit=world.team, inputs=inputs[:1])
    assert [a.name for a in made] == ["Fagdag"]
