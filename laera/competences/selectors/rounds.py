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
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from laera.core.permissions import descendants
from laera.organisations.models import Membership, Person, Unit
from laera.organisations.selectors import access_unit
from laera.organisations.tenancy import Actor

from ..figures_sql import progress_signature
from ..models import (
    Area,
    Assessment,
    Competence,
    MappingRound,
    Qualification,
    RoundParticipant,
    RoundUnitProgress,
    ScaleLevel,
)
from ..requirements import Need, needs_in_round
from .catalogues import COMPETENCES_AT_ONCE

# Rounds --------------------------------------------------------------------------------------------


def _count(participants: QuerySet[RoundParticipant]) -> Any:
    """The number of these participants of the outer round, as a subquery (0 for none)."""
    counted = participants.order_by().values("round_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_counts(rounds: QuerySet[MappingRound]) -> QuerySet[MappingRound]:
    """Each round with its number of participants and of those who have answered: a count per round
    through the participants' index, not a join of every participant of every round grouped afterwards."""
    participants = RoundParticipant.objects.filter(round_id=OuterRef("pk"))
    return rounds.select_related("catalogue").annotate(
        participant_count=_count(participants),
        answered_count=_count(participants.filter(submitted_at__isnull=False)),
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


PAGE_SIZE = 25
STATES = ("not_started", "in_progress", "answered")


@dataclass
class UnitProgress:
    """One row of the progress by unit: the people of the unit and of every unit below it, each once.
    `own` marks the row of the level's own people (members of the unit itself)."""

    unit: Unit
    total: int
    answered: int
    leader_done: int
    own: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass
class Crumb:
    """A step of the way down the unit tree: a unit, or None for all the actor's top units. `top` is the
    step the page opens at, reached without a unit."""

    unit: Unit | None
    top: bool = False


@dataclass
class RoundProgress:
    """What the round page shows to those who follow it: the figures of everyone they lead, the units of
    one level of the unit tree, and one page of the people of that level."""

    total: int
    answered: int
    leader_done: int
    level: Unit | None
    crumbs: list[Crumb]
    units: list[UnitProgress]
    page: Page[RoundParticipant]
    rows: list[ProgressRow]
    drilled: bool = False
    query: str = ""
    state: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def shows_units(self) -> bool:
        """Whether the level has units below it to list (its own people alone are its people list)."""
        return any(not row.own for row in self.units)

    @property
    def filters(self) -> str:
        """The query string of the level, the search and the filter, which the page links keep."""
        params = {
            "unit": self.level.pk if self.drilled and self.level else "",
            "q": self.query,
            "state": self.state,
        }
        return urlencode({key: value for key, value in params.items() if value})


def access_followed_unit(actor: Actor, unit_id: int) -> Unit:
    """A unit whose people's progress the actor follows: one they lead or one below it (admins: any);
    404 for any other, the same answer as for a missing unit or one of another organisation."""
    unit = access_unit(actor, unit_id)
    if not actor.leads(unit.pk):
        raise Http404
    return unit


def _in_units(participants: QuerySet[RoundParticipant], unit_ids: set[int]) -> QuerySet[RoundParticipant]:
    members = Membership.objects.filter(unit_id__in=sorted(unit_ids)).values("person_id")
    return participants.filter(person_id__in=members)


def _followed(actor: Actor, round: MappingRound) -> QuerySet[RoundParticipant]:
    """The round's participants the actor leads: the members of the units they lead (admins: everyone)."""
    participants = RoundParticipant.objects.filter(round=round)
    return participants if actor.is_admin else _in_units(participants, actor.led_unit_ids)


def _top_units(actor: Actor) -> list[int]:
    """The highest units the actor leads: those whose parent they do not lead."""
    led = actor.led_unit_ids
    parents = actor.parent_map()
    return sorted(unit_id for unit_id in led if parents.get(unit_id) not in led)


def _path(actor: Actor, unit_id: int | None) -> list[int]:
    """The unit and the units above it that the actor leads, from the top down."""
    path: list[int] = []
    while unit_id is not None and actor.leads(unit_id) and unit_id not in path:
        path.append(unit_id)
        unit_id = actor.parent_map().get(unit_id)
    return path[::-1]


def _unit_counts(
    actor: Actor, round: MappingRound, roots: list[int], own: int | None
) -> dict[int, tuple[int, int, int]]:
    """{row: (participants, answered, leader done)} for each root and every unit below it, each person
    once, and under the row 0 for the members of the unit `own` itself — one grouped query. Sibling
    subtrees do not overlap, so each membership falls in one row at most."""
    parents = actor.parent_map()
    whens = [When(person__memberships__unit_id=own, then=Value(0))] if own is not None else []
    units = {own} if own is not None else set()
    for root in roots:
        subtree = descendants(parents, {root})
        units |= subtree
        whens.append(When(person__memberships__unit_id__in=sorted(subtree), then=Value(root)))
    if not whens:
        return {}
    rows = (
        RoundParticipant.objects.filter(round=round, person__memberships__unit_id__in=sorted(units))
        .annotate(row=Case(*whens, output_field=IntegerField()))
        .values("row")
        .annotate(
            total=Count("person_id", distinct=True),
            answered=Count("person_id", distinct=True, filter=Q(submitted_at__isnull=False)),
            leader_done=Count("person_id", distinct=True, filter=Q(leader_done_at__isnull=False)),
        )
        .order_by()
    )
    return {r["row"]: (r["total"], r["answered"], r["leader_done"]) for r in rows}


def _stored_unit_counts(
    round: MappingRound, roots: list[int], own: int | None, drilled: int | None
) -> tuple[dict[int, tuple[int, int, int]], int] | None:
    """What `_unit_counts` counts, and the people of the unit drilled into (with those below it), read
    from the round's unit progress kept ready (services/progress.py): two queries, whatever the number of
    people. None when it is not current, to be counted live."""
    signature, stored = progress_signature(round)
    if signature != stored:
        return None
    wanted = set(roots) | {unit for unit in (own, drilled) if unit is not None}
    counts: dict[int, tuple[int, int, int]] = {}
    people = 0
    for row in RoundUnitProgress.objects.filter(round=round, unit_id__in=sorted(wanted)):
        if row.unit_id in roots and row.tree_total:
            counts[row.unit_id] = (row.tree_total, row.tree_answered, row.tree_leader_done)
        if row.unit_id == own and row.own_total:
            counts[0] = (row.own_total, row.own_answered, row.own_leader_done)
        if row.unit_id == drilled:
            people = row.tree_total
    return counts, people


def _people_page(
    round: MappingRound,
    participants: QuerySet[RoundParticipant],
    query: str,
    state: str,
    page: str | int | None,
    *,
    count: int | None = None,
) -> Page[RoundParticipant]:
    # The organisation (always the round's) lets the database walk its people by name from the index
    # and stop after the page, instead of sorting every participant.
    people = (
        participants.filter(person__organisation_id=round.organisation_id)
        .select_related("person")
        .order_by("person__full_name", "person_id")
    )
    if query:
        people = people.filter(person__full_name__icontains=query)
    if state == "answered":
        people = people.filter(submitted_at__isnull=False)
    elif state in ("in_progress", "not_started"):
        rated = Exists(
            Assessment.objects.filter(round=round, person_id=OuterRef("person_id"), self_level__isnull=False)
        )
        people = people.filter(rated if state == "in_progress" else ~rated, submitted_at__isnull=True)
    paginator = Paginator(people, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # known already: not counted again (a cached property)
    return paginator.get_page(page)


def _progress_rows(
    actor: Actor, round: MappingRound, participants: list[RoundParticipant]
) -> list[ProgressRow]:
    """Each person's state from their answers against what applies to them, for one page of people."""
    person_ids = [p.person_id for p in participants]
    if not person_ids:
        return []
    needs = needs_in_round(round, person_ids)
    rated: dict[int, set[int]] = defaultdict(set)
    answers = Assessment.objects.filter(round=round, person_id__in=person_ids, self_level__isnull=False)
    for person_id, competence_id in answers.values_list("person_id", "competence_id"):
        rated[person_id].add(competence_id)
    rows = []
    for participant in participants:
        applicable = set(needs.get(participant.person_id, {}))
        rows.append(
            ProgressRow(
                person=participant.person,
                participant=participant,
                answered=len(applicable & rated[participant.person_id]),
                applicable=len(applicable),
                can_rate=participant.person_id != actor.person.pk or actor.is_admin,
            )
        )
    return rows


def round_progress(
    actor: Actor,
    round: MappingRound,
    *,
    unit: Unit | None = None,
    query: str = "",
    state: str = "",
    page: str | int | None = 1,
) -> RoundProgress:
    """The progress of the round among the people the actor leads (admins: everyone), opened at one level
    of the unit tree, from where it drills down.

    Without `unit`, the level is the actor's top unit (or all their top units when there are several)
    and the people are everyone they lead; with `unit` (from `access_followed_unit`), that unit and the
    people of it and of the units below it. Only units with people in the round are listed. Everything is
    counted in the database and only the page of people shown is read: a fixed number of queries,
    whatever the number of people and units.
    """
    state = state if state in STATES else ""
    followed = _followed(actor, round)
    totals = followed.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(submitted_at__isnull=False)),
        leader_done=Count("pk", filter=Q(leader_done_at__isnull=False)),
    )
    parents = actor.parent_map()
    tops = _top_units(actor)
    level_id = unit.pk if unit is not None else (tops[0] if len(tops) == 1 else None)
    roots = sorted(u for u, parent in parents.items() if parent == level_id) if level_id is not None else tops
    stored = _stored_unit_counts(round, roots, level_id, unit.pk if unit is not None else None)
    counts = stored[0] if stored is not None else _unit_counts(actor, round, roots, level_id)
    path = _path(actor, level_id)
    wanted = sorted({row for row in counts if row} | set(path))
    units = {u.pk: u for u in Unit.objects.filter(organisation=actor.organisation, pk__in=wanted)}
    rows = sorted(
        (UnitProgress(units[row], *figures) for row, figures in counts.items() if row in units),
        key=lambda r: (r.unit.name.casefold(), r.unit.pk),
    )
    level = units.get(level_id) if level_id is not None else None
    if level is not None and 0 in counts:
        rows.append(UnitProgress(level, *counts[0], own=True))
    crumbs = [] if len(tops) == 1 else [Crumb(unit=None, top=True)]
    crumbs += [Crumb(unit=units[u], top=len(tops) == 1 and u == tops[0]) for u in path]
    people = followed if unit is None else _in_units(followed, descendants(parents, {unit.pk}))
    # How many people there are to page through is known already, unless the list is searched or filtered:
    # everyone followed at the top, the unit's people (from the summary, when current) a level down.
    known: int | None = None
    if not (query or state):
        known = totals["total"] if unit is None else (stored[1] if stored is not None else None)
    people_page = _people_page(round, people, query, state, page, count=known)
    return RoundProgress(
        total=totals["total"],
        answered=totals["answered"],
        leader_done=totals["leader_done"],
        level=level,
        crumbs=crumbs,
        units=rows,
        page=people_page,
        rows=_progress_rows(actor, round, list(people_page.object_list)),
        drilled=unit is not None,
        query=query,
        state=state,
    )


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
    groups: list[AreaGroup]  # the areas shown (and saved) on the page
    all_groups: list[AreaGroup] = field(default_factory=list)  # every area: the counts are of all of them

    def __post_init__(self) -> None:
        if not self.all_groups:
            self.all_groups = list(self.groups)

    @property
    def items(self) -> list[FormItem]:
        """The competences shown on the page: their rows are the forms opened and saved."""
        return [item for group in self.groups for item in group.items]

    @property
    def all_items(self) -> list[FormItem]:
        return [item for group in self.all_groups for item in group.items]

    @property
    def total(self) -> int:
        return len(self.all_items)

    @property
    def answered(self) -> int:
        return sum(item.answered for item in self.all_items)

    def rated_by(self, leader_id: int) -> int:
        """How many of the competences this leader rated last (another leader may have rated the rest)."""
        return sum(
            item.row is not None and item.row.leader_level is not None and item.row.leader_id == leader_id
            for item in self.all_items
        )

    def show_one_area(self, area_id: str | None) -> bool:
        """For more competences than a person reads at once, show (and save) one area: the one asked for,
        else the first with a competence not answered yet, else the first. Returns whether it did."""
        if self.total <= COMPETENCES_AT_ONCE or not self.all_groups:
            return False
        chosen = next((g for g in self.all_groups if str(g.area.pk) == area_id), None)
        if chosen is None:
            open_groups = [g for g in self.all_groups if any(not item.answered for item in g.items)]
            chosen = (open_groups or self.all_groups)[0]
        self.groups = [chosen]
        return True


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


FOUND_SHOWN = 15  # people found by name to add a qualification for


def people_for_qualifications(actor: Actor, name: str = "") -> list[Person]:
    """Whom the actor may add a qualification for — themself and the people they lead — whose name holds
    `name`, the first `FOUND_SHOWN` by name: one query, never the whole organisation."""
    people = Person.objects.filter(organisation=actor.organisation, is_active=True)
    if name:
        people = people.filter(full_name__icontains=name)
    if not actor.is_admin:
        led = led_people_ids(actor)
        if led is not None:
            people = people.filter(Q(pk=actor.person.pk) | Q(pk__in=led)).distinct()
    return list(people.order_by("full_name", "pk")[:FOUND_SHOWN])
