"""Who takes part, written once (`laera.organisations.participants`) and shared by arenas and activities."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from laera.mapping import services as mapping
from laera.mapping.forms import ArenaForm
from laera.mapping.models import Arena, Recurrence
from laera.organisations import participants
from laera.organisations.participants.forms import ParticipantFields
from laera.organisations.participants.models import Participants
from laera.organisations.participants.services import (
    ParticipantsData,
    participant_objects,
    participants_apply,
    participants_set,
    participants_snapshot,
)
from laera.plans.forms import ActivityForm
from laera.plans.models import Activity
from laera.testing.world import World

pytestmark = pytest.mark.django_db


def test_arenas_and_activities_share_the_fields_and_keep_their_own_join_tables() -> None:
    for model in (Arena, Activity):
        assert issubclass(model, Participants)
        for name in participants.FIELDS:
            assert model._meta.get_field(name).model is model
    units = Arena._meta.get_field("participant_units")
    assert units.m2m_db_table() == "mapping_arena_participant_units"  # type: ignore[union-attr]
    people = Activity._meta.get_field("participant_people")
    assert people.m2m_db_table() == "plans_activity_participant_people"  # type: ignore[union-attr]
    # No reverse accessor on the units, job roles and people.
    assert units.remote_field.related_name.endswith("+")  # type: ignore[union-attr]


def test_the_service_helpers_apply_set_and_audit_the_participants(world: World) -> None:
    arena: Any = world.extra_objects["arena"]
    data = ParticipantsData(
        participants_all=True,
        participant_units=[world.other_team],
        participant_job_roles=[world.job_role],
        participant_people=[world.people["employee"]],
        participant_groups="  Arbeidsgivere ",
    )
    assert participant_objects(data) == (world.other_team, world.job_role, world.people["employee"])
    participants_apply(arena, data)
    assert arena.participants_all is True
    assert arena.participant_groups == "Arbeidsgivere"
    participants_set(arena, data)
    snap = participants_snapshot(arena)
    assert snap["participant_units"] == [world.other_team.pk]
    assert snap["participant_job_roles"] == [world.job_role.pk]
    assert snap["participant_people"] == [world.people["employee"].pk]
    assert snap["participants_all"] is True


def test_services_take_the_participants_from_the_shared_input(world: World) -> None:
    arena = mapping.arena_create(
        actor=world.actor("coordinator"),
        unit=world.team,
        data=mapping.ArenaInput(
            name="Fagdag",
            recurrence=Recurrence.ON_DEMAND,
            participant_people=[world.people["leader"]],
            participant_groups="Brukerutvalget",
        ),
    )
    assert isinstance(mapping.ArenaInput(name="x"), ParticipantsData)
    with translation.override("en"):
        assert participants.participants_label(arena) == f"{world.people['leader'].full_name}, Brukerutvalget"


def test_the_form_mixin_gives_and_takes_the_five_values(world: World) -> None:
    arena: Any = world.extra_objects["arena"]
    initial = ParticipantFields.initial_participants(arena)
    assert set(initial) == set(participants.FIELDS)
    assert initial["participant_units"] == [world.team]
    actor = world.actor("coordinator")
    form = ArenaForm(
        {
            "name": "Teammøte",
            "unit": world.team.pk,
            "kind": "internal",
            "recurrence": Recurrence.WEEKLY,
            "starts_on": datetime.date(2026, 1, 5).isoformat(),
            "participant_units": [world.other_team.pk],
            "participant_groups": "Arbeidsgivere",
            "version": arena.version,
        },
        actor=actor,
        initial=ArenaForm.initial_for(arena),
    )
    assert form.is_valid(), form.errors
    data = form.to_input()
    assert data.participant_units == [world.other_team]
    assert data.participant_groups == "Arbeidsgivere"
    assert data.participants_all is False
    for form_class in (ArenaForm, ActivityForm):
        assert issubclass(form_class, ParticipantFields)
