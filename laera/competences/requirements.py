"""Which requirements apply to whom: the rule every page and the gap analysis share.

A requirement names a job role, a unit, or both. It applies to a person when the job role (if given) is
the person's, and the unit (if given) is one of the person's units or above one of them. When several
apply to one competence, the highest level counts, and the greatest importance; the level needed later is
the highest of the future levels (or the level now, if that is higher).

Everything here works on plain ids and a handful of queries, whatever the number of people: people are
grouped into profiles (job role and the units they belong to), and each profile is resolved once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from laera.core.permissions import descendants
from laera.organisations.models import Membership, Organisation, Person, Unit

from .models import IMPORTANCE_RANK, MappingRound, Requirement


@dataclass(frozen=True)
class Need:
    """What one person needs in one competence."""

    level: int
    importance: str
    future_level: int | None = None
    future_by: datetime.date | None = None

    @property
    def is_required(self) -> bool:
        return self.level > 0


Profile = tuple[int | None, frozenset[int]]  # (job role id, unit ids the person is a member of)


class _Rule(NamedTuple):
    competence_id: int
    job_role_id: int | None
    unit_id: int | None
    level: int
    importance: str
    future_level: int | None
    future_by: datetime.date | None


def _ancestors(parent_map: dict[int, int | None], unit_id: int) -> set[int]:
    found: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in found:
        found.add(current)
        current = parent_map.get(current)
    return found


class RequirementResolver:
    """Resolves the needs of people against a catalogue's requirements, caching by profile."""

    def __init__(self, organisation: Organisation, catalogue_id: int) -> None:
        requirements = Requirement.objects.filter(
            organisation=organisation, competence__catalogue_id=catalogue_id
        )
        rules = [
            _Rule(*values)
            for values in requirements.values_list(
                "competence_id", "job_role_id", "unit_id", "level", "importance", "future_level", "future_by"
            )
        ]
        # The rules of each job role (None: the rules for every job role): a profile walks only the rules
        # that can apply to it, not those of every job role in the catalogue.
        self._by_job_role: dict[int | None, list[_Rule]] = {}
        for rule in rules:
            self._by_job_role.setdefault(rule.job_role_id, []).append(rule)
        # The units that some rule names: of the units a person reaches, only these tell people apart.
        self._rule_units = frozenset(rule.unit_id for rule in rules if rule.unit_id is not None)
        self.parent_map: dict[int, int | None] = dict(
            Unit.objects.filter(organisation=organisation).values_list("id", "parent_id")
        )
        self._cache: dict[Profile, dict[int, Need]] = {}
        self._resolved: dict[Profile, dict[int, Need]] = {}  # by job role and the named units reached

    def needs_for_profile(self, profile: Profile) -> dict[int, Need]:
        """{competence id: Need} for people with this job role and these units."""
        cached = self._cache.get(profile)
        if cached is not None:
            return cached
        job_role_id, unit_ids = profile
        reach: set[int] = set()
        for unit_id in unit_ids:
            reach |= _ancestors(self.parent_map, unit_id)
        # People of different units whose units reach the same named units need the same: resolved once
        # (in a large organisation the people of one page are in as many teams as there are people).
        same = (job_role_id, frozenset(reach & self._rule_units))
        cached = self._resolved.get(same)
        if cached is None:
            cached = self._resolved[same] = self._resolve(job_role_id, reach)
        self._cache[profile] = cached
        return cached

    def _resolve(self, job_role_id: int | None, reach: set[int]) -> dict[int, Need]:
        needs: dict[int, Need] = {}
        # Combining is order-free (the highest level and later level, the greatest importance).
        applicable = chain(
            self._by_job_role.get(None, ()),
            self._by_job_role.get(job_role_id, ()) if job_role_id is not None else (),
        )
        for rule in applicable:
            if rule.unit_id is not None and rule.unit_id not in reach:
                continue
            needs[rule.competence_id] = _combine(needs.get(rule.competence_id), rule)
        return needs

    def needs_for_people(self, person_ids: Iterable[int]) -> dict[int, dict[int, Need]]:
        """{person id: {competence id: Need}} in two queries."""
        ids = list(person_ids)
        profiles = profiles_of(ids)
        return {pid: self.needs_for_profile(profiles.get(pid, (None, frozenset()))) for pid in ids}


def _combine(current: Need | None, rule: _Rule) -> Need:
    if current is None:
        return Need(
            level=rule.level,
            importance=rule.importance,
            future_level=rule.future_level,
            future_by=rule.future_by,
        )
    if IMPORTANCE_RANK.get(rule.importance, 3) < IMPORTANCE_RANK.get(current.importance, 3):
        importance = rule.importance
    else:
        importance = current.importance
    levels = [v for v in (current.future_level, rule.future_level) if v is not None]
    dates = [d for d in (current.future_by, rule.future_by) if d is not None]
    return Need(
        level=max(rule.level, current.level),
        importance=importance,
        future_level=max(levels) if levels else None,
        future_by=max(dates) if dates else None,
    )


def profiles_of(person_ids: Iterable[int]) -> dict[int, Profile]:
    """{person id: (job role id, frozenset of unit ids)} in two queries."""
    ids = list(person_ids)
    units: dict[int, set[int]] = {pid: set() for pid in ids}
    for person_id, unit_id in Membership.objects.filter(person_id__in=ids).values_list(
        "person_id", "unit_id"
    ):
        units[person_id].add(unit_id)
    roles = dict(Person.objects.filter(pk__in=ids).values_list("id", "job_role_id"))
    return {pid: (roles.get(pid), frozenset(units[pid])) for pid in ids}


def people_in_units(organisation: Organisation, unit_ids: Iterable[int]) -> list[int]:
    """Active people who are members of these units or of units below them."""
    parent_map = dict(Unit.objects.filter(organisation=organisation).values_list("id", "parent_id"))
    reach = descendants(parent_map, set(unit_ids))
    return list(
        Person.objects.filter(organisation=organisation, is_active=True, memberships__unit_id__in=reach)
        .exclude(role="external")
        .values_list("id", flat=True)
        .distinct()
        .order_by("id")
    )


def needs_in_round(round: MappingRound, person_ids: Iterable[int]) -> dict[int, dict[int, Need]]:
    """{person id: {competence id: Need}} for the competences that apply to each person in the round."""
    resolver = RequirementResolver(round.organisation, round.catalogue_id)
    return {
        pid: {cid: need for cid, need in needs.items() if need.level > 0 or need.future_level}
        for pid, needs in resolver.needs_for_people(person_ids).items()
    }
