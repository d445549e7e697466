"""Saving who takes part: what every service writing a model with participants calls.

A service applies the plain fields before it saves its object (`participants_apply`), sets the relations
after (`participants_set`), and audits with `participants_snapshot`, so the log names the units, job roles
and people by id. `participant_objects` are the chosen rows, for the service's organisation check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from laera.core.audit import snapshot

from ..models import JobRole, Person, Unit
from . import RELATIONS
from .models import Participants


class ParticipantsInput(Protocol):
    """The participants as a service receives them: an input dataclass, usually through `ParticipantsData`."""

    @property
    def participants_all(self) -> bool: ...

    @property
    def participant_units(self) -> Sequence[Unit]: ...

    @property
    def participant_job_roles(self) -> Sequence[JobRole]: ...

    @property
    def participant_people(self) -> Sequence[Person]: ...

    @property
    def participant_groups(self) -> str: ...


@dataclass(kw_only=True)
class ParticipantsData:
    """The participant fields of a service's input dataclass; keyword-only, so they can follow any field."""

    participants_all: bool = False
    participant_units: list[Unit] = field(default_factory=list)
    participant_job_roles: list[JobRole] = field(default_factory=list)
    participant_people: list[Person] = field(default_factory=list)
    participant_groups: str = ""


def participant_objects(data: ParticipantsInput) -> tuple[Unit | JobRole | Person, ...]:
    """Every unit, job role and person chosen, for `ensure_same_organisation`."""
    return (*data.participant_units, *data.participant_job_roles, *data.participant_people)


def participants_apply(obj: Participants, data: ParticipantsInput) -> None:
    """Copy the plain fields onto `obj` before it is saved."""
    obj.participants_all = data.participants_all
    obj.participant_groups = data.participant_groups.strip()


def participants_set(obj: Participants, data: ParticipantsInput) -> None:
    """Give the saved `obj` the units, job roles and people named on `data`."""
    for relation in RELATIONS:
        getattr(obj, relation).set(getattr(data, relation))


def participants_snapshot(obj: Participants) -> dict[str, Any]:
    """The audit snapshot of `obj`, with the ids of its participants."""
    return snapshot(obj) | {
        relation: sorted(o.pk for o in getattr(obj, relation).all()) for relation in RELATIONS
    }
