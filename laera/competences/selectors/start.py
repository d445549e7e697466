"""What the start page asks of a person about competences: rounds to answer or follow, ratings due,
critical gaps, and the catalogue's loose ends.

Each function runs a fixed number of queries (counts and aggregates in the database, a few rows shown),
so the start page costs the same in an office of twenty and in an organisation of twenty thousand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from laera.organisations.models import Membership
from laera.organisations.tenancy import Actor

from ..models import Assessment, Catalogue, MappingRound, Requirement, RoundParticipant
from ..requirements import RequirementResolver, profiles_of
from .gaps import Source, SummaryReader, rounds_with_figures
from .rounds import rounds_run_by


@dataclass
class RoundToAnswer:
    round: MappingRound
    answered: int
    applicable: int


@dataclass
class RoundsDue:
    rounds: list[MappingRound]
    total: int


@dataclass
class RatingsDue:
    round: MappingRound
    people: int


@dataclass
class CriticalGaps:
    round: MappingRound
    count: int


def _open(today: object) -> Q:
    return Q(opens_on__lte=today, deadline__gte=today, closed_at__isnull=True)


def rounds_to_answer_with_progress(actor: Actor, *, limit: int = 3) -> list[RoundToAnswer]:
    """Open rounds the actor takes part in and has not finished, the nearest deadline first, with how
    many of the competences that apply to them they have rated — the rounds, the person's profile, their
    ratings in those rounds, and two queries per catalogue among the rounds shown."""
    if actor.is_external:
        return []
    today = timezone.localdate()
    rounds = list(
        MappingRound.objects.filter(
            _open(today),
            organisation=actor.organisation,
            participants__person=actor.person,
            participants__submitted_at__isnull=True,
        ).order_by("deadline", "pk")[:limit]
    )
    if not rounds:
        return []
    profile = profiles_of([actor.person.pk])[actor.person.pk]
    resolvers: dict[int, RequirementResolver] = {}
    rated: dict[int, set[int]] = {round.pk: set() for round in rounds}
    for round_id, competence_id in Assessment.objects.filter(
        round_id__in=list(rated), person=actor.person, self_level__isnull=False
    ).values_list("round_id", "competence_id"):
        rated[round_id].add(competence_id)
    result = []
    for round in rounds:
        if round.catalogue_id not in resolvers:
            resolvers[round.catalogue_id] = RequirementResolver(actor.organisation, round.catalogue_id)
        needs = resolvers[round.catalogue_id].needs_for_profile(profile)
        # As the round's form: the competences required now or later.
        applicable = {cid for cid, need in needs.items() if need.level > 0 or need.future_level}
        result.append(
            RoundToAnswer(round=round, answered=len(applicable & rated[round.pk]), applicable=len(applicable))
        )
    return result


def rounds_running(actor: Actor, *, limit: int = 3) -> RoundsDue:
    """Open rounds with a unit the actor leads (admins: every open round), each with `participant_count`
    and `answered_count` — two queries."""
    if not actor.is_admin and not actor.led_unit_ids:
        return RoundsDue(rounds=[], total=0)
    rounds = rounds_run_by(actor).filter(_open(timezone.localdate()))
    shown = list(rounds.order_by("deadline", "pk")[:limit])
    total = len(shown) if len(shown) < limit else rounds.count()
    return RoundsDue(rounds=shown, total=total)


def leader_ratings_due(actor: Actor, *, limit: int = 3) -> list[RatingsDue]:
    """Rounds not yet closed in which people the actor leads have answered and wait for the leader's
    rating, with how many — one grouped query and one for the rounds. Nobody rates themself as leader."""
    led = actor.led_unit_ids
    if actor.is_external or not led:
        return []
    waiting = (
        RoundParticipant.objects.filter(
            organisation=actor.organisation,
            submitted_at__isnull=False,
            leader_done_at__isnull=True,
            round__closed_at__isnull=True,
            person__is_active=True,
        )
        .exclude(person=actor.person)
        .filter(Exists(Membership.objects.filter(person_id=OuterRef("person_id"), unit_id__in=led)))
    )
    counts = list(
        waiting.values("round_id")
        .annotate(people=Count("person_id", distinct=True))
        .order_by("-people")[:limit]
    )
    rounds = MappingRound.objects.in_bulk([row["round_id"] for row in counts])
    return [RatingsDue(round=rounds[row["round_id"]], people=row["people"]) for row in counts]


def critical_gaps(actor: Actor) -> CriticalGaps | None:
    """How many critical competences people of the units the actor leads are below the required level
    in, in the latest round with answers of the first catalogue — as the gap overview's rows of the top
    units they lead show them (small groups hidden), read from the round's summary: a fixed number of
    queries, whatever the size of the units."""
    led = actor.led_unit_ids
    if actor.is_admin or not led:
        return None
    rounds = rounds_with_figures(actor)
    if not rounds:
        return None
    round = rounds[0]
    parents = actor.parent_map()
    tops = {u for u in led if parents.get(u) not in led}
    with_below = {p for p in parents.values() if p is not None}
    reader = SummaryReader(round, Source.AGREED)
    own, tree = reader.both(sorted(tops - with_below), sorted(tops & with_below))
    threshold = actor.organisation.privacy_threshold
    critical = {
        competence_id
        for (_unit, competence_id), figures in (own | tree).items()
        if figures.importance_rank == 0 and figures.below > 0 and not figures.hidden(threshold).suppressed
    }
    return CriticalGaps(round=round, count=len(critical))


def catalogues_without_requirements(actor: Actor) -> int:
    """How many of the organisation's catalogues have competences but no requirements — one query."""
    if not actor.is_admin:
        return 0
    return (
        Catalogue.objects.filter(organisation=actor.organisation)
        .annotate(
            has_requirements=Exists(Requirement.objects.filter(competence__catalogue_id=OuterRef("pk"))),
        )
        .filter(has_requirements=False, competences__isnull=False)
        .distinct()
        .count()
    )
