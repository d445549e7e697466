"""The catalogue services: every rule, every refusal, the audit trail and atomicity."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from laera.competences.models import (
    Area,
    Assessment,
    Catalogue,
    Competence,
    GapSignal,
    Importance,
    Requirement,
    ScaleLevel,
)
from laera.competences.services import catalogues as services
from laera.competences.services.catalogues import CompetenceInput, RequirementRow, ScaleInput
from laera.core.errors import ServiceError
from laera.core.models import AuditEntry
from laera.core.versioning import ConflictError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _audited(world: Any, action: str) -> bool:
    return AuditEntry.objects.filter(organisation=world.organisation, action=action).exists()


def _v(obj: Any, field: str = "version") -> int:
    """The version a form opened now on `obj` would carry."""
    return int(getattr(type(obj).objects.get(pk=obj.pk), field))


def _fresh_catalogue(world: Any, name: str = "Ny katalog") -> Catalogue:
    return services.catalogue_create(actor=world.actor("admin"), organisation=world.organisation, name=name)


# Catalogue --------------------------------------------------------------------------------------------


def test_catalogue_update_saves_and_audits(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    saved = services.catalogue_update(
        actor=world.actor("admin"), catalogue=catalogue, name=" Kompetanse 2027 ", description="Ny", version=1
    )
    assert (saved.name, saved.description, saved.version) == ("Kompetanse 2027", "Ny", 2)
    assert _audited(world, "catalogue.update")


def test_catalogue_update_refuses_a_stale_version_and_an_empty_name(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    services.catalogue_update(actor=world.actor("admin"), catalogue=catalogue, name="A", version=1)
    with pytest.raises(ConflictError):
        services.catalogue_update(actor=world.actor("admin"), catalogue=catalogue, name="B", version=1)
    with pytest.raises(ServiceError, match="needs a name"):
        services.catalogue_update(
            actor=world.actor("admin"), catalogue=catalogue, name="  ", version=_v(catalogue)
        )
    assert Catalogue.objects.get(pk=catalogue.pk).name == "A"


@pytest.mark.parametrize("role", ["leader", "coordinator", "employee", "external"])
def test_only_admins_manage_the_catalogue(world: Any, role: str) -> None:
    catalogue = world.extra_objects["catalogue"]
    area = world.extra_objects["area"]
    competence = world.extra_objects["competence"]
    actor = world.actor(role)
    calls = [
        lambda: services.catalogue_update(actor=actor, catalogue=catalogue, name="X", version=_v(catalogue)),
        lambda: services.catalogue_copy(actor=actor, catalogue=catalogue),
        lambda: services.scale_update(
            actor=actor,
            catalogue=catalogue,
            data=ScaleInput(labels={}, proficient_level=3),
            version=_v(catalogue, "scale_version"),
        ),
        lambda: services.area_update(actor=actor, area=area, name="X", version=_v(area)),
        lambda: services.area_delete(actor=actor, area=area),
        lambda: services.competence_update(
            actor=actor,
            competence=competence,
            data=CompetenceInput(name="X"),
            version=_v(competence),
        ),
        lambda: services.competence_delete(actor=actor, competence=competence),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_catalogue_copy_duplicates_scale_areas_competences_and_requirements(world: Any) -> None:
    admin = world.actor("admin")
    original = world.extra_objects["catalogue"]
    services.scale_update(
        actor=admin,
        catalogue=original,
        data=ScaleInput(labels={4: {"en": "Teaches others"}}, proficient_level=2, add_step=True),
        version=_v(original, "scale_version"),
    )
    original.refresh_from_db()
    copy = services.catalogue_copy(actor=admin, catalogue=original)
    assert copy.pk != original.pk and copy.organisation_id == original.organisation_id
    assert copy.name == "Copy of Kompetanse i NAV"
    assert copy.proficient_level == 2
    assert [(lv.value, lv.label_en) for lv in copy.levels.all()] == [
        (lv.value, lv.label_en) for lv in original.levels.all()
    ]
    assert copy.levels.get(value=4).label_en == "Teaches others"
    assert list(copy.areas.values_list("name", flat=True)) == ["Metoder"]
    competence = copy.competences.get()
    assert (competence.name, competence.category, competence.nkr_level) == (
        "Motiverende intervju",
        "skills",
        "6",
    )
    assert competence.area.catalogue_id == copy.pk
    requirement = Requirement.objects.get(competence=competence)
    assert (requirement.job_role_id, requirement.level, requirement.importance) == (
        world.job_role.pk,
        3,
        Importance.CRITICAL,
    )
    # The original keeps its own rows; the copy has no rounds or assessments.
    assert Requirement.objects.filter(competence__catalogue=original).count() == 1
    assert not Assessment.objects.filter(round__catalogue=copy).exists()
    assert _audited(world, "catalogue.copy")


# Scale -------------------------------------------------------------------------------------------------


def _labels(catalogue: Catalogue) -> dict[int, dict[str, str]]:
    return {
        lv.value: {code: getattr(lv, f"label_{code}") for code in ("nb", "nn", "sv", "da", "en")}
        for lv in catalogue.levels.all()
    }


def test_scale_update_rewords_labels_and_marks_the_proficient_step(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    labels = _labels(catalogue)
    labels[2] = {
        "nb": "Med hjelp",
        "nn": "Med hjelp",
        "sv": "Med stöd",
        "da": "Med støtte",
        "en": "With help",
    }
    services.scale_update(
        actor=world.actor("admin"),
        catalogue=catalogue,
        data=ScaleInput(labels=labels, proficient_level=4),
        version=_v(catalogue, "scale_version"),
    )
    catalogue.refresh_from_db()
    level = catalogue.levels.get(value=2)
    assert (level.label_nb, level.label_sv, level.label_da, level.label_en) == (
        "Med hjelp",
        "Med stöd",
        "Med støtte",
        "With help",
    )
    assert catalogue.proficient_level == 4
    assert _audited(world, "catalogue.scale")


def test_scale_update_refuses_an_empty_label_and_a_bad_proficient_step(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    labels = _labels(catalogue)
    labels[1]["sv"] = " "
    with pytest.raises(ServiceError, match="Step 1 needs a label"):
        services.scale_update(
            actor=world.actor("admin"),
            catalogue=catalogue,
            data=ScaleInput(labels=labels, proficient_level=3),
            version=_v(catalogue, "scale_version"),
        )
    for proficient in (0, 7):
        with pytest.raises(ServiceError, match="proficient step"):
            services.scale_update(
                actor=world.actor("admin"),
                catalogue=catalogue,
                data=ScaleInput(labels=_labels(catalogue), proficient_level=proficient),
                version=_v(catalogue, "scale_version"),
            )
    assert catalogue.levels.get(value=1).label_sv != " "


def test_scale_adds_and_removes_the_top_step(world: Any) -> None:
    catalogue = _fresh_catalogue(world)
    admin = world.actor("admin")
    services.scale_update(
        actor=admin,
        catalogue=catalogue,
        data=ScaleInput(labels=_labels(catalogue), proficient_level=3, add_step=True),
        version=_v(catalogue, "scale_version"),
    )
    assert list(catalogue.levels.values_list("value", flat=True)) == [0, 1, 2, 3, 4, 5]
    assert catalogue.levels.get(value=5).label_en == "Step 5"
    services.scale_update(
        actor=admin,
        catalogue=catalogue,
        data=ScaleInput(labels=_labels(catalogue), proficient_level=3, remove_top_step=True),
        version=_v(catalogue, "scale_version"),
    )
    assert catalogue.levels.count() == 5
    with pytest.raises(ServiceError, match="not both"):
        services.scale_update(
            actor=admin,
            catalogue=catalogue,
            data=ScaleInput(labels={}, proficient_level=3, add_step=True, remove_top_step=True),
            version=_v(catalogue, "scale_version"),
        )


def test_scale_refuses_removing_the_proficient_top_step(world: Any) -> None:
    catalogue = _fresh_catalogue(world)
    with pytest.raises(ServiceError, match="proficient step"):
        services.scale_update(
            actor=world.actor("admin"),
            catalogue=catalogue,
            data=ScaleInput(labels={}, proficient_level=4, remove_top_step=True),
            version=_v(catalogue, "scale_version"),
        )
    assert catalogue.levels.count() == 5  # nothing half-done


def test_scale_has_at_most_ten_and_at_least_two_steps(world: Any) -> None:
    catalogue = _fresh_catalogue(world)
    admin = world.actor("admin")
    for _ in range(5):
        services.scale_update(
            actor=admin,
            catalogue=catalogue,
            data=ScaleInput(labels={}, proficient_level=1, add_step=True),
            version=_v(catalogue, "scale_version"),
        )
    with pytest.raises(ServiceError, match="at most 10 steps"):
        services.scale_update(
            actor=admin,
            catalogue=catalogue,
            data=ScaleInput(labels={}, proficient_level=1, add_step=True),
            version=_v(catalogue, "scale_version"),
        )
    for _ in range(8):
        services.scale_update(
            actor=admin,
            catalogue=catalogue,
            data=ScaleInput(labels={}, proficient_level=1, remove_top_step=True),
            version=_v(catalogue, "scale_version"),
        )
    with pytest.raises(ServiceError, match="at least 2 steps"):
        services.scale_update(
            actor=admin,
            catalogue=catalogue,
            data=ScaleInput(labels={}, proficient_level=1, remove_top_step=True),
            version=_v(catalogue, "scale_version"),
        )


def test_scale_refuses_removing_a_step_a_requirement_uses(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    competence = world.extra_objects["competence"]
    services.requirement_set(
        actor=None,
        data=services.RequirementInput(competence=competence, unit=world.team, level=4),
    )
    with pytest.raises(ServiceError, match="Step 4 cannot be removed"):
        services.scale_update(
            actor=world.actor("admin"),
            catalogue=catalogue,
            data=ScaleInput(labels={}, proficient_level=3, remove_top_step=True),
            version=_v(catalogue, "scale_version"),
        )
    assert catalogue.levels.count() == 5


def test_scale_refuses_removing_a_step_an_assessment_uses(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    Requirement.objects.filter(competence__catalogue=catalogue).delete()
    Assessment.objects.filter(round__catalogue=catalogue).update(leader_level=4)
    with pytest.raises(ServiceError, match="Step 4 cannot be removed"):
        services.scale_update(
            actor=world.actor("admin"),
            catalogue=catalogue,
            data=ScaleInput(labels={}, proficient_level=3, remove_top_step=True),
            version=_v(catalogue, "scale_version"),
        )
    Assessment.objects.filter(round__catalogue=catalogue).update(leader_level=None)
    services.scale_update(
        actor=world.actor("admin"),
        catalogue=catalogue,
        data=ScaleInput(labels={}, proficient_level=3, remove_top_step=True),
        version=_v(catalogue, "scale_version"),
    )
    assert not ScaleLevel.objects.filter(catalogue=catalogue, value=4).exists()


# Areas -------------------------------------------------------------------------------------------------


def test_area_update_renames_and_refuses_a_clash(world: Any) -> None:
    admin = world.actor("admin")
    area = world.extra_objects["area"]
    other = services.area_create(actor=admin, catalogue=area.catalogue, name="Lovverk")
    saved = services.area_update(
        actor=admin, area=area, name="Metodikk", description="Hvordan", version=_v(area)
    )
    assert (saved.name, saved.description) == ("Metodikk", "Hvordan")
    with pytest.raises(ServiceError, match="already has an area called lovverk"):
        services.area_update(actor=admin, area=area, name="lovverk", version=_v(area))
    with pytest.raises(ServiceError, match="needs a name"):
        services.area_update(actor=admin, area=other, name=" ", version=_v(other))
    assert _audited(world, "area.update")


def test_area_delete_refuses_an_area_with_assessed_competences(world: Any) -> None:
    area = world.extra_objects["area"]
    with pytest.raises(ServiceError, match="cannot be deleted: its competences have 1 assessment from"):
        services.area_delete(actor=world.actor("admin"), area=area)
    assert Area.objects.filter(pk=area.pk).exists()


def test_area_delete_refuses_an_area_with_gaps_sent_on(world: Any) -> None:
    area = world.extra_objects["area"]
    Assessment.objects.filter(competence__area=area).delete()
    with pytest.raises(ServiceError, match="1 competence gap has been sent"):
        services.area_delete(actor=world.actor("admin"), area=area)
    GapSignal.objects.filter(competence__area=area).delete()
    services.area_delete(actor=world.actor("admin"), area=area)
    assert not Area.objects.filter(pk=area.pk).exists()
    assert not Competence.objects.filter(area_id=area.pk).exists()
    assert _audited(world, "area.delete")


# Competences -------------------------------------------------------------------------------------------


def test_competence_update_saves_moves_and_counts_versions(world: Any) -> None:
    admin = world.actor("admin")
    competence = world.extra_objects["competence"]
    target = services.area_create(actor=admin, catalogue=competence.catalogue, name="Samtaler")
    saved = services.competence_update(
        actor=admin,
        competence=competence,
        data=CompetenceInput(
            name="MI", description="Samtalemetodikk", category="general_competence", nkr_level="5.1"
        ),
        area=target,
        version=1,
    )
    assert (saved.name, saved.category, saved.nkr_level, saved.area_id, saved.version) == (
        "MI",
        "general_competence",
        "5.1",
        target.pk,
        2,
    )
    assert _audited(world, "competence.update")


def test_competence_update_refuses_a_stale_version(world: Any) -> None:
    admin = world.actor("admin")
    competence = world.extra_objects["competence"]
    services.competence_update(actor=admin, competence=competence, data=CompetenceInput(name="A"), version=1)
    with pytest.raises(ConflictError, match="Someone else saved this competence"):
        services.competence_update(
            actor=admin, competence=competence, data=CompetenceInput(name="B"), version=1
        )
    assert Competence.objects.get(pk=competence.pk).name == "A"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (CompetenceInput(name=""), "needs a name"),
        (CompetenceInput(name="X", category="attitude"), "knowledge, skills or general competence"),
        (CompetenceInput(name="X", nkr_level="9"), "not an NKR level"),
    ],
)
def test_competence_update_refuses_bad_data(world: Any, data: CompetenceInput, message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        services.competence_update(
            actor=world.actor("admin"),
            competence=world.extra_objects["competence"],
            data=data,
            version=_v(world.extra_objects["competence"]),
        )


def test_competence_update_refuses_a_name_clash_and_another_catalogues_area(world: Any) -> None:
    admin = world.actor("admin")
    competence = world.extra_objects["competence"]
    services.competence_create(actor=admin, area=competence.area, data=CompetenceInput(name="Arbeidsrett"))
    with pytest.raises(ServiceError, match="already has a competence called"):
        services.competence_update(
            actor=admin,
            competence=competence,
            data=CompetenceInput(name="ARBEIDSRETT"),
            version=_v(competence),
        )
    elsewhere = services.area_create(actor=admin, catalogue=_fresh_catalogue(world), name="Annet")
    with pytest.raises(ServiceError, match="same catalogue"):
        services.competence_update(
            actor=admin,
            competence=competence,
            data=CompetenceInput(name="MI"),
            area=elsewhere,
            version=_v(competence),
        )
    assert Competence.objects.get(pk=competence.pk).name == "Motiverende intervju"


def test_competence_delete_refuses_an_assessed_competence_and_deletes_others(world: Any) -> None:
    admin = world.actor("admin")
    competence = world.extra_objects["competence"]
    with pytest.raises(ServiceError, match="has 1 assessment from"):
        services.competence_delete(actor=admin, competence=competence)
    fresh = services.competence_create(
        actor=admin, area=competence.area, data=CompetenceInput(name="Arbeidsrett")
    )
    services.requirement_set(
        actor=None, data=services.RequirementInput(competence=fresh, job_role=world.job_role, level=2)
    )
    services.competence_delete(actor=admin, competence=fresh)
    assert not Competence.objects.filter(pk=fresh.pk).exists()
    assert not Requirement.objects.filter(competence_id=fresh.pk).exists()
    assert _audited(world, "competence.delete")


# Requirements ------------------------------------------------------------------------------------------


def _second(world: Any) -> Competence:
    return services.competence_create(
        actor=None, area=world.extra_objects["area"], data=CompetenceInput(name="Arbeidsrett")
    )


def test_requirements_save_sets_a_whole_profile(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    first = world.extra_objects["competence"]
    second = _second(world)
    later = datetime.date(2027, 6, 30)
    changed = services.requirements_save(
        actor=world.actor("admin"),
        catalogue=catalogue,
        job_role=world.job_role,
        unit=world.team,
        rows=[
            RequirementRow(competence=first, level=2, importance=Importance.USEFUL),
            RequirementRow(
                competence=second, level=1, importance=Importance.CRITICAL, future_level=3, future_by=later
            ),
        ],
        version=_v(catalogue, "requirements_version"),
    )
    assert changed == 2
    rows = {r.competence_id: r for r in Requirement.objects.filter(job_role=world.job_role, unit=world.team)}
    assert (rows[first.pk].level, rows[first.pk].importance) == (2, Importance.USEFUL)
    assert (rows[second.pk].future_level, rows[second.pk].future_by) == (3, later)
    # The job role's requirement without a unit is a different profile and stays.
    assert Requirement.objects.get(competence=first, job_role=world.job_role, unit=None).level == 3
    # Saving the same again changes nothing; level 0 removes.
    again = services.requirements_save(
        actor=world.actor("admin"),
        catalogue=catalogue,
        job_role=world.job_role,
        unit=world.team,
        rows=[
            RequirementRow(competence=first, level=2, importance=Importance.USEFUL),
            RequirementRow(competence=second, level=0),
        ],
        version=_v(catalogue, "requirements_version"),
    )
    assert again == 1
    assert not Requirement.objects.filter(competence=second).exists()


def test_requirements_save_is_all_or_nothing(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    first = world.extra_objects["competence"]
    second = _second(world)
    with pytest.raises(ServiceError) as caught:
        services.requirements_save(
            actor=world.actor("admin"),
            catalogue=catalogue,
            job_role=None,
            unit=world.team,
            rows=[
                RequirementRow(competence=first, level=2),
                RequirementRow(competence=second, level=7),
                RequirementRow(competence=first, level=1, future_level=2),
            ],
            version=_v(catalogue, "requirements_version"),
        )
    messages = caught.value.messages
    assert any(
        m.startswith("Arbeidsrett: The level must be a step of the scale, from 0 to 4") for m in messages
    )
    assert any("Say by when the later level is needed" in m for m in messages)
    assert not Requirement.objects.filter(unit=world.team).exists()


def test_requirements_save_needs_a_profile_and_the_catalogues_competences(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    with pytest.raises(ServiceError, match="job role, a unit, or both"):
        services.requirements_save(
            actor=world.actor("admin"),
            catalogue=catalogue,
            job_role=None,
            unit=None,
            rows=[],
            version=_v(catalogue, "requirements_version"),
        )
    other = _fresh_catalogue(world)
    area = services.area_create(actor=None, catalogue=other, name="A")
    foreign = services.competence_create(actor=None, area=area, data=CompetenceInput(name="B"))
    with pytest.raises(ServiceError, match="another catalogue"):
        services.requirements_save(
            actor=world.actor("admin"),
            catalogue=catalogue,
            job_role=world.job_role,
            unit=None,
            rows=[RequirementRow(competence=foreign, level=2)],
            version=_v(catalogue, "requirements_version"),
        )


def test_requirements_save_refuses_another_organisations_unit(world: Any, other_world: Any) -> None:
    with pytest.raises(ServiceError, match="another organisation"):
        services.requirements_save(
            actor=None,
            catalogue=world.extra_objects["catalogue"],
            job_role=None,
            unit=other_world.team,
            rows=[],
            version=_v(world.extra_objects["catalogue"], "requirements_version"),
        )


def test_leaders_save_requirements_for_units_they_lead_only(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    competence = world.extra_objects["competence"]
    row = [RequirementRow(competence=competence, level=2)]
    services.requirements_save(
        actor=world.actor("leader"),
        catalogue=catalogue,
        job_role=None,
        unit=world.team,
        rows=row,
        version=_v(catalogue, "requirements_version"),
    )
    assert Requirement.objects.filter(unit=world.team, level=2).exists()
    for unit, job_role in ((world.other_team, None), (None, world.job_role)):
        with pytest.raises(PermissionDenied):
            services.requirements_save(
                actor=world.actor("leader"),
                catalogue=catalogue,
                job_role=job_role,
                unit=unit,
                rows=row,
                version=_v(catalogue, "requirements_version"),
            )
    for role in ("coordinator", "employee", "external"):
        with pytest.raises(PermissionDenied):
            services.requirements_save(
                actor=world.actor(role),
                catalogue=catalogue,
                job_role=None,
                unit=world.team,
                rows=row,
                version=_v(catalogue, "requirements_version"),
            )
