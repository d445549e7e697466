"""What is expected of me: the levels required of the signed-in person, beside their own latest ratings.

One person's own requirements and own assessments only, so every member may read them about themself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from laera.organisations.tenancy import Actor

from ..models import IMPORTANCE_RANK, Assessment, Catalogue, Competence, Importance, ScaleLevel
from ..requirements import Need, RequirementResolver
from .access import rounds_to_answer


@dataclass(frozen=True)
class Expectation:
    """One competence required of the person: the level and importance, and their latest ratings."""

    competence: Competence
    need: Need
    self_level: int | None = None
    leader_level: int | None = None
    agreed_level: int | None = None
    rated_on: datetime.date | None = None  # the date of the round those ratings come from
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def current(self) -> int | None:
        """The level that counts: agreed, else the leader's rating, else the person's own."""
        for value in (self.agreed_level, self.leader_level, self.self_level):
            if value is not None:
                return value
        return None

    @property
    def below(self) -> bool:
        return self.current is not None and self.current < self.need.level

    @property
    def unrated(self) -> bool:
        return self.self_level is None and self.leader_level is None and self.agreed_level is None

    def label(self, value: int | None) -> str:
        return "" if value is None else self.labels.get(value, "")

    @property
    def required_label(self) -> str:
        return self.label(self.need.level)

    @property
    def self_label(self) -> str:
        return self.label(self.self_level)

    @property
    def leader_label(self) -> str:
        return self.label(self.leader_level)


@dataclass(frozen=True)
class ExpectedSummary:
    """The counts a start page shows about what is expected of the person."""

    required: int  # competences with a level required of the person now
    below: int  # of those, how many the person's current level is under
    unrated: int  # of those, how many have no rating yet
    critical_below: int  # below the requirement in a critical competence
    rounds_to_answer: int  # open mapping rounds the person has not finished
    next_deadline: datetime.date | None  # the earliest deadline among those rounds


def _required_of(actor: Actor) -> dict[int, Need]:
    """The competences with a level required of the actor now, with that need: per catalogue, the
    requirement resolver's three queries."""
    needs: dict[int, Need] = {}
    for catalogue_id in Catalogue.objects.filter(organisation=actor.organisation).values_list(
        "pk", flat=True
    ):
        resolver = RequirementResolver(actor.organisation, catalogue_id)
        for competence_id, need in (
            resolver.needs_for_people([actor.person.pk]).get(actor.person.pk, {}).items()
        ):
            if need.is_required:
                needs[competence_id] = need
    return needs


# (own, leader's, agreed level, the date of the round they come from)
Levels = tuple[int | None, int | None, int | None, datetime.date]


def _latest_levels(actor: Actor, competence_ids: Iterable[int]) -> dict[int, Levels]:
    """Per competence, the actor's ratings from the newest round that has one (one query, plain values)."""
    latest: dict[int, Levels] = {}
    rows = (
        Assessment.objects.filter(
            organisation=actor.organisation, person=actor.person, competence_id__in=competence_ids
        )
        .order_by("round__opens_on", "round_id")
        .values_list("competence_id", "self_level", "leader_level", "agreed_level", "round__opens_on")
    )
    for competence_id, own, leader, agreed, opens_on in rows:
        if own is not None or leader is not None or agreed is not None:
            latest[competence_id] = (own, leader, agreed, opens_on)  # the newest round wins
    return latest


def expected_of_me(actor: Actor) -> list[Expectation]:
    """Every competence with a level required of the actor now, critical first, then those they are
    below in, then by catalogue and area order — with their latest own, leader's and agreed ratings (from
    the newest round in which they have a row for that competence).

    A fixed number of queries: the catalogues, per catalogue the requirement resolver's three, then the
    competences, the person's assessment rows and the scale labels.
    """
    needs = _required_of(actor)
    if not needs:
        return []
    competences = {
        c.pk: c
        for c in Competence.objects.filter(organisation=actor.organisation, pk__in=needs).select_related(
            "area", "catalogue"
        )
    }
    latest = _latest_levels(actor, needs)
    labels: dict[int, dict[int, str]] = {}
    for level in ScaleLevel.objects.filter(catalogue_id__in={c.catalogue_id for c in competences.values()}):
        labels.setdefault(level.catalogue_id, {})[level.value] = level.label
    found = []
    for competence_id, need in needs.items():
        competence = competences.get(competence_id)
        if competence is None:
            continue
        found.append(
            _expectation(competence, need, latest.get(competence_id), labels.get(competence.catalogue_id))
        )
    found.sort(
        key=lambda e: (
            IMPORTANCE_RANK.get(e.need.importance, 3),
            not e.below,
            e.competence.catalogue.name.lower(),
            e.competence.area.position,
            e.competence.position,
            e.competence.pk,
        )
    )
    return found


def _expectation(
    competence: Competence, need: Need, levels: Levels | None, labels: dict[int, str] | None = None
) -> Expectation:
    if levels is None:
        return Expectation(competence=competence, need=need, labels=labels or {})
    own, leader, agreed, rated_on = levels
    return Expectation(
        competence=competence,
        need=need,
        self_level=own,
        leader_level=leader,
        agreed_level=agreed,
        rated_on=rated_on,
        labels=labels or {},
    )


def expected_of_me_summary(actor: Actor) -> ExpectedSummary:
    """The counts behind "What is expected of me", for the start page.

    `required`: competences with a level required of the actor now (by job role, unit or both, as in
    docs/competence-gap-analysis.md); `below`: how many of those the actor's current level (agreed, else
    the leader's, else their own rating, from the newest round that has one) is under; `unrated`: how
    many have no rating yet; `critical_below`: the part of `below` that is critical;
    `rounds_to_answer` and `next_deadline`: the open mapping rounds the actor has not finished
    answering, and the earliest of their deadlines. Reads only the actor's own requirements and
    ratings, so it is safe for every member of the organisation (externals get zeros unless they have
    requirements of their own).
    """
    # The counts only: the same needs and ratings as `expected_of_me`, read as plain values. A person may
    # be required 200 competences; the start page must not build 200 competences and their rows for four
    # numbers.
    needs = _required_of(actor)
    present = set(
        Competence.objects.filter(organisation=actor.organisation, pk__in=needs).values_list("pk", flat=True)
    )
    latest = _latest_levels(actor, present) if present else {}
    expectations = [_expectation(Competence(pk=pk), needs[pk], latest.get(pk)) for pk in present]
    open_rounds = [r for r in rounds_to_answer(actor) if r.deadline >= timezone.localdate()]
    return ExpectedSummary(
        required=len(expectations),
        below=sum(1 for e in expectations if e.below),
        unrated=sum(1 for e in expectations if e.unrated),
        critical_below=sum(1 for e in expectations if e.below and e.need.importance == Importance.CRITICAL),
        rounds_to_answer=len(open_rounds),
        next_deadline=min((r.deadline for r in open_rounds), default=None),
    )
