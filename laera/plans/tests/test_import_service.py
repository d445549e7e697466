"""Writing a plan from the exchange format is a service (`services.plan_import`); parsing stays pure."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from laera.core.errors import ServiceError
from laera.plans import documents, selectors, services
from laera.plans.models import Plan
from laera.testing.world import World

pytestmark = pytest.mark.django_db


def _with_child(world: World) -> Any:
    plan: Any = world.extra_objects["plan"]
    services.plan_create(
        actor=None,
        unit=world.other_team,
        parent=plan,
        data=services.PlanInput(
            name="Våren 2026 Mottak",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
        ),
    )
    return documents.document_for(selectors.plan_tree_queryset().get(pk=plan.pk))


def test_sub_plans_go_to_the_unit_of_the_same_name(world: World, other_world: World) -> None:
    doc = _with_child(world)
    plan = services.plan_import_with_children(actor=None, unit=other_world.team, doc=doc)
    child = Plan.objects.get(parent=plan)
    assert child.unit == other_world.other_team
    assert child.name == "Våren 2026 Mottak"
    assert plan.themes.count() == 1


def test_a_wrong_sub_plan_saves_nothing(world: World, other_world: World) -> None:
    doc = _with_child(world)
    bad_child = dataclasses.replace(doc.children[0], language="xx")
    before = Plan.objects.filter(organisation=other_world.organisation).count()
    with pytest.raises(ServiceError):
        services.plan_import_with_children(
            actor=None, unit=other_world.team, doc=dataclasses.replace(doc, children=(bad_child,))
        )
    assert Plan.objects.filter(organisation=other_world.organisation).count() == before


def test_plan_import_refuses_someone_who_does_not_plan_for_the_unit(world: World) -> None:
    doc = documents.document_for(selectors.plan_tree_queryset().get(pk=world.extra_objects["plan"].pk))
    with pytest.raises(PermissionDenied):
        services.plan_import(actor=world.actor("employee"), unit=world.team, doc=doc)
