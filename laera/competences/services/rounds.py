"""Mapping rounds, self-assessment, the leader's rating, reminders and qualifications.

* A round is run by an admin, or by a leader for units they lead. Its participants are the active people
  of its units and the units below them when it is created; more can be added while it runs.
* Each participant rates exactly the competences that apply to them (a requirement now or later), while
  the round is open. Each save is one competence, so the form can save as the person goes.
* The leader of one of the person's units (or an admin) adds a rating and may record an agreed level,
  until the round is closed by hand. Both ratings stay side by side on the same row, each dated.
* Each row keeps the requirement that applied to the person; while the round is open, a change of
  requirement is carried into its rows.
* Every save names the version its form was opened with (`laera.core.versioning`); a competence not
  rated yet has no row, which its form says with version 0. A save from an older version, or from none,
  is refused with the row as saved, so two leaders never overwrite each other's rating.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from laera.core.audit import audit_record, snapshot
from laera.core.errors import ServiceError
from laera.core.notices import Notice, notify
from laera.core.versioning import ConflictError, bump, check_version
from laera.organisations.models import Organisation, Person, Unit
from laera.organisations.selectors import unit_leaders_of
from laera.organisations.tenancy import Actor, actor_user, ensure_same_organisation

from ..models import (
    Assessment,
    Catalogue,
    Competence,
    MappingRound,
    Qualification,
    QualificationKind,
    RoundParticipant,
)
from ..policies import PersonAction, RoundAction, assessment_policy, leads_person, round_policy
from ..requirements import Need, RequirementResolver, needs_in_round, people_in_units
from .figures import figures_refresh_after_commit, figures_refresh_cells
from .progress import progress_drop, progress_refresh_after_commit, progress_upkeep


@dataclass
class RoundInput:
    name: str
    catalogue: Catalogue
    units: list[Unit]
    opens_on: datetime.date
    deadline: datetime.date
    reminder_days: int = 3
    message: str = ""


def _check_round(data: RoundInput) -> None:
    if not data.name.strip():
        raise ServiceError(_("The round needs a name."))
    if not data.units:
        raise ServiceError(_("Choose at least one unit."))
    if data.deadline < data.opens_on:
        raise ServiceError(_("The deadline must be on or after the opening date."))
    if not 0 <= data.reminder_days <= 60:
        raise ServiceError(_("Send the reminder from 0 to 60 days before the deadline."))


@transaction.atomic
def round_create(*, actor: Actor | None, organisation: Organisation, data: RoundInput) -> MappingRound:
    """Create the round and invite the people of its units (and the units below them)."""
    if actor is not None:
        actor.require(round_policy.allows_for_units(actor, data.units))
        ensure_same_organisation(organisation, actor.person)
    ensure_same_organisation(organisation, data.catalogue, *data.units)
    _check_round(data)
    round = MappingRound.objects.create(
        organisation=organisation,
        catalogue=data.catalogue,
        name=data.name.strip(),
        opens_on=data.opens_on,
        deadline=data.deadline,
        reminder_days=data.reminder_days,
        message=data.message.strip(),
        created_by=actor.person if actor is not None else None,
    )
    round.units.set(data.units)
    added = participants_sync(round)
    round_announce(round)
    audit_record(
        actor=actor_user(actor),
        organisation=organisation,
        action="round.create",
        obj=round,
        after={**snapshot(round), "units": [u.pk for u in data.units], "participants": added},
    )
    figures_refresh_after_commit(organisation_id=organisation.pk)
    return round


@transaction.atomic
def round_update(*, actor: Actor, round: MappingRound, data: RoundInput, version: int | None) -> MappingRound:
    """Change the name, dates, units or reminder; people of newly added units are invited."""
    locked = MappingRound.objects.select_for_update().get(pk=round.pk)
    round_policy.require(actor, RoundAction.MANAGE, locked)
    actor.require(round_policy.allows_for_units(actor, data.units))  # and of the units it will have
    check_version(locked, version, _("mapping round"))
    ensure_same_organisation(actor.organisation, data.catalogue, *data.units)
    if data.catalogue.pk != locked.catalogue_id and locked.assessments.exists():
        raise ServiceError(_("People have answered already, so the round keeps its catalogue."))
    _check_round(data)
    before = {**snapshot(locked), "units": sorted(locked.units.values_list("id", flat=True))}
    locked.name = data.name.strip()
    locked.catalogue = data.catalogue
    locked.opens_on = data.opens_on
    locked.deadline = data.deadline
    locked.reminder_days = data.reminder_days
    locked.message = data.message.strip()
    bump(locked)
    locked.save()
    locked.units.set(data.units)
    added = participants_sync(locked)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="round.update",
        obj=locked,
        before=before,
        after={**snapshot(locked), "units": [u.pk for u in data.units], "participants_added": added},
    )
    return locked


@transaction.atomic
def round_close(*, actor: Actor, round: MappingRound) -> MappingRound:
    """Close the round now: no more answers or ratings; its figures stay as they are."""
    locked = MappingRound.objects.select_for_update().get(pk=round.pk)
    round_policy.require(actor, RoundAction.MANAGE, locked)
    if locked.closed_at is not None:
        return locked
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at", "updated_at"])
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="round.close",
        obj=locked,
        after=snapshot(locked, ["closed_at"]),
    )
    return locked


def participants_sync(round: MappingRound) -> int:
    """Invite the active people of the round's units who are not invited yet; returns how many."""
    unit_ids = list(round.units.values_list("id", flat=True))
    wanted = people_in_units(round.organisation, unit_ids)
    have = set(RoundParticipant.objects.filter(round=round).values_list("person_id", flat=True))
    new = [
        RoundParticipant(organisation_id=round.organisation_id, round=round, person_id=pid)
        for pid in wanted
        if pid not in have
    ]
    RoundParticipant.objects.bulk_create(new, batch_size=2000)
    if new:
        progress_refresh_after_commit(organisation_id=round.organisation_id)
    return len(new)


def _participant(round: MappingRound, person: Person) -> RoundParticipant:
    participant = RoundParticipant.objects.filter(round=round, person=person).first()
    if participant is None:
        raise ServiceError(_("You are not taking part in this mapping round."))
    return participant


def _check_level(round: MappingRound, level: int | None) -> None:
    if level is None:
        return
    top = round.catalogue.levels.aggregate(m=Max("value"))["m"]
    if top is None or not 0 <= level <= top:
        raise ServiceError(_("Choose a step of the scale, from 0 to %(top)s.") % {"top": top or 0})


def _row(
    round: MappingRound, person: Person, competence: Competence, need: Need, version: int | None
) -> Assessment:
    """The person's row for the competence, locked and checked against `version`; a new row is made
    at version 0, the version of a competence not rated yet, and counts 1 once saved."""
    row, _created = Assessment.objects.select_for_update().get_or_create(
        round=round,
        person=person,
        competence=competence,
        defaults={
            "organisation_id": round.organisation_id,
            "required_level": need.level,
            "future_level": need.future_level,
            "importance": need.importance,
            "version": 0,
        },
    )
    check_version(row, version, _("assessment"))
    bump(row)
    if round.closed_at is None:
        row.required_level, row.future_level, row.importance = need.level, need.future_level, need.importance
    return row


@dataclass
class SelfInput:
    competence: Competence
    level: int | None
    comment: str = ""
    wants_to_learn: bool = False


@transaction.atomic
def assessment_save_self(
    *, actor: Actor, round: MappingRound, data: SelfInput, version: int | None
) -> Assessment:
    """Save the actor's own rating of one competence in an open round, from the row's `version` when its
    form was opened (0: not rated yet)."""
    ensure_same_organisation(actor.organisation, round, data.competence)
    if not round.is_open:
        raise ServiceError(_("The mapping round is not open, so answers cannot be changed."))
    participant = _participant(round, actor.person)
    need = needs_in_round(round, [actor.person.pk])[actor.person.pk].get(data.competence.pk)
    if need is None or data.competence.catalogue_id != round.catalogue_id:
        raise ServiceError(_("This competence is not part of your mapping."))
    _check_level(round, data.level)
    row = _row(round, actor.person, data.competence, need, version)
    before = snapshot(row, ["self_level", "self_comment", "wants_to_learn"])
    row.self_level = data.level
    row.self_comment = data.comment.strip()
    row.wants_to_learn = data.wants_to_learn
    row.self_at = timezone.now()
    row.save()
    # "Answered" follows the answers: set when the last competence is rated, cleared if one is unrated.
    answered_all = _answered_all(round, actor.person.pk)
    if (participant.submitted_at is None) == answered_all:
        participant.submitted_at = row.self_at if answered_all else None
        participant.save(update_fields=["submitted_at", "updated_at"])
        progress_upkeep(round, person_id=actor.person.pk, answered=1 if answered_all else -1)
        if answered_all:
            _ask_leaders_to_rate(round, actor.person)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="assessment.self",
        obj=row,
        before=before,
        after=snapshot(row, ["self_level", "self_comment", "wants_to_learn"]),
    )
    # Last, as it locks the round until the end of the transaction.
    figures_refresh_cells(round, person_id=actor.person.pk, competence_ids=[data.competence.pk])
    return row


def _answered_all(round: MappingRound, person_id: int) -> bool:
    applicable = set(needs_in_round(round, [person_id])[person_id])
    rated = set(
        Assessment.objects.filter(round=round, person_id=person_id, self_level__isnull=False).values_list(
            "competence_id", flat=True
        )
    )
    return applicable <= rated


@dataclass
class LeaderInput:
    competence: Competence
    level: int | None
    comment: str = ""
    agreed_level: int | None = None


@transaction.atomic
def assessment_save_leader(
    *, actor: Actor, round: MappingRound, person: Person, data: LeaderInput, version: int | None
) -> Assessment:
    """The leader's rating of one person in one competence, and the level they agreed on, if any, from
    the row's `version` when the form was opened (0: not rated yet), so that two leaders rating the same
    person never overwrite each other."""
    ensure_same_organisation(actor.organisation, round, person, data.competence)
    if person.pk == actor.person.pk and not actor.is_admin:
        raise ServiceError(_("Your own leader rates you, not you yourself."))
    actor.require(leads_person(actor, person.pk))
    if round.closed_at is not None:
        raise ServiceError(_("The mapping round is closed, so ratings cannot be changed."))
    if round.status == "planned":
        raise ServiceError(_("The mapping round has not opened yet."))
    _participant(round, person)
    need = needs_in_round(round, [person.pk])[person.pk].get(data.competence.pk)
    if need is None or data.competence.catalogue_id != round.catalogue_id:
        raise ServiceError(_("This competence is not part of this person's mapping."))
    _check_level(round, data.level)
    _check_level(round, data.agreed_level)
    row = _row(round, person, data.competence, need, version)
    fields = ["leader_level", "leader_comment", "agreed_level"]
    before = snapshot(row, fields)
    now = timezone.now()
    row.leader_level = data.level
    row.leader_comment = data.comment.strip()
    row.leader = actor.person
    row.leader_at = now
    if data.agreed_level != row.agreed_level:
        row.agreed_at = now if data.agreed_level is not None else None
    row.agreed_level = data.agreed_level
    row.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="assessment.leader",
        obj=row,
        before=before,
        after=snapshot(row, fields),
    )
    # Last, as it locks the round until the end of the transaction.
    figures_refresh_cells(round, person_id=person.pk, competence_ids=[data.competence.pk])
    return row


def _save_rows(
    rows: Sequence[tuple[Any, int | None]], save: Callable[[Any, int | None], object], rollback: bool
) -> dict[int, ConflictError]:
    """Save each row; those refused for their version are collected rather than raised, so that a page
    learns of all of them at once. Any refusal (or `rollback`) undoes every row: a page is all or none."""
    conflicts: dict[int, ConflictError] = {}
    for index, (data, version) in enumerate(rows):
        try:
            save(data, version)
        except ConflictError as exc:  # the row's own savepoint is rolled back; the others go on
            conflicts[index] = exc
    if conflicts or rollback:
        transaction.set_rollback(True)
    return conflicts


@transaction.atomic
def assessments_save_self(
    *,
    actor: Actor,
    round: MappingRound,
    rows: Sequence[tuple[SelfInput, int | None]],
    rollback: bool = False,
) -> dict[int, ConflictError]:
    """Save the actor's answers of a whole page (each row as `assessment_save_self`, with the version it
    was opened with), all or none. Returns {} when every row is saved; else, by the row's index, the rows
    refused for their version, and nothing is saved. `rollback` saves none even so: the page had rows
    refused before they were sent here, and the caller wants to learn of these too. Any other refusal
    (`ServiceError`) is raised, and nothing is saved."""
    return _save_rows(
        rows,
        lambda data, version: assessment_save_self(actor=actor, round=round, data=data, version=version),
        rollback,
    )


@transaction.atomic
def assessments_save_leader(
    *,
    actor: Actor,
    round: MappingRound,
    person: Person,
    rows: Sequence[tuple[LeaderInput, int | None]],
    rollback: bool = False,
) -> dict[int, ConflictError]:
    """The leader's ratings of a whole page for one person, all or none: as `assessments_save_self`."""
    return _save_rows(
        rows,
        lambda data, version: assessment_save_leader(
            actor=actor, round=round, person=person, data=data, version=version
        ),
        rollback,
    )


@transaction.atomic
def leader_rating_done(*, actor: Actor, round: MappingRound, person: Person) -> RoundParticipant:
    """Mark the leader's rating of this person as finished (shown in the round's progress)."""
    ensure_same_organisation(actor.organisation, round, person)
    if person.pk == actor.person.pk and not actor.is_admin:
        raise ServiceError(_("Your own leader rates you, not you yourself."))
    actor.require(leads_person(actor, person.pk))
    if round.closed_at is not None:
        raise ServiceError(_("The mapping round is closed, so ratings cannot be changed."))
    participant = _participant(round, person)
    first = participant.leader_done_at is None
    participant.leader_done_at = timezone.now()
    participant.save(update_fields=["leader_done_at", "updated_at"])
    if first:
        progress_upkeep(round, person_id=person.pk, rated=1)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="assessment.leader_done",
        obj=round,
        after={"person": person.pk},
    )
    return participant


def refresh_requirements(catalogue: Catalogue, *, competence_ids: list[int] | None = None) -> int:
    """Carry the current requirements into the rows of the catalogue's rounds that are still open.

    Rows are grouped by the requirement that now applies, so this is a handful of updates per
    competence, not one per row. Returns how many rows changed. A round whose rows changed gets a new
    requirements stamp, after its rows, so that its unit figures (services/figures.py) are rebuilt.
    """
    today = timezone.localdate()
    open_rounds = MappingRound.objects.filter(
        catalogue=catalogue, closed_at__isnull=True, deadline__gte=today
    )
    changed = 0
    for round in open_rounds:
        resolver = RequirementResolver(round.organisation, catalogue.pk)
        _answered_follows_requirements(round, resolver)
        rows = Assessment.objects.filter(round=round)
        if competence_ids is not None:
            rows = rows.filter(competence_id__in=competence_ids)
        person_ids = list(rows.values_list("person_id", flat=True).distinct())
        if not person_ids:
            continue
        needs = resolver.needs_for_people(person_ids)
        groups: dict[tuple[int, int, int | None, str], list[int]] = defaultdict(list)
        current = rows.values_list(
            "id", "person_id", "competence_id", "required_level", "future_level", "importance"
        )
        for row_id, person_id, competence_id, level, future, importance in current:
            need = needs[person_id].get(competence_id) or Need(level=0, importance="")
            if (level, future, importance) != (need.level, need.future_level, need.importance):
                groups[(competence_id, need.level, need.future_level, need.importance)].append(row_id)
        with transaction.atomic():
            changed_here = 0
            for (_cid, level, future, importance), ids in groups.items():
                for start in range(0, len(ids), 5000):
                    changed_here += Assessment.objects.filter(pk__in=ids[start : start + 5000]).update(
                        required_level=level, future_level=future, importance=importance
                    )
            if changed_here:
                MappingRound.objects.filter(pk=round.pk).update(
                    requirements_stamp=F("requirements_stamp") + 1
                )
                figures_refresh_after_commit(organisation_id=round.organisation_id)
        changed += changed_here
    return changed


def _answered_follows_requirements(round: MappingRound, resolver: RequirementResolver) -> None:
    """A person counted as having answered who now has a competence required of them without a rating
    of their own is in progress again (as their row on the round's page says), so the round's figures
    and reminders count them as not done. A fixed number of queries."""
    answered = list(
        RoundParticipant.objects.filter(round=round, submitted_at__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    if not answered:
        return
    needs = resolver.needs_for_people(answered)
    rated: dict[int, set[int]] = defaultdict(set)
    rows = Assessment.objects.filter(round=round, person_id__in=answered, self_level__isnull=False)
    for person_id, competence_id in rows.values_list("person_id", "competence_id"):
        rated[person_id].add(competence_id)
    unfinished = [p for p in answered if not set(needs[p]) <= rated[p]]
    if unfinished:
        RoundParticipant.objects.filter(round=round, person_id__in=unfinished).update(submitted_at=None)
        progress_drop(round)


def reminders_due(round: MappingRound, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return round.is_open and round.deadline - datetime.timedelta(days=round.reminder_days) <= today


def round_send_reminders(*, actor: Actor | None, round: MappingRound, again: bool = False) -> int:
    """Remind every active participant who has not answered, with a notice (in Læra, and by e-mail as
    each has chosen, in their own language); returns how many.

    Without `again`, people already reminded are left alone, so the hourly task reminds once; `again`
    (a leader's button) reminds them once more that day.
    """
    if actor is not None:
        round_policy.require(actor, RoundAction.MANAGE, round)
    if not round.is_open:
        raise ServiceError(_("Reminders go out only while the round is open."))
    waiting = RoundParticipant.objects.filter(round=round, submitted_at__isnull=True, person__is_active=True)
    if not again:
        waiting = waiting.filter(reminded_at__isnull=True)
    people = list(waiting.values_list("person_id", flat=True))
    if not people:
        return 0
    key = f"competences.round_reminder:{round.pk}" + (f":{timezone.localdate().isoformat()}" if again else "")
    notify(
        Notice(
            kind="competences.round_reminder",
            organisation_id=round.organisation_id,
            key=key,
            url=reverse(
                "competences:self_assessment",
                kwargs={"org_slug": round.organisation.slug, "round_id": round.pk},
            ),
            params={"round": round.name, "deadline": round.deadline.isoformat()},
        ),
        people,
    )
    RoundParticipant.objects.filter(round=round, person_id__in=people).update(reminded_at=timezone.now())
    audit_record(
        actor=actor_user(actor),
        organisation=round.organisation,
        action="round.remind",
        obj=round,
        after={"sent": len(people)},
    )
    return len(people)


def round_announce(round: MappingRound) -> int:
    """Tell the round's participants that it is open, once (when it opens: at its creation, or on its
    first day through the hourly task); returns how many were told."""
    if round.announced_at is not None or not round.is_open:
        return 0
    participants = RoundParticipant.objects.filter(round=round, person__is_active=True)
    people = list(participants.values_list("person_id", flat=True))
    notify(
        Notice(
            kind="competences.round_opened",
            organisation_id=round.organisation_id,
            key=f"competences.round_opened:{round.pk}",
            url=reverse(
                "competences:self_assessment",
                kwargs={"org_slug": round.organisation.slug, "round_id": round.pk},
            ),
            params={"round": round.name, "deadline": round.deadline.isoformat()},
        ),
        people,
    )
    round.announced_at = timezone.now()
    MappingRound.objects.filter(pk=round.pk).update(announced_at=round.announced_at)
    return len(people)


@task()
def rounds_announce_task() -> int:
    """Periodic (competences/hooks.py): the rounds that have opened since, announced."""
    today = timezone.localdate()
    opened = MappingRound.objects.filter(
        announced_at__isnull=True,
        closed_at__isnull=True,
        opens_on__lte=today,
        deadline__gte=today,
        organisation__is_active=True,
    ).select_related("organisation")
    told = 0
    for round in opened:
        with transaction.atomic():
            told += round_announce(round)
    return told


def _ask_leaders_to_rate(round: MappingRound, person: Person) -> None:
    """The person has answered every competence: their leaders are asked for their rating."""
    leaders = unit_leaders_of([person.pk])[person.pk]
    notify(
        Notice(
            kind="competences.rating_requested",
            organisation_id=round.organisation_id,
            key=f"competences.rating_requested:{round.pk}:{person.pk}",
            url=round.get_absolute_url(),
            params={"round": round.name, "person": person.full_name},
        ),
        leaders,
        actor_person_id=person.pk,
    )


def rounds_send_due_reminders(
    *, today: datetime.date | None = None, dry_run: bool = False
) -> list[tuple[MappingRound, int]]:
    """For every open round of an active organisation whose reminder is due, remind those who have not
    answered, once each (`round_send_reminders`); with `dry_run`, only count them. Returns the rounds
    with how many each reminded."""
    today = today or timezone.localdate()
    candidates = MappingRound.objects.filter(
        closed_at__isnull=True, opens_on__lte=today, deadline__gte=today, organisation__is_active=True
    ).select_related("organisation")
    counts = []
    for round in candidates:
        if not reminders_due(round, today):
            continue
        if dry_run:
            count = (
                RoundParticipant.objects.filter(
                    round=round, submitted_at__isnull=True, reminded_at__isnull=True
                )
                .filter(person__is_active=True)
                .exclude(Q(person__email="") | Q(person__email__isnull=True))
                .count()
            )
        else:
            count = round_send_reminders(actor=None, round=round)
        counts.append((round, count))
    return counts


@task()
def round_reminders_task() -> int:
    """Periodic (competences/hooks.py): the reminders that are due, sent; returns how many."""
    return sum(count for _round, count in rounds_send_due_reminders())


# Qualifications -----------------------------------------------------------------------------------

# A person is told this many days before a qualification of theirs expires.
EXPIRY_NOTICE_DAYS = 60


@task()
def qualifications_announce_expiring_task() -> int:
    """Daily (competences/hooks.py)."""
    return qualifications_announce_expiring()


def qualifications_announce_expiring(*, today: datetime.date | None = None) -> int:
    """Tell each active person whose qualification expires within `EXPIRY_NOTICE_DAYS`, once per expiry
    date (a renewed qualification with a new date is told of again); returns how many were told."""
    today = today or timezone.localdate()
    soon = (
        Qualification.objects.filter(
            expires_on__range=(today, today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS)),
            person__is_active=True,
            organisation__is_active=True,
        )
        .exclude(expiry_told_for=F("expires_on"))
        .select_related("organisation")
    )
    told = 0
    for qualification in soon.iterator():
        expires_on = qualification.expires_on
        assert expires_on is not None  # noqa: S101 (filtered above)
        profile = reverse(
            "competences:person_profile",
            kwargs={"org_slug": qualification.organisation.slug, "person_id": qualification.person_id},
        )
        with transaction.atomic():
            notify(
                Notice(
                    kind="competences.qualification_expiring",
                    organisation_id=qualification.organisation_id,
                    key=f"competences.qualification_expiring:{qualification.pk}:{expires_on}",
                    url=profile + "#qualifications-heading",
                    params={"qualification": qualification.name, "date": expires_on.isoformat()},
                ),
                [qualification.person_id],
            )
            Qualification.objects.filter(pk=qualification.pk).update(expiry_told_for=expires_on)
        told += 1
    return told


@dataclass
class QualificationInput:
    name: str
    kind: str = QualificationKind.CERTIFICATE
    issuer: str = ""
    obtained_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    competence: Competence | None = None
    note: str = ""


def _apply_qualification(qualification: Qualification, data: QualificationInput) -> None:
    name = data.name.strip()
    if not name:
        raise ServiceError(_("The qualification needs a name."))
    if data.kind not in QualificationKind.values:
        raise ServiceError(_("Choose what kind of qualification it is."))
    if data.obtained_on and data.expires_on and data.expires_on < data.obtained_on:
        raise ServiceError(_("It cannot expire before it was obtained."))
    qualification.name = name
    qualification.kind = data.kind
    qualification.issuer = data.issuer.strip()
    qualification.obtained_on = data.obtained_on
    qualification.expires_on = data.expires_on
    qualification.competence = data.competence
    qualification.note = data.note.strip()


@transaction.atomic
def qualification_create(*, actor: Actor | None, person: Person, data: QualificationInput) -> Qualification:
    if actor is not None:
        assessment_policy.require(actor, PersonAction.EDIT_QUALIFICATIONS, person.pk)
    ensure_same_organisation(person.organisation, data.competence)
    qualification = Qualification(organisation=person.organisation, person=person)
    _apply_qualification(qualification, data)
    qualification.save()
    audit_record(
        actor=actor_user(actor),
        organisation=person.organisation,
        action="qualification.create",
        obj=qualification,
        after=snapshot(qualification),
    )
    return qualification


@transaction.atomic
def qualification_update(
    *, actor: Actor, qualification: Qualification, data: QualificationInput, version: int | None
) -> Qualification:
    assessment_policy.require(actor, PersonAction.EDIT_QUALIFICATIONS, qualification.person_id)
    ensure_same_organisation(actor.organisation, data.competence)
    qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    check_version(qualification, version, _("qualification"))
    before = snapshot(qualification)
    _apply_qualification(qualification, data)
    bump(qualification)
    qualification.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="qualification.update",
        obj=qualification,
        before=before,
        after=snapshot(qualification),
    )
    return qualification


@transaction.atomic
def qualification_delete(*, actor: Actor, qualification: Qualification) -> None:
    assessment_policy.require(actor, PersonAction.EDIT_QUALIFICATIONS, qualification.person_id)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="qualification.delete",
        obj=qualification,
        before=snapshot(qualification),
    )
    qualification.delete()
