"""Who may do what with the competence catalogue, mapping rounds, assessments and the gap analysis
(`laera.core.policies`; docs/product.md §2).

* The catalogue, its scale and requirements are the organisation's: every member reads them, admins
  manage them; admins and the leaders of a unit set the requirements of that unit.
* Mapping rounds are started and run by admins and by leaders of every unit of the round; admins and the
  leaders of one of its units follow its progress.
* A person's assessments and qualifications are personal data: the person, the leaders of their units and
  admins see them; the leaders and admins rate them (nobody rates themself as leader, admins excepted).
* Group figures (unit and organisation gap reports, heatmaps) are for admins, leaders of the units and the
  coordinators who plan for them; names of people (the people heatmap, who could teach others) only for
  leaders and admins. Those with group figures send gaps on to the input round.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db import models

from laera.core.policies import PermissionPolicy, PolicyActor, refuse
from laera.organisations.models import Membership, Unit

from .models import Catalogue, GapSignal, MappingRound, Qualification, Requirement


def group_unit_ids(actor: PolicyActor) -> set[int]:
    """Units whose group figures the actor may see: admins all, leaders theirs, coordinators theirs."""
    if actor.is_admin:
        return set(actor.led_unit_ids)  # an admin leads every unit of the organisation
    return set(actor.led_unit_ids) | set(actor.coordinated_unit_ids)


def person_unit_ids(person_id: int) -> set[int]:
    return set(Membership.objects.filter(person_id=person_id).values_list("unit_id", flat=True))


def leads_person(actor: PolicyActor, person_id: int) -> bool:
    """Whether the actor leads one of the person's units (admins lead every unit)."""
    if actor.is_admin:
        return True
    led = actor.led_unit_ids
    return bool(led) and bool(person_unit_ids(person_id) & led)


class CatalogueAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"  # the catalogue, its scale, areas and competences, copies, imports


class CataloguePolicy(PermissionPolicy[Catalogue]):
    model = Catalogue

    def allows(self, actor: PolicyActor, action: str, obj: Catalogue | None = None) -> bool:
        if self.foreign(actor, obj):
            return False
        if action == CatalogueAction.MANAGE:
            return actor.is_admin
        return actor.is_member


class RequirementAction(StrEnum):
    SET = "set"  # add, change, remove


class RequirementPolicy(PermissionPolicy[Requirement]):
    model = Requirement

    def allows(self, actor: PolicyActor, action: str, obj: Requirement | None = None) -> bool:
        if obj is None:
            return actor.is_admin or bool(actor.led_unit_ids)
        return self.allows_for_unit(actor, obj.unit_id)

    def allows_for_unit(self, actor: PolicyActor, unit_id: int | None) -> bool:
        """Requirements of a unit: admins and its leaders; of a job role everywhere (no unit): admins."""
        return actor.is_admin or (unit_id is not None and unit_id in actor.led_unit_ids)

    def require_for_unit(self, actor: PolicyActor | None, unit_id: int | None) -> None:
        """Refuse with 403 unless `allows_for_unit`; no actor is the operator (command line, demo)."""
        if actor is not None and not self.allows_for_unit(actor, unit_id):
            raise refuse()

    def objects_for(self, actor: PolicyActor, action: str) -> models.QuerySet[Requirement]:
        requirements = self.in_organisation(actor)
        if actor.is_admin:
            return requirements
        return requirements.filter(unit_id__in=actor.led_unit_ids)


class RoundAction(StrEnum):
    START = "start"  # start a round (for units one leads)
    FOLLOW = "follow"  # see the progress of who has answered
    MANAGE = "manage"  # change, close, remind


class RoundPolicy(PermissionPolicy[MappingRound]):
    model = MappingRound

    def allows(self, actor: PolicyActor, action: str, obj: MappingRound | None = None) -> bool:
        if self.foreign(actor, obj):
            return False
        if obj is None or action == RoundAction.START:
            return actor.is_admin or bool(actor.led_unit_ids)
        if action == RoundAction.FOLLOW:
            led = actor.led_unit_ids
            return actor.is_admin or (bool(led) and obj.units.filter(pk__in=led).exists())
        return self.allows_for_units(actor, obj.units.all())

    def allows_for_units(self, actor: PolicyActor, units: Iterable[Unit]) -> bool:
        """Run a round of these units: admins, and leaders of every one of them."""
        if actor.is_admin:
            return True
        units = list(units)
        return bool(units) and all(u.pk in actor.led_unit_ids for u in units)

    def objects_for(self, actor: PolicyActor, action: str) -> models.QuerySet[MappingRound]:
        rounds = self.in_organisation(actor)
        if actor.is_admin:
            return rounds
        if action == RoundAction.FOLLOW:
            return rounds.filter(units__in=actor.led_unit_ids).distinct()
        # MANAGE and START: rounds all of whose units the actor leads.
        outside = Unit.objects.exclude(pk__in=actor.led_unit_ids)
        return rounds.filter(units__isnull=False).exclude(units__in=outside).distinct()


class PersonAction(StrEnum):
    VIEW = "view"  # a person's assessments, profile and qualifications
    RATE = "rate"  # the leader's rating and the agreed level
    EDIT_QUALIFICATIONS = "edit_qualifications"


class AssessmentPolicy:
    """The rules about one person's assessments and qualifications: the object is the person (by id),
    since the rules are the same for every row about them."""

    def allows(self, actor: PolicyActor, action: str, person_id: int) -> bool:
        own = person_id == actor.person.pk
        if action == PersonAction.RATE:
            return (not own or actor.is_admin) and leads_person(actor, person_id)
        return own or leads_person(actor, person_id)

    def require(self, actor: PolicyActor | None, action: str, person_id: int) -> None:
        """Refuse with 403 unless `allows`; no actor is the operator (command line, demo)."""
        if actor is not None and not self.allows(actor, action, person_id):
            raise refuse()


class QualificationPolicy(PermissionPolicy[Qualification]):
    model = Qualification

    def allows(self, actor: PolicyActor, action: str, obj: Qualification | None = None) -> bool:
        if obj is None:
            return actor.is_member
        if self.foreign(actor, obj):
            return False
        return assessment_policy.allows(actor, action, obj.person_id)

    def objects_for(self, actor: PolicyActor, action: str) -> models.QuerySet[Qualification]:
        qualifications = self.in_organisation(actor)
        if actor.is_admin:
            return qualifications
        led = Membership.objects.filter(unit_id__in=actor.led_unit_ids).values("person_id")
        return qualifications.filter(models.Q(person=actor.person) | models.Q(person_id__in=led))


class FiguresAction(StrEnum):
    VIEW = "view"  # the group figures of a unit (or, with no unit, of any)
    VIEW_PEOPLE = "view_people"  # people by name: the people heatmap of a unit
    NAME_CANDIDATES = "name_candidates"  # who could teach others


class GroupFiguresPolicy(PermissionPolicy[Unit]):
    """Whose group figures the actor sees: the object is the unit."""

    model = Unit

    def allows(self, actor: PolicyActor, action: str, obj: Unit | None = None) -> bool:
        return self.allows_for_unit(actor, action, obj.pk if obj is not None else None)

    def allows_for_unit(self, actor: PolicyActor, action: str, unit_id: int | None = None) -> bool:
        if action == FiguresAction.VIEW:
            units = group_unit_ids(actor)
            return bool(units) if unit_id is None else unit_id in units
        # Names are individual assessments: leaders (of the unit) and admins only.
        return bool(actor.led_unit_ids) if unit_id is None else unit_id in actor.led_unit_ids

    def objects_for(self, actor: PolicyActor, action: str) -> models.QuerySet[Unit]:
        if action == FiguresAction.VIEW:
            return self.in_organisation(actor).filter(pk__in=group_unit_ids(actor))
        return self.in_organisation(actor).filter(pk__in=actor.led_unit_ids)


class GapSignalAction(StrEnum):
    SEND = "send"  # send a gap on to the next input round (and see those sent)
    WITHDRAW = "withdraw"


class GapSignalPolicy(PermissionPolicy[GapSignal]):
    model = GapSignal

    def allows(self, actor: PolicyActor, action: str, obj: GapSignal | None = None) -> bool:
        units = group_unit_ids(actor)
        if not units:
            return False
        if obj is None or action == GapSignalAction.SEND:
            return obj is None or obj.organisation_id == actor.organisation.pk
        if self.foreign(actor, obj):
            return False
        # Admins, whoever sent the gap, and those with group rights over its unit take it back.
        if actor.is_admin or obj.sent_by_id == actor.person.pk:
            return True
        return obj.unit_id is not None and obj.unit_id in units


catalogue_policy = CataloguePolicy()
requirement_policy = RequirementPolicy()
round_policy = RoundPolicy()
assessment_policy = AssessmentPolicy()
qualification_policy = QualificationPolicy()
figures_policy = GroupFiguresPolicy()
gap_signal_policy = GapSignalPolicy()
