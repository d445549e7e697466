"""Fetch-and-authorise for every competence object, and who may see what (PRODUCT.md §2).

* The catalogue, its scale and requirements are the organisation's: every member reads them.
* A person's assessments are personal data: the person, the leaders of their units and admins see them.
* Group figures (unit and organisation gap reports, heatmaps) are for admins, leaders of the units and
  the coordinators who plan for them, and never for a group smaller than the organisation's threshold.

A missing id and an id of another organisation both give 404; a role refusal inside one's own
organisation gives 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from laera.organisations.models import Membership, Person
from laera.organisations.tenancy import Actor, get_in_organisation

from ..models import (
    Area,
    Assessment,
    Catalogue,
    Competence,
    GapSignal,
    MappingRound,
    Qualification,
    Requirement,
)


def _member_get(queryset: QuerySet[Any], actor: Actor, pk: Any) -> Any:
    obj = get_in_organisation(queryset, actor, pk)
    actor.require_member()
    return obj


def access_catalogue(actor: Actor, catalogue_id: Any) -> Catalogue:
    return _member_get(Catalogue.objects.select_related("organisation"), actor, catalogue_id)


def access_area(actor: Actor, area_id: Any) -> Area:
    return _member_get(Area.objects.select_related("catalogue", "organisation"), actor, area_id)


def access_competence(actor: Actor, competence_id: Any) -> Competence:
    return _member_get(
        Competence.objects.select_related("area", "catalogue", "organisation"), actor, competence_id
    )


def access_requirement(actor: Actor, requirement_id: Any) -> Requirement:
    return _member_get(
        Requirement.objects.select_related("competence", "competence__catalogue", "job_role", "unit"),
        actor,
        requirement_id,
    )


def access_round(actor: Actor, round_id: Any) -> MappingRound:
    return _member_get(MappingRound.objects.select_related("catalogue", "organisation"), actor, round_id)


def access_gap_signal(actor: Actor, signal_id: Any) -> GapSignal:
    signal: GapSignal = _member_get(
        GapSignal.objects.select_related("competence", "unit", "round", "sent_by"), actor, signal_id
    )
    actor.require(can_plan_from_gaps(actor))
    return signal


def person_unit_ids(person_id: int) -> set[int]:
    return set(Membership.objects.filter(person_id=person_id).values_list("unit_id", flat=True))


def leads_person(actor: Actor, person_id: int) -> bool:
    """Whether the actor leads one of the person's units (admins lead every unit)."""
    if actor.is_admin:
        return True
    led = actor.led_unit_ids
    return bool(led) and bool(person_unit_ids(person_id) & led)


def can_see_assessments_of(actor: Actor, person_id: int) -> bool:
    """Individual assessments: the person themself, the leaders of their units, admins."""
    return person_id == actor.person.pk or leads_person(actor, person_id)


def access_person_assessments(actor: Actor, person_id: Any) -> Person:
    """The person whose assessments the actor may see; 404 outside the organisation, 403 otherwise."""
    person: Person = get_in_organisation(
        Person.objects.select_related("job_role", "organisation", "user"), actor, person_id
    )
    if actor.is_external and person.pk != actor.person.pk:
        actor.require(False)
    actor.require(can_see_assessments_of(actor, person.pk))
    return person


def access_assessment(actor: Actor, assessment_id: Any) -> Assessment:
    assessment: Assessment = get_in_organisation(
        Assessment.objects.select_related("round", "competence", "person"), actor, assessment_id
    )
    actor.require(can_see_assessments_of(actor, assessment.person_id))
    return assessment


def access_qualification(actor: Actor, qualification_id: Any) -> Qualification:
    qualification: Qualification = get_in_organisation(
        Qualification.objects.select_related("person", "competence"), actor, qualification_id
    )
    actor.require(can_see_assessments_of(actor, qualification.person_id))
    return qualification


def group_unit_ids(actor: Actor) -> set[int]:
    """Units whose group figures the actor may see: admins all, leaders theirs, coordinators theirs."""
    if actor.is_admin:
        return set(actor.parent_map())
    return set(actor.led_unit_ids) | set(actor.coordinated_unit_ids)


def can_see_group_figures(actor: Actor, unit_id: int | None = None) -> bool:
    units = group_unit_ids(actor)
    return bool(units) if unit_id is None else unit_id in units


def can_plan_from_gaps(actor: Actor) -> bool:
    """Admins, leaders and coordinators send gaps on to the input round and link them to plans."""
    return bool(group_unit_ids(actor))


def can_withdraw_gap_signal(actor: Actor, signal: GapSignal) -> bool:
    """Admins, whoever sent the gap, and those with group rights over its unit take it back."""
    if actor.is_admin or signal.sent_by_id == actor.person.pk:
        return True
    return signal.unit_id is not None and signal.unit_id in group_unit_ids(actor)


def can_manage_catalogue(actor: Actor) -> bool:
    return actor.is_admin


def rounds_to_answer(actor: Actor) -> list[MappingRound]:
    """Open rounds in which the actor takes part and has not finished answering — one query."""
    from django.utils import timezone

    today = timezone.localdate()
    return list(
        MappingRound.objects.filter(
            organisation=actor.organisation,
            participants__person=actor.person,
            participants__submitted_at__isnull=True,
            opens_on__lte=today,
            deadline__gte=today,
            closed_at__isnull=True,
        ).order_by("deadline", "pk")
    )
