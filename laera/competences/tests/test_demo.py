"""The demo's competences: loaded twice gives the same data, and the gap pages have a story to tell."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from laera.competences.demo import AUTUMN_ROUND, CURRENT_ROUND, competences_by_key
from laera.competences.models import (
    Assessment,
    Catalogue,
    Competence,
    GapSignal,
    Importance,
    MappingRound,
    Qualification,
    Requirement,
    RoundParticipant,
)
from laera.competences.selectors.gaps import heatmap_by_units, unit_gap_report
from laera.competences.services.rounds import needs_in_round
from laera.core.demo import DEMO_SLUG
from laera.organisations.models import Membership, Organisation, Person, Unit
from laera.organisations.tenancy import Actor
from laera.plans.models import Outcome

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, Any]:
    return {
        "catalogues": Catalogue.objects.count(),
        "competences": Competence.objects.count(),
        "requirements": Requirement.objects.count(),
        "rounds": sorted(MappingRound.objects.values_list("name", "opens_on", "deadline")),
        "participants": RoundParticipant.objects.count(),
        "submitted": RoundParticipant.objects.filter(submitted_at__isnull=False).count(),
        "assessments": Assessment.objects.count(),
        "levels": list(
            Assessment.objects.order_by("round_id", "person_id", "competence_id").values_list(
                "person_id", "competence_id", "self_level", "leader_level", "agreed_level"
            )
        ),
        "qualifications": Qualification.objects.count(),
        "signals": GapSignal.objects.count(),
        "links": Outcome.competences.through.objects.count(),
        "people": Person.objects.count(),
    }


@pytest.fixture
def demo() -> dict[str, Any]:
    call_command("demo", stdout=io.StringIO())
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    admin = Person.objects.get(organisation=organisation, email="admin@demo.laera.no")
    return {
        "organisation": organisation,
        "admin": Actor(organisation=organisation, person=admin),
        "autumn": MappingRound.objects.get(organisation=organisation, name=AUTUMN_ROUND),
        "current": MappingRound.objects.get(organisation=organisation, name=CURRENT_ROUND),
        "units": {u.name: u for u in Unit.objects.for_org(organisation)},
    }


def test_loading_twice_gives_the_same_data(demo: dict[str, Any]) -> None:
    first = _counts()
    assert first["assessments"] > 300
    call_command("demo", stdout=io.StringIO())
    assert _counts() == first


def test_the_teams_are_large_enough_and_the_se_project_is_not(demo: dict[str, Any]) -> None:
    units = demo["units"]
    for name in ("Oppfølgingsteam", "Mottaksteam", "Sykefraværsteam"):
        assessed = (
            Assessment.objects.filter(round=demo["autumn"], person__memberships__unit=units[name])
            .values("person_id")
            .distinct()
            .count()
        )
        assert assessed >= 5, name
    assert Membership.objects.filter(unit=units["SE-prosjektet"]).count() < 5
    emails = set(Person.objects.filter(organisation=demo["organisation"]).values_list("email", flat=True))
    assert {
        "admin@demo.laera.no",
        "leder@demo.laera.no",
        "koordinator@demo.laera.no",
        "ansatt@demo.laera.no",
    } <= emails


@pytest.mark.parametrize("round_key", ["autumn", "current"])
def test_the_heatmap_shows_a_critical_gap_and_hidden_competence(demo: dict[str, Any], round_key: str) -> None:
    heatmap = heatmap_by_units(demo["admin"], demo[round_key])
    cells = [cell for row in heatmap.rows for cell in row.cells if not cell.suppressed]
    assert any(cell.below > 0 and cell.importance == Importance.CRITICAL for cell in cells)
    assert any(cell.above > 0 for cell in cells)
    assert any(cell.wants > 0 for cell in cells)
    # MI is a critical gap for the office as a whole.
    mi = competences_by_key(demo["autumn"].catalogue)["mi_basics"]
    index = [c.competence.pk for c in heatmap.columns].index(mi.pk)
    total = heatmap.totals[index]
    assert not total.suppressed and total.below > 0 and total.above > 0
    assert total.importance == Importance.CRITICAL


def test_the_se_project_figures_are_suppressed(demo: dict[str, Any]) -> None:
    heatmap = heatmap_by_units(demo["admin"], demo["autumn"])
    se_row = next(row for row in heatmap.rows if row.unit.name == "SE-prosjektet")
    assert all(cell.suppressed and cell.assessed == 0 and cell.below == 0 for cell in se_row.cells)
    report = unit_gap_report(demo["admin"], demo["units"]["SE-prosjektet"], demo["autumn"])
    assert report and all(gap.now.suppressed for gap in report)


def test_digital_skills_improved_since_the_autumn(demo: dict[str, Any]) -> None:
    office = demo["units"]["NAV Røyken"]
    key = competences_by_key(demo["autumn"].catalogue)["digital_dialogue"].pk
    before = next(
        g for g in unit_gap_report(demo["admin"], office, demo["autumn"]) if g.column.competence.pk == key
    )
    now = next(
        g
        for g in unit_gap_report(demo["admin"], office, demo["current"], compare=demo["autumn"])
        if g.column.competence.pk == key
    )
    assert now.now.average is not None and before.now.average is not None
    assert now.now.average > before.now.average
    assert now.now.below < before.now.below


def test_the_running_round_waits_for_the_demo_employee(demo: dict[str, Any]) -> None:
    current = demo["current"]
    assert current.is_open
    assert demo["autumn"].status == "closed"
    employee = Person.objects.get(organisation=demo["organisation"], email="ansatt@demo.laera.no")
    participant = RoundParticipant.objects.get(round=current, person=employee)
    assert participant.submitted_at is None
    assert needs_in_round(current, [employee.pk])[employee.pk]
    assert not Assessment.objects.filter(round=current, person=employee).exists()
    # Most others have answered, and Hilde Solberg has rated her team.
    answered = Assessment.objects.filter(round=current).values("person_id").distinct().count()
    assert answered >= RoundParticipant.objects.filter(round=current).count() - 3
    hilde = Person.objects.get(organisation=demo["organisation"], email="hilde.solberg@demo.laera.no")
    assert Assessment.objects.filter(round=current, leader=hilde, leader_level__isnull=False).exists()
    assert RoundParticipant.objects.filter(round=current, leader_done_at__isnull=False).exists()


def test_the_snapshots_match_the_requirements(demo: dict[str, Any]) -> None:
    current = demo["current"]
    rows = list(
        Assessment.objects.filter(round=current).values_list("person_id", "competence_id", "required_level")
    )
    needs = needs_in_round(current, {person_id for person_id, _c, _l in rows})
    assert all(needs[p][c].level == level for p, c, level in rows)


def test_qualifications_expire_and_outcomes_name_competences(demo: dict[str, Any]) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    qualifications = Qualification.objects.filter(organisation=demo["organisation"])
    assert qualifications.filter(expires_on__lt=today).exists()
    assert qualifications.filter(
        expires_on__gte=today, expires_on__lte=today + timezone.timedelta(days=90)
    ).exists()
    linked = Outcome.objects.filter(organisation=demo["organisation"], competences__isnull=False).distinct()
    assert 2 <= linked.count() <= 3
    signal = GapSignal.objects.get(organisation=demo["organisation"])
    assert signal.people_below > 0 and signal.importance == Importance.CRITICAL
