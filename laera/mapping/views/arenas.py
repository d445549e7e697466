"""Learning arenas: list, detail, create, edit, archive, the week and half-year views, import."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.versioning import save_versioned
from laera.core.views import job_page
from laera.organisations.imports import ImportValidationError, RowError
from laera.organisations.models import Unit
from laera.organisations.selectors import access_job, access_unit
from laera.organisations.tenancy import OrgRequest, id_or_404, org_view

from .. import imports, selectors, services
from ..forms import ArenaForm, ArenaImportForm
from ..policies import MappingAction, arena_policy
from ..recurrence import occurrences


def _unit_in_query(request: OrgRequest) -> Unit | None:
    """The unit named by `?unit=`, if any; 404 for one that is not a number, as for another organisation's."""
    raw = request.GET.get("unit", "")
    return access_unit(request.actor, id_or_404(raw)) if raw else None


@org_view
def arena_list(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    unit = _unit_in_query(request)
    archived = request.GET.get("archived") == "1"
    return render(
        request,
        "mapping/arena_list.html",
        {
            "arenas": selectors.arena_list(actor, unit=unit, archived=archived),
            "unit": unit,
            "archived": archived,
            "units": selectors.units_for_mapping(actor),
            "can_add": arena_policy.allows(actor, MappingAction.EDIT),
        },
    )


@org_view
def arena_detail(request: OrgRequest, arena_id: int) -> HttpResponse:
    actor = request.actor
    arena = selectors.access_arena(actor, arena_id)
    today = timezone.localdate()
    upcoming = occurrences(arena.rrule, arena.starts_on, today, today + datetime.timedelta(days=120))
    return render(
        request,
        "mapping/arena_detail.html",
        {
            "arena": arena,
            "upcoming": upcoming[:8],
            "can_edit": arena_policy.allows(actor, MappingAction.EDIT, arena),
        },
    )


@org_view
def arena_create(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    arena_policy.require(actor, MappingAction.EDIT)
    unit = _unit_in_query(request)
    initial = {"unit": unit} if unit is not None else {}
    form = ArenaForm(request.POST or None, actor=actor, initial=initial, creating=True)
    if request.method == "POST" and form.is_valid():
        arena = apply_service(
            form,
            lambda: services.arena_create(actor=actor, unit=form.cleaned_data["unit"], data=form.to_input()),
        )
        if arena is not None:
            messages.success(request, _("The arena %(name)s is saved.") % {"name": arena.name})
            return redirect(arena.get_absolute_url())
    return render(request, "mapping/arena_form.html", {"form": form, "arena": None})


@org_view
def arena_edit(request: OrgRequest, arena_id: int) -> HttpResponse:
    actor = request.actor
    arena = selectors.access_arena(actor, arena_id)
    arena_policy.require(actor, MappingAction.EDIT, arena)
    form = ArenaForm(request.POST or None, actor=actor, initial=ArenaForm.initial_for(arena))
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.arena_update(
                actor=actor, arena=arena, data=form.to_input(), version=form.cleaned_data["version"]
            ),
            reload=lambda: selectors.access_arena(actor, arena_id),
            fresh=lambda current: ArenaForm(actor=actor, initial=ArenaForm.initial_for(current)),
        )
        if saved is not None:
            messages.success(request, _("The arena %(name)s is saved.") % {"name": saved.name})
            return redirect(saved.get_absolute_url())
    return render(request, "mapping/arena_form.html", {"form": form, "arena": arena, "conflict": conflict})


@org_view
def arena_archive(request: OrgRequest, arena_id: int) -> HttpResponse:
    actor = request.actor
    arena = selectors.access_arena(actor, arena_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    archive = arena.archived_at is None
    services.arena_set_archived(actor=actor, arena=arena, archived=archive)
    messages.success(request, _("The arena is archived.") if archive else _("The arena is back in use."))
    return redirect(arena.get_absolute_url())


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _week(anchor: datetime.date) -> tuple[datetime.date, datetime.date, dict[str, object]]:
    """The week with `anchor` in it, Monday to Sunday, with its days and the weeks before and after."""
    start = _monday(anchor)
    end = start + datetime.timedelta(days=6)
    days = [start + datetime.timedelta(days=i) for i in range(7)]
    return (
        start,
        end,
        {
            "days": days,
            "previous": start - datetime.timedelta(days=7),
            "next": start + datetime.timedelta(days=7),
        },
    )


def _half_year(anchor: datetime.date) -> tuple[datetime.date, datetime.date, dict[str, object]]:
    """The half-year with `anchor` in it, with its months and the half-years before and after."""
    start = datetime.date(anchor.year, 1 if anchor.month <= 6 else 7, 1)
    end = datetime.date(start.year, 6, 30) if start.month == 1 else datetime.date(start.year, 12, 31)
    months = [datetime.date(start.year, start.month + i, 1) for i in range(6)]
    previous = datetime.date(start.year - 1, 7, 1) if start.month == 1 else datetime.date(start.year, 1, 1)
    following = datetime.date(start.year, 7, 1) if start.month == 1 else datetime.date(start.year + 1, 1, 1)
    return start, end, {"months": months, "previous": previous, "next": following}


@org_view
def arena_calendar(request: OrgRequest) -> HttpResponse:
    """When the arenas meet: one week by weekday, or a half-year by month."""
    actor = request.actor
    view = "halfyear" if request.GET.get("view") == "halfyear" else "week"
    try:
        anchor = datetime.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        anchor = timezone.localdate()
    unit = _unit_in_query(request)
    start, end, context = _week(anchor) if view == "week" else _half_year(anchor)
    rows = selectors.arena_calendar(actor, start, end, unit=unit)
    if view == "halfyear":
        for row in rows:
            row.group_by_month(context["months"])  # type: ignore[arg-type]
    return render(
        request,
        "mapping/arena_calendar.html",
        {
            **context,
            "view": view,
            "start": start,
            "end": end,
            "rows": rows,
            "unit": unit,
            "on_demand": [r.arena for r in rows if not r.arena.rrule],
            "scheduled": [r for r in rows if r.arena.rrule],
        },
    )


@org_view
def arena_import(request: OrgRequest) -> HttpResponse:
    """Upload arenas: the file is checked at once (every bad row with its line); a good one is imported
    in the background, followed on the job's page."""
    actor = request.actor
    arena_policy.require(actor, MappingAction.EDIT)
    # Bound on any POST: an empty submit (no file, no fields) must show its errors, not a fresh form.
    posted = request.method == "POST"
    form = ArenaImportForm(request.POST if posted else None, request.FILES if posted else None, actor=actor)
    row_errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_arena_file(upload, upload.name)
            job = imports.arenas_import_start(actor=actor, unit=form.cleaned_data["unit"], rows=rows)
        except ImportValidationError as exc:
            row_errors = exc.errors
        except ServiceError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            return redirect(job.link)
    return render(request, "mapping/arena_import.html", {"form": form, "row_errors": row_errors})


@org_view
def arena_import_job(request: OrgRequest, job_id: int) -> HttpResponse:
    """An arena import as it runs, and how it ended (core/job.html)."""
    actor = request.actor
    job = access_job(actor, job_id)
    arena_policy.require(actor, MappingAction.EDIT)
    if job.kind != imports.ARENA_IMPORT:
        return redirect(job.link)
    arenas = reverse("mapping:arena_list", kwargs={"org_slug": actor.organisation.slug})
    unit_id = job.result.get("unit_id")
    return job_page(
        request,
        job,
        heading=_("Importing arenas"),
        back_url=reverse("mapping:arena_import", kwargs={"org_slug": actor.organisation.slug}),
        back_label=_("Import arenas"),
        result_template="mapping/partials/arena_import_result.html",
        done_links=[(f"{arenas}?unit={unit_id}" if unit_id else arenas, _("Arenas"))],
    )
