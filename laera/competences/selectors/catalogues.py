"""Reads for the catalogue pages: catalogues with their counts, the areas with their competences, the
requirement profiles and one profile's matrix. Each is a fixed number of queries, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from laera.organisations.models import JobRole, Unit
from laera.organisations.tenancy import Actor

from ..models import Area, Catalogue, Competence, Importance, Requirement, ScaleLevel


def catalogue_list(actor: Actor) -> QuerySet[Catalogue]:
    actor.require_member()
    return Catalogue.objects.filter(organisation=actor.organisation).annotate(
        area_count=Count("areas", distinct=True), competence_count=Count("competences", distinct=True)
    )


def scale_levels(catalogue: Catalogue) -> list[ScaleLevel]:
    return list(ScaleLevel.objects.filter(catalogue=catalogue).order_by("value"))


def areas_with_competences(catalogue: Catalogue) -> list[Area]:
    """The areas in order, each with `.competences.all()` in order and a `requirement_count` on each."""
    competences = Competence.objects.filter(catalogue=catalogue).annotate(
        requirement_count=Count("requirements")
    )
    return list(
        Area.objects.filter(catalogue=catalogue).prefetch_related(
            Prefetch("competences", queryset=competences)
        )
    )


# Up to this many competences a page shows one by one; a larger catalogue is shown one area at a time (or
# by its areas, or its largest gaps first), and the spreadsheets keep every competence.
COMPETENCES_AT_ONCE = 20


def catalogue_competences(catalogue: Catalogue, area_id: int | None = None) -> list[Competence]:
    """Every competence of the catalogue (or of one area), grouped by area in the areas' order."""
    competences = Competence.objects.filter(catalogue=catalogue)
    if area_id is not None:
        competences = competences.filter(area_id=area_id)
    return list(competences.select_related("area").order_by("area__position", "area_id", "position", "id"))


def one_area_at_a_time(catalogue: Catalogue, area_id: str | None) -> tuple[list[Area], Area | None]:
    """For a catalogue larger than `COMPETENCES_AT_ONCE`: its areas and the one to show (`area_id` when it
    is one of them, else the first). For a smaller one: ([], None), every competence at once. One query."""
    areas = list(
        Area.objects.filter(catalogue=catalogue)
        .annotate(competence_count=Count("competences"))
        .order_by("position", "id")
    )
    if sum(a.competence_count for a in areas) <= COMPETENCES_AT_ONCE:
        return [], None
    chosen = next((a for a in areas if str(a.pk) == area_id), areas[0] if areas else None)
    return areas, chosen


@dataclass(frozen=True)
class ProfileRow:
    job_role: JobRole | None
    unit: Unit | None
    count: int
    critical: int


def requirement_profiles(catalogue: Catalogue) -> list[ProfileRow]:
    """Each job role / unit with requirements in the catalogue, with how many and how many critical."""
    rows = (
        Requirement.objects.filter(competence__catalogue=catalogue)
        .values("job_role_id", "unit_id")
        .annotate(count=Count("id"), critical=Count("id", filter=Q(importance=Importance.CRITICAL)))
        .order_by()
    )
    found = list(rows)
    roles = JobRole.objects.in_bulk({r["job_role_id"] for r in found if r["job_role_id"]})
    units = Unit.objects.in_bulk({r["unit_id"] for r in found if r["unit_id"]})
    profiles = [
        ProfileRow(
            job_role=roles.get(r["job_role_id"]) if r["job_role_id"] else None,
            unit=units.get(r["unit_id"]) if r["unit_id"] else None,
            count=r["count"],
            critical=r["critical"],
        )
        for r in found
    ]
    return sorted(
        profiles, key=lambda p: (p.job_role.name if p.job_role else "", p.unit.name if p.unit else "")
    )


def profile_requirements(
    catalogue: Catalogue, job_role: JobRole | None, unit: Unit | None
) -> dict[int, Requirement]:
    """{competence id: requirement} for exactly this job role and unit."""
    return {
        r.competence_id: r
        for r in Requirement.objects.filter(competence__catalogue=catalogue, job_role=job_role, unit=unit)
    }


def competence_requirements(competence: Competence) -> list[Requirement]:
    return list(
        Requirement.objects.filter(competence=competence)
        .select_related("job_role", "unit")
        .order_by("job_role__name", "unit__name", "id")
    )


def competence_outcomes(actor: Actor, competence: Competence) -> list[Any]:
    """The learning outcomes linked to the competence, in plans the actor may see: through the reverse
    relation of plans' `Outcome.competences`, since competences come before plans and do not import them.
    A draft ("draft", plans' `PlanStatus.DRAFT`) is seen only by those who coordinate its unit."""
    visible = ~Q(theme__plan__status="draft") | Q(theme__plan__unit_id__in=actor.coordinated_unit_ids)
    outcomes: Any = competence.outcomes.filter(visible).select_related("theme", "theme__plan")
    return list(outcomes.order_by("-theme__plan__period_start", "theme__position", "id"))


def organisation_competences(actor: Actor) -> list[Competence]:
    """Every competence of the actor's organisation, by catalogue, area and position, with both loaded."""
    return list(
        Competence.objects.filter(organisation=actor.organisation)
        .select_related("catalogue", "area")
        .order_by("catalogue__name", "catalogue_id", "area__position", "area_id", "position", "pk")
    )
