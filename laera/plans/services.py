"""Writes to plans, themes, learning outcomes and activities.

Rules:
- Who may do what is `policies.plan_policy`: coordinators of the plan's unit (and the unit's leaders and
  admins) edit drafts and plans out for comments; the leader of the unit (or an admin) moves a plan to
  published, running, evaluation, closed.
- Every edit names the version its form was opened with; a save from an older version, or from none,
  raises `laera.core.versioning.ConflictError` with the other person's change left in place.
- Every write is audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.rrule import rrulestr
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laera.competences.models import Competence
from laera.core import nkr
from laera.core.audit import audit_record, snapshot
from laera.core.errors import ServiceError
from laera.core.notices import Notice, notify
from laera.core.policies import refuse
from laera.core.versioning import bump, check_version, check_version_as
from laera.documents.plan_data import ActivityData, PlanDocument
from laera.mapping.models import Arena, Method, Recurrence
from laera.mapping.recurrence import build_rrule
from laera.organisations.models import Person, Unit
from laera.organisations.participants.services import (
    ParticipantsData,
    participant_objects,
    participants_apply,
    participants_set,
    participants_snapshot,
)
from laera.organisations.selectors import people_in_unit_tree, working_group_people
from laera.organisations.tenancy import Actor, actor_user, ensure_same_organisation

from . import periods
from .exchange import activity_time_input, plan_document_problems
from .models import Activity, Outcome, Plan, PlanComment, PlanStatus, Theme, TimeKind
from .policies import EDITABLE, TRANSITIONS, PlanAction, plan_policy

# Plans --------------------------------------------------------------------------------------------


@dataclass
class PlanInput:
    name: str
    period_start: datetime.date
    period_end: datetime.date
    title: str = ""
    introduction: str = ""
    evaluation_on: datetime.date | None = None
    language: str = "nb"


def _apply_plan(plan: Plan, data: PlanInput) -> None:
    if not data.name.strip():
        raise ServiceError(_("The plan needs a name, for example Spring 2015."))
    if data.period_end < data.period_start:
        raise ServiceError(_("The period ends before it starts."))
    plan.name, plan.title = data.name.strip(), data.title.strip()
    plan.period_start, plan.period_end = data.period_start, data.period_end
    plan.introduction, plan.evaluation_on, plan.language = (
        data.introduction,
        data.evaluation_on,
        data.language,
    )


@transaction.atomic
def plan_create(*, actor: Actor | None, unit: Unit, data: PlanInput, parent: Plan | None = None) -> Plan:
    plan_policy.require_in_unit(actor, unit.pk)
    ensure_same_organisation(unit.organisation, parent)
    plan = Plan(organisation=unit.organisation, unit=unit, parent=parent)
    _apply_plan(plan, data)
    plan.save()
    audit_record(
        actor=actor_user(actor),
        organisation=unit.organisation,
        action="plan.create",
        obj=plan,
        after=snapshot(plan),
    )
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, data: PlanInput, version: int | None) -> Plan:
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    plan_policy.require_edit(actor, locked)
    check_version(locked, version, _("plan"))
    before = snapshot(locked)
    _apply_plan(locked, data)
    bump(locked)
    locked.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="plan.update",
        obj=locked,
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def plan_set_status(*, actor: Actor | None, plan: Plan, status: str) -> Plan:
    """Move the plan along draft → consultation → published → running → evaluation → closed."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if (locked.status, status) not in TRANSITIONS:
        raise ServiceError(
            _("A plan cannot go from %(old)s to %(new)s.")
            % {"old": locked.get_status_display().lower(), "new": PlanStatus(status).label.lower()}
        )
    if actor is not None and not plan_policy.allows_transition(actor, locked, status):
        raise refuse()
    if status == PlanStatus.CONSULTATION:
        raise ServiceError(
            _("Sending a plan for comments needs a deadline for the comments: use Send for comments.")
        )
    before = snapshot(locked, ["status", "published_at"])
    locked.status = status
    if status == PlanStatus.PUBLISHED and locked.published_at is None:
        locked.published_at = timezone.now()
    bump(locked)
    locked.save()
    audit_record(
        actor=actor_user(actor),
        organisation=locked.organisation,
        action=f"plan.{status}",
        obj=locked,
        before=before,
        after=snapshot(locked, ["status", "published_at"]),
    )
    if status == PlanStatus.PUBLISHED:
        _tell_everyone_affected(locked, "plans.published", f"plans.published:{locked.pk}", actor)
    return locked


def _tell_everyone_affected(plan: Plan, kind: str, key: str, actor: Actor | None, **params: str) -> None:
    """A notice to everyone in the plan's unit and the units below it (plans/hooks.py names the kinds)."""
    notify(
        Notice(
            kind=kind,
            organisation_id=plan.organisation_id,
            key=key,
            url=plan.get_absolute_url(),
            params={"plan": plan.name, "lang": plan.language, **params},
        ),
        people_in_unit_tree(plan.unit),
        actor_person_id=actor.person.pk if actor is not None else None,
    )


CONSULTATION_FIELDS = ["status", "comments_until", "comments_message"]


@transaction.atomic
def plan_send_for_comments(
    *, actor: Actor | None, plan: Plan, until: datetime.date, message: str = "", version: int | None
) -> Plan:
    """Send a draft out for comments until a deadline, with an optional message to the readers.

    The deadline is the last day comments are taken and must be after today (Europe/Oslo). A plan already
    out for comments gets the new deadline and message, so the working group can give readers more time.
    Those who coordinate the plan's unit (its leaders and admins too) send it. Everyone in the plan's
    unit and the units below it gets a notice (again when the deadline changes).
    """
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status not in EDITABLE:
        raise ServiceError(
            _("A plan cannot go from %(old)s to %(new)s.")
            % {"old": locked.get_status_display().lower(), "new": PlanStatus.CONSULTATION.label.lower()}
        )
    if actor is not None:
        plan_policy.require(actor, PlanAction.COORDINATE, locked)
        check_version(locked, version, _("plan"))
    if until <= timezone.localdate():
        raise ServiceError(_("The deadline for comments must be after today."))
    before = snapshot(locked, CONSULTATION_FIELDS)
    locked.status = PlanStatus.CONSULTATION
    locked.comments_until = until
    locked.comments_message = message.strip()
    bump(locked)
    locked.save()
    audit_record(
        actor=actor_user(actor),
        organisation=locked.organisation,
        action="plan.consultation",
        obj=locked,
        before=before,
        after=snapshot(locked, CONSULTATION_FIELDS),
    )
    key = f"plans.consultation:{locked.pk}:{until.isoformat()}"
    _tell_everyone_affected(locked, "plans.consultation", key, actor, until=until.isoformat())
    return locked


@transaction.atomic
def plan_comment(*, actor: Actor, plan: Plan, text: str) -> PlanComment:
    """Everyone who can read a plan out for comments may comment on it until its comment deadline."""
    if plan.status != PlanStatus.CONSULTATION:
        raise ServiceError(_("Comments are open while the plan is out for comments."))
    if not plan.comments_open() and plan.comments_until is not None:
        raise ServiceError(
            _("Comments on this plan closed on %(date)s. Your comment was not saved.")
            % {"date": date_format(plan.comments_until, "DATE_FORMAT")}
        )
    if not text.strip():
        raise ServiceError(_("Write your comment first."))
    comment = PlanComment.objects.create(
        organisation=actor.organisation, plan=plan, author=actor.person, text=text.strip()
    )
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="plan.comment",
        obj=comment,
        after=snapshot(comment),
    )
    notify(
        Notice(
            kind="plans.comment",
            organisation_id=plan.organisation_id,
            key=f"plans.comment:{comment.pk}",
            url=plan.get_absolute_url() + "#comments",
            params={"plan": plan.name, "lang": plan.language, "author": actor.person.full_name},
        ),
        working_group_people(plan.unit_id),
        actor_person_id=actor.person.pk,
    )
    return comment


# Themes and outcomes ------------------------------------------------------------------------------


def _next_position(queryset: Any) -> int:
    return int(queryset.aggregate(m=Max("position"))["m"] or 0) + 10


@transaction.atomic
def theme_create(
    *, actor: Actor | None, plan: Plan, title: str, description: str = "", why: str = ""
) -> Theme:
    plan_policy.require_edit(actor, plan)
    if not title.strip():
        raise ServiceError(_("The theme needs a title."))
    theme = Theme.objects.create(
        organisation=plan.organisation,
        plan=plan,
        title=title.strip(),
        description=description,
        why=why,
        position=_next_position(plan.themes),
    )
    audit_record(
        actor=actor_user(actor),
        organisation=plan.organisation,
        action="theme.create",
        obj=theme,
        after=snapshot(theme),
    )
    return theme


@transaction.atomic
def theme_update(
    *, actor: Actor, theme: Theme, title: str, description: str, why: str, version: int | None
) -> Theme:
    locked = Theme.objects.select_for_update().select_related("plan").get(pk=theme.pk)
    plan_policy.require_edit(actor, locked.plan)
    check_version(locked, version, _("theme"))
    if not title.strip():
        raise ServiceError(_("The theme needs a title."))
    before = snapshot(locked)
    locked.title, locked.description, locked.why = title.strip(), description, why
    bump(locked)
    locked.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="theme.update",
        obj=locked,
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def theme_delete(*, actor: Actor, theme: Theme) -> None:
    plan_policy.require_edit(actor, theme.plan)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="theme.delete",
        obj=theme,
        before=snapshot(theme),
    )
    theme.delete()


def _outcome_text(text: str, verb: str, language: str) -> str:
    """The outcome's text with the chosen depth's opening in front when the text uses no NKR verb.

    A text that already says how deep it goes ("Veilederne kan anvende MI", or any other step of the
    ladder) is kept as written; the plan check points out a verb that does not fit the category."""
    text = text.strip()
    if not text:
        raise ServiceError(_("Write the learning outcome."))
    found = nkr.get_verb(verb) if verb else None
    if found is None or nkr.detect_verbs(text, language):
        return text
    return nkr.with_opening(text, found, language)


@transaction.atomic
def outcome_create(*, actor: Actor | None, theme: Theme, text: str, category: str, verb: str = "") -> Outcome:
    """A learning outcome; with a depth chosen and no NKR verb in the text, the depth's opening in the
    plan's language is put in front ("MI i oppfølgingssamtaler" with the depth "kan anvende" is saved as
    "kan anvende MI i oppfølgingssamtaler")."""
    plan_policy.require_edit(actor, theme.plan)
    text = _outcome_text(text, verb, theme.plan.language)
    outcome = Outcome.objects.create(
        organisation=theme.organisation,
        theme=theme,
        text=text,
        category=category,
        verb=verb,
        position=_next_position(theme.outcomes),
    )
    audit_record(
        actor=actor_user(actor),
        organisation=theme.organisation,
        action="outcome.create",
        obj=outcome,
        after=snapshot(outcome),
    )
    return outcome


@transaction.atomic
def outcome_update(
    *, actor: Actor, outcome: Outcome, text: str, category: str, verb: str, version: int | None
) -> Outcome:
    locked = Outcome.objects.select_for_update().select_related("theme__plan").get(pk=outcome.pk)
    plan_policy.require_edit(actor, locked.theme.plan)
    check_version(locked, version, _("learning outcome"))
    text = _outcome_text(text, verb, locked.theme.plan.language)
    before = snapshot(locked)
    locked.text, locked.category, locked.verb = text, category, verb
    bump(locked)
    locked.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="outcome.update",
        obj=locked,
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def outcome_delete(*, actor: Actor, outcome: Outcome) -> None:
    plan_policy.require_edit(actor, outcome.theme.plan)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="outcome.delete",
        obj=outcome,
        before=snapshot(outcome),
    )
    outcome.delete()


# Activities ---------------------------------------------------------------------------------------


@dataclass
class ActivityInput(ParticipantsData):
    arena: Arena | None = None
    place: str = ""
    method: Method | None = None
    method_detail: str = ""
    responsible: Person | None = None
    responsible_external: str = ""
    participants_text: str = ""
    time_kind: str = TimeKind.DATES
    dates: list[datetime.date] = field(default_factory=list)
    dates_are_alternatives: bool = False
    recurrence: str = ""
    times_per_year: int | None = None
    deadline: datetime.date | None = None
    trigger: str = ""
    time_text: str = ""
    rrule: str = ""  # a rule given as is (from an imported plan); otherwise made from `recurrence`
    time_checked: bool = False  # the person says a copied time is right (clears `time_to_check`)
    mandatory: bool = False
    open_to_others: bool = False
    capacity: int | None = None
    hours: Decimal | None = None
    cost: Decimal | None = None


def _apply_activity(activity: Activity, data: ActivityInput) -> None:
    if data.time_kind not in TimeKind.values:
        raise ServiceError(_("Choose when the activity happens."))
    if (
        data.time_kind == TimeKind.RECURRENCE
        and data.recurrence not in Recurrence.values
        and not (data.rrule or data.time_text.strip())
    ):
        raise ServiceError(_("Choose how often the activity recurs."))
    if data.rrule:
        try:
            rrulestr(data.rrule, dtstart=datetime.datetime(2000, 1, 1))  # noqa: DTZ001
        except (ValueError, TypeError) as exc:
            raise ServiceError(
                _("The recurrence rule %(rule)s is not valid iCalendar.") % {"rule": data.rrule}
            ) from exc
    if data.time_kind == TimeKind.DEADLINE and data.deadline is None and not data.time_text.strip():
        raise ServiceError(_("Give the deadline."))
    for number in (data.capacity, data.hours, data.cost):
        if number is not None and number < 0:
            raise ServiceError(_("Capacity, hours and cost cannot be negative."))
    activity.arena, activity.place = data.arena, "" if data.arena else data.place.strip()
    activity.method, activity.method_detail = data.method, data.method_detail.strip()
    activity.responsible = data.responsible
    activity.responsible_external = data.responsible_external.strip()
    participants_apply(activity, data)
    activity.participants_text = data.participants_text.strip()
    activity.time_kind = data.time_kind
    activity.dates = sorted({d.isoformat() for d in data.dates})
    activity.dates_are_alternatives = data.dates_are_alternatives and len(data.dates) > 1
    activity.recurrence = (
        data.recurrence
        if data.time_kind == TimeKind.RECURRENCE and data.recurrence in Recurrence.values
        else ""
    )
    activity.times_per_year = (
        data.times_per_year if activity.recurrence == Recurrence.TIMES_PER_YEAR else None
    )
    first = min(data.dates) if data.dates else None
    if data.time_kind != TimeKind.RECURRENCE:
        activity.rrule = ""
    elif data.rrule:
        activity.rrule = data.rrule
    else:
        activity.rrule = (
            build_rrule(activity.recurrence, starts_on=first, times_per_year=activity.times_per_year)
            if activity.recurrence
            else ""
        )
    activity.deadline = data.deadline if data.time_kind == TimeKind.DEADLINE else None
    activity.trigger = data.trigger.strip() if data.time_kind == TimeKind.TRIGGER else ""
    activity.time_text = data.time_text.strip()
    activity.mandatory, activity.open_to_others = data.mandatory, data.open_to_others
    activity.capacity, activity.hours, activity.cost = data.capacity, data.hours, data.cost
    if not _has_an_element(activity, data):
        raise ServiceError(
            _(
                "The activity is empty. Say at least where or how it happens, who is responsible, "
                "who takes part or when."
            )
        )


def _has_an_element(activity: Activity, data: ActivityInput) -> bool:
    """Whether the applied activity says anything at all of where, how, who, whom or when.

    A partly filled activity is allowed (the plan check names what is missing); a blank one is not."""
    return bool(
        activity.arena
        or activity.place
        or activity.method
        or activity.method_detail
        or activity.responsible
        or activity.responsible_external
        or activity.participants_all
        or activity.participant_groups
        or activity.participants_text
        or data.participant_units
        or data.participant_job_roles
        or data.participant_people
        or activity.dates
        or activity.recurrence
        or activity.rrule
        or activity.deadline
        or activity.trigger
        or activity.time_text
        or activity.time_kind == TimeKind.CONTINUOUS
    )


@transaction.atomic
def activity_create(*, actor: Actor | None, outcome: Outcome, data: ActivityInput) -> Activity:
    plan = outcome.theme.plan
    plan_policy.require_edit(actor, plan)
    ensure_same_organisation(
        plan.organisation, data.arena, data.method, data.responsible, *participant_objects(data)
    )
    activity = Activity(
        organisation=plan.organisation, outcome=outcome, position=_next_position(outcome.activities)
    )
    _apply_activity(activity, data)
    activity.save()
    participants_set(activity, data)
    audit_record(
        actor=actor_user(actor),
        organisation=plan.organisation,
        action="activity.create",
        obj=activity,
        after=participants_snapshot(activity),
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor: Actor, activity: Activity, data: ActivityInput, version: int | None
) -> Activity:
    locked = Activity.objects.select_for_update().select_related("outcome__theme__plan").get(pk=activity.pk)
    plan_policy.require_edit(actor, locked.outcome.theme.plan)
    check_version(locked, version, _("activity"))
    ensure_same_organisation(
        actor.organisation, data.arena, data.method, data.responsible, *participant_objects(data)
    )
    before = participants_snapshot(locked)
    time_before = _time_fields(locked)
    _apply_activity(locked, data)
    if data.time_checked or _time_fields(locked) != time_before:
        locked.time_to_check = False
    bump(locked)
    locked.save()
    participants_set(locked, data)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="activity.update",
        obj=locked,
        before=before,
        after=participants_snapshot(locked),
    )
    return locked


TIME_FIELDS = (
    "time_kind",
    "dates",
    "dates_are_alternatives",
    "recurrence",
    "times_per_year",
    "rrule",
    "deadline",
    "trigger",
    "time_text",
)


def _time_fields(activity: Activity) -> tuple[Any, ...]:
    return tuple(getattr(activity, name) for name in TIME_FIELDS)


def _time_was_carried(activity: Activity) -> bool:
    """Whether a copied activity's time came from the old plan (moved or kept), so someone should check it.

    Continuously through the period, with no words of its own, follows the new period by itself."""
    return bool(
        activity.dates
        or activity.deadline
        or activity.recurrence
        or activity.rrule
        or activity.trigger
        or activity.time_text
    )


@transaction.atomic
def activity_confirm_time(*, actor: Actor, activity: Activity, version: int | None) -> Activity:
    """Someone has checked a copied activity's time and says it is right: the mark "Check the time" goes."""
    locked = Activity.objects.select_for_update().select_related("outcome__theme__plan").get(pk=activity.pk)
    plan_policy.require_edit(actor, locked.outcome.theme.plan)
    check_version(locked, version, _("activity"))
    before = snapshot(locked, ["time_to_check"])
    locked.time_to_check = False
    bump(locked)
    locked.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="activity.time_checked",
        obj=locked,
        before=before,
        after=snapshot(locked, ["time_to_check"]),
    )
    return locked


@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity) -> None:
    plan_policy.require_edit(actor, activity.outcome.theme.plan)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="activity.delete",
        obj=activity,
        before=snapshot(activity),
    )
    activity.delete()


# A plan from the exchange format ------------------------------------------------------------------

LANGUAGES = {"nb", "nn", "sv", "da", "en"}


@dataclass
class _Matches:
    """The receiving organisation's arenas, methods, people and competences, by the names a plan uses.

    Names are matched exactly, so the receiving plan reads word for word like the one sent."""

    arenas: dict[str, Arena]
    methods_by_key: dict[str, Method]
    methods_by_name: dict[str, Method]
    people: dict[str, Person]
    competences: dict[str, Competence]

    @classmethod
    def read(cls, unit: Unit, language: str) -> _Matches:
        organisation = unit.organisation
        methods = list(Method.objects.for_org(organisation))
        with translation.override(language):
            by_name = {m.display_name.lower(): m for m in methods}
        # A competence of the receiving organisation with the same name; the first catalogue wins a tie.
        competences: dict[str, Competence] = {}
        for competence in Competence.objects.filter(organisation=organisation).order_by("catalogue_id", "pk"):
            competences.setdefault(competence.name, competence)
        return cls(
            arenas={a.name: a for a in Arena.objects.for_org(organisation).filter(archived_at__isnull=True)},
            methods_by_key={m.key: m for m in methods if m.key},
            methods_by_name=by_name,
            people={p.full_name: p for p in Person.objects.for_org(organisation).filter(is_active=True)},
            competences=competences,
        )

    def activity_input(self, a: ActivityData) -> ActivityInput:
        arena = self.arenas.get(a.arena)
        return ActivityInput(
            arena=arena,
            place="" if arena else a.arena,
            method=self.methods_by_key.get(a.method_key) or self.methods_by_name.get(a.method.lower()),
            method_detail=a.method,
            responsible=self.people.get(a.responsible),
            responsible_external="" if a.responsible in self.people else a.responsible,
            participants_text=a.participants,
            mandatory=a.mandatory,
            open_to_others=a.open_to_others,
            capacity=a.capacity,
            hours=Decimal(str(a.hours)) if a.hours is not None else None,
            cost=Decimal(str(a.cost)) if a.cost is not None else None,
            **activity_time_input(a.time),
        )


@transaction.atomic
def plan_import(*, actor: Actor | None, unit: Unit, doc: PlanDocument, parent: Plan | None = None) -> Plan:
    """Make a draft plan in `unit` from plain data (the JSON exchange format), through the same services
    as the pages; arenas, methods, people and competences of the receiving organisation are matched by
    name, and the plan's own words are kept. Sub-plans in `doc` are left out (`plan_import_with_children`).

    Refuses (`ServiceError`, nothing saved) an unknown language or a text its field cannot hold."""
    if doc.language not in LANGUAGES:
        raise ServiceError(_("Unknown language: %(code)s") % {"code": doc.language})
    problems = plan_document_problems(doc)
    if problems:
        raise ServiceError(problems)
    plan = plan_create(
        actor=actor,
        unit=unit,
        parent=parent,
        data=PlanInput(
            name=doc.name,
            title=doc.title,
            period_start=doc.period_start,
            period_end=doc.period_end,
            introduction=doc.introduction,
            evaluation_on=doc.evaluation_on,
            language=doc.language,
        ),
    )
    plan.arena_overview = [
        {"name": a.name, "recurrence": a.recurrence, "participants": a.participants, "purpose": a.purpose}
        for a in doc.arenas
    ]
    plan.save(update_fields=["arena_overview", "updated_at"])
    matches = _Matches.read(unit, doc.language)
    for theme_data in doc.themes:
        theme = theme_create(
            actor=actor,
            plan=plan,
            title=theme_data.title,
            description=theme_data.description,
            why=theme_data.why,
        )
        for outcome_data in theme_data.outcomes:
            outcome = outcome_create(
                actor=actor,
                theme=theme,
                text=outcome_data.text,
                category=outcome_data.category,
                verb=outcome_data.verb,
            )
            linked = [matches.competences[n] for n in outcome_data.competences if n in matches.competences]
            if linked:
                outcome.competences.set(linked)
            for activity_data in outcome_data.activities:
                activity_create(actor=actor, outcome=outcome, data=matches.activity_input(activity_data))
    return plan


@transaction.atomic
def plan_import_with_children(*, actor: Actor | None, unit: Unit, doc: PlanDocument) -> Plan:
    """`plan_import`, with each sub-plan of `doc` as a sub-plan in the organisation's unit of the same name
    (in `unit` when there is none); all or nothing."""
    plan = plan_import(actor=actor, unit=unit, doc=doc)
    units = Unit.objects.for_org(unit.organisation)
    for child in doc.children:
        child_unit = units.filter(name=child.unit).first() or unit
        plan_import(actor=actor, unit=child_unit, doc=child, parent=plan)
    return plan


# A new plan from the last one --------------------------------------------------------------------


def _shift(day: datetime.date | None, delta: datetime.timedelta) -> datetime.date | None:
    return day + delta if day is not None else None


def _moved_time_text(activity: Activity, months: int, language: str) -> str:
    """The plan's words for a copied activity's time, for the new period."""
    text = activity.time_text
    if not text:
        return text
    if activity.time_kind == TimeKind.DATES and activity.dates:
        return ""  # the old words name the old dates; the new text is made from the moved ones
    if activity.time_kind == TimeKind.DEADLINE and activity.deadline is not None:
        return ""
    if activity.time_kind == TimeKind.DATES:
        moved = periods.move_month_text(text, months, language)
        if moved is not None:
            return moved
    return text  # words that cannot be moved stay for the working group to review


@transaction.atomic
def plan_copy(*, actor: Actor | None, source: Plan, data: PlanInput, parent: Plan | None = None) -> Plan:
    """A new draft for the next period: the themes, outcomes and activities not completed, and the team
    sub-plans the same way.

    Every time moves by the distance between the two periods' starts: dates and deadlines by the whole
    weeks closest to it, so a meeting stays on its weekday; a time given as a month only ("Mai") by whole
    months, in the plan's language; recurrences, continuous times, triggers and any other words of the
    plan's are kept as they are. Every copied activity whose time was moved or kept is marked "Check the
    time" until someone edits its time or says it is right. The working group then prunes what should not
    continue.
    """
    if actor is not None:
        plan_policy.require(actor, PlanAction.COORDINATE, source)
    shift = periods.whole_weeks(data.period_start - source.period_start)
    months = periods.whole_months(data.period_start - source.period_start)
    plan = plan_create(actor=actor, unit=source.unit, data=data, parent=parent)
    plan.based_on = source
    plan.arena_overview = source.arena_overview
    plan.save(update_fields=["based_on", "arena_overview", "updated_at"])
    for theme in source.themes.all():
        new_theme = Theme.objects.create(
            organisation=plan.organisation,
            plan=plan,
            title=theme.title,
            description=theme.description,
            why=theme.why,
            position=theme.position,
        )
        for outcome in theme.outcomes.all():
            new_outcome = Outcome.objects.create(
                organisation=plan.organisation,
                theme=new_theme,
                text=outcome.text,
                category=outcome.category,
                verb=outcome.verb,
                position=outcome.position,
            )
            new_outcome.competences.set(outcome.competences.all())
            for activity in outcome.activities.all():
                if activity.completed:
                    continue
                participants = ParticipantsData(
                    participant_units=list(activity.participant_units.all()),
                    participant_job_roles=list(activity.participant_job_roles.all()),
                    participant_people=list(activity.participant_people.all()),
                )
                activity.pk = None
                activity.id = None
                activity._state.adding = True
                # The old row's prefetched relations must not pass for the new row's.
                activity._prefetched_objects_cache = {}
                activity.outcome = new_outcome
                activity.version = 1
                activity.dates = [
                    (datetime.date.fromisoformat(d) + shift).isoformat() for d in activity.dates
                ]
                activity.deadline = _shift(activity.deadline, shift)
                if activity.recurrence and activity.dates:
                    activity.rrule = build_rrule(
                        activity.recurrence,
                        starts_on=datetime.date.fromisoformat(activity.dates[0]),
                        times_per_year=activity.times_per_year,
                    )
                activity.time_text = _moved_time_text(activity, months, source.language)
                activity.time_to_check = _time_was_carried(activity)
                activity.save()
                participants_set(activity, participants)
    for child in source.children.all():
        child_data = PlanInput(
            name=data.name + child.name[len(source.name) :]
            if child.name.startswith(source.name)
            else child.name,
            period_start=periods.move_period_day(child.period_start, months),
            period_end=periods.move_period_day(child.period_end, months),
            title="",
            introduction=child.introduction,
            evaluation_on=_shift(child.evaluation_on, shift),
            language=child.language,
        )
        plan_copy(actor=None, source=child, data=child_data, parent=plan)
    audit_record(
        actor=actor_user(actor),
        organisation=plan.organisation,
        action="plan.copy",
        obj=plan,
        before={"source": source.pk},
        after=snapshot(plan),
    )
    return plan


# Competences of learning outcomes ----------------------------------------------------------------------


@transaction.atomic
def outcome_set_competences(
    *, actor: Actor | None, outcome: Outcome, competences: list[Competence], version: int | None
) -> Outcome:
    """Link a learning outcome to the competences it builds; whoever may edit the plan may do this.

    The link belongs to plans (competences come earlier in the loop and know nothing of plans). The links
    are part of the outcome: `version` is the outcome's when the form was opened, and saving them counts
    as a change of the outcome."""
    ensure_same_organisation(outcome.organisation, *competences)
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    plan_policy.require_edit(actor, outcome.theme.plan)
    check_version_as(actor, outcome, version, _("learning outcome"))
    before = sorted(outcome.competences.values_list("id", flat=True))
    outcome.competences.set(competences)
    bump(outcome)
    outcome.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor_user(actor),
        organisation=outcome.organisation,
        action="outcome.competences",
        obj=outcome,
        before={"competences": before},
        after={"competences": sorted(c.pk for c in competences)},
    )
    return outcome
