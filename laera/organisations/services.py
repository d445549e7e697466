"""Writes to organisations, units, people, job roles, memberships and working groups.

Every function checks the actor's role (None means the operator: command line, demo loader), runs in
one transaction and writes the audit log.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from laera.core.audit import audit_record, snapshot
from laera.core.errors import ServiceError
from laera.core.permissions import Role, descendants
from laera.core.setup import organisation_setup
from laera.core.tenancy import Actor, actor_user, ensure_same_organisation

from .models import (
    PRIVACY_THRESHOLD_MAX,
    PRIVACY_THRESHOLD_MIN,
    JobRole,
    Membership,
    Organisation,
    Person,
    Unit,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupMember,
)


def _require(actor: Actor | None, allowed: bool) -> None:
    if actor is not None:
        actor.require(allowed)


def _forget(actor: Actor | None) -> None:
    if actor is not None:
        actor.forget_scope()


# Organisations ------------------------------------------------------------------------------------


def unique_slug(name: str, slug: str | None = None) -> str:
    base = slugify(slug or name)[:50] or "org"
    candidate, n = base, 2
    while Organisation.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@transaction.atomic
def organisation_create(
    *,
    name: str,
    admin_email: str,
    slug: str | None = None,
    admin_name: str = "",
    default_language: str = "nb",
    is_demo: bool = False,
) -> tuple[Organisation, Person, str]:
    """Create an organisation with its top unit and first admin.

    Returns the one-time password too, or "" when the admin already had an account elsewhere.
    """
    name = name.strip()
    if not name:
        raise ServiceError(_("The organisation needs a name."))
    if slug and Organisation.objects.filter(slug=slugify(slug)).exists():
        raise ServiceError(_("The short name %(slug)s is taken.") % {"slug": slugify(slug)})
    if default_language not in dict(settings.LANGUAGES):
        raise ServiceError(_("Unknown language: %(code)s") % {"code": default_language})
    organisation = Organisation.objects.create(
        name=name, slug=unique_slug(name, slug), default_language=default_language, is_demo=is_demo
    )
    Unit.objects.create(organisation=organisation, name=name)
    user = _user_for_email(admin_email, admin_name)
    password = ""
    if not user.has_usable_password():
        # An existing account keeps its password; a new one gets a one-time password to sign in with.
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
    person = Person.objects.create(
        organisation=organisation,
        user=user,
        full_name=admin_name or admin_email,
        email=user.email,
        role=Role.ADMIN,
    )
    audit_record(
        actor=None,
        organisation=organisation,
        action="organisation.create",
        obj=organisation,
        after=snapshot(organisation),
    )
    organisation_setup(organisation)
    return organisation, person, password


@transaction.atomic
def organisation_update(
    *,
    actor: Actor,
    name: str,
    default_language: str,
    time_zone: str,
    privacy_threshold: int | None = None,
) -> Organisation:
    """Change the organisation's settings. `privacy_threshold` (1–50) is the smallest group whose
    figures reports and exports show; None keeps it as it is."""
    _require(actor, actor.can_manage_organisation())
    if (
        privacy_threshold is not None
        and not PRIVACY_THRESHOLD_MIN <= privacy_threshold <= PRIVACY_THRESHOLD_MAX
    ):
        raise ServiceError(
            _("The smallest group shown must be from %(low)s to %(high)s people.")
            % {"low": PRIVACY_THRESHOLD_MIN, "high": PRIVACY_THRESHOLD_MAX}
        )
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation.pk)
    before = snapshot(organisation)
    organisation.name = name.strip()
    organisation.default_language = default_language
    organisation.time_zone = time_zone
    if privacy_threshold is not None:
        organisation.privacy_threshold = privacy_threshold
    organisation.save()
    audit_record(
        actor=actor.user,
        organisation=organisation,
        action="organisation.update",
        obj=organisation,
        before=before,
        after=snapshot(organisation),
    )
    return organisation


def _user_for_email(email: str, full_name: str = "") -> Any:
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name)
    return user


# Job roles ----------------------------------------------------------------------------------------


@transaction.atomic
def job_role_create(
    *, actor: Actor | None, organisation: Organisation, name: str, description: str = ""
) -> JobRole:
    _require(actor, actor is None or actor.can_manage_organisation())
    name = name.strip()
    if JobRole.objects.for_org(organisation).filter(name__iexact=name).exists():
        raise ServiceError(_("There is already a job role called %(name)s.") % {"name": name})
    role = JobRole.objects.create(organisation=organisation, name=name, description=description)
    audit_record(
        actor=actor_user(actor),
        organisation=organisation,
        action="job_role.create",
        obj=role,
        after=snapshot(role),
    )
    return role


@transaction.atomic
def job_role_update(*, actor: Actor, job_role: JobRole, name: str, description: str = "") -> JobRole:
    _require(actor, actor.can_manage_organisation())
    name = name.strip()
    clash = JobRole.objects.for_org(actor.organisation).filter(name__iexact=name).exclude(pk=job_role.pk)
    if clash.exists():
        raise ServiceError(_("There is already a job role called %(name)s.") % {"name": name})
    before = snapshot(job_role)
    job_role.name, job_role.description = name, description
    job_role.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="job_role.update",
        obj=job_role,
        before=before,
        after=snapshot(job_role),
    )
    return job_role


@transaction.atomic
def job_role_delete(*, actor: Actor, job_role: JobRole) -> None:
    _require(actor, actor.can_manage_organisation())
    before = snapshot(job_role)
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="job_role.delete",
        obj=job_role,
        before=before,
    )
    job_role.delete()


# Units --------------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    actor: Actor | None,
    organisation: Organisation,
    name: str,
    parent: Unit | None = None,
    leader: Person | None = None,
    description: str = "",
) -> Unit:
    """Admins create units anywhere; leaders create sub-units of the units they lead."""
    _require(actor, actor is None or actor.is_admin or (parent is not None and actor.can_lead(parent.pk)))
    ensure_same_organisation(organisation, parent, leader)
    name = name.strip()
    if not name:
        raise ServiceError(_("The unit needs a name."))
    siblings = Unit.objects.for_org(organisation).filter(parent=parent, name__iexact=name)
    if siblings.exists():
        raise ServiceError(_("There is already a unit called %(name)s here.") % {"name": name})
    unit = Unit.objects.create(
        organisation=organisation, name=name, parent=parent, leader=leader, description=description
    )
    audit_record(
        actor=actor_user(actor),
        organisation=organisation,
        action="unit.create",
        obj=unit,
        after=snapshot(unit),
    )
    _forget(actor)
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Actor,
    unit: Unit,
    name: str,
    parent: Unit | None,
    leader: Person | None,
    description: str = "",
) -> Unit:
    """Admins edit every unit, leaders the units they lead. A unit cannot move below itself."""
    _require(actor, actor.can_lead(unit.pk))
    ensure_same_organisation(actor.organisation, parent, leader)
    if parent is not None:
        if parent.pk in descendants(actor.parent_map(), {unit.pk}):
            raise ServiceError(_("A unit cannot be placed under itself or one of its own sub-units."))
        if not actor.is_admin and parent.pk != unit.parent_id and not actor.can_lead(parent.pk):
            raise ServiceError(_("You can only move a unit below a unit you lead."))
    if unit.parent_id is not None and parent is None and not actor.is_admin:
        raise ServiceError(_("Only an organisation admin can make a unit a top unit."))
    name = name.strip()
    clash = (
        Unit.objects.for_org(actor.organisation).filter(parent=parent, name__iexact=name).exclude(pk=unit.pk)
    )
    if clash.exists():
        raise ServiceError(_("There is already a unit called %(name)s here.") % {"name": name})
    before = snapshot(unit)
    unit.name, unit.parent, unit.leader, unit.description = name, parent, leader, description
    unit.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="unit.update",
        obj=unit,
        before=before,
        after=snapshot(unit),
    )
    _forget(actor)
    return unit


@transaction.atomic
def unit_delete(*, actor: Actor, unit: Unit) -> None:
    """Only empty units can be deleted: no sub-units. Memberships go with the unit."""
    _require(actor, actor.is_admin)
    if Unit.objects.filter(parent=unit).exists():
        raise ServiceError(_("Move or delete the sub-units first."))
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="unit.delete",
        obj=unit,
        before=snapshot(unit),
    )
    unit.delete()
    _forget(actor)


# People -------------------------------------------------------------------------------------------


def _assign_role_allowed(actor: Actor | None, role: str) -> bool:
    if actor is None or actor.is_admin:
        return True
    # Leaders may add employees and external contributors to their own units, nothing more.
    return role in (Role.EMPLOYEE, Role.EXTERNAL)


@transaction.atomic
def person_create(
    *,
    actor: Actor | None,
    organisation: Organisation,
    full_name: str,
    email: str = "",
    job_role: JobRole | None = None,
    role: str = Role.EMPLOYEE,
    units: list[Unit] | None = None,
) -> Person:
    """Add a person; with an e-mail address they get an account and sign in after a password reset."""
    units = units or []
    ensure_same_organisation(organisation, job_role, *units)
    if actor is not None:
        actor.require(actor.is_admin or (bool(units) and all(actor.can_lead(u.pk) for u in units)))
        actor.require(_assign_role_allowed(actor, role))
    if role not in Role.values:
        raise ServiceError(_("Unknown role: %(role)s") % {"role": role})
    full_name, email = full_name.strip(), email.strip().lower()
    if not full_name:
        raise ServiceError(_("The person needs a name."))
    if email and Person.objects.for_org(organisation).filter(email__iexact=email).exists():
        raise ServiceError(
            _("Someone in the organisation already has the e-mail address %(email)s.") % {"email": email}
        )
    user = _user_for_email(email, full_name) if email else None
    person = Person.objects.create(
        organisation=organisation, user=user, full_name=full_name, email=email, job_role=job_role, role=role
    )
    for unit in units:
        Membership.objects.create(organisation=organisation, person=person, unit=unit)
    after = snapshot(person) | {"units": [u.pk for u in units]}
    audit_record(
        actor=actor_user(actor), organisation=organisation, action="person.create", obj=person, after=after
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    full_name: str,
    email: str,
    job_role: JobRole | None,
    role: str,
    is_active: bool = True,
) -> Person:
    """Admins edit everyone; leaders edit name, e-mail and job role of people in units they lead."""
    ensure_same_organisation(actor.organisation, job_role)
    leads_person = any(actor.can_lead(uid) for uid in person.memberships.values_list("unit_id", flat=True))
    _require(actor, actor.is_admin or leads_person)
    if not actor.is_admin and (role != person.role or is_active != person.is_active):
        raise ServiceError(_("Only an organisation admin can change a person's role or deactivate them."))
    if person.pk == actor.person.pk and (role != Role.ADMIN and person.role == Role.ADMIN or not is_active):
        raise ServiceError(_("You cannot remove your own admin role or deactivate yourself."))
    if role not in Role.values:
        raise ServiceError(_("Unknown role: %(role)s") % {"role": role})
    full_name, email = full_name.strip(), email.strip().lower()
    if not full_name:
        raise ServiceError(_("The person needs a name."))
    clash = Person.objects.for_org(actor.organisation).filter(email__iexact=email).exclude(pk=person.pk)
    if email and clash.exists():
        raise ServiceError(
            _("Someone in the organisation already has the e-mail address %(email)s.") % {"email": email}
        )
    before = snapshot(person)
    if email and email != person.email:
        person.user = _user_for_email(email, full_name)
    elif not email:
        person.user = None
    person.full_name, person.email, person.job_role = full_name, email, job_role
    person.role, person.is_active = role, is_active
    try:
        person.save()
    except IntegrityError as exc:
        raise ServiceError(_("That account is already linked to another person here.")) from exc
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="person.update",
        obj=person,
        before=before,
        after=snapshot(person),
    )
    return person


@transaction.atomic
def membership_add(*, actor: Actor | None, unit: Unit, person: Person) -> Membership:
    ensure_same_organisation(unit.organisation, person)
    _require(actor, actor is None or actor.can_lead(unit.pk))
    membership, created = Membership.objects.get_or_create(
        organisation=unit.organisation, person=person, unit=unit
    )
    if created:
        audit_record(
            actor=actor_user(actor),
            organisation=unit.organisation,
            action="membership.add",
            obj=membership,
            after=snapshot(membership),
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    _require(actor, actor.can_lead(membership.unit_id))
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="membership.remove",
        obj=membership,
        before=snapshot(membership),
    )
    membership.delete()


# Working groups -----------------------------------------------------------------------------------


def working_group_get_or_create(*, unit: Unit) -> WorkingGroup:
    group, _created = WorkingGroup.objects.get_or_create(organisation=unit.organisation, unit=unit)
    return group


@transaction.atomic
def working_group_update(
    *,
    actor: Actor | None,
    unit: Unit,
    mandate: str,
    deadline: datetime.date | None,
    lead: Person | None,
    minute_taker: Person | None,
) -> WorkingGroup:
    """The unit's leader sets the group's mandate, deadline, lead and minute taker."""
    _require(actor, actor is None or actor.can_lead(unit.pk))
    ensure_same_organisation(unit.organisation, lead, minute_taker)
    group = working_group_get_or_create(unit=unit)
    member_ids = set(group.members.values_list("person_id", flat=True))
    for chosen in (lead, minute_taker):
        if chosen is not None and chosen.pk not in member_ids:
            raise ServiceError(
                _("%(name)s is not a member of the working group. Add them first.") % {"name": chosen}
            )
    before = snapshot(group)
    group.mandate, group.deadline, group.lead, group.minute_taker = mandate, deadline, lead, minute_taker
    if snapshot(group) == before:
        return group
    group.save()
    audit_record(
        actor=actor_user(actor),
        organisation=unit.organisation,
        action="working_group.update",
        obj=group,
        before=before,
        after=snapshot(group),
    )
    return group


@transaction.atomic
def working_group_member_add(*, actor: Actor | None, unit: Unit, person: Person) -> WorkingGroupMember:
    """Add someone to the working group. An employee who joins becomes a coordinator."""
    _require(actor, actor is None or actor.can_lead(unit.pk))
    ensure_same_organisation(unit.organisation, person)
    if person.role == Role.EXTERNAL:
        raise ServiceError(_("External contributors cannot sit in a working group."))
    if not person.is_active:
        raise ServiceError(_("%(name)s is not active.") % {"name": person})
    group = working_group_get_or_create(unit=unit)
    member, created = WorkingGroupMember.objects.get_or_create(
        organisation=unit.organisation, group=group, person=person
    )
    if created:
        if person.role == Role.EMPLOYEE:
            before = snapshot(person, ["role"])
            person.role = Role.COORDINATOR
            person.save(update_fields=["role", "updated_at"])
            audit_record(
                actor=actor_user(actor),
                organisation=unit.organisation,
                action="person.update",
                obj=person,
                before=before,
                after=snapshot(person, ["role"]),
            )
        audit_record(
            actor=actor_user(actor),
            organisation=unit.organisation,
            action="working_group.member_add",
            obj=member,
            after=snapshot(member),
        )
    _forget(actor)
    return member


@transaction.atomic
def working_group_member_remove(*, actor: Actor, member: WorkingGroupMember) -> None:
    group = WorkingGroup.objects.select_for_update().get(pk=member.group_id)
    _require(actor, actor.can_lead(group.unit_id))
    changed = False
    if group.lead_id == member.person_id:
        group.lead, changed = None, True
    if group.minute_taker_id == member.person_id:
        group.minute_taker, changed = None, True
    if changed:
        group.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="working_group.member_remove",
        obj=member,
        before=snapshot(member),
    )
    member.delete()


@transaction.atomic
def meeting_create(
    *,
    actor: Actor | None,
    unit: Unit,
    held_on: datetime.date,
    minutes: str,
    minute_taker: Person | None,
) -> WorkingGroupMeeting:
    """Coordinators of the unit (working-group members) and its leaders record meetings."""
    _require(actor, actor is None or actor.can_coordinate(unit.pk))
    ensure_same_organisation(unit.organisation, minute_taker)
    if not minutes.strip():
        raise ServiceError(_("Write the minutes before saving."))
    group = working_group_get_or_create(unit=unit)
    meeting = WorkingGroupMeeting.objects.create(
        organisation=unit.organisation,
        group=group,
        held_on=held_on,
        minutes=minutes,
        minute_taker=minute_taker,
    )
    audit_record(
        actor=actor_user(actor),
        organisation=unit.organisation,
        action="meeting.create",
        obj=meeting,
        after=snapshot(meeting),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: WorkingGroupMeeting,
    held_on: datetime.date,
    minutes: str,
    minute_taker: Person | None,
) -> WorkingGroupMeeting:
    _require(actor, actor.can_coordinate(meeting.group.unit_id))
    ensure_same_organisation(actor.organisation, minute_taker)
    if not minutes.strip():
        raise ServiceError(_("Write the minutes before saving."))
    before = snapshot(meeting)
    meeting.held_on, meeting.minutes, meeting.minute_taker = held_on, minutes, minute_taker
    meeting.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="meeting.update",
        obj=meeting,
        before=before,
        after=snapshot(meeting),
    )
    return meeting


@transaction.atomic
def meeting_delete(*, actor: Actor, meeting: WorkingGroupMeeting) -> None:
    _require(actor, actor.can_coordinate(meeting.group.unit_id))
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="meeting.delete",
        obj=meeting,
        before=snapshot(meeting),
    )
    meeting.delete()
