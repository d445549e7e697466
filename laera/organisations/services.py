"""Writes to organisations, units, people, job roles, memberships and working groups.

Every function checks the actor's role (None means the operator: command line, demo loader), runs in
one transaction and writes the audit log. Saves from a form name the version the form was opened with
(`laera.core.versioning`): a save from an older version, or from none, is refused with the saved object.
"""

from __future__ import annotations

import datetime
import re
import secrets
import zoneinfo
from dataclasses import asdict
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from laera.core.audit import audit_record, snapshot
from laera.core.errors import ServiceError
from laera.core.hooks import get_hooks
from laera.core.models import Job
from laera.core.permissions import Role, descendants, role_rank
from laera.core.services.jobs import JobProgress, Progress, job_run, job_start, no_progress
from laera.core.setup import organisation_setup
from laera.core.versioning import bump, check_version, check_version_as
from laera.organisations.tenancy import Actor, actor_user, ensure_same_organisation

from .imports import (
    ImportPlan,
    ImportResult,
    ImportValidationError,
    PeopleRow,
    PlannedPerson,
    RowError,
    existing_to_invite,
    import_in_job,
    make_plan,
)
from .models import (
    PRIVACY_THRESHOLD_MAX,
    PRIVACY_THRESHOLD_MIN,
    Invitation,
    InvitationStatus,
    JobRole,
    Membership,
    Organisation,
    Person,
    Unit,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupMember,
)
from .policies import (
    MeetingAction,
    MembershipAction,
    OrganisationAction,
    PersonAction,
    UnitAction,
    WorkingGroupAction,
    meeting_policy,
    membership_policy,
    organisation_policy,
    person_policy,
    unit_policy,
    working_group_policy,
)


def _require(actor: Actor | None, allowed: bool) -> None:
    if actor is not None:
        actor.require(allowed)


def _forget(actor: Actor | None) -> None:
    if actor is not None:
        actor.forget_scope()


def _memberships_changed(organisation_id: int) -> None:
    """Tell the apps above that someone joined or left a unit, or that a unit was added, moved or removed
    (competences' gap figures follow who is in which unit and which unit is below which), through the
    "memberships_changed" hook: organisations imports none of them."""
    for hook in get_hooks("memberships_changed"):
        hook(organisation_id=organisation_id)


# Organisations ------------------------------------------------------------------------------------


def _public_url(text: str) -> str:
    address = text.strip().rstrip("/")
    if address and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", address):
        raise ServiceError(_("Write a whole web address, for example https://laera.kommune.no."))
    return address


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
    public_url: str | None = None,
    version: int | None,
) -> Organisation:
    """Change the organisation's settings. `privacy_threshold` (1–50) is the smallest group whose
    figures reports and exports show; `public_url` the address in the links of its e-mails (http or
    https); None keeps either as it is. `version` is the one the settings form was opened with."""
    _require(actor, organisation_policy.allows(actor, OrganisationAction.MANAGE))
    if (
        privacy_threshold is not None
        and not PRIVACY_THRESHOLD_MIN <= privacy_threshold <= PRIVACY_THRESHOLD_MAX
    ):
        raise ServiceError(
            _("The smallest group shown must be from %(low)s to %(high)s people.")
            % {"low": PRIVACY_THRESHOLD_MIN, "high": PRIVACY_THRESHOLD_MAX}
        )
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation.pk)
    check_version(organisation, version, _("organisation"))
    before = snapshot(organisation)
    organisation.name = name.strip()
    organisation.default_language = default_language
    organisation.time_zone = time_zone
    if privacy_threshold is not None:
        organisation.privacy_threshold = privacy_threshold
    if public_url is not None:
        organisation.public_url = _public_url(public_url)
    bump(organisation)
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
    _require(actor, actor is None or organisation_policy.allows(actor, OrganisationAction.MANAGE))
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
def job_role_update(
    *, actor: Actor, job_role: JobRole, name: str, description: str = "", version: int | None
) -> JobRole:
    _require(actor, organisation_policy.allows(actor, OrganisationAction.MANAGE))
    locked = JobRole.objects.select_for_update().get(pk=job_role.pk)
    check_version(locked, version, _("job role"))
    name = name.strip()
    clash = JobRole.objects.for_org(actor.organisation).filter(name__iexact=name).exclude(pk=locked.pk)
    if clash.exists():
        raise ServiceError(_("There is already a job role called %(name)s.") % {"name": name})
    before = snapshot(locked)
    locked.name, locked.description = name, description
    bump(locked)
    locked.save()
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="job_role.update",
        obj=locked,
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def job_role_delete(*, actor: Actor, job_role: JobRole) -> None:
    _require(actor, organisation_policy.allows(actor, OrganisationAction.MANAGE))
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
    _require(
        actor,
        actor is None
        or actor.is_admin
        or (parent is not None and unit_policy.allows(actor, UnitAction.CREATE, parent)),
    )
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
    _memberships_changed(organisation.pk)
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
    version: int | None,
) -> Unit:
    """Admins edit every unit, leaders the units they lead. A unit cannot move below itself."""
    _require(actor, unit_policy.allows(actor, UnitAction.LEAD, unit))
    ensure_same_organisation(actor.organisation, parent, leader)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, version, _("unit"))
    if parent is not None:
        if parent.pk in descendants(actor.parent_map(), {unit.pk}):
            raise ServiceError(_("A unit cannot be placed under itself or one of its own sub-units."))
        if (
            not actor.is_admin
            and parent.pk != unit.parent_id
            and not unit_policy.allows(actor, UnitAction.CREATE, parent)
        ):
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
    moved = unit.parent_id != (parent.pk if parent is not None else None)
    unit.name, unit.parent, unit.leader, unit.description = name, parent, leader, description
    bump(unit)
    unit.save()
    if moved:  # the people below it now count in other units above
        _memberships_changed(unit.organisation_id)
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
    _require(actor, unit_policy.allows(actor, UnitAction.DELETE, unit))
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
    _memberships_changed(unit.organisation_id)
    _forget(actor)


# People -------------------------------------------------------------------------------------------

# How far each role reaches. No one gives a role above their own, and leaders never edit someone whose
# role ranks above theirs.

# How a person created by `person_create` gets in: see its docstring.
AccountMode = Literal["invite", "none", "provision"]


def _assign_role_allowed(actor: Actor | None, role: str) -> bool:
    if actor is None or actor.is_admin:
        return True
    # Leaders may add employees and external contributors to their own units, nothing more; no one
    # gives a role above their own.
    return role in (Role.EMPLOYEE, Role.EXTERNAL) and role_rank(role) <= role_rank(actor.role)


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
    account: AccountMode | None = None,
    site_url: str | None = None,
) -> Person:
    """Add a person. How they get in depends on `account`:

    * "invite" (the default on pages): no account is linked or created; with an e-mail address, an
      invitation goes to it, and the owner of the address signs in by accepting it.
    * "none": no account and no invitation yet; one can be sent from the person's page later.
    * "provision" (the default for the operator, `actor` None: demo loader, `laera createorg`, tests):
      the account with this address is linked, or one without a password is created. Only the operator
      may do this; a page never attaches an existing account to an organisation.

    `site_url` is Læra's address for the link in the invitation (the request's, on a page).
    """
    mode = account or ("provision" if actor is None else "invite")
    if mode not in ("invite", "none", "provision"):
        raise ValueError(mode)
    units = units or []
    ensure_same_organisation(organisation, job_role, *units)
    if actor is not None:
        actor.require(mode != "provision")
        actor.require(
            actor.is_admin
            or (bool(units) and all(unit_policy.allows(actor, UnitAction.LEAD, u) for u in units))
        )
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
    user = _user_for_email(email, full_name) if email and mode == "provision" else None
    person = Person.objects.create(
        organisation=organisation, user=user, full_name=full_name, email=email, job_role=job_role, role=role
    )
    for unit in units:
        Membership.objects.create(organisation=organisation, person=person, unit=unit)
    if units:
        _memberships_changed(organisation.pk)
    after = snapshot(person) | {"units": [u.pk for u in units]}
    audit_record(
        actor=actor_user(actor), organisation=organisation, action="person.create", obj=person, after=after
    )
    if email and mode == "invite":
        _invitation_issue(
            organisation=organisation, person=person, invited_by=actor_user(actor), site_url=site_url
        )
    return person


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    version: int | None,
    full_name: str,
    email: str,
    job_role: JobRole | None,
    role: str,
    is_active: bool = True,
    site_url: str | None = None,
) -> Person:
    """Change a person, from the `version` the form was opened with (an older one: `ConflictError`).

    Admins edit everyone, but not their own admin role, activity or e-mail address. Leaders edit only the
    name and job role of people in units they lead, never someone whose role ranks above their own; no
    one gives a role above their own.

    The e-mail address is the person's sign-in identity, and only an admin changes it (the person
    themself changes it from their profile, with confirmation). A change removes the account link (an
    account left with no person and no password is deleted), withdraws open invitations, and sends an
    invitation to the new address. No existing account is ever linked here.
    """
    ensure_same_organisation(actor.organisation, person, job_role)
    locked = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    _require(actor, person_policy.allows(actor, PersonAction.EDIT, locked))
    check_version(locked, version, _("person"))
    if role not in Role.values:
        raise ServiceError(_("Unknown role: %(role)s") % {"role": role})
    full_name, email = full_name.strip(), email.strip().lower()
    identity_changed = email != locked.email.strip().lower()
    if not actor.is_admin:
        if role != locked.role or is_active != locked.is_active:
            raise ServiceError(_("Only an organisation admin can change a person's role or deactivate them."))
        if identity_changed:
            raise ServiceError(_("Only an organisation admin can change a person's e-mail address."))
    if role_rank(role) > role_rank(actor.role):
        raise ServiceError(_("You cannot give anyone a role above your own."))
    if locked.pk == actor.person.pk:
        if (role != Role.ADMIN and locked.role == Role.ADMIN) or not is_active:
            raise ServiceError(_("You cannot remove your own admin role or deactivate yourself."))
        if identity_changed:
            raise ServiceError(
                _(
                    "You cannot change your own e-mail address here. Change the address you sign in "
                    "with on your profile page."
                )
            )
    if not full_name:
        raise ServiceError(_("The person needs a name."))
    clash = Person.objects.for_org(actor.organisation).filter(email__iexact=email).exclude(pk=locked.pk)
    if email and clash.exists():
        raise ServiceError(
            _("Someone in the organisation already has the e-mail address %(email)s.") % {"email": email}
        )
    before = snapshot(locked)
    old_user = locked.user
    if identity_changed:
        locked.user = None
    locked.full_name, locked.email, locked.job_role = full_name, email, job_role
    locked.role, locked.is_active = role, is_active
    bump(locked)
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError as exc:
        raise ServiceError(
            _("Someone in the organisation already has the e-mail address %(email)s.") % {"email": email}
        ) from exc
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="person.update",
        obj=locked,
        before=before,
        after=snapshot(locked),
    )
    if identity_changed or not is_active:
        revoked = _invitations_revoke(locked)
        if revoked:
            audit_record(
                actor=actor.user,
                organisation=actor.organisation,
                action="invitation.revoke",
                obj=locked,
                after={"revoked": revoked},
            )
    if identity_changed and old_user is not None:
        _account_delete_if_orphaned(old_user, organisation=actor.organisation, actor=actor.user)
    if identity_changed and email and is_active:
        _invitation_issue(
            organisation=actor.organisation, person=locked, invited_by=actor.user, site_url=site_url
        )
    return locked


def _account_delete_if_orphaned(user: Any, *, organisation: Organisation, actor: Any) -> bool:
    """Delete an account no person links to any more and that has no password: no one can reach it."""
    User = get_user_model()
    account = User.objects.select_for_update().filter(pk=user.pk).first()
    if account is None or account.is_staff or account.is_superuser or account.has_usable_password():
        return False
    if Person.objects.filter(user=account).exists():
        return False
    audit_record(
        actor=actor,
        organisation=organisation,
        action="user.delete",
        obj=account,
        before={"email": account.email, "full_name": account.full_name},
    )
    account.delete()
    return True


@transaction.atomic
def membership_add(*, actor: Actor | None, unit: Unit, person: Person) -> Membership:
    """Leaders add people to the units they lead, but only people whose role ranks below their own (and
    themselves): leading another leader's or the admin's unit would let them edit that person and read
    their assessments. Admins place leaders."""
    ensure_same_organisation(unit.organisation, person)
    _require(
        actor,
        actor is None
        or (
            unit_policy.allows(actor, UnitAction.LEAD, unit)
            and (
                actor.is_admin
                or person.pk == actor.person.pk
                or role_rank(person.role) < role_rank(actor.role)
            )
        ),
    )
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
        _memberships_changed(unit.organisation_id)
    return membership


# Invitations --------------------------------------------------------------------------------------


class InvitationUnusable(ServiceError):
    """The invitation has expired, was withdrawn or used, or no longer fits its person."""


class InvitationWrongAccount(ServiceError):
    """Someone signed in with another account opened the invitation: nothing is linked."""


def invitation_problem(invitation: Invitation) -> str | None:
    """Why the invitation can no longer be accepted, in the user's language; None while it can."""
    status = invitation.status
    if status == InvitationStatus.ACCEPTED:
        return _("This invitation has been used already.")
    if status == InvitationStatus.REVOKED:
        return _("This invitation has been withdrawn, usually because a newer one was sent.")
    if status == InvitationStatus.EXPIRED:
        return _("This invitation expired on %(date)s.") % {
            "date": formats.date_format(
                timezone.localtime(invitation.expires_at, _zone(invitation.organisation)), "DATE_FORMAT"
            )
        }
    person = invitation.person
    if (
        not person.is_active
        or not invitation.organisation.is_active
        or person.email.strip().lower() != invitation.email.lower()
    ):
        return _("This invitation is no longer valid.")
    return None


def _zone(organisation: Organisation) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _invitations_revoke(person: Person) -> int:
    now = timezone.now()
    open_ones = Invitation.objects.filter(person=person, accepted_at__isnull=True, revoked_at__isnull=True)
    return open_ones.update(revoked_at=now, updated_at=now)


def _invitation_issue(
    *, organisation: Organisation, person: Person, invited_by: Any, site_url: str | None
) -> Invitation:
    """Withdraw the person's open invitations, store a new one and e-mail its link once committed."""
    revoked = _invitations_revoke(person)
    key = secrets.token_urlsafe(9)  # 12 characters: Invitation.KEY_LENGTH
    token = key + secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation,
        person=person,
        email=person.email,
        key=key,
        token_hash=Invitation.hash_token(token),
        invited_by=invited_by,
        expires_at=now + datetime.timedelta(days=Invitation.VALID_DAYS),
    )
    base = (site_url or str(settings.LAERA_SITE_URL)).rstrip("/")
    invitation.link = base + reverse("invitations:accept", kwargs={"token": token})
    message = _invitation_message(organisation=organisation, invitation=invitation)
    # Sent only once the invitation is saved: a rolled-back import mails no dead links. A failing mail
    # server does not undo the change; the person page offers to send the invitation again.
    transaction.on_commit(message.send, robust=True)
    audit_record(
        actor=invited_by,
        organisation=organisation,
        action="invitation.send",
        obj=invitation,
        after={
            "person": person.pk,
            "email": invitation.email,
            "expires_at": invitation.expires_at.isoformat(),
            "revoked": revoked,
        },
    )
    return invitation


def _invitation_message(*, organisation: Organisation, invitation: Invitation) -> EmailMessage:
    """The invitation e-mail, in the organisation's language and with dates in its time zone."""
    inviter = invitation.invited_by
    context = {
        "organisation": organisation,
        "person": invitation.person,
        "inviter": inviter.get_full_name() if inviter is not None else "",
        "link": invitation.link,
        "expires_at": invitation.expires_at,
        "time_zone": _zone(organisation),
    }
    with translation.override(organisation.default_language):
        subject = render_to_string("organisations/email/invitation_subject.txt", context).strip()
        body = render_to_string("organisations/email/invitation.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[invitation.email])


@transaction.atomic
def invitation_send(*, actor: Actor | None, person: Person, site_url: str | None = None) -> Invitation:
    """Send the person a new invitation to sign in, valid for 14 days; earlier open ones are withdrawn.

    Admins invite anyone, leaders the people they may edit. Refused for people without an e-mail
    address, inactive people and people whose account already has a password.
    """
    if actor is not None:
        ensure_same_organisation(actor.organisation, person)
    locked = (
        Person.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .get(pk=person.pk)
    )
    if actor is not None:
        actor.require(person_policy.allows(actor, PersonAction.EDIT, locked))
    if not locked.email:
        raise ServiceError(
            _("%(name)s has no e-mail address to send an invitation to.") % {"name": locked.full_name}
        )
    if not locked.is_active:
        raise ServiceError(
            _("%(name)s is inactive. Make them active before inviting them.") % {"name": locked.full_name}
        )
    if locked.user is not None and locked.user.has_usable_password():
        raise ServiceError(
            _("%(name)s already signs in with their account; they need no invitation.")
            % {"name": locked.full_name}
        )
    return _invitation_issue(
        organisation=locked.organisation, person=locked, invited_by=actor_user(actor), site_url=site_url
    )


def _check_password(password: str, user: Any) -> None:
    if not password:
        raise ServiceError(_("Choose a password."))
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(exc.messages) from exc


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: Any | None, password: str = "", full_name: str = ""
) -> Person:
    """Link the invited person to the account of the invitation's address, and mark it accepted.

    * No account has the address: one is created with `full_name` and `password`.
    * The account has no usable password: `password` becomes its password.
    * The account has a password: its owner must be signed in as `user` to accept.

    `user` is the signed-in account, or None. Signed in as another account, nothing is linked
    (`InvitationWrongAccount`). Passwords pass Django's password validators. Expired, withdrawn and
    used invitations are refused (`InvitationUnusable`).
    """
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("person", "organisation")
        .get(pk=invitation.pk)
    )
    problem = invitation_problem(locked)
    if problem is not None:
        raise InvitationUnusable(problem)
    signed_in = user if user is not None and user.is_authenticated else None
    User = get_user_model()
    account = User.objects.select_for_update().filter(email__iexact=locked.email).first()
    if signed_in is not None and (account is None or signed_in.pk != account.pk):
        raise InvitationWrongAccount(
            _(
                "You are signed in as %(current)s, but this invitation is for %(email)s. Nothing was "
                "changed. Sign out, then open the link in the invitation again."
            )
            % {"current": signed_in.email, "email": locked.email}
        )
    if account is not None and not account.is_active:
        raise InvitationUnusable(
            _("The account for %(email)s is closed. Ask the person who invited you for help.")
            % {"email": locked.email}
        )
    person = Person.objects.select_for_update().get(pk=locked.person_id)
    if person.user_id is not None and (account is None or person.user_id != account.pk):
        raise InvitationUnusable(_("This invitation is no longer valid."))
    created = False
    if account is None:
        full_name = full_name.strip() or person.full_name
        _check_password(password, User(email=locked.email, full_name=full_name))
        account = User.objects.create_user(email=locked.email, password=password, full_name=full_name)
        created = True
    elif not account.has_usable_password():
        _check_password(password, account)
        account.set_password(password)
        account.save(update_fields=["password"])
    elif signed_in is None:
        raise ServiceError(_("Sign in as %(email)s to accept the invitation.") % {"email": locked.email})
    others = Person.objects.filter(organisation_id=locked.organisation_id, user=account).exclude(pk=person.pk)
    if others.exists():
        raise ServiceError(
            _("Your account already belongs to someone else in %(organisation)s. Ask its admin for help.")
            % {"organisation": locked.organisation.name}
        )
    before = snapshot(person, ["user", "version"])
    person.user = account
    bump(person)
    person.save(update_fields=["user", "version", "updated_at"])
    locked.accepted_at = timezone.now()
    locked.accepted_by = account
    locked.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_record(
        actor=account,
        organisation=locked.organisation,
        action="invitation.accept",
        obj=locked,
        after={"person": person.pk, "user": account.pk, "account_created": created},
    )
    audit_record(
        actor=account,
        organisation=locked.organisation,
        action="person.update",
        obj=person,
        before=before,
        after=snapshot(person, ["user", "version"]),
    )
    return person


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    _require(actor, membership_policy.allows(actor, MembershipAction.REMOVE, membership))
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="membership.remove",
        obj=membership,
        before=snapshot(membership),
    )
    membership.delete()
    _memberships_changed(membership.organisation_id)


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
    version: int | None,
) -> WorkingGroup:
    """The unit's leader sets the group's mandate, deadline, lead and minute taker.

    A unit without a group yet has one made here; its form was opened with the version a new group
    starts with (`WorkingGroup.version`'s default)."""
    _require(actor, actor is None or unit_policy.allows(actor, UnitAction.LEAD, unit))
    ensure_same_organisation(unit.organisation, lead, minute_taker)
    group = WorkingGroup.objects.select_for_update().get(pk=working_group_get_or_create(unit=unit).pk)
    check_version_as(actor, group, version, _("working group"))
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
    bump(group)
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
    _require(actor, actor is None or unit_policy.allows(actor, UnitAction.LEAD, unit))
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
            # A change of the person: an edit form opened before it cannot put the old role back.
            Person.objects.filter(pk=person.pk).update(
                role=Role.COORDINATOR, version=F("version") + 1, updated_at=timezone.now()
            )
            person.refresh_from_db(fields=["role", "version", "updated_at"])
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
    _require(actor, working_group_policy.allows(actor, WorkingGroupAction.LEAD, group))
    changed = False
    if group.lead_id == member.person_id:
        group.lead, changed = None, True
    if group.minute_taker_id == member.person_id:
        group.minute_taker, changed = None, True
    if changed:
        # The lead or minute taker an open form shows is gone: that form is out of date.
        bump(group)
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
    _require(
        actor,
        actor is None or working_group_policy.allows_for_unit(actor, WorkingGroupAction.COORDINATE, unit.pk),
    )
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
    version: int | None,
) -> WorkingGroupMeeting:
    _require(actor, meeting_policy.allows(actor, MeetingAction.EDIT, meeting))
    ensure_same_organisation(actor.organisation, minute_taker)
    meeting = WorkingGroupMeeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, version, _("meeting"))
    if not minutes.strip():
        raise ServiceError(_("Write the minutes before saving."))
    before = snapshot(meeting)
    meeting.held_on, meeting.minutes, meeting.minute_taker = held_on, minutes, minute_taker
    bump(meeting)
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
    _require(actor, meeting_policy.allows(actor, MeetingAction.EDIT, meeting))
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="meeting.delete",
        obj=meeting,
        before=snapshot(meeting),
    )
    meeting.delete()


# Importing people ---------------------------------------------------------------------------------


def _person_import_update(
    plan: ImportPlan, planned: PlannedPerson, *, actor: Actor | None, organisation: Organisation
) -> None:
    """Name, job role and role from the file; memberships added, never removed."""
    person = planned.existing
    assert person is not None
    before = snapshot(person)
    fields: list[str] = []
    if planned.row.name != person.full_name:
        person.full_name = planned.row.name
        fields.append("full_name")
    if planned.job_role_key:
        job_role = plan.job_roles[planned.job_role_key]
        if job_role.pk != person.job_role_id:
            person.job_role = job_role
            fields.append("job_role")
    if planned.role and planned.role != person.role:
        person.role = planned.role
        fields.append("role")
    if fields:
        bump(person)  # A person's page opened before the import can no longer overwrite it.
        person.save(update_fields=[*fields, "version", "updated_at"])
        audit_record(
            actor=actor_user(actor),
            organisation=organisation,
            action="person.update",
            obj=person,
            before=before,
            after=snapshot(person),
        )
    for node in planned.units:
        assert node.unit is not None
        if (person.pk, node.unit.pk) not in plan.memberships:
            membership_add(actor=actor, unit=node.unit, person=person)


def _people_import_write(
    plan: ImportPlan,
    *,
    actor: Actor | None,
    organisation: Organisation,
    result: ImportResult,
    to_invite: list[Person],
    invitations: bool,
    site_url: str | None,
    progress: Progress | None = None,
) -> None:
    """Write the plan: new job roles and units first, then the people, then the invitations. A service
    refusing a row (someone changed the organisation meanwhile) is reported on that row's line."""
    line = 0
    report = progress or no_progress
    steps = len(plan.people) + len(to_invite)
    report(0, total=steps, phase="saving")
    try:
        for key, (name, first_line) in plan.new_job_roles.items():
            line = first_line
            plan.job_roles[key] = job_role_create(actor=actor, organisation=organisation, name=name)
        for node in plan.tree.new:  # Parents are always planned before their children.
            line = node.line
            node.unit = unit_create(
                actor=actor,
                organisation=organisation,
                name=node.name,
                parent=node.parent.unit if node.parent is not None else None,
            )
        # A fresh actor: its cached view of the unit tree must include the units just created.
        writer = Actor(organisation=actor.organisation, person=actor.person) if actor else None
        for done, planned in enumerate(plan.people, start=1):
            line = planned.row.line
            report(done)
            if planned.existing is not None:
                _person_import_update(plan, planned, actor=writer, organisation=organisation)
                continue
            person_create(
                actor=writer,
                organisation=organisation,
                full_name=planned.row.name,
                email=planned.email,
                job_role=plan.job_roles[planned.job_role_key] if planned.job_role_key else None,
                role=planned.role or Role.EMPLOYEE,
                units=[node.unit for node in planned.units if node.unit is not None],
                account="invite" if invitations else "none",
                site_url=site_url,
            )
            if invitations:
                result.invitations += 1
        lines = {id(planned.existing): planned.row.line for planned in plan.people}
        for done, person in enumerate(to_invite, start=len(plan.people) + 1):
            line = lines[id(person)]
            report(done)
            invitation_send(actor=writer, person=person, site_url=site_url)
            result.invitations += 1
    except ServiceError as exc:
        # Someone changed the organisation while the file was being imported; nothing is saved.
        raise ImportValidationError([RowError(line=line, message=" ".join(exc.messages))]) from exc
    except IntegrityError as exc:
        message = _("This row clashes with a change made while the file was imported. Nothing was saved.")
        raise ImportValidationError([RowError(line=line, message=message)]) from exc


@transaction.atomic
def people_import(
    *,
    actor: Actor | None,
    organisation: Organisation,
    rows: list[PeopleRow],
    dry_run: bool = False,
    invitations: bool = True,
    site_url: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the rows (`imports.read_people_file`): all of them or, when any row is wrong, none
    (`ImportValidationError`, with every problem by line). `progress` hears how far the writing has come
    (`people_import_start` runs the import in the background with it).

    `actor` None is the operator on the command line; otherwise only an organisation admin may
    import. With `dry_run` the rows are checked and counted, and nothing is written.

    No one is linked to an existing account and no account is created: new people, and people in the
    file who cannot sign in yet and have no open invitation, get an invitation by e-mail (`site_url`:
    Læra's address for its link). `invitations=False` (the operator only) adds them without one.
    """
    if actor is not None:
        actor.require(actor.is_admin and actor.organisation.pk == organisation.pk)
        actor.require(invitations)
    if progress is not None:
        progress(0, total=len(rows), phase="checking")
    plan = make_plan(organisation, rows, actor)
    if plan.errors:
        raise ImportValidationError(plan.errors)
    result = plan.result()
    to_invite = existing_to_invite(plan, organisation) if invitations else []
    if dry_run:
        result.invitations = len(to_invite) + result.created if invitations else 0
        return result
    _people_import_write(
        plan,
        actor=actor,
        organisation=organisation,
        result=result,
        to_invite=to_invite,
        invitations=invitations,
        site_url=site_url,
        progress=progress,
    )
    audit_record(
        actor=actor_user(actor),
        organisation=organisation,
        action="people.import",
        obj=organisation,
        after=asdict(result),
    )
    return result


# People import in the background -------------------------------------------------------------------

PEOPLE_IMPORT = "people_import"


def people_import_start(*, actor: Actor, rows: list[PeopleRow], site_url: str) -> Job:
    """Start importing the rows in the background (`people_import`, with its rules), for the actor to
    follow on the job's page. Only an organisation admin may."""
    actor.require(actor.is_admin)
    return job_start(
        organisation_id=actor.organisation.pk,
        person_id=actor.person.pk,
        kind=PEOPLE_IMPORT,
        task=people_import_task,
        input={"rows": [asdict(row) for row in rows], "site_url": site_url},
        total=len(rows),
        link=lambda job: reverse(
            "organisations:people_import_job", kwargs={"org_slug": actor.organisation.slug, "job_id": job.pk}
        ),
    )


@task()
def people_import_task(*, job_id: int) -> dict[str, Any] | None:
    return job_run(job_id, _people_import_work)


def _people_import_work(job: Job, progress: JobProgress) -> dict[str, Any]:
    organisation = Organisation.objects.get(pk=job.organisation_id)
    rows = [PeopleRow(**row) for row in job.input["rows"]]
    return import_in_job(
        job,
        lambda actor: people_import(
            actor=actor,
            organisation=organisation,
            rows=rows,
            site_url=job.input["site_url"],
            progress=progress,
        ),
    )
