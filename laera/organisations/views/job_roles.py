from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laera.core.forms import apply_service
from laera.core.versioning import save_versioned
from laera.organisations.tenancy import OrgRequest, org_view

from .. import selectors, services
from ..forms import JobRoleForm
from ..policies import JobRoleAction, job_role_policy


@org_view
def job_role_list(request: OrgRequest) -> HttpResponse:
    """Everyone in the organisation can see the job roles; admins add them here."""
    actor = request.actor
    form = (
        JobRoleForm(request.POST or None, creating=True)
        if job_role_policy.allows(actor, JobRoleAction.MANAGE)
        else None
    )
    if request.method == "POST":
        job_role_policy.require(actor, JobRoleAction.MANAGE)
        assert form is not None
        if form.is_valid():
            role = apply_service(
                form,
                lambda: services.job_role_create(
                    actor=actor,
                    organisation=actor.organisation,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                ),
            )
            if role is not None:
                messages.success(request, _("The job role %(name)s is added.") % {"name": role.name})
                return redirect("organisations:job_role_list", org_slug=actor.organisation.slug)
    return render(
        request, "organisations/job_role_list.html", {"roles": selectors.job_roles_list(actor), "form": form}
    )


@org_view
def job_role_edit(request: OrgRequest, job_role_id: int) -> HttpResponse:
    actor = request.actor
    role = selectors.access_job_role(actor, job_role_id)
    job_role_policy.require(actor, JobRoleAction.MANAGE)
    form = JobRoleForm(request.POST or None, initial=JobRoleForm.initial_for(role))
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.job_role_update(
                actor=actor,
                job_role=role,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                version=form.cleaned_data["version"],
            ),
            reload=lambda: selectors.access_job_role(actor, job_role_id),
            fresh=lambda current: JobRoleForm(initial=JobRoleForm.initial_for(current)),
        )
        if saved is not None:
            messages.success(request, _("The changes are saved."))
            return redirect("organisations:job_role_list", org_slug=actor.organisation.slug)
    return render(
        request, "organisations/job_role_form.html", {"form": form, "role": role, "conflict": conflict}
    )


@org_view
def job_role_delete(request: OrgRequest, job_role_id: int) -> HttpResponse:
    actor = request.actor
    role = selectors.access_job_role(actor, job_role_id)
    job_role_policy.require(actor, JobRoleAction.MANAGE)
    if request.method != "POST":
        return render(request, "organisations/job_role_delete.html", {"role": role})
    services.job_role_delete(actor=actor, job_role=role)
    messages.success(request, _("The job role %(name)s is deleted.") % {"name": role.name})
    return redirect("organisations:job_role_list", org_slug=actor.organisation.slug)
