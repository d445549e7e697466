from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from laera.core.errors import ServiceError
from laera.core.models import AuditEntry
from laera.core.versioning import ConflictError
from laera.mapping import services
from laera.mapping.method_catalogue import METHODS
from laera.mapping.models import Arena, KnowledgeFlow, Method, Recurrence
from laera.organisations import services as org_services

pytestmark = pytest.mark.django_db


def test_every_new_organisation_gets_the_method_bank() -> None:
    org, _admin, _pw = org_services.organisation_create(name="NAV Moss", admin_email="a@moss.no")
    keys = list(Method.objects.for_org(org).values_list("key", flat=True))
    assert keys == [m.key for m in METHODS]
    assert services.method_bank_install(org) == 0  # idempotent


def test_shipped_methods_speak_every_language(world: Any) -> None:
    method = world.extra_objects["method"]
    names = set()
    for code in ("nb", "nn", "sv", "da", "en"):
        with translation.override(code):
            names.add(method.display_name)
            assert method.display_description
    assert len(names) >= 4  # nb and nn may share a word, the rest differ


def test_editing_a_shipped_method_keeps_untouched_texts_translated(world: Any) -> None:
    method = world.extra_objects["method"]
    with translation.override("en"):
        english = method.display_description
        services.method_update(
            actor=world.actor("admin"),
            method=method,
            data=services.MethodInput(
                name="Fadder for nye",
                description=english,
                when_it_fits=method.display_when_it_fits,
                effort="low",
                mode="involves",
            ),
            version=method.version,
        )
    method.refresh_from_db()
    assert method.name == "Fadder for nye"
    assert method.description == ""  # still Læra's text, so still translated
    with translation.override("sv"):
        assert method.display_description != english
        assert method.display_name == "Fadder for nye"


def test_only_admins_and_leaders_edit_the_method_bank(world: Any) -> None:
    data = services.MethodInput(
        name="Lunsj og lær", description="", when_it_fits="", effort="low", mode="involves"
    )
    with pytest.raises(PermissionDenied):
        services.method_create(actor=world.actor("coordinator"), data=data)
    created = services.method_create(actor=world.actor("leader"), data=data)
    services.method_set_hidden(actor=world.actor("admin"), method=created, hidden=True)
    created.refresh_from_db()
    assert created.is_hidden


def _arena(**kwargs: Any) -> services.ArenaInput:
    values: dict[str, Any] = {
        "name": "Kontormøte",
        "recurrence": Recurrence.EVERY_2_WEEKS,
        "starts_on": datetime.date(2015, 1, 8),
    }
    values.update(kwargs)
    return services.ArenaInput(**values)


def test_arena_keeps_its_rrule(world: Any) -> None:
    arena = services.arena_create(actor=world.actor("coordinator"), unit=world.team, data=_arena())
    assert arena.rrule == "FREQ=WEEKLY;INTERVAL=2"
    leaders = services.arena_create(
        actor=world.actor("leader"),
        unit=world.team,
        data=_arena(name="Ledersamling", recurrence=Recurrence.TIMES_PER_YEAR, times_per_year=6),
    )
    assert leaders.rrule == "FREQ=YEARLY;BYMONTH=1,3,5,7,9,11"
    assert AuditEntry.objects.filter(action="arena.create", object_id=str(arena.pk)).exists()


def test_arena_rules(world: Any) -> None:
    actor = world.actor("coordinator")
    with pytest.raises(ServiceError):
        services.arena_create(actor=actor, unit=world.team, data=_arena(name=" "))
    with pytest.raises(ServiceError):
        services.arena_create(actor=actor, unit=world.team, data=_arena(starts_on=None))
    with pytest.raises(ServiceError):
        services.arena_create(actor=actor, unit=world.team, data=_arena(recurrence=Recurrence.TIMES_PER_YEAR))
    on_demand = services.arena_create(
        actor=actor,
        unit=world.team,
        data=_arena(name="Veiledning", recurrence=Recurrence.ON_DEMAND, starts_on=None),
    )
    assert on_demand.rrule == ""


def test_coordinators_map_only_their_own_units(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.arena_create(actor=world.actor("coordinator"), unit=world.other_team, data=_arena())
    with pytest.raises(PermissionDenied):
        services.arena_create(actor=world.actor("employee"), unit=world.team, data=_arena())
    with pytest.raises(PermissionDenied):
        services.flow_create(
            actor=world.actor("employee"), unit=world.team, data=services.FlowInput(transfer=2, activity="x")
        )


def test_foreign_people_cannot_be_named(world: Any, other_world: Any) -> None:
    with pytest.raises(ServiceError):
        services.arena_create(
            actor=world.actor("admin"), unit=world.team, data=_arena(responsible=other_world.people["leader"])
        )
    assert not Arena.objects.filter(name="Kontormøte").exists()


def test_second_save_of_the_same_version_is_refused(world: Any) -> None:
    arena = world.extra_objects["arena"]
    first = services.arena_update(
        actor=world.actor("coordinator"),
        arena=arena,
        data=_arena(name="Teammøte (tirsdag)"),
        version=arena.version,
    )
    assert first.version == arena.version + 1
    with pytest.raises(ConflictError):
        services.arena_update(
            actor=world.actor("leader"),
            arena=arena,
            data=_arena(name="Teammøte (onsdag)"),
            version=arena.version,
        )
    arena.refresh_from_db()
    assert arena.name == "Teammøte (tirsdag)"


def test_archive_and_restore(world: Any) -> None:
    arena = world.extra_objects["arena"]
    services.arena_set_archived(actor=world.actor("coordinator"), arena=arena, archived=True)
    assert arena.archived_at is not None
    services.arena_set_archived(actor=world.actor("coordinator"), arena=arena, archived=False)
    assert arena.archived_at is None


def test_flows(world: Any) -> None:
    actor = world.actor("coordinator")
    flow = services.flow_create(
        actor=actor,
        unit=world.team,
        data=services.FlowInput(
            transfer=4,
            activity="Rutiner skrives inn i veiledningsplattformen",
            arena_text="Veiledningsplattformen",
            formal_responsible_text="Daglig drift",
        ),
    )
    assert flow.arena_label == "Veiledningsplattformen" and flow.formal_label == "Daglig drift"
    with pytest.raises(ServiceError):
        services.flow_create(actor=actor, unit=world.team, data=services.FlowInput(transfer=10, activity="x"))
    with pytest.raises(ServiceError):
        services.flow_create(actor=actor, unit=world.team, data=services.FlowInput(transfer=3, activity=" "))
    services.flow_update(
        actor=actor, flow=flow, data=services.FlowInput(transfer=5, activity="Endret"), version=flow.version
    )
    flow.refresh_from_db()
    assert (flow.transfer, flow.activity, flow.arena_text) == (5, "Endret", "")
    services.flow_delete(actor=actor, flow=flow)
    assert not KnowledgeFlow.objects.filter(pk=flow.pk).exists()
