"""The base of every app's permission policy (laera/core/policies.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import translation

from laera.core.policies import PermissionPolicy
from laera.organisations.models import Unit
from laera.testing.world import World

pytestmark = pytest.mark.django_db


class _LeadersOnly(PermissionPolicy[Unit]):
    model = Unit

    def allows(self, actor: Any, action: str, obj: Unit | None = None) -> bool:
        if obj is None:
            return bool(actor.led_unit_ids)
        return obj.pk in actor.led_unit_ids

    def objects_for(self, actor: Any, action: str) -> models.QuerySet[Unit]:
        return self.in_organisation(actor).filter(pk__in=actor.led_unit_ids)


def test_require_refuses_with_403_in_the_users_language(world: World) -> None:
    policy = _LeadersOnly()
    policy.require(world.actor("leader"), "edit", world.team)
    with translation.override("nb"), pytest.raises(PermissionDenied) as refused:
        policy.require(world.actor("employee"), "edit", world.team)
    assert str(refused.value) == "Rollen din gir ikke tilgang til dette."


def test_objects_for_starts_in_the_actors_organisation(world: World, other_world: World) -> None:
    policy = _LeadersOnly()
    assert list(policy.objects_for(world.actor("leader"), "edit")) == [world.team]
    assert set(policy.in_organisation(world.actor("employee"))) == set(
        Unit.objects.filter(organisation=world.organisation)
    )
    assert not policy.in_organisation(world.actor("employee")).filter(organisation=other_world.organisation)


def test_the_base_answers_nothing_by_itself(world: World) -> None:
    class Unfinished(PermissionPolicy[Unit]):
        model = Unit

    with pytest.raises(NotImplementedError):
        Unfinished().allows(world.actor("admin"), "edit")
    with pytest.raises(NotImplementedError):
        Unfinished().objects_for(world.actor("admin"), "edit")


def test_by_default_objects_for_is_the_whole_organisation_or_nothing(
    world: World, other_world: World
) -> None:
    class AdminsOnly(PermissionPolicy[Unit]):
        model = Unit

        def allows(self, actor: Any, action: str, obj: Unit | None = None) -> bool:
            return bool(actor.is_admin)

    policy = AdminsOnly()
    assert set(policy.objects_for(world.actor("admin"), "edit")) == set(
        Unit.objects.filter(organisation=world.organisation)
    )
    assert not policy.objects_for(world.actor("employee"), "edit").exists()
