"""Organisation settings, the audit log and the people import: for organisation admins."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.core.audit_labels import action_label, object_description
from laera.core.errors import ServiceError
from laera.core.models import Job
from laera.core.versioning import save_versioned
from laera.core.views import job_page
from laera.organisations.tenancy import OrgRequest, org_view

from .. import imports, selectors, services
from ..forms import AuditFilterForm, OrganisationSettingsForm, PeopleImportForm
from ..models import Organisation
from ..policies import OrganisationAction, organisation_policy
from .invitations import site_url_for


def _settings_initial(org: Organisation) -> dict[str, object]:
    return {
        "name": org.name,
        "default_language": org.default_language,
        "time_zone": org.time_zone,
        "privacy_threshold": org.privacy_threshold,
        "public_url": org.public_url,
        "version": org.version,
    }


@org_view
def organisation_settings(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    organisation_policy.require(actor, OrganisationAction.MANAGE)
    org = actor.organisation
    form = OrganisationSettingsForm(request.POST or None, initial=_settings_initial(org))
    conflict = None
    if request.method == "POST":

        def save() -> Organisation:
            data = form.cleaned_data
            return services.organisation_update(
                actor=actor,
                name=data["name"],
                default_language=data["default_language"],
                time_zone=data["time_zone"],
                privacy_threshold=data["privacy_threshold"],
                public_url=data["public_url"],
                version=data["version"],
            )

        saved, conflict = save_versioned(
            form,
            save,
            reload=lambda: selectors.organisation_saved(actor),
            fresh=lambda current: OrganisationSettingsForm(initial=_settings_initial(current)),
        )
        if saved is not None:
            messages.success(request, _("The settings are saved."))
            return redirect("organisations:settings", org_slug=org.slug)
    return render(request, "organisations/settings.html", {"form": form, "conflict": conflict})


@org_view
def audit_log(request: OrgRequest) -> HttpResponse:
    """The audit log, filtered by who, what and when (a GET form, so a filtered page can be linked to)."""
    actor = request.actor
    organisation_policy.require(actor, OrganisationAction.MANAGE)
    form = AuditFilterForm(request.GET or None, actor=actor)
    filters = {}
    if form.is_bound:
        form.is_valid()  # the valid filters apply; the invalid ones are shown with their error
        filters = {
            key: form.cleaned_data[name]
            for key, name in [
                ("who", "who"),
                ("action", "what"),
                ("date_from", "date_from"),
                ("date_to", "date_to"),
            ]
            if form.cleaned_data.get(name)
        }
    entries = selectors.audit_entries(actor, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "action": action_label(entry.action), "object": object_description(entry)}
        for entry in page.object_list
    ]
    return render(
        request,
        "organisations/audit_log.html",
        {"page": page, "rows": rows, "form": form, "filtered": bool(filters)},
    )


@dataclass
class _ImportOutcome:
    row_errors: list[imports.RowError] = field(default_factory=list)
    checked: int = 0
    job: Job | None = None


def _people_import_check(request: OrgRequest, form: PeopleImportForm) -> _ImportOutcome:
    """Read and check the uploaded file at once (every bad row with its line); when it is fine and not
    only to be checked, start importing it in the background."""
    actor = request.actor
    outcome = _ImportOutcome()
    upload = form.cleaned_data["file"]
    try:
        rows = imports.read_people_file(upload, upload.name)
        outcome.checked = len(rows)
        outcome.row_errors = imports.validate_people_rows(actor.organisation, rows)
        if outcome.row_errors:
            return outcome
        if not form.cleaned_data["dry_run"]:
            outcome.job = services.people_import_start(actor=actor, rows=rows, site_url=site_url_for(request))
            return outcome
        messages.success(
            request,
            ngettext(
                "The file is fine: %(count)s row can be imported.",
                "The file is fine: %(count)s rows can be imported.",
                outcome.checked,
            )
            % {"count": outcome.checked},
        )
    except ServiceError as exc:
        for message in exc.messages:
            form.add_error("file", message)
    return outcome


@org_view
def people_import(request: OrgRequest) -> HttpResponse:
    """Upload an HR export. Every bad row is listed with its line; nothing is saved unless all are good.
    A good file is imported in the background, followed on the job's page."""
    actor = request.actor
    organisation_policy.require(actor, OrganisationAction.MANAGE)
    # Bound on any POST: an empty submit (no file, no fields) must show its errors, not a fresh form.
    posted = request.method == "POST"
    form = PeopleImportForm(request.POST if posted else None, request.FILES if posted else None)
    outcome = _people_import_check(request, form) if posted and form.is_valid() else _ImportOutcome()
    if outcome.job is not None:
        return redirect(
            "organisations:people_import_job", org_slug=actor.organisation.slug, job_id=outcome.job.pk
        )
    return render(
        request,
        "organisations/people_import.html",
        {
            "form": form,
            "row_errors": outcome.row_errors,
            "checked": outcome.checked,
            "headings": imports.template_headings(),
            "running": selectors.running_job(actor, services.PEOPLE_IMPORT),
        },
    )


@org_view
def people_import_job(request: OrgRequest, job_id: int) -> HttpResponse:
    """An import as it runs: a progress bar the page asks for again every second (HTMX), and at the end
    the counts or every problem found. A reload, or a visit later, shows where it stands."""
    actor = request.actor
    job = selectors.access_job(actor, job_id)
    if job.kind != services.PEOPLE_IMPORT:
        return redirect(job.link)
    slug = actor.organisation.slug
    return job_page(
        request,
        job,
        heading=_("Importing people"),
        back_url=reverse("organisations:people_import", kwargs={"org_slug": slug}),
        back_label=_("Import people"),
        result_template="organisations/partials/people_import_result.html",
        done_links=[(reverse("organisations:person_list", kwargs={"org_slug": slug}), _("People"))],
    )


TEMPLATE_TYPES = {
    "csv": ("text/csv; charset=utf-8", imports.template_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", imports.template_xlsx),
}


@org_view
def people_import_template(request: OrgRequest, fmt: str) -> HttpResponse:
    """The people import template in the reader's language, as CSV or XLSX, with one example row."""
    actor = request.actor
    organisation_policy.require(actor, OrganisationAction.MANAGE)
    if fmt not in TEMPLATE_TYPES:
        raise Http404
    content_type, build = TEMPLATE_TYPES[fmt]
    response = HttpResponse(build(actor.organisation, translation.get_language()), content_type=content_type)
    filename = _("people-import") + f".{fmt}"
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    )
    return response
