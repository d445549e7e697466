"""Fetch-and-authorise for every competence object, and who may see what (docs/product.md §2).

* The catalogue, its scale and requirements are the organisation's: every member reads them.
* A person's assessments are personal data: the person, the leaders of their units and admins see them.

Who may do what is decided in `..policies`; these helpers fetch and ask it.

A missing id and an id of another organisation both give 404; a role refusal inside one's own
organisation gives 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from laera.organisations.models import Person
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
from ..policies import GapSignalAction, PersonAction, assessment_policy, gap_signal_policy


def _member_get(queryset: QuerySet[Any], actor: Actor, pk: int) -> Any:
    obj = get_in_organisation(queryset, actor, pk)
    actor.require_member()
    return obj


def access_catalogue(actor: Actor, catalogue_id: int) -> Catalogue:
    return _member_get(Catalogue.objects.select_related("organisation"), actor, catalogue_id)


def access_area(actor: Actor, area_id: int) -> Area:
    return _member_get(Area.objects.select_related("catalogue", "organisation"), actor, area_id)


def access_competence(actor: Actor, competence_id: int) -> Competence:
    return _member_get(
        Competence.objects.select_related("area", "catalogue", "organisation"), actor, competence_id
    )


def access_requirement(actor: Actor, requirement_id: int) -> Requirement:
    return _member_get(
        Requirement.objects.select_related("competence", "competence__catalogue", "job_role", "unit"),
        actor,
        requirement_id,
    )


def access_round(actor: Actor, round_id: int) -> MappingRound:
    return _member_get(MappingRound.objects.select_related("catalogue", "organisation"), actor, round_id)


def access_gap_signal(actor: Actor, signal_id: int) -> GapSignal:
    signal: GapSignal = _member_get(
        GapSignal.objects.select_related("competence", "unit", "round", "sent_by"), actor, signal_id
    )
    gap_signal_policy.require(actor, GapSignalAction.SEND, signal)
    return signal


def access_person_assessments(actor: Actor, person_id: int) -> Person:
    """The person whose assessments the actor may see; 404 outside the organisation, 403 otherwise."""
    person: Person = get_in_organisation(
        Person.objects.select_related("job_role", "organisation", "user"), actor, person_id
    )
    if actor.is_external and person.pk != actor.person.pk:
        actor.require(False)
    assessment_policy.require(actor, PersonAction.VIEW, person.pk)
    return person


def access_assessment(actor: Actor, assessment_id: int) -> Assessment:
    assessment: Assessment = get_in_organisation(
        Assessment.objects.select_related("round", "competence", "person"), actor, assessment_id
    )
    assessment_policy.require(actor, PersonAction.VIEW, assessment.person_id)
    return assessment


def access_qualification(actor: Actor, qualification_id: int) -> Qualification:
    qualification: Qualification = get_in_organisation(
        Qualification.objects.select_related("person", "competence"), actor, qualification_id
    )
    assessment_policy.require(actor, PersonAction.VIEW, qualification.person_id)
    return qualification


def rounds_to_answer(actor: Actor) -> list[MappingRound]:
    """Open rounds in which the actor takes part and has not finished answering — one query."""
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
