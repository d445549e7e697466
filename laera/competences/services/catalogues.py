"""The catalogue, its scale, areas, competences and requirements.

Admins manage the catalogue and its scale. Requirements: admins set any; leaders set those for the units
they lead (a requirement for a job role across the whole organisation is an admin's).

Edits name the version their form was opened with (`laera.core.versioning`): the catalogue's name, its
scale and its requirement matrix each have a version of their own, as do areas and competences. Only the
operator (no actor) may pass `version=None` to skip the check.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.core.audit import audit_record, snapshot
from laera.core.errors import ServiceError
from laera.core.nkr import Category
from laera.core.services.jobs import Progress, no_progress
from laera.core.versioning import bump, check_version_as
from laera.organisations.models import JobRole, Organisation, Unit
from laera.organisations.tenancy import Actor, actor_user, ensure_same_organisation

from ..catalogue_templates import TEMPLATES
from ..models import (
    MAX_LEVEL,
    Area,
    Assessment,
    Catalogue,
    Competence,
    GapSignal,
    Importance,
    NkrLevel,
    Requirement,
    ScaleLevel,
)
from ..policies import CatalogueAction, catalogue_policy, requirement_policy
from ..scale import DEFAULT_PROFICIENT, LANGUAGE_CODES, default_levels
from .figures import figures_refresh_after_commit
from .rounds import refresh_requirements


def _require_admin(actor: Actor | None) -> None:
    """The catalogue is the admins'; no actor is the operator (command line, demo)."""
    if actor is not None:
        catalogue_policy.require(actor, CatalogueAction.MANAGE)


@transaction.atomic
def catalogue_create(
    *,
    actor: Actor | None,
    organisation: Organisation,
    name: str,
    description: str = "",
    template_key: str = "",
) -> Catalogue:
    """A new catalogue with the default 0–4 scale, its labels in all five languages."""
    _require_admin(actor)
    name = name.strip()
    if not name:
        raise ServiceError(_("The catalogue needs a name."))
    catalogue = Catalogue.objects.create(
        organisation=organisation,
        name=name,
        description=description.strip(),
        proficient_level=DEFAULT_PROFICIENT,
        template_key=template_key,
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(
            organisation=organisation,
            catalogue=catalogue,
            value=int(level["value"]),
            **{f"label_{code}": str(level[code]) for code in LANGUAGE_CODES},
        )
        for level in default_levels()
    )
    audit_record(
        actor=actor_user(actor),
        organisation=organisation,
        action="catalogue.create",
        obj=catalogue,
        after=snapshot(catalogue),
    )
    return catalogue


@transaction.atomic
def area_create(*, actor: Actor | None, catalogue: Catalogue, name: str, description: str = "") -> Area:
    _require_admin(actor)
    name = name.strip()
    if not name:
        raise ServiceError(_("The area needs a name."))
    if Area.objects.filter(catalogue=catalogue, name__iexact=name).exists():
        raise ServiceError(_("The catalogue already has an area called %(name)s.") % {"name": name})
    last = Area.objects.filter(catalogue=catalogue).aggregate(m=Max("position"))["m"]
    area = Area.objects.create(
        organisation=catalogue.organisation,
        catalogue=catalogue,
        name=name,
        description=description.strip(),
        position=(last or 0) + 10,
    )
    audit_record(
        actor=actor_user(actor),
        organisation=catalogue.organisation,
        action="area.create",
        obj=area,
        after=snapshot(area),
    )
    return area


@dataclass
class CompetenceInput:
    name: str
    description: str = ""
    category: str = Category.KNOWLEDGE
    nkr_level: str = ""


def _apply_competence(competence: Competence, data: CompetenceInput) -> None:
    name = data.name.strip()
    if not name:
        raise ServiceError(_("The competence needs a name."))
    if data.category not in Category.values:
        raise ServiceError(_("Choose knowledge, skills or general competence."))
    if data.nkr_level and data.nkr_level not in NkrLevel.values:
        raise ServiceError(
            _("%(value)s is not an NKR level. Use 2, 3, 4A, 4B, 5.1, 5.2, 6, 7 or 8.")
            % {"value": data.nkr_level}
        )
    clash = Competence.objects.filter(catalogue_id=competence.catalogue_id, name__iexact=name)
    if competence.pk:
        clash = clash.exclude(pk=competence.pk)
    if clash.exists():
        raise ServiceError(_("The catalogue already has a competence called %(name)s.") % {"name": name})
    competence.name = name
    competence.description = data.description.strip()
    competence.category = data.category
    competence.nkr_level = data.nkr_level


@transaction.atomic
def competence_create(*, actor: Actor | None, area: Area, data: CompetenceInput) -> Competence:
    _require_admin(actor)
    competence = Competence(organisation=area.organisation, catalogue_id=area.catalogue_id, area=area)
    _apply_competence(competence, data)
    last = Competence.objects.filter(area=area).aggregate(m=Max("position"))["m"]
    competence.position = (last or 0) + 10
    competence.save()
    audit_record(
        actor=actor_user(actor),
        organisation=area.organisation,
        action="competence.create",
        obj=competence,
        after=snapshot(competence),
    )
    return competence


@dataclass
class RequirementInput:
    competence: Competence
    job_role: JobRole | None = None
    unit: Unit | None = None
    level: int = 0
    importance: str = Importance.IMPORTANT
    future_level: int | None = None
    future_by: datetime.date | None = None


def _check_requirement(catalogue: Catalogue, data: RequirementInput) -> None:
    top = catalogue.levels.aggregate(m=Max("value"))["m"] or MAX_LEVEL
    if data.job_role is None and data.unit is None:
        raise ServiceError(_("Choose a job role, a unit, or both."))
    for value in (data.level, data.future_level):
        if value is not None and not 0 <= value <= top:
            raise ServiceError(_("The level must be a step of the scale, from 0 to %(top)s.") % {"top": top})
    if data.importance not in Importance.values:
        raise ServiceError(_("Choose critical, important or useful."))
    if data.future_level is not None and data.future_by is None:
        raise ServiceError(_("Say by when the later level is needed."))
    if data.future_by is not None and data.future_level is None:
        raise ServiceError(_("Say which level is needed by that date."))


@transaction.atomic
def requirement_set(*, actor: Actor | None, data: RequirementInput) -> Requirement | None:
    """Set (create, change, or with level 0 and no later level, remove) the requirement of one job role
    and/or unit for one competence. Open rounds of the catalogue pick the change up at once.

    A requirement matrix opened before this change is out of date afterwards: the catalogue's
    requirements version goes up."""
    competence = data.competence
    requirement_policy.require_for_unit(actor, data.unit.pk if data.unit is not None else None)
    ensure_same_organisation(competence.organisation, data.job_role, data.unit)
    catalogue = Catalogue.objects.select_for_update().get(pk=competence.catalogue_id)
    requirement = _requirement_write(actor=actor, data=data)
    bump(catalogue, "requirements_version")
    catalogue.save(update_fields=["requirements_version", "updated_at"])
    return requirement


def _requirement_write(*, actor: Actor | None, data: RequirementInput) -> Requirement | None:
    competence = data.competence
    _check_requirement(competence.catalogue, data)
    existing = (
        Requirement.objects.select_for_update()
        .filter(competence=competence, job_role=data.job_role, unit=data.unit)
        .first()
    )
    before = snapshot(existing) if existing else None
    if data.level == 0 and data.future_level is None:
        if existing is not None:
            audit_record(
                actor=actor_user(actor),
                organisation=competence.organisation,
                action="requirement.delete",
                obj=existing,
                before=before,
            )
            existing.delete()
        _refresh_open_rounds(competence)
        return None
    requirement = existing or Requirement(
        organisation=competence.organisation, competence=competence, job_role=data.job_role, unit=data.unit
    )
    requirement.level = data.level
    requirement.importance = data.importance
    requirement.future_level = data.future_level
    requirement.future_by = data.future_by
    requirement.save()
    audit_record(
        actor=actor_user(actor),
        organisation=competence.organisation,
        action="requirement.update" if existing else "requirement.create",
        obj=requirement,
        before=before,
        after=snapshot(requirement),
    )
    _refresh_open_rounds(competence)
    return requirement


def _refresh_open_rounds(competence: Competence) -> None:
    refresh_requirements(competence.catalogue, competence_ids=[competence.pk])


@transaction.atomic
def catalogue_from_template(
    *, actor: Actor | None, organisation: Organisation, key: str, language: str
) -> Catalogue:
    """A new catalogue copied from one of Læra's shipped templates, its texts written in `language`.

    The copy is the organisation's own from then on: later changes to the template do not reach it.
    """
    _require_admin(actor)
    template = TEMPLATES.get(key)
    if template is None:
        raise ServiceError(_("There is no catalogue template called %(key)s.") % {"key": key})
    if language not in LANGUAGE_CODES:
        raise ServiceError(
            _("Choose one of these languages: %(languages)s.") % {"languages": ", ".join(LANGUAGE_CODES)}
        )
    with translation.override(language):
        catalogue = catalogue_create(
            actor=actor,
            organisation=organisation,
            name=str(template.name),
            description=str(template.description),
            template_key=template.key,
        )
        for area_template in template.areas:
            area = area_create(
                actor=actor,
                catalogue=catalogue,
                name=str(area_template.name),
                description=str(area_template.description),
            )
            for item in area_template.competences:
                competence_create(
                    actor=actor,
                    area=area,
                    data=CompetenceInput(
                        name=str(item.name),
                        description=str(item.description),
                        category=item.category,
                        nkr_level=item.nkr_level,
                    ),
                )
    audit_record(
        actor=actor_user(actor),
        organisation=organisation,
        action="catalogue.from_template",
        obj=catalogue,
        after={"template": template.key, "language": language},
    )
    return catalogue


# Editing the catalogue ------------------------------------------------------------------------------


@transaction.atomic
def catalogue_update(
    *, actor: Actor | None, catalogue: Catalogue, name: str, description: str = "", version: int | None
) -> Catalogue:
    _require_admin(actor)
    locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
    check_version_as(actor, locked, version, _("catalogue"))
    name = name.strip()
    if not name:
        raise ServiceError(_("The catalogue needs a name."))
    before = snapshot(locked)
    locked.name = name
    locked.description = description.strip()
    bump(locked)
    locked.save()
    audit_record(
        actor=actor_user(actor),
        organisation=locked.organisation,
        action="catalogue.update",
        obj=locked,
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def catalogue_copy(*, actor: Actor | None, catalogue: Catalogue, name: str = "") -> Catalogue:
    """A new catalogue of the same organisation with the same scale, areas, competences and requirements.

    Mapping rounds and assessments stay with the original."""
    _require_admin(actor)
    organisation = catalogue.organisation
    name = name.strip() or _("Copy of %(name)s") % {"name": catalogue.name}
    copy = Catalogue.objects.create(
        organisation=organisation,
        name=name[:200],
        description=catalogue.description,
        proficient_level=catalogue.proficient_level,
        template_key=catalogue.template_key,
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(
            organisation=organisation,
            catalogue=copy,
            value=level.value,
            **{f"label_{code}": getattr(level, f"label_{code}") for code in LANGUAGE_CODES},
        )
        for level in catalogue.levels.all()
    )
    area_map: dict[int, Area] = {}
    for area in catalogue.areas.all():
        area_map[area.pk] = Area.objects.create(
            organisation=organisation,
            catalogue=copy,
            name=area.name,
            description=area.description,
            position=area.position,
        )
    competence_map: dict[int, Competence] = {}
    for competence in Competence.objects.filter(catalogue=catalogue).order_by("pk"):
        competence_map[competence.pk] = Competence.objects.create(
            organisation=organisation,
            catalogue=copy,
            area=area_map[competence.area_id],
            name=competence.name,
            description=competence.description,
            category=competence.category,
            nkr_level=competence.nkr_level,
            position=competence.position,
        )
    Requirement.objects.bulk_create(
        Requirement(
            organisation=organisation,
            competence=competence_map[requirement.competence_id],
            job_role_id=requirement.job_role_id,
            unit_id=requirement.unit_id,
            level=requirement.level,
            importance=requirement.importance,
            future_level=requirement.future_level,
            future_by=requirement.future_by,
        )
        for requirement in Requirement.objects.filter(competence__catalogue=catalogue)
    )
    audit_record(
        actor=actor_user(actor),
        organisation=organisation,
        action="catalogue.copy",
        obj=copy,
        before={"copied_from": catalogue.pk},
        after=snapshot(copy),
    )
    return copy


# The scale ------------------------------------------------------------------------------------------


@dataclass
class ScaleInput:
    """`labels` maps each step's value to {"nb": …, "nn": …, "sv": …, "da": …, "en": …}."""

    labels: dict[int, dict[str, str]]
    proficient_level: int
    add_step: bool = False
    remove_top_step: bool = False


MIN_STEPS = 2


def scale_step_in_use(catalogue: Catalogue, value: int) -> bool:
    """Whether any requirement or assessment of the catalogue uses this step."""
    requirements = Requirement.objects.filter(competence__catalogue=catalogue).filter(
        models.Q(level=value) | models.Q(future_level=value)
    )
    assessments = Assessment.objects.filter(round__catalogue=catalogue).filter(
        models.Q(self_level=value) | models.Q(leader_level=value) | models.Q(agreed_level=value)
    )
    return requirements.exists() or assessments.exists()


@transaction.atomic
def scale_update(
    *, actor: Actor | None, catalogue: Catalogue, data: ScaleInput, version: int | None
) -> Catalogue:
    """Reword the steps (in all five languages), mark the proficient step, add or remove the top step.

    `version` is the scale's (`Catalogue.scale_version`) when its form was opened."""
    _require_admin(actor)
    locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
    check_version_as(actor, locked, version, _("scale"), field="scale_version")
    levels = list(ScaleLevel.objects.filter(catalogue=locked).order_by("value"))
    before = {"proficient_level": locked.proficient_level, "levels": [snapshot(level) for level in levels]}
    if data.add_step and data.remove_top_step:
        raise ServiceError(_("Add a step or remove one, not both at once."))
    for level in levels:
        labels = data.labels.get(level.value, {})
        for code in LANGUAGE_CODES:
            text = str(labels.get(code, getattr(level, f"label_{code}"))).strip()
            if not text:
                raise ServiceError(
                    _("Step %(step)s needs a label in every language.") % {"step": level.value}
                )
            if len(text) > 100:
                raise ServiceError(
                    _("The labels of step %(step)s can be at most 100 characters long.")
                    % {"step": level.value}
                )
            setattr(level, f"label_{code}", text)
        level.save()
    top = levels[-1].value if levels else -1
    if data.add_step:
        if top >= MAX_LEVEL:
            raise ServiceError(_("A scale can have at most %(count)s steps.") % {"count": MAX_LEVEL + 1})
        labels = data.labels.get(top + 1, {})
        fallback = _("Step %(step)s") % {"step": top + 1}
        levels.append(
            ScaleLevel.objects.create(
                organisation=locked.organisation,
                catalogue=locked,
                value=top + 1,
                **{
                    f"label_{code}": str(labels.get(code) or fallback).strip()[:100]
                    for code in LANGUAGE_CODES
                },
            )
        )
    if data.remove_top_step:
        if len(levels) <= MIN_STEPS:
            raise ServiceError(_("A scale needs at least %(count)s steps.") % {"count": MIN_STEPS})
        if scale_step_in_use(locked, top):
            raise ServiceError(
                _("Step %(step)s cannot be removed: requirements or assessments use it. Change them first.")
                % {"step": top}
            )
        levels.pop().delete()
    values = [level.value for level in levels]
    if data.proficient_level not in values or data.proficient_level == 0:
        raise ServiceError(
            _("The proficient step must be one of the steps from 1 to %(top)s.") % {"top": values[-1]}
        )
    locked.proficient_level = data.proficient_level
    bump(locked, "scale_version")
    locked.save()
    audit_record(
        actor=actor_user(actor),
        organisation=locked.organisation,
        action="catalogue.scale",
        obj=locked,
        before=before,
        after={"proficient_level": locked.proficient_level, "levels": [snapshot(level) for level in levels]},
    )
    figures_refresh_after_commit(organisation_id=locked.organisation_id)
    return locked


# Areas ----------------------------------------------------------------------------------------------


def _assessment_count(**lookup: object) -> int:
    return Assessment.objects.filter(**lookup).count()


@transaction.atomic
def area_update(
    *, actor: Actor | None, area: Area, name: str, description: str = "", version: int | None
) -> Area:
    _require_admin(actor)
    locked = Area.objects.select_for_update().get(pk=area.pk)
    check_version_as(actor, locked, version, _("area"))
    name = name.strip()
    if not name:
        raise ServiceError(_("The area needs a name."))
    if (
        Area.objects.filter(catalogue_id=locked.catalogue_id, name__iexact=name)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ServiceError(_("The catalogue already has an area called %(name)s.") % {"name": name})
    before = snapshot(locked)
    locked.name = name
    locked.description = description.strip()
    bump(locked)
    locked.save()
    audit_record(
        actor=actor_user(actor),
        organisation=locked.organisation,
        action="area.update",
        obj=locked,
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def area_delete(*, actor: Actor | None, area: Area) -> None:
    """Delete an area with its competences and their requirements — refused once any is assessed."""
    _require_admin(actor)
    locked = Area.objects.select_for_update().get(pk=area.pk)
    count = _assessment_count(competence__area=locked)
    if count:
        raise ServiceError(
            ngettext(
                "The area %(name)s cannot be deleted: its competences have %(count)s assessment from "
                "mapping rounds. Move or rename the competences instead.",
                "The area %(name)s cannot be deleted: its competences have %(count)s assessments from "
                "mapping rounds. Move or rename the competences instead.",
                count,
            )
            % {"name": locked.name, "count": count}
        )
    _refuse_with_signals(signals={"competence__area": locked}, name=locked.name)
    audit_record(
        actor=actor_user(actor),
        organisation=locked.organisation,
        action="area.delete",
        obj=locked,
        before={
            **snapshot(locked),
            "competences": list(Competence.objects.filter(area=locked).values_list("name", flat=True)),
        },
    )
    locked.delete()


def _refuse_with_signals(*, signals: dict[str, object], name: str) -> None:
    count = GapSignal.objects.filter(**signals).count()
    if count:
        raise ServiceError(
            ngettext(
                "%(name)s cannot be deleted: %(count)s competence gap has been sent to the input round "
                "from it.",
                "%(name)s cannot be deleted: %(count)s competence gaps have been sent to the input round "
                "from it.",
                count,
            )
            % {"name": name, "count": count}
        )


# Competences ----------------------------------------------------------------------------------------


@transaction.atomic
def competence_update(
    *,
    actor: Actor | None,
    competence: Competence,
    data: CompetenceInput,
    area: Area | None = None,
    version: int | None,
) -> Competence:
    """Save the competence (and move it to another area of the same catalogue); `version` is the one the
    form was opened with, so a later save by someone else is refused instead of silently overwritten."""
    _require_admin(actor)
    locked = Competence.objects.select_for_update().get(pk=competence.pk)
    check_version_as(actor, locked, version, _("competence"))
    before = snapshot(locked)
    _apply_competence(locked, data)
    if area is not None and area.pk != locked.area_id:
        if area.catalogue_id != locked.catalogue_id:
            raise ServiceError(_("Choose an area of the same catalogue."))
        last = Competence.objects.filter(area=area).aggregate(m=Max("position"))["m"]
        locked.area = area
        locked.position = (last or 0) + 10
    bump(locked)
    locked.save()
    audit_record(
        actor=actor_user(actor),
        organisation=locked.organisation,
        action="competence.update",
        obj=locked,
        before=before,
        after=snapshot(locked),
    )
    return locked


@transaction.atomic
def competence_delete(*, actor: Actor | None, competence: Competence) -> None:
    """Delete a competence and its requirements — refused once it has been assessed."""
    _require_admin(actor)
    locked = Competence.objects.select_for_update().get(pk=competence.pk)
    count = _assessment_count(competence=locked)
    if count:
        raise ServiceError(
            ngettext(
                "The competence %(name)s cannot be deleted: it has %(count)s assessment from mapping "
                "rounds. Rename it or move it to another area instead.",
                "The competence %(name)s cannot be deleted: it has %(count)s assessments from mapping "
                "rounds. Rename it or move it to another area instead.",
                count,
            )
            % {"name": locked.name, "count": count}
        )
    _refuse_with_signals(signals={"competence": locked}, name=locked.name)
    audit_record(
        actor=actor_user(actor),
        organisation=locked.organisation,
        action="competence.delete",
        obj=locked,
        before=snapshot(locked),
    )
    locked.delete()


# A whole requirement profile at once ----------------------------------------------------------------


@dataclass
class RequirementRow:
    competence: Competence
    level: int = 0
    importance: str = Importance.IMPORTANT
    future_level: int | None = None
    future_by: datetime.date | None = None


@transaction.atomic
def requirements_save(
    *,
    actor: Actor | None,
    catalogue: Catalogue,
    job_role: JobRole | None,
    unit: Unit | None,
    rows: list[RequirementRow],
    version: int | None,
) -> int:
    """Save the requirements of one job role and/or unit for the catalogue's competences, all or none.

    Every row is checked first; every problem is reported with the competence's name. `version` is the
    catalogue's requirements version when the matrix was opened. Returns how many requirements changed."""
    requirement_policy.require_for_unit(actor, unit.pk if unit is not None else None)
    ensure_same_organisation(catalogue.organisation, job_role, unit)
    if job_role is None and unit is None:
        raise ServiceError(_("Choose a job role, a unit, or both."))
    locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
    check_version_as(actor, locked, version, _("requirement matrix"), field="requirements_version")
    existing = {
        r.competence_id: r
        for r in Requirement.objects.filter(competence__catalogue=catalogue, job_role=job_role, unit=unit)
    }
    problems: list[str] = []
    changed: list[RequirementInput] = []
    for row in rows:
        if row.competence.catalogue_id != catalogue.pk:
            raise ServiceError(_("That competence belongs to another catalogue."))
        data = RequirementInput(
            competence=row.competence,
            job_role=job_role,
            unit=unit,
            level=row.level,
            importance=row.importance,
            future_level=row.future_level,
            future_by=row.future_by,
        )
        try:
            _check_requirement(catalogue, data)
        except ServiceError as exc:
            problems.extend(f"{row.competence.name}: {message}" for message in exc.messages)
            continue
        current = existing.get(row.competence.pk)
        if current is None:
            if row.level or row.future_level is not None:
                changed.append(data)
        elif (current.level, current.importance, current.future_level, current.future_by) != (
            row.level,
            row.importance,
            row.future_level,
            row.future_by,
        ):
            changed.append(data)
    if problems:
        raise ServiceError(problems)
    for data in changed:
        _requirement_write(actor=actor, data=data)
    if changed:
        bump(locked, "requirements_version")
        locked.save(update_fields=["requirements_version", "updated_at"])
    return len(changed)


# Import ---------------------------------------------------------------------------------------------


@dataclass
class PlannedCompetence:
    """One checked row of an imported file (`imports.plan_rows`): the competence and its area's name."""

    line: int
    area: str
    data: CompetenceInput


@dataclass
class CatalogueImportResult:
    created: int = 0
    updated: int = 0
    areas_created: int = 0


def _differs(competence: Competence, data: CompetenceInput, area: Area) -> bool:
    return (
        competence.name != data.name.strip()
        or competence.description != data.description.strip()
        or competence.category != data.category
        or competence.nkr_level != data.nkr_level
        or competence.area_id != area.pk
    )


@transaction.atomic
def catalogue_import_competences(
    *,
    actor: Actor | None,
    catalogue: Catalogue,
    planned: list[PlannedCompetence],
    progress: Progress | None = None,
) -> CatalogueImportResult:
    """Add or update one competence per checked row, all or none: a competence of the same name (in any
    case) is updated if it differs, the others added; areas are found by name or created. Each change is
    audited by the service that makes it."""
    _require_admin(actor)
    result = CatalogueImportResult()
    areas = {a.name.lower(): a for a in Area.objects.filter(catalogue=catalogue)}
    existing = {c.name.lower(): c for c in Competence.objects.filter(catalogue=catalogue)}
    report = progress or no_progress
    report(0, total=len(planned), phase="saving")
    for done, item in enumerate(planned, start=1):
        report(done)
        area = areas.get(item.area.lower())
        if area is None:
            area = area_create(actor=actor, catalogue=catalogue, name=item.area)
            areas[area.name.lower()] = area
            result.areas_created += 1
        competence = existing.get(item.data.name.lower())
        if competence is None:
            competence_create(actor=actor, area=area, data=item.data)
            result.created += 1
        elif _differs(competence, item.data, area):
            competence_update(
                actor=actor, competence=competence, data=item.data, area=area, version=competence.version
            )
            result.updated += 1
    return result


@transaction.atomic
def catalogue_create_from_template(
    *,
    actor: Actor | None,
    organisation: Organisation,
    key: str,
    language: str,
    name: str = "",
    description: str = "",
) -> Catalogue:
    """A catalogue copied from a shipped template (`catalogue_from_template`), with the name and the
    description given instead of the template's where they are not blank — in one transaction."""
    catalogue = catalogue_from_template(actor=actor, organisation=organisation, key=key, language=language)
    if name.strip() or description.strip():
        catalogue = catalogue_update(
            actor=actor,
            catalogue=catalogue,
            name=name.strip() or catalogue.name,
            description=description.strip() or catalogue.description,
            version=catalogue.version,  # made a moment ago, in this transaction
        )
    return catalogue
