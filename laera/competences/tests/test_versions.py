"""The catalogue, its scale and requirement matrix, areas, competences, rounds, assessments,
qualifications and the competences of a learning outcome: no save overwrites another.

Each service refuses a save without the version its form was opened with, and one from an older
version, and counts one more on a save; only the operator (no actor) may leave the version out.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from laera.competences.models import Assessment, Catalogue
from laera.competences.services import catalogues, rounds
from laera.core.versioning import ConflictError
from laera.plans import services as evidence  # outcome_set_competences moved to plans
from laera.testing.versions import assert_version_rules
from laera.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def test_catalogue_update(world: World) -> None:
    catalogue = world.extra_objects["catalogue"]

    def save(version: int | None) -> Any:
        return catalogues.catalogue_update(
            actor=world.actor("admin"), catalogue=catalogue, name="Kompetanse 2027", version=version
        )

    assert assert_version_rules(catalogue, save).name == "Kompetanse 2027"


def test_the_scale_has_a_version_of_its_own(world: World) -> None:
    catalogue = world.extra_objects["catalogue"]
    name_version = catalogue.version

    def save(version: int | None) -> Any:
        return catalogues.scale_update(
            actor=world.actor("admin"),
            catalogue=catalogue,
            data=catalogues.ScaleInput(labels={}, proficient_level=2),
            version=version,
        )

    assert assert_version_rules(catalogue, save, field="scale_version").proficient_level == 2
    catalogue.refresh_from_db()
    assert catalogue.version == name_version  # a form for the name is not out of date


def test_the_requirement_matrix_has_a_version_of_its_own(world: World) -> None:
    catalogue = world.extra_objects["catalogue"]
    competence = world.extra_objects["competence"]
    level = iter(range(1, 5))

    def save(version: int | None) -> Any:
        return catalogues.requirements_save(
            actor=world.actor("leader"),
            catalogue=catalogue,
            job_role=None,
            unit=world.team,
            rows=[catalogues.RequirementRow(competence=competence, level=next(level))],
            version=version,
        )

    assert_version_rules(catalogue, save, field="requirements_version")


def test_one_requirement_set_elsewhere_makes_an_open_matrix_out_of_date(world: World) -> None:
    catalogue = world.extra_objects["catalogue"]
    competence = world.extra_objects["competence"]
    opened = catalogue.requirements_version
    catalogues.requirement_set(
        actor=world.actor("admin"),
        data=catalogues.RequirementInput(competence=competence, unit=world.team, level=2),
    )
    with pytest.raises(ConflictError, match="requirement matrix"):
        catalogues.requirements_save(
            actor=world.actor("leader"),
            catalogue=catalogue,
            job_role=None,
            unit=world.team,
            rows=[catalogues.RequirementRow(competence=competence, level=4)],
            version=opened,
        )
    assert competence.requirements.get(unit=world.team).level == 2


def test_area_update(world: World) -> None:
    area = world.extra_objects["area"]

    def save(version: int | None) -> Any:
        return catalogues.area_update(actor=world.actor("admin"), area=area, name="Metodikk", version=version)

    assert assert_version_rules(area, save).name == "Metodikk"


def test_competence_update(world: World) -> None:
    competence = world.extra_objects["competence"]

    def save(version: int | None) -> Any:
        return catalogues.competence_update(
            actor=world.actor("admin"),
            competence=competence,
            data=catalogues.CompetenceInput(name="MI", category="skills"),
            version=version,
        )

    assert assert_version_rules(competence, save).name == "MI"


def test_round_update(world: World) -> None:
    round = world.extra_objects["round"]

    def save(version: int | None) -> Any:
        data = rounds.RoundInput(
            name="Kartlegging, forlenget",
            catalogue=round.catalogue,
            units=[world.team],
            opens_on=round.opens_on,
            deadline=round.deadline + datetime.timedelta(days=7),
        )
        return rounds.round_update(actor=world.actor("leader"), round=round, data=data, version=version)

    assert assert_version_rules(round, save).name == "Kartlegging, forlenget"


def test_qualification_update(world: World) -> None:
    qualification = world.extra_objects["qualification"]

    def save(version: int | None) -> Any:
        return rounds.qualification_update(
            actor=world.actor("employee"),
            qualification=qualification,
            data=rounds.QualificationInput(name="Førstehjelp, repetisjon"),
            version=version,
        )

    assert assert_version_rules(qualification, save).name == "Førstehjelp, repetisjon"


def test_the_competences_of_a_learning_outcome(world: World) -> None:
    outcome = world.extra_objects["outcome"]
    competence = world.extra_objects["competence"]

    def save(version: int | None) -> Any:
        return evidence.outcome_set_competences(
            actor=world.actor("coordinator"), outcome=outcome, competences=[competence], version=version
        )

    assert_version_rules(outcome, save)
    assert list(outcome.competences.all()) == [competence]


def _row(world: World) -> Assessment:
    return Assessment.objects.get(round=world.extra_objects["round"], person=world.people["employee"])


def test_the_self_assessment_row(world: World) -> None:
    round, competence = world.extra_objects["round"], world.extra_objects["competence"]

    def save(version: int | None) -> Any:
        return rounds.assessment_save_self(
            actor=world.actor("employee"),
            round=round,
            data=rounds.SelfInput(competence=competence, level=3, comment="Øvd mer"),
            version=version,
        )

    assert assert_version_rules(_row(world), save).self_level == 3


def test_two_leaders_do_not_overwrite_each_others_rating(world: World) -> None:
    round, competence = world.extra_objects["round"], world.extra_objects["competence"]
    row = _row(world)

    def rate(role: str, level: int, version: int | None) -> Any:
        return rounds.assessment_save_leader(
            actor=world.actor(role),
            round=round,
            person=world.people["employee"],
            data=rounds.LeaderInput(competence=competence, level=level, agreed_level=level),
            version=version,
        )

    assert assert_version_rules(row, lambda version: rate("leader", 3, version)).leader_level == 3
    opened = row.version  # both open the page now
    rate("admin", 4, opened)
    with pytest.raises(ConflictError, match="Someone else saved this assessment") as refused:
        rate("leader", 2, opened)
    assert refused.value.current.leader_level == 4
    row.refresh_from_db()
    assert (row.leader_level, row.agreed_level, row.leader) == (4, 4, world.people["admin"])


def test_a_competence_not_rated_yet_is_saved_from_version_zero(world: World) -> None:
    round = world.extra_objects["round"]
    second = catalogues.competence_create(
        actor=None,
        area=world.extra_objects["area"],
        data=catalogues.CompetenceInput(name="Arbeidsrett", category="knowledge"),
    )
    catalogues.requirement_set(
        actor=None, data=catalogues.RequirementInput(competence=second, unit=world.team, level=2)
    )
    employee = world.actor("employee")
    for version in (None, 1):
        with pytest.raises(ConflictError):
            rounds.assessment_save_self(
                actor=employee,
                round=round,
                data=rounds.SelfInput(competence=second, level=1),
                version=version,
            )
    assert not Assessment.objects.filter(competence=second).exists()  # nothing half-made
    row = rounds.assessment_save_self(
        actor=employee, round=round, data=rounds.SelfInput(competence=second, level=1), version=0
    )
    assert row.version == 1
    with pytest.raises(ConflictError):  # a second tab, opened before the first save
        rounds.assessment_save_self(
            actor=employee, round=round, data=rounds.SelfInput(competence=second, level=2), version=0
        )


def test_only_the_operator_leaves_the_version_out(world: World) -> None:
    catalogue = world.extra_objects["catalogue"]
    saved = catalogues.catalogue_update(actor=None, catalogue=catalogue, name="Fra driften", version=None)
    assert saved.name == "Fra driften"
    with pytest.raises(ConflictError, match="without the version"):
        catalogues.catalogue_update(actor=world.actor("admin"), catalogue=catalogue, name="X", version=None)
    assert Catalogue.objects.get(pk=catalogue.pk).name == "Fra driften"
