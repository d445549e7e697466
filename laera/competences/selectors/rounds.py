"""What the round, self-assessment, leader-rating and qualification pages read.

Every function takes the acting person and returns only what they may see: a person's own answers, the
answers of the people they lead (admins: everyone), and the progress of the rounds they run. The list and
progress functions run a fixed number of queries, whatever the number of participants.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from laera.organisations.models import Membership, Person, Unit
from laera.organisations.tenancy import Actor

from ..models import (
    Area,
    Assessment,
    Competence,
    MappingRound,
    Qualification,
    RoundParticipant,
    ScaleLevel,
)
from ..requirements import Need, needs_in_round

# Rounds --------------------------------------------------------------------------------------------


def _with_counts(rounds: QuerySet[MappingRound]) -> QuerySet[MappingRound]:
    return rounds.select_related("catalogue").annotate(
        participant_count=Count("participants", distinct=True),
        answered_count=Count(
            "participants", filter=Q(participants__submitted_at__isnull=False), distinct=True
        ),
    )


def rounds_run_by(actor: Actor) -> QuerySet[MappingRound]:
    """The rounds whose progress the actor follows: all for admins, rounds with a unit they lead."""
    rounds = MappingRound.objects.filter(organisation=actor.organisation)
    if not actor.is_admin:
        led = actor.led_unit_ids
        if not led:
            return MappingRound.objects.none()
        rounds = rounds.filter(
            pk__in=MappingRound.units.through.objects.filter(unit_id__in=led).values("mappinground_id")
        )
    return _with_counts(rounds).order_by("-opens_on", "-id")


@dataclass
class MyRound:
    round: MappingRound
    participant: RoundParticipant

    @property
    def status(self) -> str:
        return self.round.status

    @property
    def can_answer(self) -> bool:
        return self.round.is_open


def my_rounds(actor: Actor) -> list[MyRound]:
    """The rounds the actor takes part in, newest first, with their own participation (one query)."""
    participations = (
        RoundParticipant.objects.filter(organisation=actor.organisation, person=actor.person)
        .select_related("round", "round__catalogue")
        .order_by("-round__opens_on", "-round__id")
    )
    return [MyRound(round=p.round, participant=p) for p in participations]


def units_for_rounds(actor: Actor) -> QuerySet[Unit]:
    """The units the actor may choose for a round: all for admins, the units they lead for leaders."""
    units = Unit.objects.filter(organisation=actor.organisation).order_by("name")
    if actor.is_admin:
        return units
    return units.filter(pk__in=actor.led_unit_ids)


@dataclass
class ProgressRow:
    person: Person
    participant: RoundParticipant
    answered: int
    applicable: int
    can_rate: bool

    @property
    def state(self) -> str:
        # Counted from the answers, so a competence added to the person's requirements since they
        # answered shows them as in progress again.
        if self.applicable and self.answered >= self.applicable:
            return "answered"
        if not self.applicable and self.participant.submitted_at is not None:
            return "answered"
        return "in_progress" if self.answered else "not_started"


@dataclass
class Progress:
    rows: list[ProgressRow]
    answered: int = 0
    total: int = 0
    leader_done: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def _people_led(actor: Actor, person_ids: list[int]) -> set[int]:
    """Which of these people the actor leads, in one query (admins lead everyone)."""
    if actor.is_admin:
        return set(person_ids)
    led = actor.led_unit_ids
    if not led:
        return set()
    return set(
        Membership.objects.filter(person_id__in=person_ids, unit_id__in=led).values_list(
            "person_id", flat=True
        )
    )


def round_progress(actor: Actor, round: MappingRound) -> Progress:
    """Who has answered, for the people of the round the actor leads (admins: everyone).

    A fixed number of queries: participants, memberships, the requirement resolver's few, and the
    answered rows.
    """
    participants = list(
        RoundParticipant.objects.filter(round=round)
        .select_related("person")
        .order_by("person__full_name", "person_id")
    )
    person_ids = [p.person_id for p in participants]
    led = _people_led(actor, person_ids)
    participants = [p for p in participants if p.person_id in led]
    person_ids = [p.person_id for p in participants]
    needs = needs_in_round(round, person_ids) if person_ids else {}
    rated: dict[int, set[int]] = defaultdict(set)
    rows = Assessment.objects.filter(round=round, person_id__in=person_ids, self_level__isnull=False)
    for person_id, competence_id in rows.values_list("person_id", "competence_id"):
        rated[person_id].add(competence_id)
    progress = Progress(rows=[])
    for participant in participants:
        applicable = set(needs.get(participant.person_id, {}))
        row = ProgressRow(
            person=participant.person,
            participant=participant,
            answered=len(applicable & rated[participant.person_id]),
            applicable=len(applicable),
            can_rate=participant.person_id != actor.person.pk or actor.is_admin,
        )
        progress.rows.append(row)
        progress.total += 1
        progress.answered += row.state == "answered"
        progress.leader_done += participant.leader_done_at is not None
    return progress


# The self-assessment form --------------------------------------------------------------------------


@dataclass
class FormItem:
    """One competence of the form: its requirement and its row (None until rated). The page adds the
    row's `form`, bound to what was sent or opened on the row, and a `conflict` when its save was refused."""

    competence: Competence
    need: Need
    row: Assessment | None
    form: Any = None
    conflict: Any = None

    @property
    def answered(self) -> bool:
        return self.row is not None and self.row.self_level is not None

    @property
    def version(self) -> int:
        """The row's version; 0 before the competence is rated."""
        return self.row.version if self.row is not None else 0


@dataclass
class AreaGroup:
    area: Area
    items: list[FormItem] = field(default_factory=list)


@dataclass
class AssessmentForm:
    """Everything the self-assessment and the leader's page show for one person in one round."""

    round: MappingRound
    person: Person
    levels: list[ScaleLevel]
    groups: list[AreaGroup]

    @property
    def items(self) -> list[FormItem]:
        return [item for group in self.groups for item in group.items]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def answered(self) -> int:
        return sum(item.answered for item in self.items)

    def rated_by(self, leader_id: int) -> int:
        """How many of the competences this leader rated last (another leader may have rated the rest)."""
        return sum(
            item.row is not None and item.row.leader_level is not None and item.row.leader_id == leader_id
            for item in self.items
        )


def assessment_form(round: MappingRound, person: Person) -> AssessmentForm:
    """The competences that apply to the person in the round, grouped by area, with their current row.

    The caller has checked the actor may see the person's answers.
    """
    needs = needs_in_round(round, [person.pk])[person.pk]
    ids = list(needs)
    competences = (
        Competence.objects.filter(catalogue_id=round.catalogue_id, pk__in=ids)
        .select_related("area")
        .order_by("area__position", "area_id", "position", "id")
    )
    rows = {
        a.competence_id: a
        for a in Assessment.objects.filter(round=round, person=person, competence_id__in=ids).select_related(
            "leader"
        )
    }
    groups: list[AreaGroup] = []
    for competence in competences:
        if not groups or groups[-1].area.pk != competence.area_id:
            groups.append(AreaGroup(area=competence.area))
        groups[-1].items.append(
            FormItem(competence=competence, need=needs[competence.pk], row=rows.get(competence.pk))
        )
    levels = list(ScaleLevel.objects.filter(catalogue_id=round.catalogue_id).order_by("value"))
    return AssessmentForm(round=round, person=person, levels=levels, groups=groups)


def assessment_row(round: MappingRound, person: Person, competence: Competence) -> Assessment | None:
    """The person's row for one competence as saved now; the caller has checked the actor may see it."""
    return (
        Assessment.objects.filter(round=round, person=person, competence=competence)
        .select_related("leader")
        .first()
    )


def answered_counts(round: MappingRound, person: Person) -> tuple[int, int]:
    """(answered, applicable) for one person in a round."""
    applicable = set(needs_in_round(round, [person.pk])[person.pk])
    rated = set(
        Assessment.objects.filter(round=round, person=person, self_level__isnull=False).values_list(
            "competence_id", flat=True
        )
    )
    return len(applicable & rated), len(applicable)


def participant_of(round: MappingRound, person: Person) -> RoundParticipant | None:
    return RoundParticipant.objects.filter(round=round, person=person).first()


# Qualifications ------------------------------------------------------------------------------------


def my_qualifications(actor: Actor) -> QuerySet[Qualification]:
    return (
        Qualification.objects.filter(organisation=actor.organisation, person=actor.person)
        .select_related("competence")
        .order_by("expires_on", "name", "id")
    )


def led_people_ids(actor: Actor) -> QuerySet[Any] | None:
    """A subquery of the people the actor leads; None for admins (everyone)."""
    if actor.is_admin:
        return None
    return Membership.objects.filter(unit_id__in=actor.led_unit_ids).values("person_id")


def qualifications_expiring(
    actor: Actor, days: int = 90, today: datetime.date | None = None
) -> QuerySet[Qualification]:
    """Qualifications of the people the actor leads (admins: everyone) expiring within `days`, and those
    already expired; soonest first. Empty for people who lead no one."""
    today = today or timezone.localdate()
    qualifications = Qualification.objects.filter(
        organisation=actor.organisation,
        expires_on__isnull=False,
        expires_on__lte=today + datetime.timedelta(days=days),
    )
    if not actor.is_admin:
        if not actor.led_unit_ids:
            return Qualification.objects.none()
        people = led_people_ids(actor)
        qualifications = qualifications.filter(person_id__in=people).exclude(person=actor.person)
    return qualifications.select_related("person", "competence").order_by(
        "expires_on", "person__full_name", "id"
    )


def people_for_qualifications(actor: Actor) -> QuerySet[Person]:
    """Whom the actor may add a qualification for: themself and the people they lead."""
    people = Person.objects.filter(organisation=actor.organisation, is_active=True)
    if actor.is_admin:
        return people.order_by("full_name")
    led = led_people_ids(actor)
    if led is None:
        return people.order_by("full_name")
    return people.filter(Q(pk=actor.person.pk) | Q(pk__in=led)).distinct().order_by("full_name")
