"""The gap analysis: a unit's report, a person's profile, the exports, and gaps sent on to the input
round, with the choices above them (`Filters`). The overview of the organisation's units is
`views.overview`; competences linked to learning outcomes are plans' page (`laera.plans.views.evidence`).

The pages only read: the writing services keep the stored summary of a round's figures current
(`services.figures`); a page shows the figures last built while a rebuild is due.

Group figures come from `selectors.gaps`, which suppresses groups under the organisation's threshold once,
so the pages, the SVG, the tables and the XLSX files all show the same (suppressed) figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.text import nordic_slug
from laera.core.views import JobTexts, job_page
from laera.organisations.models import Unit
from laera.organisations.selectors import access_job, access_unit
from laera.organisations.tenancy import Actor, OrgRequest, org_view

from .. import exports, heatmap
from .. import gap_export as gap_exports
from ..forms.gaps import Filters, GapSignalForm, gap_filters
from ..models import Competence, MappingRound
from ..policies import FiguresAction, GapSignalAction, figures_policy, gap_signal_policy
from ..selectors import gaps as selectors
from ..selectors.access import access_gap_signal, access_person_assessments
from ..services import evidence
from ..templatetags.gap_tags import dash

GAPS_SHOWN = 20  # competences in a gap list before an area is chosen, in a large catalogue
CANDIDATES_SHOWN = 25  # names per competence in "who could teach others"; the unit reports name the rest
EXPIRY_WARNING_DAYS = 60  # a qualification expiring within this many days is marked
XLSX = exports.XLSX


def _filters(request: OrgRequest, actor: Actor) -> Filters:
    return gap_filters(request.GET if request.GET else None, actor)


@dataclass
class TableCell:
    cell: heatmap.HeatCell
    figures: selectors.Figures


def _before(actor: Actor, filters: Filters, round: MappingRound) -> tuple[MappingRound | None, Any]:
    """The round compared with (when the change is on) and its figures, its summary brought up to date."""
    before_round = selectors.previous_round(round) if filters.compare else None
    if before_round is None:
        return None, None
    return before_round, selectors.organisation_figures(actor, before_round, source=filters.source)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{nordic_slug(name, "gaps")}.xlsx"'
    return response


@org_view
def gap_export(request: OrgRequest) -> HttpResponse:
    """The heatmap's numbers as XLSX, with the same choices as the page; every unit and competence. A
    large one is made in the background, and the person is sent to follow it."""
    actor = request.actor
    figures_policy.require(actor, FiguresAction.VIEW)
    filters = _filters(request, actor)
    if filters.round is None:
        messages.info(request, _("There are no assessments to export yet."))
        return redirect("competences:gap_overview", org_slug=actor.organisation.slug)
    if gap_exports.is_large(actor, filters):
        job = gap_exports.gap_export_start(
            actor, {key: str(value) for key, value in filters.params().items()}
        )
        return redirect(job.link)
    content, name = gap_exports.gap_export_build(actor, filters)
    return _xlsx(content, name)


@org_view
def gap_export_job(request: OrgRequest, job_id: int) -> HttpResponse:
    """A large export as it is made, and its download at the end (core/job.html)."""
    actor = request.actor
    job = access_job(actor, job_id)
    figures_policy.require(actor, FiguresAction.VIEW)
    if job.kind != gap_exports.GAP_EXPORT:
        return redirect(job.link)
    overview = reverse("competences:gap_overview", kwargs={"org_slug": actor.organisation.slug})
    return job_page(
        request,
        job,
        heading=_("Making the spreadsheet"),
        back_url=overview,
        back_label=_("Gap analysis"),
        result_template="competences/partials/gap_export_result.html",
        texts=JobTexts.for_export(),
        download_url=reverse(
            "competences:gap_export_download", kwargs={"org_slug": actor.organisation.slug, "job_id": job.pk}
        ),
    )


@org_view
def gap_export_download(request: OrgRequest, job_id: int) -> HttpResponse:
    """The spreadsheet a finished export made."""
    actor = request.actor
    job = access_job(actor, job_id)
    figures_policy.require(actor, FiguresAction.VIEW)
    if job.kind != gap_exports.GAP_EXPORT or job.file is None:
        return redirect(job.link)  # another kind of job, or one not finished: its own page
    stem, _dot, suffix = job.file_name.rpartition(".")
    response = HttpResponse(bytes(job.file), content_type=job.content_type or exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{nordic_slug(stem, "gaps")}.{suffix}"'
    return response


def _unit_context(request: OrgRequest, actor: Actor, unit: Unit) -> dict[str, Any]:
    figures_policy.require(actor, FiguresAction.VIEW, unit)
    filters = _filters(request, actor)
    threshold = actor.organisation.privacy_threshold
    context: dict[str, Any] = {"unit": unit, "filters": filters, "form": filters.form, "threshold": threshold}
    if filters.round is None:
        return context
    round = filters.round
    before_round = selectors.previous_round(round) if filters.compare else None
    # The filters' competences: the catalogue's, or the area's chosen.
    report = selectors.unit_gap_report(
        actor, unit, round, source=filters.source, compare=before_round, columns=filters.columns
    )
    context.update(round=round, report=report, before_round=before_round, query=filters.query())
    return context


def _people_svg(
    people: selectors.PeopleHeatmap, rows: list[Any], unit: Unit, filters: Filters, threshold: int
) -> Any:
    return heatmap.heatmap_svg(
        [heatmap.HeatColumn(label=c.competence.name) for c in people.columns[: heatmap.MAX_COLUMNS]],
        rows,
        title=_("People in %(unit)s by competence") % {"unit": unit.name},
        description=_(
            "Each cell is a person's level in a competence (%(source)s); a minus marks a level "
            "below the requirement, a plus a level above it. The same values are in the table."
        )
        % {"source": selectors.Source(filters.source).label},
        legend=heatmap.legend_entries(people=True, threshold=threshold),
        id_prefix="people",
    )


@dataclass(frozen=True)
class NumberCell:
    """A person's cell in the table beside the drawing, its words already in the page's language."""

    assessed: bool
    pair: str = ""
    agreed: str = ""
    required: str = ""


def _numbers(cell: selectors.PersonCell) -> NumberCell:
    # Worded here, not with a translation tag per cell in the template: a page of people × 40 competences
    # has thousands of cells, and each tag costs a look-up in the catalogue.
    if not cell.assessed:
        return NumberCell(assessed=False)
    return NumberCell(
        assessed=True,
        pair=_("own %(own)s / leader %(leader)s")
        % {"own": dash(cell.self_level), "leader": dash(cell.leader_level)},
        agreed="" if cell.agreed_level is None else _("agreed %(agreed)s") % {"agreed": cell.agreed_level},
        required=_("required %(required)s") % {"required": cell.required},
    )


def _people_context(
    request: OrgRequest, actor: Actor, unit: Unit, round: MappingRound, filters: Filters, threshold: int
) -> dict[str, Any]:
    """The people × competences heatmap of the unit, for its leaders: in a large catalogue, the competences
    of one area (the first, until one is chosen)."""
    columns = filters.columns
    if filters.large:
        columns = [c for c in columns if c.area.pk == columns[0].area.pk]
    raw = request.GET.get("people", "")
    page = int(raw) if raw.isdigit() else 1
    people = selectors.people_heatmap(actor, unit, round, source=filters.source, columns=columns, page=page)
    rows = [
        heatmap.HeatRow(
            label=row.name,
            cells=[
                heatmap.person_cell(
                    cell, source=filters.source, proficient=people.proficient, future=filters.future
                )
                for cell in row.cells[: heatmap.MAX_COLUMNS]
            ],
        )
        for row in people.rows
    ]
    numbers = [[_numbers(cell) for cell in row.cells[: heatmap.MAX_COLUMNS]] for row in people.rows]
    return {
        "people": people,
        "people_columns": people.columns[: heatmap.MAX_COLUMNS],
        "people_rows": list(zip(people.rows, rows, numbers, strict=True)),
        "people_query": filters.query(),
        "people_columns_clipped": len(people.columns) > heatmap.MAX_COLUMNS,
        "people_area": columns[0].area if filters.large and columns else None,
        "max_columns": heatmap.MAX_COLUMNS,
        "people_legend": heatmap.legend_entries(people=True, threshold=threshold),
        "people_svg": _people_svg(people, rows, unit, filters, threshold),
    }


def _unit_names(request: OrgRequest, actor: Actor, unit: Unit, context: dict[str, Any]) -> dict[str, Any]:
    """Who could teach others, for those who may read the people's assessments: beside every competence
    for a unit with no units below it; for a larger one, for the competence asked for (`?who=`)."""
    names = figures_policy.allows(actor, FiguresAction.VIEW_PEOPLE, unit)
    found: dict[str, Any] = {"can_name": names, "candidates": {}, "who": None, "names_on_request": False}
    if not names:
        return found
    filters: Filters = context["filters"]
    if not any(parent == unit.pk for parent in actor.parent_map().values()):
        found["candidates"] = selectors.mobilise_candidates(
            actor, context["round"], source=filters.source, unit_ids=[unit.pk]
        )
        return found
    found["names_on_request"] = True
    raw = request.GET.get("who", "")
    gap = next((g for g in context["report"] if str(g.column.competence.pk) == raw), None)
    if gap is not None:
        people = selectors.mobilise_candidates(
            actor,
            context["round"],
            source=filters.source,
            unit_ids=[unit.pk],
            competence_ids=[gap.column.competence.pk],
            per_competence=CANDIDATES_SHOWN,
        )
        found.update(who=gap, who_people=people.get(gap.column.competence.pk, []))
    return found


def _shown_report(context: dict[str, Any]) -> dict[str, Any]:
    """A large catalogue's report lists the largest gaps first, a screenful; the spreadsheet has all."""
    report = context["report"]
    shown = report[:GAPS_SHOWN] if context["filters"].large else report
    return {"report": shown, "report_total": len(report)}


@org_view
def unit_gaps(request: OrgRequest, unit_id: int) -> HttpResponse:
    """A unit's gap report, critical gaps first; for its leaders, the people × competences heatmap."""
    actor = request.actor
    unit = access_unit(actor, unit_id)
    context = _unit_context(request, actor, unit)
    round = context.get("round")
    if round is not None:
        filters: Filters = context["filters"]
        threshold = context["threshold"]
        context.update(_unit_names(request, actor, unit, context))
        context.update(_shown_report(context))
        context.update(
            sent=selectors.competences_sent(actor, round, unit),
            can_send=gap_signal_policy.allows(actor, GapSignalAction.SEND),
            legend=heatmap.legend_entries(people=False, threshold=threshold),
        )
        if context["can_name"]:
            context.update(_people_context(request, actor, unit, round, filters, threshold))
    return render(request, "competences/gap_unit.html", context)


@org_view
def unit_gap_export(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = access_unit(actor, unit_id)
    context = _unit_context(request, actor, unit)
    round = context.get("round")
    if round is None:
        messages.info(request, _("There are no assessments to export yet."))
        return redirect("competences:unit_gaps", org_slug=actor.organisation.slug, unit_id=unit.pk)
    rows = [gap_exports.figure_row(unit.name, gap) for gap in context["report"]]
    content = exports.unit_report_xlsx(
        title=_("Competence gaps in %(unit)s: %(round)s") % {"unit": unit.name, "round": round.name},
        rows=rows,
        threshold=context["threshold"],
    )
    return _xlsx(content, f"{unit.name}-{round.name}-gaps")


@org_view
def person_profile(request: OrgRequest, person_id: int) -> HttpResponse:
    """One person's competence profile: both ratings side by side per round, and qualifications."""
    actor = request.actor
    person = access_person_assessments(actor, person_id)
    raw, area = request.GET.get("round", ""), request.GET.get("area", "")
    # The newest round of each catalogue is shown, an earlier one when asked for; beyond a screenful of
    # competences, one area at a time.
    profile = selectors.person_profile(
        actor,
        person,
        shown_round=int(raw) if raw.isdigit() else None,
        area_id=int(area) if area.isdigit() else None,
    )
    today = timezone.localdate()
    return render(
        request,
        "competences/person_profile.html",
        {
            "person": person,
            "profile": profile,
            "is_self": person.pk == actor.person.pk,
            "today": today,
            "soon": today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
        },
    )


@org_view
def gap_signal_list(request: OrgRequest) -> HttpResponse:
    """Gaps sent on as evidence: those waiting for the next input round, and those taken up."""
    actor = request.actor
    gap_signal_policy.require(actor, GapSignalAction.SEND)
    signals = list(selectors.gap_signals(actor))
    return render(
        request,
        "competences/gap_signal_list.html",
        {
            "waiting": [s for s in signals if s.input_round_id is None],
            "taken": [s for s in signals if s.input_round_id is not None],
        },
    )


def _next_url(request: OrgRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _form_errors(request: OrgRequest, errors: Any) -> None:
    for error in errors:
        messages.error(request, str(error))


def _send_signal(request: OrgRequest, form: GapSignalForm) -> None:
    """Compute the gap's figures as on the page (suppressed alike) and send them on."""
    actor = request.actor
    data = form.cleaned_data
    competence: Competence = data["competence"]
    round: MappingRound = data["round"]
    unit: Unit | None = data["unit"]
    source = data.get("source") or selectors.Source.AGREED
    figures = selectors.gap_figures(actor, round, competence, unit=unit, source=source)
    signal = apply_service(
        form,
        lambda: evidence.gap_signal_create(
            actor=actor, competence=competence, figures=figures, round=round, unit=unit, note=data["note"]
        ),
    )
    if signal is None:
        _form_errors(request, form.non_field_errors())
        return
    messages.success(
        request,
        _("The gap in %(competence)s is sent to the next input round.") % {"competence": competence.name},
    )


@org_view
def gap_signal_create(request: OrgRequest) -> HttpResponse:
    """Send a gap on to the next input round, with its figures computed (and suppressed) as on the page."""
    actor = request.actor
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    gap_signal_policy.require(actor, GapSignalAction.SEND)
    form = GapSignalForm(request.POST, actor=actor)
    fallback = reverse("competences:gap_signal_list", kwargs={"org_slug": actor.organisation.slug})
    if not form.is_valid():
        for errors in form.errors.values():
            _form_errors(request, errors)
    else:
        _send_signal(request, form)
    return redirect(_next_url(request, fallback))


@org_view
def gap_signal_withdraw(request: OrgRequest, signal_id: int) -> HttpResponse:
    actor = request.actor
    signal = access_gap_signal(actor, signal_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        evidence.gap_signal_withdraw(actor=actor, signal=signal)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The gap in %(competence)s is withdrawn.") % {"competence": signal.competence.name}
        )
    return redirect("competences:gap_signal_list", org_slug=actor.organisation.slug)
