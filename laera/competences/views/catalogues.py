"""The competence catalogue: its areas and competences, the proficiency scale, import and export, and the
requirement matrix per job role and/or unit.

Every member reads the catalogue and its requirements; admins change the catalogue; leaders set the
requirements of the units they lead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.text import nordic_slug
from laera.core.versioning import Conflict, save_versioned
from laera.core.views import job_page
from laera.organisations.imports import ImportValidationError, RowError
from laera.organisations.models import JobRole, Unit
from laera.organisations.selectors import access_job
from laera.organisations.tenancy import Actor, OrgRequest, id_or_404, org_view

from .. import imports
from ..catalogue_templates import TEMPLATES
from ..forms.catalogues import (
    AreaForm,
    CatalogueCreateForm,
    CatalogueForm,
    CatalogueImportForm,
    CompetenceForm,
    InlineCompetenceForm,
    ProfileForm,
    RequirementMatrixForm,
    ScaleForm,
)
from ..models import Area, Catalogue
from ..policies import CatalogueAction, catalogue_policy, requirement_policy
from ..selectors import catalogues as selectors
from ..selectors.access import access_area, access_catalogue, access_competence
from ..services import catalogues as services


def _catalogue_url(actor: Actor, catalogue_id: int, name: str = "competences:catalogue_detail") -> str:
    return reverse(name, kwargs={"org_slug": actor.organisation.slug, "catalogue_id": catalogue_id})


# Catalogues -----------------------------------------------------------------------------------------


@org_view
def catalogue_list(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "competences/catalogue_list.html",
        {
            "catalogues": selectors.catalogue_list(actor),
            "can_manage": catalogue_policy.allows(actor, CatalogueAction.MANAGE),
        },
    )


@org_view
def catalogue_create(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    form = CatalogueCreateForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        catalogue = apply_service(form, lambda: _create(actor, data))
        if catalogue is not None:
            messages.success(request, _("The catalogue %(name)s is created.") % {"name": catalogue.name})
            return redirect(_catalogue_url(actor, catalogue.pk))
    return render(request, "competences/catalogue_create.html", {"form": form, "templates": TEMPLATES})


def _create(actor: Actor, data: dict[str, Any]) -> Catalogue:
    if not data["template"]:
        return services.catalogue_create(
            actor=actor, organisation=actor.organisation, name=data["name"], description=data["description"]
        )
    return services.catalogue_create_from_template(
        actor=actor,
        organisation=actor.organisation,
        key=data["template"],
        language=data["language"] or "nb",
        name=data["name"],
        description=data["description"],
    )


@org_view
def catalogue_detail(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    actor = request.actor
    catalogue = access_catalogue(actor, catalogue_id)
    can_manage = catalogue_policy.allows(actor, CatalogueAction.MANAGE)
    areas = selectors.areas_with_competences(catalogue)
    if can_manage:
        for area in areas:
            area.add_form = InlineCompetenceForm(catalogue=catalogue, area=area)  # type: ignore[attr-defined]
    return render(
        request,
        "competences/catalogue_detail.html",
        {
            "catalogue": catalogue,
            "areas": areas,
            "levels": selectors.scale_levels(catalogue),
            "can_manage": can_manage,
        },
    )


@org_view
def catalogue_edit(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    actor = request.actor
    catalogue = access_catalogue(actor, catalogue_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    form = CatalogueForm(request.POST or None, initial=CatalogueForm.initial_for(catalogue))
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.catalogue_update(
                actor=actor,
                catalogue=catalogue,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                version=form.cleaned_data["version"],
            ),
            reload=lambda: access_catalogue(actor, catalogue_id),
            fresh=lambda current: CatalogueForm(initial=CatalogueForm.initial_for(current)),
        )
        if saved is not None:
            messages.success(request, _("The catalogue %(name)s is saved.") % {"name": saved.name})
            return redirect(_catalogue_url(actor, saved.pk))
    return render(
        request,
        "competences/catalogue_form.html",
        {"form": form, "catalogue": catalogue, "conflict": conflict},
    )


@org_view
def catalogue_scale(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    actor = request.actor
    catalogue = access_catalogue(actor, catalogue_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    levels = selectors.scale_levels(catalogue)
    form = ScaleForm(request.POST or None, catalogue=catalogue, levels=levels)
    conflict = None
    if request.method == "POST":
        action = request.POST.get("action", "save")

        def save() -> Catalogue:
            data = form.to_input(add_step=action == "add", remove_top_step=action == "remove")
            return services.scale_update(
                actor=actor, catalogue=catalogue, data=data, version=form.cleaned_data["version"]
            )

        def fresh(current: Catalogue) -> ScaleForm:
            return ScaleForm(catalogue=current, levels=selectors.scale_levels(current))

        saved, conflict = save_versioned(
            form,
            save,
            reload=lambda: access_catalogue(actor, catalogue_id),
            fresh=fresh,
            version_of=lambda current: current.scale_version,
        )
        if saved is not None:
            messages.success(request, _("The scale is saved."))
            if action in ("add", "remove"):
                return redirect(_catalogue_url(actor, catalogue.pk, "competences:catalogue_scale"))
            return redirect(_catalogue_url(actor, catalogue.pk))
    return render(
        request,
        "competences/catalogue_scale.html",
        {"form": form, "catalogue": catalogue, "languages": _languages(), "conflict": conflict},
    )


def _languages() -> list[tuple[str, str]]:
    """Each language's code and its name in that language, for the scale table's column headers."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


@org_view
def catalogue_copy(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    actor = request.actor
    catalogue = access_catalogue(actor, catalogue_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    copy = services.catalogue_copy(actor=actor, catalogue=catalogue)
    messages.success(
        request,
        _("The catalogue is copied to %(name)s. Give the copy a name of its own.") % {"name": copy.name},
    )
    return redirect(_catalogue_url(actor, copy.pk, "competences:catalogue_edit"))


@org_view
def catalogue_import(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    """Upload competences: the file is checked at once (every bad row with its line); a good one is
    imported in the background, followed on the job's page."""
    actor = request.actor
    catalogue = access_catalogue(actor, catalogue_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    # Bound on any POST: an empty submit (no file, no fields) must show its errors, not a fresh form.
    posted = request.method == "POST"
    form = CatalogueImportForm(request.POST if posted else None, request.FILES if posted else None)
    row_errors: list[RowError] = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_catalogue_file(upload, upload.name)
            job = imports.catalogue_import_start(actor=actor, catalogue=catalogue, rows=rows)
        except ImportValidationError as exc:
            row_errors = exc.errors
        except ServiceError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            return redirect(job.link)
    return render(
        request,
        "competences/catalogue_import.html",
        {"form": form, "catalogue": catalogue, "row_errors": row_errors},
    )


@org_view
def catalogue_import_job(request: OrgRequest, catalogue_id: int, job_id: int) -> HttpResponse:
    """A catalogue import as it runs, and how it ended (core/job.html)."""
    actor = request.actor
    catalogue = access_catalogue(actor, catalogue_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    job = access_job(actor, job_id)
    if job.kind != imports.CATALOGUE_IMPORT:
        return redirect(job.link)
    return job_page(
        request,
        job,
        heading=_("Importing competences"),
        back_url=_catalogue_url(actor, catalogue.pk, "competences:catalogue_import"),
        back_label=_("Import competences"),
        result_template="competences/partials/catalogue_import_result.html",
        done_links=[(_catalogue_url(actor, catalogue.pk), catalogue.name)],
    )


def _download(content: bytes, content_type: str, catalogue: Catalogue, suffix: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = nordic_slug(catalogue.name, "catalogue")
    response["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return response


@org_view
def catalogue_export_csv(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    catalogue = access_catalogue(request.actor, catalogue_id)
    return _download(imports.export_csv(catalogue), "text/csv; charset=utf-8", catalogue, "csv")


@org_view
def catalogue_export_xlsx(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    catalogue = access_catalogue(request.actor, catalogue_id)
    return _download(
        imports.export_xlsx(catalogue),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        catalogue,
        "xlsx",
    )


# Areas ----------------------------------------------------------------------------------------------


@org_view
def area_create(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    actor = request.actor
    catalogue = access_catalogue(actor, catalogue_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    form = AreaForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        area = apply_service(
            form,
            lambda: services.area_create(
                actor=actor, catalogue=catalogue, name=d["name"], description=d["description"]
            ),
        )
        if area is not None:
            messages.success(request, _("The area %(name)s is added.") % {"name": area.name})
            return redirect(f"{_catalogue_url(actor, catalogue.pk)}#area-{area.pk}")
    return render(request, "competences/catalogue_area_form.html", {"form": form, "catalogue": catalogue})


@org_view
def area_edit(request: OrgRequest, area_id: int) -> HttpResponse:
    actor = request.actor
    area = access_area(actor, area_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    form = AreaForm(request.POST or None, initial=AreaForm.initial_for(area))
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.area_update(
                actor=actor,
                area=area,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                version=form.cleaned_data["version"],
            ),
            reload=lambda: access_area(actor, area_id),
            fresh=lambda current: AreaForm(initial=AreaForm.initial_for(current)),
        )
        if saved is not None:
            messages.success(request, _("The area %(name)s is saved.") % {"name": saved.name})
            return redirect(f"{_catalogue_url(actor, area.catalogue_id)}#area-{area.pk}")
    return render(
        request,
        "competences/catalogue_area_form.html",
        {"form": form, "catalogue": area.catalogue, "area": area, "conflict": conflict},
    )


@org_view
def area_delete(request: OrgRequest, area_id: int) -> HttpResponse:
    actor = request.actor
    area = access_area(actor, area_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    error = ""
    if request.method == "POST":
        try:
            services.area_delete(actor=actor, area=area)
        except ServiceError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The area %(name)s is deleted.") % {"name": area.name})
            return redirect(_catalogue_url(actor, area.catalogue_id))
    return render(
        request,
        "competences/catalogue_delete.html",
        {
            "catalogue": area.catalogue,
            "object": area,
            "error": error,
            "competence_count": area.competences.count(),
            "cancel_url": f"{_catalogue_url(actor, area.catalogue_id)}#area-{area.pk}",
        },
    )


# Competences ----------------------------------------------------------------------------------------


@org_view
def competence_create(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    actor = request.actor
    catalogue = access_catalogue(actor, catalogue_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    initial: dict[str, Any] = {}
    if request.GET.get("area"):
        initial["area"] = access_area(actor, id_or_404(request.GET["area"])).pk
    form = CompetenceForm(request.POST or None, catalogue=catalogue, initial=initial, creating=True)
    if request.method == "POST" and form.is_valid():
        area = form.cleaned_data["area"]
        competence = apply_service(
            form, lambda: services.competence_create(actor=actor, area=area, data=form.to_input())
        )
        if competence is not None:
            messages.success(request, _("The competence %(name)s is added.") % {"name": competence.name})
            return redirect(f"{_catalogue_url(actor, catalogue.pk)}#area-{area.pk}")
    return render(
        request, "competences/catalogue_competence_form.html", {"form": form, "catalogue": catalogue}
    )


@org_view
def competence_detail(request: OrgRequest, competence_id: int) -> HttpResponse:
    actor = request.actor
    competence = access_competence(actor, competence_id)
    labels = {level.value: level.label for level in selectors.scale_levels(competence.catalogue)}
    requirements = selectors.competence_requirements(competence)
    for requirement in requirements:
        requirement.level_label = labels.get(requirement.level, "")  # type: ignore[attr-defined]
        future = requirement.future_level
        requirement.future_label = labels.get(future, "") if future is not None else ""  # type: ignore[attr-defined]
    return render(
        request,
        "competences/catalogue_competence_detail.html",
        {
            "competence": competence,
            "catalogue": competence.catalogue,
            "requirements": requirements,
            "outcomes": selectors.competence_outcomes(actor, competence),
            "qualification_count": competence.qualifications.count(),
            "can_manage": catalogue_policy.allows(actor, CatalogueAction.MANAGE),
        },
    )


@org_view
def competence_edit(request: OrgRequest, competence_id: int) -> HttpResponse:
    actor = request.actor
    competence = access_competence(actor, competence_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    catalogue = competence.catalogue
    form = CompetenceForm(
        request.POST or None, catalogue=catalogue, initial=CompetenceForm.initial_for(competence)
    )
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.competence_update(
                actor=actor,
                competence=competence,
                data=form.to_input(),
                area=form.cleaned_data["area"],
                version=form.cleaned_data["version"],
            ),
            reload=lambda: access_competence(actor, competence_id),
            fresh=lambda current: CompetenceForm(
                catalogue=catalogue, initial=CompetenceForm.initial_for(current)
            ),
        )
        if saved is not None:
            messages.success(request, _("The competence %(name)s is saved.") % {"name": saved.name})
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "competences/catalogue_competence_form.html",
        {"form": form, "catalogue": catalogue, "competence": competence, "conflict": conflict},
    )


@org_view
def competence_delete(request: OrgRequest, competence_id: int) -> HttpResponse:
    actor = request.actor
    competence = access_competence(actor, competence_id)
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    error = ""
    if request.method == "POST":
        try:
            services.competence_delete(actor=actor, competence=competence)
        except ServiceError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The competence %(name)s is deleted.") % {"name": competence.name})
            return redirect(f"{_catalogue_url(actor, competence.catalogue_id)}#area-{competence.area_id}")
    return render(
        request,
        "competences/catalogue_delete.html",
        {
            "catalogue": competence.catalogue,
            "object": competence,
            "error": error,
            "requirement_count": competence.requirements.count(),
            "cancel_url": competence.get_absolute_url(),
        },
    )


# Requirements ---------------------------------------------------------------------------------------


@dataclass
class Profile:
    """The job role and/or unit whose requirements the page shows (from the GET form)."""

    form: ProfileForm
    job_role: JobRole | None = None
    unit: Unit | None = None
    areas: list[Area] = field(default_factory=list)  # a large catalogue's areas, one shown at a time
    area: Area | None = None

    @property
    def chosen(self) -> bool:
        return self.job_role is not None or self.unit is not None


def _profile(request: OrgRequest, actor: Actor, catalogue: Catalogue) -> Profile:
    profile = Profile(form=ProfileForm(request.GET or None, actor=actor))
    if profile.form.is_bound and profile.form.is_valid():
        profile.job_role = profile.form.cleaned_data["job_role"]
        profile.unit = profile.form.cleaned_data["unit"]
    if profile.chosen:
        profile.areas, profile.area = selectors.one_area_at_a_time(catalogue, request.GET.get("area"))
    return profile


def _matrix(catalogue: Catalogue, profile: Profile, data: Any = None) -> RequirementMatrixForm:
    """The matrix of the profile's requirements: of one area at a time in a large catalogue (saving it
    leaves the other areas' requirements as they are)."""
    return RequirementMatrixForm(
        data,
        catalogue=catalogue,
        competences=selectors.catalogue_competences(catalogue, profile.area.pk if profile.area else None),
        levels=selectors.scale_levels(catalogue),
        existing=selectors.profile_requirements(catalogue, profile.job_role, profile.unit),
    )


def _save_matrix(
    actor: Actor, catalogue: Catalogue, profile: Profile, matrix: RequirementMatrixForm
) -> tuple[int | None, Conflict | None]:
    return save_versioned(
        matrix,
        lambda: services.requirements_save(
            actor=actor,
            catalogue=catalogue,
            job_role=profile.job_role,
            unit=profile.unit,
            rows=matrix.to_rows(),
            version=matrix.cleaned_data["version"],
        ),
        reload=lambda: access_catalogue(actor, catalogue.pk),
        fresh=lambda current: _matrix(current, profile),
        version_of=lambda current: current.requirements_version,
    )


def _matrix_areas(
    catalogue: Catalogue, profile: Profile, matrix: RequirementMatrixForm
) -> list[dict[str, Any]]:
    """The matrix's rows by area, each with the requirement as saved and its steps."""
    existing = selectors.profile_requirements(catalogue, profile.job_role, profile.unit)
    steps = {level.value: level for level in selectors.scale_levels(catalogue)}
    fields = matrix.bound_rows()
    areas: list[dict[str, Any]] = []
    for competence in matrix.competences:
        if not areas or areas[-1]["area"].pk != competence.area_id:
            areas.append({"area": competence.area, "rows": []})
        found = existing.get(competence.pk)
        future = found.future_level if found else None
        areas[-1]["rows"].append(
            {
                "competence": competence,
                "fields": fields[competence.pk],
                "requirement": found,
                "level": steps.get(found.level) if found else None,
                "future_level": steps.get(future) if future is not None else None,
            }
        )
    return areas


def _area_links(request: OrgRequest, profile: Profile) -> list[tuple[Area, str, bool]]:
    """(area, the page for it with the same job role and unit, whether it is the one shown)."""
    keep = [(k, str(v)) for k, v in request.GET.items() if k in ("job_role", "unit")]
    return [(a, "?" + urlencode([*keep, ("area", str(a.pk))]), a == profile.area) for a in profile.areas]


@org_view
def requirements(request: OrgRequest, catalogue_id: int) -> HttpResponse:
    """The requirement matrix of one job role and/or unit, and the list of profiles with requirements."""
    actor = request.actor
    catalogue = access_catalogue(actor, catalogue_id)
    profile = _profile(request, actor, catalogue)
    unit_id = profile.unit.pk if profile.unit is not None else None
    can_edit = profile.chosen and requirement_policy.allows_for_unit(actor, unit_id)
    posted = request.method == "POST"
    if posted:
        actor.require(can_edit)
    matrix, conflict, areas = None, None, []
    if profile.chosen:
        matrix = _matrix(catalogue, profile, request.POST if posted else None)
        if posted:
            count, conflict = _save_matrix(actor, catalogue, profile, matrix)
            if count is not None:
                messages.success(
                    request, _("The requirements are saved (%(count)s changed).") % {"count": count}
                )
                return redirect(request.get_full_path())
        areas = _matrix_areas(catalogue, profile, matrix)
    context = {
        "catalogue": catalogue,
        "profile": profile.form,
        "job_role": profile.job_role,
        "unit": profile.unit,
        "area_links": _area_links(request, profile),
    }
    context.update(chosen=profile.chosen, matrix=matrix, conflict=conflict, areas=areas, can_edit=can_edit)
    context.update(profiles=selectors.requirement_profiles(catalogue), led_unit_ids=actor.led_unit_ids)
    return render(request, "competences/requirements.html", context)
