"""The gap analysis as a spreadsheet: every unit the person may see × every competence, with the same
choices as the page. A small one is made in the request; a large one (an organisation of hundreds of
units and a large catalogue) is a background job that the person follows, and downloads at its end.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from laera.core.models import Job
from laera.core.services.jobs import JobProgress, JobRefused, job_attach_file, job_run, job_start
from laera.organisations.imports import job_actor
from laera.organisations.tenancy import Actor

from . import exports
from .forms.gaps import Filters, gap_filters
from .models import Importance
from .selectors import gaps as selectors

GAP_EXPORT = "gap_export"
# Cells (units × competences) above which the spreadsheet is made in the background.
CELLS_AT_ONCE = 20_000


def figure_row(group: str, gap: selectors.CompetenceGap) -> exports.FigureRow:
    now = gap.now
    return exports.FigureRow(
        group=group,
        area=gap.column.area.name,
        competence=gap.column.competence.name,
        importance=str(Importance(now.importance).label) if now.importance else "",
        required=now.required,
        assessed=now.assessed,
        average=now.average,
        below=now.below,
        above=now.above,
        wants=now.wants,
        below_future=now.below_future,
        change_average=gap.change_in_average,
        change_below=gap.change_in_below,
        suppressed=now.suppressed,
    )


def export_groups(
    data: selectors.UnitHeatmap, before: dict[int, selectors.Figures]
) -> list[tuple[str, list[exports.FigureRow]]]:
    """One group of rows per unit, then the total of all units shown (with the change, when compared)."""
    groups: list[tuple[str, list[exports.FigureRow]]] = [
        (
            row.unit.name,
            [
                figure_row(row.unit.name, selectors.CompetenceGap(column=c, now=f))
                for c, f in zip(data.columns, row.cells, strict=True)
            ],
        )
        for row in data.rows
    ]
    total = _("All units shown")
    rows = [
        figure_row(total, selectors.CompetenceGap(column=c, now=f, before=before.get(c.competence.pk)))
        for c, f in zip(data.columns, data.totals, strict=True)
    ]
    groups.append((total, rows))
    return groups


def is_large(actor: Actor, filters: Filters) -> bool:
    """Whether the spreadsheet of these choices is made in the background."""
    return len(selectors.visible_units(actor)) * len(filters.columns) > CELLS_AT_ONCE


def gap_export_build(
    actor: Actor, filters: Filters, progress: JobProgress | None = None
) -> tuple[bytes, str]:
    """The spreadsheet of the chosen round's figures, and its file name (without the suffix)."""
    round = filters.round
    assert round is not None  # noqa: S101 (the callers check)
    if progress is not None:
        progress(0, total=2, phase="reading")
    before: dict[int, selectors.Figures] = {}
    if filters.compare:
        before_round = selectors.previous_round(round)
        if before_round is not None:
            before = selectors.organisation_figures(actor, before_round, source=filters.source)
    data = selectors.heatmap_by_units(actor, round, source=filters.source, columns=filters.columns)
    if progress is not None:
        progress(1, total=2, phase="writing")
    content = exports.heatmap_xlsx(
        title=_("Competence gaps: %(round)s") % {"round": round.name},
        competences=[c.competence.name for c in data.columns],
        groups=export_groups(data, before),
        threshold=data.threshold,
        future=filters.future,
    )
    if progress is not None:
        progress(2)
    return content, f"{actor.organisation.slug}-{round.name}-gaps"


def gap_export_start(actor: Actor, query: dict[str, str]) -> Job:
    """Make the spreadsheet of these choices (the page's query) in the background."""
    return job_start(
        organisation_id=actor.organisation.pk,
        person_id=actor.person.pk,
        kind=GAP_EXPORT,
        task=gap_export_task,
        input={"query": query},
        total=2,
        link=lambda job: reverse(
            "competences:gap_export_job", kwargs={"org_slug": actor.organisation.slug, "job_id": job.pk}
        ),
    )


@task()
def gap_export_task(*, job_id: int) -> dict[str, Any] | None:
    return job_run(job_id, _gap_export_work)


def _gap_export_work(job: Job, progress: JobProgress) -> dict[str, Any]:
    actor = job_actor(job)
    query = QueryDict(mutable=True)
    query.update(job.input["query"])
    filters = gap_filters(query or None, actor)
    if filters.round is None:
        raise JobRefused([], message=_("There are no assessments to export yet."))
    content, name = gap_export_build(actor, filters, progress)
    job_attach_file(job, content, name=f"{name}.xlsx", content_type=exports.XLSX)
    return {"round": filters.round.name}
