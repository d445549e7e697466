"""Who may do what to the organisation, its units, people, job roles, memberships, working groups and
invitations (see `laera.core.policies`). The actor's role facts (is_admin, led_unit_ids,
coordinated_unit_ids) live on `tenancy.Actor`; the rules built on them live here, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db.models import Q, QuerySet

from laera.core.permissions import Role, role_rank
from laera.core.policies import PermissionPolicy, PolicyActor, refuse

from .models import (
    Invitation,
    JobRole,
    Membership,
    Organisation,
    Person,
    Unit,
    WorkingGroup,
    WorkingGroupMeeting,
)


class OrganisationAction(StrEnum):
    MANAGE = "manage"  # settings, the audit log, the people import


class OrganisationPolicy(PermissionPolicy[Organisation]):
    model = Organisation

    def allows(self, actor: PolicyActor, action: str, obj: Organisation | None = None) -> bool:
        if obj is not None and obj.pk != actor.organisation.pk:
            return False
        return action == OrganisationAction.MANAGE and actor.is_admin

    def objects_for(self, actor: PolicyActor, action: str) -> QuerySet[Organisation]:
        found = Organisation.objects.filter(pk=actor.organisation.pk)
        return found if self.allows(actor, action) else found.none()


class UnitAction(StrEnum):
    VIEW = "view"  # members read the unit tree
    CREATE = "create"  # admins anywhere, leaders below the units they lead
    LEAD = "lead"  # edit, members, working group: the unit's leaders (and those above), admins
    DELETE = "delete"  # admins


class UnitPolicy(PermissionPolicy[Unit]):
    model = Unit

    def allows(self, actor: PolicyActor, action: str, obj: Unit | None = None) -> bool:
        if self.foreign(actor, obj):
            return False
        if action == UnitAction.VIEW:
            return actor.is_member
        if action == UnitAction.DELETE:
            return actor.is_admin
        if action == UnitAction.CREATE and obj is None:
            return actor.is_admin or bool(actor.led_unit_ids)
        if action in (UnitAction.CREATE, UnitAction.LEAD):
            # CREATE with a unit: a new unit below that one.
            return actor.is_admin if obj is None else obj.pk in actor.led_unit_ids
        return False

    def objects_for(self, actor: PolicyActor, action: str) -> QuerySet[Unit]:
        units = self.in_organisation(actor)
        if action == UnitAction.VIEW:
            return units if actor.is_member else units.none()
        if action == UnitAction.DELETE:
            return units if actor.is_admin else units.none()
        if action in (UnitAction.CREATE, UnitAction.LEAD):
            return units.filter(pk__in=actor.led_unit_ids)
        return units.none()


class PersonAction(StrEnum):
    VIEW = "view"  # members read the directory; an external contributor only themself
    ADD = "add"  # admins, and leaders to the units they lead
    EDIT = "edit"  # admins everyone; leaders people of their units ranking below them, and themselves
    SEE_PROFILE = "see_profile"  # the person, admins and their leaders: their assessments and evidence


class PersonPolicy(PermissionPolicy[Person]):
    model = Person

    def allows(
        self,
        actor: PolicyActor,
        action: str,
        obj: Person | None = None,
        *,
        unit_ids: Iterable[int] | None = None,
    ) -> bool:
        """`unit_ids`: the person's units, when the caller has loaded them (saves a query)."""
        if self.foreign(actor, obj):
            return False
        if action == PersonAction.VIEW:
            return actor.is_member or (obj is not None and obj.pk == actor.person.pk)
        if action == PersonAction.ADD or obj is None:
            return action in (PersonAction.ADD, PersonAction.EDIT) and (
                actor.is_admin or bool(actor.led_unit_ids)
            )
        if action == PersonAction.EDIT:
            return self._may_edit(actor, obj, unit_ids)
        if action == PersonAction.SEE_PROFILE:
            if obj.pk == actor.person.pk or actor.is_admin:
                return True
            return any(unit_id in actor.led_unit_ids for unit_id in self._units(obj, unit_ids))
        return False

    def _units(self, person: Person, unit_ids: Iterable[int] | None) -> Iterable[int]:
        if unit_ids is not None:
            return unit_ids
        return Membership.objects.filter(person_id=person.pk).values_list("unit_id", flat=True)

    def _may_edit(self, actor: PolicyActor, person: Person, unit_ids: Iterable[int] | None) -> bool:
        if actor.is_admin:
            return True
        if not actor.led_unit_ids:
            return False
        if person.pk != actor.person.pk and role_rank(person.role) >= role_rank(actor.role):
            return False
        return any(unit_id in actor.led_unit_ids for unit_id in self._units(person, unit_ids))

    def objects_for(self, actor: PolicyActor, action: str) -> QuerySet[Person]:
        people = self.in_organisation(actor)
        if action == PersonAction.VIEW:
            return people if actor.is_member else people.filter(pk=actor.person.pk)
        if actor.is_admin and action in (PersonAction.EDIT, PersonAction.SEE_PROFILE):
            return people
        led = Q(memberships__unit_id__in=actor.led_unit_ids)
        if action == PersonAction.EDIT:
            below = [role for role in Role.values if role_rank(role) < role_rank(actor.role)]
            return people.filter((led & Q(role__in=below)) | (led & Q(pk=actor.person.pk))).distinct()
        if action == PersonAction.SEE_PROFILE:
            return people.filter(led | Q(pk=actor.person.pk)).distinct()
        return people.none()


class JobRoleAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"  # create, edit, delete: admins


class JobRolePolicy(PermissionPolicy[JobRole]):
    model = JobRole

    def allows(self, actor: PolicyActor, action: str, obj: JobRole | None = None) -> bool:
        if self.foreign(actor, obj):
            return False
        if action == JobRoleAction.VIEW:
            return actor.is_member
        return action == JobRoleAction.MANAGE and actor.is_admin

    def objects_for(self, actor: PolicyActor, action: str) -> QuerySet[JobRole]:
        roles = self.in_organisation(actor)
        return roles if self.allows(actor, action) else roles.none()


class MembershipAction(StrEnum):
    REMOVE = "remove"  # those who lead the unit


class MembershipPolicy(PermissionPolicy[Membership]):
    model = Membership

    def allows(self, actor: PolicyActor, action: str, obj: Membership | None = None) -> bool:
        if obj is None:
            return action == MembershipAction.REMOVE and bool(actor.led_unit_ids)
        if self.foreign(actor, obj):
            return False
        return action == MembershipAction.REMOVE and obj.unit_id in actor.led_unit_ids

    def objects_for(self, actor: PolicyActor, action: str) -> QuerySet[Membership]:
        return self.in_organisation(actor).filter(unit_id__in=actor.led_unit_ids)


class WorkingGroupAction(StrEnum):
    LEAD = "lead"  # set up the group, its mandate and members: those who lead its unit
    COORDINATE = "coordinate"  # write and edit the minutes: its members, and those who lead its unit


class WorkingGroupPolicy(PermissionPolicy[WorkingGroup]):
    """Asked about a working group, or about the unit it belongs to (`allows_for_unit`), since a unit's
    group may not exist yet when someone sets it up."""

    model = WorkingGroup

    def allows(self, actor: PolicyActor, action: str, obj: WorkingGroup | None = None) -> bool:
        if obj is None:
            ids = actor.led_unit_ids if action == WorkingGroupAction.LEAD else actor.coordinated_unit_ids
            return bool(ids)
        if self.foreign(actor, obj):
            return False
        return self.allows_for_unit(actor, action, obj.unit_id)

    def allows_for_unit(self, actor: PolicyActor, action: str, unit_id: int) -> bool:
        if action == WorkingGroupAction.LEAD:
            return unit_id in actor.led_unit_ids
        if action == WorkingGroupAction.COORDINATE:
            return unit_id in actor.coordinated_unit_ids
        return False

    def require_for_unit(self, actor: PolicyActor, action: str, unit_id: int) -> None:
        if not self.allows_for_unit(actor, action, unit_id):
            raise refuse()

    def objects_for(self, actor: PolicyActor, action: str) -> QuerySet[WorkingGroup]:
        ids = actor.led_unit_ids if action == WorkingGroupAction.LEAD else actor.coordinated_unit_ids
        return self.in_organisation(actor).filter(unit_id__in=ids)


class MeetingAction(StrEnum):
    EDIT = "edit"  # the group's coordinators


class MeetingPolicy(PermissionPolicy[WorkingGroupMeeting]):
    model = WorkingGroupMeeting

    def allows(self, actor: PolicyActor, action: str, obj: WorkingGroupMeeting | None = None) -> bool:
        if obj is None:
            return action == MeetingAction.EDIT and bool(actor.coordinated_unit_ids)
        if self.foreign(actor, obj):
            return False
        return action == MeetingAction.EDIT and obj.group.unit_id in actor.coordinated_unit_ids

    def objects_for(self, actor: PolicyActor, action: str) -> QuerySet[WorkingGroupMeeting]:
        return self.in_organisation(actor).filter(group__unit_id__in=actor.coordinated_unit_ids)


class InvitationAction(StrEnum):
    SEND = "send"  # send, resend, withdraw: whoever may edit the person


class InvitationPolicy(PermissionPolicy[Invitation]):
    model = Invitation

    def allows(self, actor: PolicyActor, action: str, obj: Invitation | None = None) -> bool:
        if obj is None:
            return action == InvitationAction.SEND and person_policy.allows(actor, PersonAction.EDIT)
        if self.foreign(actor, obj):
            return False
        return action == InvitationAction.SEND and person_policy.allows(actor, PersonAction.EDIT, obj.person)

    def objects_for(self, actor: PolicyActor, action: str) -> QuerySet[Invitation]:
        people = person_policy.objects_for(actor, PersonAction.EDIT)
        return self.in_organisation(actor).filter(person__in=people)


organisation_policy = OrganisationPolicy()
unit_policy = UnitPolicy()
person_policy = PersonPolicy()
job_role_policy = JobRolePolicy()
membership_policy = MembershipPolicy()
working_group_policy = WorkingGroupPolicy()
meeting_policy = MeetingPolicy()
invitation_policy = InvitationPolicy()
