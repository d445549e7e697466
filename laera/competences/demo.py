"""NAV Røyken's competences: the catalogue, requirements per job role, two mapping rounds and their answers.

The story the figures tell: motivational interviewing (MI) and the Supported Employment (SE) method are
critical for the advisers and most are below what is required, while a few people (Merethe Lunde, Espen
Moe, Ahmed Hassan) are far above it and could guide the others; digital skills were weak in the autumn
2014 round and have improved since. The autumn 2014 round is closed; a follow-up round is open now, so
the demo employee (ansatt@demo.laera.no) can answer it, and has not yet.

Idempotent: the catalogue, rounds, requirements, qualifications and the gap signal are looked up by
their natural keys before they are created through the services. The assessments of a round are written
in one go with bulk_create (the services write one competence at a time), with the requirement snapshot
taken from the same RequirementResolver the services use.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from laera.core.hooks import register_hook
from laera.core.permissions import descendants
from laera.organisations.models import JobRole, Membership, Organisation, Person, Unit
from laera.organisations.tenancy import Actor

from .catalogue_templates import TEMPLATES
from .models import (
    Assessment,
    Catalogue,
    Competence,
    GapSignal,
    Importance,
    MappingRound,
    Qualification,
    QualificationKind,
    Requirement,
    RoundParticipant,
)
from .requirements import Need
from .selectors.gaps import Source, group_figures
from .services import catalogues, evidence, figures, progress, rounds

TEMPLATE_KEY = "nav_office"
AUTUMN_ROUND = "Kartlegging høsten 2014"
CURRENT_ROUND = "Oppfølgingskartlegging etter høsten 2014"
FUTURE_BY = datetime.date(2015, 12, 31)

CRITICAL, IMPORTANT, USEFUL = Importance.CRITICAL, Importance.IMPORTANT, Importance.USEFUL

# (job role, competence key, level now, importance, level needed by FUTURE_BY or None)
ROLE_REQUIREMENTS: list[tuple[str, str, int, str, int | None]] = [
    ("NAV-veileder", "mi_basics", 3, CRITICAL, None),
    ("NAV-veileder", "mi_research", 2, USEFUL, None),
    ("NAV-veileder", "se_principles", 2, IMPORTANT, 3),
    ("NAV-veileder", "work_ability_assessment", 3, CRITICAL, None),
    ("NAV-veileder", "difficult_conversations", 2, IMPORTANT, None),
    ("NAV-veileder", "local_labour_market", 3, IMPORTANT, None),
    ("NAV-veileder", "labour_market_measures", 3, CRITICAL, None),
    ("NAV-veileder", "employer_cooperation", 2, IMPORTANT, 3),
    ("NAV-veileder", "quality_strategy", 2, IMPORTANT, None),
    ("NAV-veileder", "user_involvement", 3, IMPORTANT, None),
    ("NAV-veileder", "digital_dialogue", 2, IMPORTANT, 3),
    ("NAV-veileder", "case_systems", 3, CRITICAL, None),
    ("NAV-veileder", "privacy", 3, CRITICAL, None),
    ("NAV-veileder", "cross_professional", 2, USEFUL, None),
    ("Jobbveileder", "se_principles", 3, CRITICAL, None),
    ("Jobbveileder", "se_job_development", 3, CRITICAL, None),
    ("Jobbveileder", "se_workplace_follow_up", 3, CRITICAL, None),
    ("Jobbveileder", "se_career_profile", 3, IMPORTANT, None),
    ("Jobbveileder", "mi_basics", 3, CRITICAL, None),
    ("Jobbveileder", "local_labour_market", 3, IMPORTANT, None),
    ("Jobbveileder", "employer_cooperation", 3, CRITICAL, None),
    ("Jobbveileder", "digital_dialogue", 2, USEFUL, 3),
    ("Jobbveileder", "privacy", 3, CRITICAL, None),
    ("Delprosjektleder", "se_principles", 3, CRITICAL, None),
    ("Delprosjektleder", "employer_cooperation", 3, IMPORTANT, None),
    ("Delprosjektleder", "quality_improvement", 3, IMPORTANT, None),
    ("Delprosjektleder", "colleague_guidance", 3, IMPORTANT, None),
    ("Delprosjektleder", "privacy", 3, CRITICAL, None),
    ("Mellomleder", "quality_strategy", 3, CRITICAL, None),
    ("Mellomleder", "quality_improvement", 3, IMPORTANT, 4),
    ("Mellomleder", "user_involvement", 3, IMPORTANT, None),
    ("Mellomleder", "mi_basics", 2, USEFUL, None),
    ("Mellomleder", "colleague_guidance", 3, IMPORTANT, None),
    ("Mellomleder", "knowledge_sharing", 3, IMPORTANT, None),
    ("Mellomleder", "case_systems", 2, USEFUL, None),
    ("Mellomleder", "privacy", 3, CRITICAL, None),
    ("Fagansvarlig", "mi_basics", 3, CRITICAL, None),
    ("Fagansvarlig", "mi_research", 3, IMPORTANT, None),
    ("Fagansvarlig", "quality_strategy", 3, IMPORTANT, None),
    ("Fagansvarlig", "quality_improvement", 3, IMPORTANT, None),
    ("Fagansvarlig", "colleague_guidance", 3, CRITICAL, 4),
    ("Fagansvarlig", "knowledge_sharing", 3, IMPORTANT, None),
    ("Fagansvarlig", "privacy", 3, CRITICAL, None),
    ("Sosialfaglig veileder", "economic_assistance", 3, CRITICAL, None),
    ("Sosialfaglig veileder", "individual_plan", 3, CRITICAL, None),
    ("Sosialfaglig veileder", "housing", 3, IMPORTANT, None),
    ("Sosialfaglig veileder", "financial_advice", 3, IMPORTANT, None),
    ("Sosialfaglig veileder", "mi_basics", 3, IMPORTANT, None),
    ("Sosialfaglig veileder", "user_involvement", 3, IMPORTANT, None),
    ("Sosialfaglig veileder", "cross_professional", 3, IMPORTANT, None),
    ("Sosialfaglig veileder", "digital_dialogue", 2, USEFUL, 3),
    ("Sosialfaglig veileder", "case_systems", 3, IMPORTANT, None),
    ("Sosialfaglig veileder", "privacy", 3, CRITICAL, None),
    ("NAV-leder", "quality_strategy", 4, CRITICAL, None),
    ("NAV-leder", "quality_improvement", 3, IMPORTANT, None),
    ("NAV-leder", "user_involvement", 3, IMPORTANT, None),
    ("NAV-leder", "colleague_guidance", 2, USEFUL, None),
    ("NAV-leder", "privacy", 3, CRITICAL, None),
    ("HR-rådgiver", "privacy", 3, CRITICAL, None),
    ("HR-rådgiver", "knowledge_sharing", 3, IMPORTANT, None),
    ("HR-rådgiver", "colleague_guidance", 2, USEFUL, None),
    ("HR-rådgiver", "case_systems", 2, USEFUL, None),
]

# (unit, competence key, level now, importance, level needed by FUTURE_BY or None): what a team's
# own work asks of everyone in it, whatever their job role.
UNIT_REQUIREMENTS: list[tuple[str, str, int, str, int | None]] = [
    ("Oppfølgingsteam", "se_principles", 3, CRITICAL, None),
    ("Oppfølgingsteam", "se_workplace_follow_up", 2, IMPORTANT, 3),
    ("Sykefraværsteam", "sick_leave_rules", 3, CRITICAL, None),
    ("Sykefraværsteam", "dialogue_meetings", 3, CRITICAL, None),
    ("Mottaksteam", "difficult_conversations", 3, IMPORTANT, None),
]

MI_SE = {"mi_basics", "mi_research", "se_principles", "se_job_development", "se_workplace_follow_up"}
DIGITAL = {"digital_dialogue", "case_systems"}

# People far above what is required of them: the office's hidden competence.
STARS: dict[str, dict[str, int]] = {
    "merethe.lunde@demo.laera.no": {
        "mi_basics": 4,
        "mi_research": 4,
        "se_principles": 4,
        "se_workplace_follow_up": 4,
        "colleague_guidance": 4,
    },
    "espen.moe@demo.laera.no": {
        "mi_basics": 4,
        "se_principles": 4,
        "se_job_development": 4,
        "se_workplace_follow_up": 4,
        "se_career_profile": 4,
        "employer_cooperation": 4,
    },
    "ahmed.hassan@demo.laera.no": {"mi_basics": 4, "mi_research": 3, "difficult_conversations": 4},
    "koordinator@demo.laera.no": {"colleague_guidance": 4, "quality_strategy": 4},
    "ingrid.bakke@demo.laera.no": {"quality_improvement": 4},
}

# Who answers nothing (or only part) in the open round.
NOT_ANSWERED = {"ansatt@demo.laera.no"}
PARTLY_ANSWERED = {"tor.kristiansen@demo.laera.no", "camilla.vik@demo.laera.no"}
# Who did not finish the autumn round.
NOT_SUBMITTED_AUTUMN = {"anders.lie@demo.laera.no", "bjorn.sandvik@demo.laera.no"}

SELF_COMMENTS = {
    ("marit.johansen@demo.laera.no", "mi_basics"): (
        "Jeg har tatt e-læringen om MI, men trenger mer øving i egne samtaler."
    ),
    (
        "linda.strand@demo.laera.no",
        "se_principles",
    ): "Kjenner prinsippene, men har ikke jobbet etter dem selv.",
    ("nina.larsen@demo.laera.no", "digital_dialogue"): (
        "Bruker dialogen daglig nå, men ønsker tips om brukere som sliter med det digitale."
    ),
    ("jon.olsen@demo.laera.no", "dialogue_meetings"): "Har ledet mange dialogmøter, trygg på dette.",
    ("fatima.ali@demo.laera.no", "housing"): "Vil gjerne lære mer om midlertidig botilbud.",
    (
        "espen.moe@demo.laera.no",
        "se_job_development",
    ): "Kan gjerne vise kolleger hvordan vi jobber med arbeidsgivere.",
}
LEADER_COMMENTS = {
    ("marit.johansen@demo.laera.no", "mi_basics"): "Godt i gang. Delta i veiledningsgruppa for MI i vår.",
    ("merethe.lunde@demo.laera.no", "mi_basics"): "Kan veilede kolleger i MI, og bør få tid til det.",
    ("sara.pedersen@demo.laera.no", "case_systems"): "Trenger opplæring i saksbehandlingssystemet.",
}


@register_hook("demo_load", order=40)
def load(organisation: Organisation) -> None:
    catalogue = Catalogue.objects.filter(organisation=organisation, template_key=TEMPLATE_KEY).first()
    if catalogue is None:
        catalogue = catalogues.catalogue_from_template(
            actor=None, organisation=organisation, key=TEMPLATE_KEY, language="nb"
        )
    competences = competences_by_key(catalogue)
    units = {u.name: u for u in Unit.objects.for_org(organisation)}
    people = {p.email: p for p in Person.objects.for_org(organisation).select_related("job_role")}
    _requirements(organisation, competences, units)
    today = timezone.localdate()
    office = units["NAV Røyken"]
    autumn = _round(
        organisation, catalogue, office, AUTUMN_ROUND, datetime.date(2014, 10, 1), datetime.date(2014, 10, 31)
    )
    current = _round(
        organisation,
        catalogue,
        office,
        CURRENT_ROUND,
        today - datetime.timedelta(days=10),
        today + datetime.timedelta(days=20),
    )
    admin = people.get("admin@demo.laera.no")
    MappingRound.objects.filter(pk__in=[autumn.pk, current.pk], created_by__isnull=True).update(
        created_by=admin
    )
    if autumn.closed_at is None:
        autumn.closed_at = _at(datetime.date(2014, 11, 3), 9)
        MappingRound.objects.filter(pk=autumn.pk).update(closed_at=autumn.closed_at)
    leaders = _leaders(units, people)
    if not Assessment.objects.filter(round=autumn).exists():
        _answers(autumn, competences, people, leaders, first=True)
    if not Assessment.objects.filter(round=current).exists():
        _answers(current, competences, people, leaders, first=False)
    _qualifications(people, competences, today)
    _gap_signal(autumn, competences["mi_basics"], units["Oppfølgingsteam"], people)


def competences_by_key(catalogue: Catalogue) -> dict[str, Competence]:
    """The catalogue's competences by their template key: copied in template order, so matched by order."""
    template = TEMPLATES[TEMPLATE_KEY]
    keys = [item.key for area in template.areas for item in area.competences]
    ordered = sorted(
        Competence.objects.filter(catalogue=catalogue).select_related("area"),
        key=lambda c: (c.area.position, c.area_id, c.position, c.pk),
    )
    return dict(zip(keys, ordered, strict=False))


def _requirements(
    organisation: Organisation, competences: dict[str, Competence], units: dict[str, Unit]
) -> None:
    roles = {r.name: r for r in JobRole.objects.for_org(organisation)}
    wanted: list[catalogues.RequirementInput] = []
    for role_name, key, level, importance, future in ROLE_REQUIREMENTS:
        wanted.append(
            catalogues.RequirementInput(
                competence=competences[key],
                job_role=roles[role_name],
                level=level,
                importance=importance,
                future_level=future,
                future_by=FUTURE_BY if future is not None else None,
            )
        )
    for unit_name, key, level, importance, future in UNIT_REQUIREMENTS:
        wanted.append(
            catalogues.RequirementInput(
                competence=competences[key],
                unit=units[unit_name],
                level=level,
                importance=importance,
                future_level=future,
                future_by=FUTURE_BY if future is not None else None,
            )
        )
    have = {
        (r.competence_id, r.job_role_id, r.unit_id): (r.level, r.importance, r.future_level, r.future_by)
        for r in Requirement.objects.filter(
            organisation=organisation, competence__catalogue_id=_catalogue_id(competences)
        )
    }
    for data in wanted:
        natural_key = (
            data.competence.pk,
            data.job_role.pk if data.job_role else None,
            data.unit.pk if data.unit else None,
        )
        if have.get(natural_key) != (data.level, data.importance, data.future_level, data.future_by):
            catalogues.requirement_set(actor=None, data=data)


def _catalogue_id(competences: dict[str, Competence]) -> int:
    return next(iter(competences.values())).catalogue_id


def _round(
    organisation: Organisation,
    catalogue: Catalogue,
    office: Unit,
    name: str,
    opens_on: datetime.date,
    deadline: datetime.date,
) -> MappingRound:
    existing = MappingRound.objects.filter(organisation=organisation, catalogue=catalogue, name=name).first()
    if existing is not None:
        return existing
    return rounds.round_create(
        actor=None,
        organisation=organisation,
        data=rounds.RoundInput(
            name=name,
            catalogue=catalogue,
            units=[office],
            opens_on=opens_on,
            deadline=deadline,
            reminder_days=5,
            message=(
                "Vurder deg selv i kompetansene som gjelder din stilling. Lederen din legger til sin "
                "vurdering, og dere går gjennom den sammen i medarbeidersamtalen."
            ),
        ),
    )


def _leaders(units: dict[str, Unit], people: dict[str, Person]) -> dict[int, Person | None]:
    """{person id: who rates them}: the leader of their first unit, or of the unit above if that is them."""
    by_id = {u.pk: u for u in units.values()}
    leader_of: dict[int, Person | None] = {}
    persons = {p.pk: p for p in people.values()}
    first_unit: dict[int, int] = {}
    for person_id, unit_id in (
        Membership.objects.filter(person_id__in=persons).order_by("pk").values_list("person_id", "unit_id")
    ):
        first_unit.setdefault(person_id, unit_id)
    for person_id in persons:
        unit = by_id.get(first_unit.get(person_id, -1))
        leader_id = None
        while unit is not None:
            leader_id = unit.leader_id
            if leader_id is not None and leader_id != person_id:
                break
            leader_id = None
            unit = by_id.get(unit.parent_id) if unit.parent_id else None
        leader_of[person_id] = persons.get(leader_id) if leader_id else None
    return leader_of


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass
class _Rating:
    self_level: int | None
    leader_level: int | None
    agreed_level: int | None
    wants_to_learn: bool


def _level(email: str, key: str, need: Need, *, first: bool) -> int:
    """The person's true level, deterministic: about the requirement, lower in MI and SE, digital skills
    better in the later round, and the stars far above."""
    star = STARS.get(email, {}).get(key)
    if star is not None:
        return star
    rng = random.Random(f"{email}|{key}")  # noqa: S311 - demo data, seeded to repeat
    required = need.level
    if key in MI_SE:
        level = required - rng.choice([0, 1, 1, 1, 2])
    else:
        level = required + rng.choice([-1, 0, 0, 0, 1])
    if key in DIGITAL:
        level = level - 1 if first else level + rng.choice([0, 1])
    elif not first and rng.random() < 0.3:
        level += 1
    return max(0, min(4, level))


def _answers(
    round: MappingRound,
    competences: dict[str, Competence],
    people: dict[str, Person],
    leaders: dict[int, Person | None],
    *,
    first: bool,
) -> None:
    key_of = {c.pk: key for key, c in competences.items()}
    participants = list(RoundParticipant.objects.filter(round=round).select_related("person"))
    needs = rounds.needs_in_round(round, [p.person_id for p in participants])
    today = timezone.localdate()
    rows: list[Assessment] = []
    done: list[RoundParticipant] = []
    for index, participant in enumerate(sorted(participants, key=lambda p: p.person.email)):
        person = participant.person
        email = person.email
        if not first and email in NOT_ANSWERED:
            continue
        rng = random.Random(f"{round.name}|{email}")  # noqa: S311 - demo data, seeded to repeat
        applicable = sorted(needs[person.pk].items(), key=lambda item: item[1].level, reverse=True)
        if not first and email in PARTLY_ANSWERED:
            applicable = applicable[: len(applicable) // 2]
        leader = leaders.get(person.pk)
        # The autumn round: leaders rated almost everyone. The open round: Hilde Solberg has rated her team.
        rated = leader is not None and (
            (first and email not in NOT_SUBMITTED_AUTUMN)
            or (not first and leader.email == "hilde.solberg@demo.laera.no" and email not in PARTLY_ANSWERED)
        )
        if first:
            self_day = datetime.date(2014, 10, 6) + datetime.timedelta(days=index % 20)
            leader_day = datetime.date(2014, 10, 27) + datetime.timedelta(days=index % 5)
        else:
            self_day = round.opens_on + datetime.timedelta(days=index % 9)
            leader_day = min(today, self_day + datetime.timedelta(days=2))
        self_at = _at(self_day, 9 + index % 7, (index * 7) % 60)
        leader_at = _at(leader_day, 13, (index * 11) % 60)
        for competence_id, need in applicable:
            key = key_of[competence_id]
            true = _level(email, key, need, first=first)
            self_level = max(0, min(4, true + rng.choice([0, 0, 0, 1, -1])))
            leader_level = true if rated else None
            agreed = leader_level if rated and rng.random() < (0.5 if first else 0.2) else None
            below = true < need.level or (need.future_level is not None and true < need.future_level)
            wants = (below and rng.random() < 0.6) or (key in MI_SE and rng.random() < 0.3)
            rows.append(
                Assessment(
                    organisation_id=round.organisation_id,
                    round=round,
                    person=person,
                    competence_id=competence_id,
                    self_level=self_level,
                    self_comment=SELF_COMMENTS.get((email, key), ""),
                    wants_to_learn=wants,
                    self_at=self_at,
                    leader_level=leader_level,
                    leader_comment=LEADER_COMMENTS.get((email, key), "") if rated else "",
                    leader=leader if rated else None,
                    leader_at=leader_at if rated else None,
                    agreed_level=agreed,
                    agreed_at=leader_at if agreed is not None else None,
                    required_level=need.level,
                    future_level=need.future_level,
                    importance=need.importance,
                )
            )
        complete = email not in (NOT_SUBMITTED_AUTUMN if first else PARTLY_ANSWERED)
        if complete:
            participant.submitted_at = self_at
        if rated:
            participant.leader_done_at = leader_at
        if complete or rated:
            done.append(participant)
    Assessment.objects.bulk_create(rows, batch_size=1000)
    figures.figures_invalidate(round)  # rows written past the services: the heatmap's figures start afresh
    RoundParticipant.objects.bulk_update(done, ["submitted_at", "leader_done_at"], batch_size=500)
    progress.progress_drop(round)  # the marks too: the round's unit progress is built afresh


def _qualifications(
    people: dict[str, Person], competences: dict[str, Competence], today: datetime.date
) -> None:
    days = datetime.timedelta
    wanted = [
        (
            "espen.moe@demo.laera.no",
            rounds.QualificationInput(
                name="Sertifisering i Supported Employment",
                kind=QualificationKind.CERTIFICATE,
                issuer="NAV Kompetansesenter",
                obtained_on=datetime.date(2013, 5, 24),
                expires_on=today + days(45),
                competence=competences["se_principles"],
            ),
        ),
        (
            "merethe.lunde@demo.laera.no",
            rounds.QualificationInput(
                name="Veilederutdanning i motiverende intervju",
                kind=QualificationKind.COURSE,
                issuer="Høgskolen i Buskerud",
                obtained_on=datetime.date(2012, 6, 15),
                competence=competences["mi_basics"],
            ),
        ),
        (
            "mona.nilsen@demo.laera.no",
            rounds.QualificationInput(
                name="Bachelor i sosialt arbeid",
                kind=QualificationKind.EDUCATION,
                issuer="Høgskolen i Oslo",
                obtained_on=datetime.date(2008, 6, 20),
                competence=competences["economic_assistance"],
            ),
        ),
        (
            "nina.larsen@demo.laera.no",
            rounds.QualificationInput(
                name="Kurs i personvern og informasjonssikkerhet",
                kind=QualificationKind.COURSE,
                issuer="NAV",
                obtained_on=today - days(2 * 365 + 30),
                expires_on=today - days(30),
                competence=competences["privacy"],
                note="Må tas på nytt hvert andre år.",
            ),
        ),
        (
            "ahmed.hassan@demo.laera.no",
            rounds.QualificationInput(
                name="Kurs i håndtering av trusler og vold",
                kind=QualificationKind.COURSE,
                issuer="NAV",
                obtained_on=today - days(3 * 365 + 120),
                expires_on=today - days(120),
                competence=competences["difficult_conversations"],
            ),
        ),
        (
            "ingrid.bakke@demo.laera.no",
            rounds.QualificationInput(
                name="Kurs i å lede dialogmøter",
                kind=QualificationKind.COURSE,
                issuer="NAV Arbeidslivssenter",
                obtained_on=today - days(3 * 365 - 60),
                expires_on=today + days(60),
                competence=competences["dialogue_meetings"],
            ),
        ),
    ]
    for email, data in wanted:
        person = people.get(email)
        if person is None or Qualification.objects.filter(person=person, name=data.name).exists():
            continue
        rounds.qualification_create(actor=None, person=person, data=data)


def _gap_signal(round: MappingRound, competence: Competence, unit: Unit, people: dict[str, Person]) -> None:
    if GapSignal.objects.filter(competence=competence, round=round, unit=unit).exists():
        return
    parent_map = dict(
        Unit.objects.filter(organisation_id=round.organisation_id).values_list("id", "parent_id")
    )
    reach = sorted(descendants(parent_map, {unit.pk}))
    figures = group_figures(
        round, source=Source.AGREED, proficient=round.catalogue.proficient_level, unit_ids=reach
    ).get(competence.pk)
    if figures is None:
        return
    leader = people["hilde.solberg@demo.laera.no"]
    actor = Actor(organisation=round.organisation, person=leader)
    signal = evidence.gap_signal_create(
        actor=actor,
        competence=competence,
        figures=figures.hidden(round.organisation.privacy_threshold),
        round=round,
        unit=unit,
        note=(
            "De fleste veilederne i teamet er under kravet i MI. Merethe Lunde kan veilede; "
            "foreslår veiledningsgrupper i MI i planen for våren 2015."
        ),
    )
    GapSignal.objects.filter(pk=signal.pk).update(created_at=_at(datetime.date(2014, 11, 10), 10))
