"""Writes to arenas, knowledge flows and the method bank.

Coordinators edit the arenas and flows of the units whose working group they sit in; leaders those of
the units they lead; admins everything. The method bank belongs to the organisation: admins and leaders
edit it. Every write is audited. An edit names the version its form was opened with; a save from an
older version, or from none, is refused with the saved object (`laera.core.versioning`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laera.core.audit import audit_record, snapshot
from laera.core.errors import ServiceError
from laera.core.services.jobs import Progress, no_progress
from laera.core.versioning import bump, check_version
from laera.organisations.models import Organisation, Person, Unit
from laera.organisations.participants.services import (
    ParticipantsData,
    participant_objects,
    participants_apply,
    participants_set,
    participants_snapshot,
)
from laera.organisations.tenancy import Actor, actor_user, ensure_same_organisation

from .method_catalogue import METHODS
from .models import Arena, KnowledgeFlow, Method, Recurrence
from .policies import MethodAction, arena_policy, flow_policy, method_policy
from .recurrence import build_rrule

# Arenas -------------------------------------------------------------------------------------------


@dataclass
class ArenaInput(ParticipantsData):
    name: str
    kind: str = Arena.Kind.INTERNAL
    recurrence: str = Recurrence.WEEKLY
    times_per_year: int | None = None
    starts_on: datetime.date | None = None
    duration_minutes: int | None = None
    purpose: str = ""
    used_for_learning: bool = True
    responsible: Person | None = None
    responsible_external: str = ""
    informal_responsible: Person | None = None


def _apply_arena(arena: Arena, data: ArenaInput) -> None:
    name = data.name.strip()
    if not name:
        raise ServiceError(_("The arena needs a name."))
    if data.recurrence not in Recurrence.values:
        raise ServiceError(_("Unknown recurrence: %(value)s") % {"value": data.recurrence})
    if data.recurrence == Recurrence.TIMES_PER_YEAR and not (
        data.times_per_year and 1 <= data.times_per_year <= 12
    ):
        raise ServiceError(_("Say how many times a year the arena meets: a number from 1 to 12."))
    starts_on = data.starts_on
    if starts_on is None and data.recurrence != Recurrence.ON_DEMAND:
        raise ServiceError(_("Give the date of a meeting, so Læra can tell when the arena meets."))
    arena.name = name
    arena.kind = data.kind
    arena.recurrence = data.recurrence
    arena.times_per_year = data.times_per_year if data.recurrence == Recurrence.TIMES_PER_YEAR else None
    arena.starts_on = starts_on
    arena.rrule = build_rrule(data.recurrence, starts_on=starts_on, times_per_year=arena.times_per_year)
    arena.duration_minutes = data.duration_minutes
    arena.purpose = data.purpose
    arena.used_for_learning = data.used_for_learning
    participants_apply(arena, data)
    arena.responsible = data.responsible
    arena.responsible_external = data.responsible_external.strip()
    arena.informal_responsible = data.informal_responsible


@transaction.atomic
def arena_create(*, actor: Actor | None, unit: Unit, data: ArenaInput) -> Arena:
    arena_policy.require_in_unit(actor, unit.pk)
    ensure_same_organisation(
        unit.organisation, data.responsible, data.informal_responsible, *participant_objects(data)
    )
    arena = Arena(organisation=unit.organisation, unit=unit)
    _apply_arena(arena, data)
    arena.save()
    participants_set(arena, data)
    audit_record(
        actor=actor_user(actor),
        organisation=unit.organisation,
        action="arena.create",
        obj=arena,
        after=participants_snapshot(arena),
    )
    return arena


@transaction.atomic
def arenas_create(
    *, actor: Actor | None, unit: Unit, inputs: list[ArenaInput], progress: Progress | None = None
) -> list[Arena]:
    """Create every arena in `unit`, all or none (an import: one refused row saves none of them);
    `progress` hears how many are made."""
    arena_policy.require_in_unit(actor, unit.pk)
    report = progress or no_progress
    report(0, total=len(inputs), phase="saving")
    arenas = []
    for done, data in enumerate(inputs, start=1):
        arenas.append(arena_create(actor=actor, unit=unit, data=data))
        report(done)
    return arenas


@transaction.atomic
def arena_update(*, actor: Actor, arena: Arena, data: ArenaInput, version: int | None) -> Arena:
    """Save the arena; `version` is the one the form was opened with, so a later save by someone else
    is refused instead of silently overwritten."""
    locked = Arena.objects.select_for_update().get(pk=arena.pk)
    arena_policy.require_in_unit(actor, locked.unit_id)
    check_version(locked, version, _("arena"))
    ensure_same_organisation(
        actor.organisation, data.responsible, data.informal_responsible, *participant_objects(data)
    )
    before = participants_snapshot(locked)
    _apply_arena(locked, data)
    bump(locked)
    locked.save()
    participants_set(locked, data)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="arena.update",
        obj=locked,
        before=before,
        after=participants_snapshot(locked),
    )
    return locked


@transaction.atomic
def arena_set_archived(*, actor: Actor, arena: Arena, archived: bool) -> Arena:
    """Archived arenas keep their history and flows but leave the lists and calendars."""
    arena_policy.require_in_unit(actor, arena.unit_id)
    before = snapshot(arena, ["archived_at"])
    arena.archived_at = timezone.now() if archived else None
    arena.save(update_fields=["archived_at", "updated_at"])
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="arena.archive" if archived else "arena.restore",
        obj=arena,
        before=before,
        after=snapshot(arena, ["archived_at"]),
    )
    return arena


# Knowledge flows ----------------------------------------------------------------------------------


@dataclass
class FlowInput:
    transfer: int
    activity: str
    arena: Arena | None = None
    arena_text: str = ""
    formal_responsible: Person | None = None
    formal_responsible_text: str = ""
    informal_responsible: Person | None = None
    informal_responsible_text: str = ""


def _apply_flow(flow: KnowledgeFlow, data: FlowInput) -> None:
    if data.transfer not in range(1, 10):
        raise ServiceError(_("Choose one of the nine knowledge transfers."))
    activity = data.activity.strip()
    if not activity:
        raise ServiceError(_("Write the activity."))
    flow.transfer = data.transfer
    flow.activity = activity
    flow.arena = data.arena
    flow.arena_text = "" if data.arena else data.arena_text.strip()
    flow.formal_responsible = data.formal_responsible
    flow.formal_responsible_text = "" if data.formal_responsible else data.formal_responsible_text.strip()
    flow.informal_responsible = data.informal_responsible
    flow.informal_responsible_text = (
        "" if data.informal_responsible else data.informal_responsible_text.strip()
    )


@transaction.atomic
def flow_create(*, actor: Actor | None, unit: Unit, data: FlowInput) -> KnowledgeFlow:
    flow_policy.require_in_unit(actor, unit.pk)
    ensure_same_organisation(
        unit.organisation, data.arena, data.formal_responsible, data.informal_responsible
    )
    flow = KnowledgeFlow(organisation=unit.organisation, unit=unit)
    _apply_flow(flow, data)
    last = KnowledgeFlow.objects.filter(unit=unit, transfer=flow.transfer).order_by("-position").first()
    flow.position = (last.position + 1) if last else 0
    flow.save()
    audit_record(
        actor=actor_user(actor),
        organisation=unit.organisation,
        action="flow.create",
        obj=flow,
        after=snapshot(flow),
    )
    return flow


@transaction.atomic
def flow_update(*, actor: Actor, flow: KnowledgeFlow, data: FlowInput, version: int | None) -> KnowledgeFlow:
    flow = KnowledgeFlow.objects.select_for_update().get(pk=flow.pk)
    flow_policy.require_in_unit(actor, flow.unit_id)
    check_version(flow, version, _("row"))
    ensure_same_organisation(
        actor.organisation, data.arena, data.formal_responsible, data.informal_responsible
    )
    before = snapshot(flow)
    _apply_flow(flow, data)
    bump(flow)
    flow.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="flow.update",
        obj=flow,
        before=before,
        after=snapshot(flow),
    )
    return flow


@transaction.atomic
def flow_delete(*, actor: Actor, flow: KnowledgeFlow) -> None:
    flow_policy.require_in_unit(actor, flow.unit_id)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="flow.delete",
        obj=flow,
        before=snapshot(flow),
    )
    flow.delete()


# Method bank --------------------------------------------------------------------------------------


def method_bank_install(organisation: Organisation) -> int:
    """Give the organisation every shipped method it does not have yet; returns how many were added."""
    have = set(Method.objects.for_org(organisation).exclude(key="").values_list("key", flat=True))
    new = [
        Method(organisation=organisation, key=m.key, effort=m.effort, mode=m.mode, position=(i + 1) * 10)
        for i, m in enumerate(METHODS)
        if m.key not in have
    ]
    Method.objects.bulk_create(new)
    return len(new)


@dataclass
class MethodInput:
    name: str
    description: str
    when_it_fits: str
    effort: str
    mode: str


@transaction.atomic
def method_create(*, actor: Actor, data: MethodInput) -> Method:
    method_policy.require(actor, MethodAction.EDIT)
    if not data.name.strip():
        raise ServiceError(_("The method needs a name."))
    last = Method.objects.for_org(actor.organisation).order_by("-position").first()
    method = Method.objects.create(
        organisation=actor.organisation,
        name=data.name.strip(),
        description=data.description,
        when_it_fits=data.when_it_fits,
        effort=data.effort,
        mode=data.mode,
        position=(last.position + 10) if last else 10,
    )
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="method.create",
        obj=method,
        after=snapshot(method),
    )
    return method


@transaction.atomic
def method_update(*, actor: Actor, method: Method, data: MethodInput, version: int | None) -> Method:
    """Edit a method. For a shipped method, a text left as Læra wrote it stays translated."""
    method_policy.require(actor, MethodAction.EDIT)
    method = Method.objects.select_for_update().get(pk=method.pk)
    check_version(method, version, _("method"))
    if not data.name.strip():
        raise ServiceError(_("The method needs a name."))
    before = snapshot(method)
    shipped = method.shipped
    texts = {
        "name": data.name.strip(),
        "description": data.description.strip(),
        "when_it_fits": data.when_it_fits.strip(),
    }
    for attr, value in texts.items():
        default = str(getattr(shipped, attr)) if shipped is not None else None
        setattr(method, attr, "" if value == default else value)
    method.effort, method.mode = data.effort, data.mode
    bump(method)
    method.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="method.update",
        obj=method,
        before=before,
        after=snapshot(method),
    )
    return method


@transaction.atomic
def method_set_hidden(*, actor: Actor, method: Method, hidden: bool) -> Method:
    method_policy.require(actor, MethodAction.EDIT)
    method.is_hidden = hidden
    method.save(update_fields=["is_hidden", "updated_at"])
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="method.hide" if hidden else "method.show",
        obj=method,
        after={"is_hidden": hidden},
    )
    return method
