"""The gap overview: the organisation's (or the actor's units') gaps at one level of the unit tree against
the competence areas, with drill-down to the units below and to one area's competences, and back.

The figures come from `selectors.overview`, which reads the round's stored summary; the page names the
people who could teach others for one competence at a time, when asked. The spreadsheet export
(`gaps.gap_export`) keeps every unit and competence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.organisations.models import Unit
from laera.organisations.selectors import access_unit
from laera.organisations.tenancy import Actor, OrgRequest, org_view

from .. import heatmap
from ..policies import FiguresAction, figures_policy
from ..selectors import gaps as selectors
from ..selectors import overview as levels
from .gaps import CANDIDATES_SHOWN, GAPS_SHOWN, Filters, TableCell, _filters


@dataclass
class Link:
    label: str
    url: str


def _query(filters: Filters, **changes: Any) -> str:
    """The page's choices as a query string, with `changes` (None removes a choice)."""
    params: dict[str, Any] = dict(filters.params())
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params)


def _level_unit(request: OrgRequest, actor: Actor) -> Unit | None:
    """The unit whose units below are the rows, from `?unit=`: 404 when it is not the actor's
    organisation's, 403 when the actor may not see its figures."""
    raw = request.GET.get("unit", "")
    if not raw.isdigit():
        return None
    unit = access_unit(actor, int(raw))
    figures_policy.require(actor, FiguresAction.VIEW, unit)
    return unit


def _row_label(row: levels.OverviewRow) -> str:
    if row.own:
        return _("%(unit)s: members directly in it") % {"unit": row.unit.name}
    return str(row.unit.name)


def _cells(cells: list[selectors.Figures], filters: Filters, threshold: int) -> list[TableCell]:
    return [
        TableCell(heatmap.group_cell(f, future=filters.future, threshold=threshold), f)
        for f in cells[: heatmap.MAX_COLUMNS]
    ]


def _description(overview: levels.Overview, filters: Filters) -> str:
    numbers = {
        "units": ngettext("%(count)s unit", "%(count)s units", len(overview.rows))
        % {"count": len(overview.rows)},
        "groups": (
            ngettext("%(count)s competence area", "%(count)s competence areas", len(overview.groups))
            if overview.by_area
            else ngettext("%(count)s competence", "%(count)s competences", len(overview.groups))
        )
        % {"count": len(overview.groups)},
    }
    if overview.by_area:
        text = (
            _(
                "Each cell counts the answers below the level needed later, over the competences of an area, "
                "for %(units)s and %(groups)s; the darker, the larger the share below. The same numbers are "
                "in the table."
            )
            if filters.future
            else _(
                "Each cell counts the answers below the level required now, over the competences of an area, "
                "for %(units)s and %(groups)s; the darker, the larger the share below. The same numbers are "
                "in the table."
            )
        )
    elif filters.future:
        text = _(
            "Each cell is the number of people below the level needed later, for %(units)s and "
            "%(competences)s; the darker, the larger the share below. The same numbers are in "
            "the table."
        )
        numbers["competences"] = numbers["groups"]
    else:
        text = _(
            "Each cell is the number of people below the level required now, for %(units)s and "
            "%(competences)s; the darker, the larger the share below. The same numbers are in "
            "the table."
        )
        numbers["competences"] = numbers["groups"]
    return text % numbers


def _svg(overview: levels.Overview, filters: Filters, threshold: int) -> Any:
    rows = [
        heatmap.HeatRow(label=_row_label(row), cells=[c.cell for c in _cells(row.cells, filters, threshold)])
        for row in overview.rows[: heatmap.MAX_ROWS - 1]
    ]
    total = _("All units shown")
    rows.append(
        heatmap.HeatRow(
            label=total, cells=[c.cell for c in _cells(overview.totals, filters, threshold)], is_total=True
        )
    )
    return heatmap.heatmap_svg(
        [
            heatmap.HeatColumn(label=g.label, critical=g.critical)
            for g in overview.groups[: heatmap.MAX_COLUMNS]
        ],
        rows,
        title=_("Competence gaps by unit: %(round)s") % {"round": overview.round.name},
        description=_description(overview, filters),
        legend=heatmap.legend_entries(people=False, threshold=threshold),
        id_prefix="units",
    )


def _below(gaps: list[selectors.CompetenceGap], future: bool) -> list[selectors.CompetenceGap]:
    found = [g for g in gaps if (g.now.below_future if future else g.now.below) > 0 or g.now.suppressed]
    return sorted(found, key=selectors.gap_order)


def _hidden(gaps: list[selectors.CompetenceGap]) -> list[selectors.CompetenceGap]:
    found = [g for g in gaps if g.now.above > 0]
    found.sort(key=lambda g: (g.now.importance_rank, -g.now.below, -g.now.above, g.column.competence.name))
    return found


def _who(request: OrgRequest, actor: Actor, overview: levels.Overview, filters: Filters) -> dict[str, Any]:
    """The people who could teach others in one competence (`?who=`), for those who may name them."""
    names = figures_policy.allows(actor, FiguresAction.NAME_CANDIDATES)
    raw = request.GET.get("who", "")
    gap = next((g for g in overview.gaps if str(g.column.competence.pk) == raw), None)
    if not names or gap is None:
        return {"can_name": names, "who": None}
    level = overview.level
    # An admin at the top of the tree reads everyone: no list of units to check each person against.
    whole = level is None or (actor.is_admin and level.parent_id is None and not overview.several_tops)
    unit_ids = None if whole or level is None else [level.pk]
    found = selectors.mobilise_candidates(
        actor,
        overview.round,
        source=filters.source,
        unit_ids=unit_ids,
        competence_ids=[gap.column.competence.pk],
        per_competence=CANDIDATES_SHOWN,
    )
    return {"can_name": names, "who": gap, "who_people": found.get(gap.column.competence.pk, [])}


def _links(overview: levels.Overview, filters: Filters) -> dict[str, Any]:
    """Where each row, column and step of the way back leads."""
    level_id = overview.level.pk if overview.level is not None else None
    path = [Link(label=u.name, url=_query(filters, unit=u.pk, who=None)) for u in overview.path]
    rows = [
        (
            row,
            _query(filters, unit=row.unit.pk, who=None) if row.below else None,
            _cells(row.cells, filters, overview.threshold),
        )
        for row in overview.rows[: heatmap.MAX_ROWS - 1]
    ]
    groups = [
        (group, _query(filters, unit=level_id, area=group.key, who=None) if group.is_area else None)
        for group in overview.groups[: heatmap.MAX_COLUMNS]
    ]
    return {
        "path": path,
        "table_rows": rows,
        "table_groups": groups,
        "all_areas_url": _query(filters, unit=level_id, area=None, who=None),
        "all_units_url": _query(filters, unit=None, who=None),
        "who_base": _query(filters, unit=level_id, who=None),
    }


def _overview_context(
    request: OrgRequest, actor: Actor, filters: Filters, round: Any, threshold: int
) -> dict[str, Any]:
    before_round = selectors.previous_round(round) if filters.compare else None
    overview = levels.gap_overview(
        actor,
        round,
        columns=filters.columns,
        source=filters.source,
        unit=_level_unit(request, actor),
        area=filters.area,
        by_area=filters.large,
        compare=before_round,
    )
    below, hidden = _below(overview.gaps, filters.future), _hidden(overview.gaps)
    cap = GAPS_SHOWN if overview.by_area else None
    context: dict[str, Any] = {
        "round": round,
        "overview": overview,
        "before_round": before_round,
        "gaps": below[:cap],
        "gaps_total": len(below),
        "hidden": hidden[:cap],
        "hidden_total": len(hidden),
        "svg": _svg(overview, filters, threshold),
        "table_totals": _cells(overview.totals, filters, threshold),
        "rows_clipped": len(overview.rows) > heatmap.MAX_ROWS - 1,
        "max_rows": heatmap.MAX_ROWS - 1,
        "legend": heatmap.legend_entries(people=False, threshold=threshold),
        "query": filters.query(),
    }
    context.update(_links(overview, filters))
    context.update(_who(request, actor, overview, filters))
    return context


@org_view
def gap_overview(request: OrgRequest) -> HttpResponse:
    """The gaps at one level of the unit tree against the areas, drilling down to units and competences."""
    actor = request.actor
    figures_policy.require(actor, FiguresAction.VIEW)
    filters = _filters(request, actor)
    threshold = actor.organisation.privacy_threshold
    context: dict[str, Any] = {"filters": filters, "form": filters.form, "threshold": threshold}
    if filters.round is not None:
        context.update(_overview_context(request, actor, filters, filters.round, threshold))
    return render(request, "competences/gap_overview.html", context)
