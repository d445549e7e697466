"""Organisation settings, the audit log and the people import: for organisation admins."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.models import AuditEntry
from laera.core.tenancy import OrgRequest, org_view

from .. import imports, services
from ..forms import OrganisationSettingsForm, PeopleImportForm


@org_view
def organisation_settings(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    actor.require(actor.can_manage_organisation())
    org = actor.organisation
    form = OrganisationSettingsForm(
        request.POST or None,
        initial={
            "name": org.name,
            "default_language": org.default_language,
            "time_zone": org.time_zone,
            "privacy_threshold": org.privacy_threshold,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = apply_service(
            form,
            lambda: services.organisation_update(
                actor=actor,
                name=data["name"],
                default_language=data["default_language"],
                time_zone=data["time_zone"],
                privacy_threshold=data["privacy_threshold"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The settings are saved."))
            return redirect("organisations:settings", org_slug=org.slug)
    return render(request, "organisations/settings.html", {"form": form})


@org_view
def audit_log(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    actor.require(actor.can_manage_organisation())
    entries = AuditEntry.objects.filter(organisation=actor.organisation).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "organisations/audit_log.html", {"page": page})


@org_view
def people_import(request: OrgRequest) -> HttpResponse:
    """Upload an HR export. Every bad row is listed with its line; nothing is saved unless all are good."""
    actor = request.actor
    actor.require(actor.can_manage_organisation())
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    row_errors: list[imports.RowError] = []
    result = None
    checked = 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_people_file(upload, upload.name)
            checked = len(rows)
            if form.cleaned_data["dry_run"]:
                row_errors = imports.validate_people_rows(actor.organisation, rows)
                if not row_errors:
                    messages.success(
                        request, _("The file is fine: %(count)s rows can be imported.") % {"count": checked}
                    )
            else:
                result = imports.people_import(actor=actor, organisation=actor.organisation, rows=rows)
        except imports.ImportValidationError as exc:
            # Every bad row, with its line; nothing was saved.
            row_errors = exc.errors
        except ServiceError as exc:
            for message in exc.messages:
                form.add_error("file", message)
    return render(
        request,
        "organisations/people_import.html",
        {"form": form, "row_errors": row_errors, "result": result, "checked": checked},
    )
