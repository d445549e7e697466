"""Who may do what with arenas, knowledge flows and the method bank (`laera.core.policies`).

Arenas and flows belong to a unit: everyone in the organisation but external contributors reads them;
those who coordinate the unit (its working group, its leaders, admins) add, edit, archive and delete
them. The method bank belongs to the organisation: admins and leaders edit it and see hidden methods.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Generic, TypeVar

from django.db import models

from laera.core.permissions import Role
from laera.core.policies import PermissionPolicy, PolicyActor, refuse

from .models import Arena, KnowledgeFlow, Method


class MappingAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # add, change, archive, delete


class MethodAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # add, change, hide, show
    VIEW_HIDDEN = "view_hidden"


U = TypeVar("U", Arena, KnowledgeFlow)


class UnitMappingPolicy(PermissionPolicy[U], Generic[U]):
    """The rules of an object that belongs to a unit's map (`unit_id`)."""

    def allows(self, actor: PolicyActor, action: str, obj: U | None = None) -> bool:
        if action == MappingAction.VIEW:
            return actor.is_member
        if obj is None:
            return bool(actor.coordinated_unit_ids)
        return self.allows_in_unit(actor, obj.unit_id)

    def allows_in_unit(self, actor: PolicyActor, unit_id: int) -> bool:
        """Whether the actor may add to, or change, the map of this unit."""
        return unit_id in actor.coordinated_unit_ids

    def require_in_unit(self, actor: PolicyActor | None, unit_id: int) -> None:
        """Refuse with 403 unless `allows_in_unit`; no actor is the operator (command line, demo)."""
        if actor is not None and not self.allows_in_unit(actor, unit_id):
            raise refuse()

    def objects_for(self, actor: PolicyActor, action: str) -> models.QuerySet[U]:
        if action == MappingAction.VIEW:
            return self.in_organisation(actor) if actor.is_member else self.model._default_manager.none()
        return self.in_organisation(actor).filter(unit_id__in=actor.coordinated_unit_ids)


class ArenaPolicy(UnitMappingPolicy[Arena]):
    model = Arena


class FlowPolicy(UnitMappingPolicy[KnowledgeFlow]):
    model = KnowledgeFlow


class MethodPolicy(PermissionPolicy[Method]):
    model = Method

    def allows(self, actor: PolicyActor, action: str, obj: Method | None = None) -> bool:
        may_edit = actor.role in (Role.ADMIN, Role.LEADER)
        if action in (MethodAction.EDIT, MethodAction.VIEW_HIDDEN):
            return may_edit
        if not actor.is_member:
            return False
        return obj is None or not obj.is_hidden or may_edit

    def objects_for(self, actor: PolicyActor, action: str) -> models.QuerySet[Method]:
        methods = super().objects_for(actor, action)
        if action == MethodAction.VIEW and not self.allows(actor, MethodAction.VIEW_HIDDEN):
            methods = methods.filter(is_hidden=False)
        return methods


arena_policy = ArenaPolicy()
flow_policy = FlowPolicy()
method_policy = MethodPolicy()
