"""Reads for the mapping pages, scoped to the actor's organisation, with related rows fetched up front."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from laera.organisations.models import Unit
from laera.organisations.tenancy import Actor, get_in_organisation

from .models import Arena, KnowledgeFlow, Method
from .policies import MethodAction, method_policy
from .recurrence import occurrences
from .sveiby import TRANSFERS, Transfer


def _get(queryset: QuerySet[Any], actor: Actor, pk: int) -> Any:
    obj = get_in_organisation(queryset, actor, pk)
    actor.require_member()
    return obj


def _arenas() -> QuerySet[Arena]:
    return Arena.objects.select_related("unit", "responsible", "informal_responsible").prefetch_related(
        "participant_units", "participant_job_roles", "participant_people"
    )


def access_arena(actor: Actor, arena_id: int) -> Arena:
    return _get(_arenas(), actor, arena_id)


def access_flow(actor: Actor, flow_id: int) -> KnowledgeFlow:
    return _get(
        KnowledgeFlow.objects.select_related("unit", "arena", "formal_responsible", "informal_responsible"),
        actor,
        flow_id,
    )


def access_method(actor: Actor, method_id: int) -> Method:
    """The method; a hidden one is missing (404) for those who may not see hidden methods."""
    method: Method = _get(Method.objects.all(), actor, method_id)
    if not method_policy.allows(actor, MethodAction.VIEW, method):
        raise Http404
    return method


def arena_list(actor: Actor, *, unit: Unit | None = None, archived: bool = False) -> QuerySet[Arena]:
    actor.require_member()
    qs = _arenas().filter(organisation=actor.organisation, archived_at__isnull=not archived)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("unit__name", "name")


def units_for_mapping(actor: Actor) -> QuerySet[Unit]:
    """Every unit, with how many arenas and flows it has mapped."""
    actor.require_member()
    return (
        Unit.objects.for_org(actor.organisation)
        .annotate(
            arena_count=Count("arenas", filter=Q(arenas__archived_at__isnull=True), distinct=True),
            flow_count=Count("knowledge_flows", distinct=True),
            transfers_mapped=Count("knowledge_flows__transfer", distinct=True),
        )
        .order_by("name")
    )


@dataclass
class TransferSection:
    transfer: Transfer
    flows: list[KnowledgeFlow]

    @property
    def is_gap(self) -> bool:
        return not self.flows


def flows_by_transfer(actor: Actor, unit: Unit) -> list[TransferSection]:
    """The nine transfers in order, each with the unit's rows — one query."""
    actor.require_member()
    rows = list(
        KnowledgeFlow.objects.for_org(actor.organisation)
        .filter(unit=unit)
        .select_related("arena", "formal_responsible", "informal_responsible")
    )
    return [TransferSection(t, [r for r in rows if r.transfer == t.number]) for t in TRANSFERS]


def flow_counts(actor: Actor, unit: Unit) -> dict[int, int]:
    counts = Counter(
        KnowledgeFlow.objects.for_org(actor.organisation).filter(unit=unit).values_list("transfer", flat=True)
    )
    return {t.number: counts.get(t.number, 0) for t in TRANSFERS}


@dataclass
class ArenaDates:
    arena: Arena
    dates: list[datetime.date]
    by_month: list[list[datetime.date]] = field(default_factory=list)  # after `group_by_month`

    def group_by_month(self, months: list[datetime.date]) -> None:
        """The dates of each of these months (their first days), in order, for a calendar by month."""
        self.by_month = [[d for d in self.dates if (d.year, d.month) == (m.year, m.month)] for m in months]


def arena_calendar(
    actor: Actor, start: datetime.date, end: datetime.date, *, unit: Unit | None = None
) -> list[ArenaDates]:
    """When each active arena meets between `start` and `end`; arenas on demand have no dates."""
    return [
        ArenaDates(arena, occurrences(arena.rrule, arena.starts_on, start, end))
        for arena in arena_list(actor, unit=unit)
    ]


def responsibility_overview(actor: Actor, unit: Unit) -> tuple[list[Arena], list[KnowledgeFlow]]:
    """The unit's arenas and flows with who holds them formally and who carries them in practice."""
    arenas = list(arena_list(actor, unit=unit))
    flows = list(
        KnowledgeFlow.objects.for_org(actor.organisation)
        .filter(unit=unit)
        .select_related("arena", "formal_responsible", "informal_responsible")
    )
    return arenas, flows


def method_list(actor: Actor, *, mode: str = "") -> QuerySet[Method]:
    actor.require_member()
    qs = method_policy.objects_for(actor, MethodAction.VIEW)
    if mode:
        qs = qs.filter(mode=mode)
    return qs.order_by("position", "id")


@dataclass
class UnitsUnmapped:
    """Units with no arena or no knowledge flow mapped yet, a few of them, and how many in all."""

    units: list[Unit]
    total: int


def units_without_mapping(actor: Actor, unit_ids: set[int], *, limit: int = 3) -> UnitsUnmapped:
    """Of these units, those with no open arena or no knowledge flow yet, each with `arena_count` and
    `flow_count` — two queries, whatever the number of units."""
    if actor.is_external or not unit_ids:
        return UnitsUnmapped(units=[], total=0)
    units = (
        Unit.objects.for_org(actor.organisation)
        .filter(pk__in=unit_ids)
        .annotate(
            arena_count=Count("arenas", filter=Q(arenas__archived_at__isnull=True), distinct=True),
            flow_count=Count("knowledge_flows", distinct=True),
        )
        .filter(Q(arena_count=0) | Q(flow_count=0))
    )
    shown = list(units.order_by("name", "pk")[:limit])
    total = len(shown) if len(shown) < limit else units.count()
    return UnitsUnmapped(units=shown, total=total)
