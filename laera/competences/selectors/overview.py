"""The gap overview at the level of detail a person can read.

A large organisation has hundreds of units and hundreds of competences: nobody reads 80,000 cells. The
overview therefore opens at one level of the unit tree — the units just below the top of what the actor
may see (departments, or the units one leads) — against the catalogue's competence *areas*, and drills
down: a unit's row opens the units below it, an area's column opens its competences, and the path back
is a breadcrumb. Exports keep the full detail (`gaps.heatmap_by_units`).

Every figure comes from the round's stored summary (services/figures.py): a row with units below it
reads `UnitTreeFigures` (the unit and everything below, each person once), a row without reads the
unit's own `UnitFigures`. So a page reads a few thousand narrow rows, never the round's millions of
assessment rows. While the summary is being rebuilt after a change of memberships or requirements, the
page shows the figures it has and says they are being updated; only when a round has no summary at all
does it fall back to the live queries.

Suppression is the gap analysis's own: each competence's figures about fewer people than the threshold
are hidden, and, for those who do not lead every unit behind a figure, a figure that less the units'
own figures shown elsewhere would give a small group away is hidden too (`gaps.complementary_hidden`).
An area's figures add up only the competences whose figures are shown, so nothing hidden can be worked
out from an area less its competences.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from laera.core.permissions import descendants
from laera.organisations.models import Unit
from laera.organisations.tenancy import Actor

from ..models import Area, MappingRound
from .gaps import (
    Cells,
    Column,
    CompetenceGap,
    Figures,
    Source,
    SummaryReader,
    complementary_hidden,
    group_figures,
    top_units,
    visible_units,
)


@dataclass(frozen=True)
class Group:
    """A column of the overview: a competence area (its competences summed), or one competence."""

    key: int  # the area's or the competence's id
    label: str
    competence_ids: tuple[int, ...]
    is_area: bool
    critical: bool = False


@dataclass
class OverviewRow:
    unit: Unit
    own: bool  # the level unit's own people only (not the units below it)
    below: bool  # has units below it to open
    cells: list[Figures]  # per group, suppressed as shown


@dataclass
class Overview:
    round: MappingRound
    source: str
    threshold: int
    level: Unit | None  # the unit whose units below are the rows; None: the actor's several top units
    path: list[Unit]  # from the top of the actor's scope down to the level, for the way back
    area: Area | None  # the area chosen, if any
    by_area: bool  # the columns are areas (else competences)
    groups: list[Group]
    rows: list[OverviewRow]
    totals: list[Figures]  # per group, over every row's people, each once
    gaps: list[CompetenceGap]  # every competence shown, over the same people, with the change
    updating: bool  # the summary is being rebuilt after a change: these are the last figures built
    several_tops: bool = False  # the actor sees several separate parts of the tree: a view above them all
    built_at: datetime.datetime | None = None  # when the figures shown while `updating` were built


def _children(parents: dict[int, int | None]) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in parents.items():
        children[parent_id].append(unit_id)
    return children


def overview_level(actor: Actor, unit: Unit | None) -> tuple[Unit | None, list[int]]:
    """Where the overview opens: the given unit (the caller has checked the actor may see its figures),
    else the one top unit of the actor's scope, else none (several top units, which are then the rows)."""
    if unit is not None:
        return unit, []
    tops = top_units(actor)
    if len(tops) == 1:
        return Unit.objects.get(pk=tops[0]), []
    return None, tops


def _path(actor: Actor, frame: _Frame, level: Unit | None, units: dict[int, Unit]) -> list[Unit]:
    """The units from the top of the actor's scope down to `level`, level included."""
    if level is None:
        return []
    scope = set(visible_units(actor))
    chain = [level.pk]
    while (parent := frame.parents.get(chain[-1])) is not None and parent in scope and len(chain) < 50:
        chain.append(parent)
    return [units[u] for u in reversed(chain) if u in units]


@dataclass
class _Frame:
    """Which units the rows and the total are, and which figures they read."""

    parents: dict[int, int | None]
    children: dict[int | None, list[int]]
    level: Unit | None
    tops: list[int]

    def has_below(self, unit_id: int) -> bool:
        return bool(self.children.get(unit_id))

    def reach(self, unit_id: int) -> set[int]:
        return descendants(self.parents, {unit_id})


def _frame(actor: Actor, level: Unit | None, tops: list[int]) -> _Frame:
    parents = actor.parent_map()
    return _Frame(parents=parents, children=_children(parents), level=level, tops=tops)


RowKey = tuple[int, bool]  # (unit id, own people only)


def _row_keys(frame: _Frame, level_own: bool) -> list[RowKey]:
    """The rows: the units just below the level (each with everything below it), and the level's own
    people when it has any (or when nothing is below it); the several top units when there is no level."""
    if frame.level is None:
        return [(u, False) for u in frame.tops]
    below = frame.children.get(frame.level.pk, [])
    keys = [(u, False) for u in below]
    if level_own or not below:
        keys.insert(0, (frame.level.pk, True))
    return keys


@dataclass
class _Read:
    rows: dict[RowKey, dict[int, Figures]]
    total: dict[int, Figures]
    own: Cells  # the units' own figures read, to suppress against


def _read(
    actor: Actor, reader: SummaryReader, frame: _Frame, keys: list[RowKey] | None = None
) -> tuple[list[RowKey], _Read]:
    """Each row's figures per competence, the total's, and the units' own figures (three queries)."""
    level = frame.level
    level_id = level.pk if level is not None else None
    tree_ids = {u for u in frame.tops if frame.has_below(u)} if level is None else set()
    if level is not None:
        tree_ids |= {u for u in frame.children.get(level.pk, []) if frame.has_below(u)}
        if frame.has_below(level.pk):
            tree_ids.add(level.pk)
    own_ids = {
        u
        for u in (frame.tops if level is None else frame.children.get(level.pk, []))
        if not frame.has_below(u)
    }
    if level_id is not None:
        own_ids.add(level_id)
    everyone = _reach(actor, frame, None)
    if not everyone <= actor.led_unit_ids:  # their own figures, to suppress against (`_suppressed`)
        own_ids |= everyone
    own, tree = reader.both(sorted(own_ids), sorted(tree_ids))
    if keys is None:
        keys = _row_keys(frame, level_own=level_id is not None and any(u == level_id for u, _c in own))
    # Each unit's cells, grouped once: thousands of cells, not walked again for every row.
    own_by_unit, tree_by_unit = _by_unit(own), _by_unit(tree)
    rows: dict[RowKey, dict[int, Figures]] = {}
    for unit_id, own_only in keys:
        cells = own_by_unit if own_only or not frame.has_below(unit_id) else tree_by_unit
        rows[(unit_id, own_only)] = dict(cells.get(unit_id, {}))
    return keys, _Read(rows=rows, total=_total(actor, reader, frame, own_by_unit, tree_by_unit), own=own)


def _total(
    actor: Actor,
    reader: SummaryReader,
    frame: _Frame,
    own_by_unit: dict[int, dict[int, Figures]],
    tree_by_unit: dict[int, dict[int, Figures]],
) -> dict[int, Figures]:
    """The level's figures per competence, from the cells read (`_by_unit`)."""
    level = frame.level
    if level is None:
        # Several top units (a leader of two departments): their people, each once, read live — bounded by
        # what the actor may see.
        return group_figures(
            reader.round, source=reader.source, proficient=reader.proficient, unit_ids=visible_units(actor)
        )
    cells = tree_by_unit if frame.has_below(level.pk) else own_by_unit
    return dict(cells.get(level.pk, {}))


def _read_total(actor: Actor, reader: SummaryReader, frame: _Frame) -> _Read:
    """Only what the total needs, for the round compared with: the level's figures and, for those who do
    not lead every unit in reach, the units' own figures to suppress against — not every row's (the same
    queries as `_read`)."""
    level = frame.level
    everyone = _reach(actor, frame, None)
    own_ids: set[int] = set() if everyone <= actor.led_unit_ids else set(everyone)
    tree_ids: set[int] = set()
    if level is not None:
        (tree_ids if frame.has_below(level.pk) else own_ids).add(level.pk)
    own, tree = reader.both(sorted(own_ids), sorted(tree_ids))
    return _Read(rows={}, total=_total(actor, reader, frame, _by_unit(own), _by_unit(tree)), own=own)


def _by_unit(cells: Cells) -> dict[int, dict[int, Figures]]:
    """{unit: {competence: figures}} of cells keyed by (unit, competence)."""
    grouped: dict[int, dict[int, Figures]] = defaultdict(dict)
    for (unit_id, competence_id), figures in cells.items():
        grouped[unit_id][competence_id] = figures
    return grouped


def _groups(columns: list[Column], by_area: bool, totals: dict[int, Figures]) -> list[Group]:
    if not by_area:
        return [
            Group(
                key=c.competence.pk,
                label=c.competence.name,
                competence_ids=(c.competence.pk,),
                is_area=False,
                critical=totals.get(c.competence.pk, Figures()).importance_rank == 0,
            )
            for c in columns
        ]
    in_area: dict[int, list[Column]] = defaultdict(list)
    areas: dict[int, Area] = {}
    for column in columns:
        in_area[column.area.pk].append(column)
        areas[column.area.pk] = column.area
    return [
        Group(
            key=area_id,
            label=areas[area_id].name,
            competence_ids=tuple(c.competence.pk for c in members),
            is_area=True,
            critical=any(totals.get(c.competence.pk, Figures()).importance_rank == 0 for c in members),
        )
        for area_id, members in in_area.items()
    ]


def group_sum(figures: dict[int, Figures], group: Group) -> Figures:
    """A group's figures: one competence's as they are; an area's as the sum of its competences whose
    figures are shown (suppressed ones add nothing), suppressed only when none is shown."""
    if not group.is_area:
        return figures.get(group.key, Figures())
    total = Figures()
    hidden = False
    for competence_id in group.competence_ids:
        cell = figures.get(competence_id)
        if cell is None:
            continue
        if cell.suppressed:
            hidden = True
            total.required = max(total.required, cell.required)
            total.importance_rank = min(total.importance_rank, cell.importance_rank)
            continue
        total.add(cell)
    if hidden and total.assessed == 0:
        total.suppressed = True
    return total


def _suppressed(
    actor: Actor, figures: dict[int, Figures], reach: set[int], own: Cells, threshold: int
) -> dict[int, Figures]:
    """Suppressed as the gap analysis does: under the threshold, and complementary against the units'
    own figures for those who do not lead every unit in `reach`."""
    shown = {cid: f.hidden(threshold) for cid, f in figures.items()}
    if reach <= actor.led_unit_ids:
        return shown
    for cid, f in shown.items():
        cells = [own[(u, cid)] for u in reach if (u, cid) in own]
        shown[cid] = complementary_hidden(f, cells, threshold)
    return shown


def _reach(actor: Actor, frame: _Frame, key: RowKey | None) -> set[int]:
    if key is None:
        return frame.reach(frame.level.pk) if frame.level is not None else set(visible_units(actor))
    unit_id, own_only = key
    return {unit_id} if own_only else frame.reach(unit_id)


def _units(actor: Actor, frame: _Frame, keys: list[RowKey]) -> dict[int, Unit]:
    """The rows' units and those on the way down to the level that the actor may see — one query."""
    wanted = {u for u, _own in keys}
    scope = set(visible_units(actor))
    current = frame.level.pk if frame.level is not None else None
    while current is not None and current in scope and len(wanted) < len(keys) + 50:
        wanted.add(current)
        current = frame.parents.get(current)
    return {u.pk: u for u in Unit.objects.filter(organisation=actor.organisation, pk__in=wanted)}


def gap_overview(
    actor: Actor,
    round: MappingRound,
    *,
    columns: list[Column],
    source: str = Source.AGREED,
    unit: Unit | None = None,
    area: Area | None = None,
    by_area: bool = True,
    compare: MappingRound | None = None,
) -> Overview:
    """The overview at `unit`'s level (None: the top of the actor's scope) against the competence areas
    (`by_area`) or the competences one by one. `columns` are the competences shown (the caller's filter:
    all, or the chosen `area`'s).

    A fixed number of queries at any size: the summary's signature, the stored figures of the rows and
    the total (two), the units; as many again for the round compared with.
    """
    actor.require(bool(visible_units(actor)))
    level, tops = overview_level(actor, unit)
    threshold = actor.organisation.privacy_threshold
    frame = _frame(actor, level, tops)
    reader = SummaryReader(round, Source(source).value)
    keys, now = _read(actor, reader, frame)
    shown_total = _suppressed(actor, now.total, _reach(actor, frame, None), now.own, threshold)
    previous: dict[int, Figures] = {}
    if compare is not None:
        before = _read_total(actor, SummaryReader(compare, Source(source).value), frame)
        previous = _suppressed(actor, before.total, _reach(actor, frame, None), before.own, threshold)
    groups = _groups(columns, by_area, shown_total)
    units = _units(actor, frame, keys)
    rows = []
    for key in keys:
        shown = _suppressed(actor, now.rows[key], _reach(actor, frame, key), now.own, threshold)
        rows.append(
            OverviewRow(
                unit=units[key[0]],
                own=key[1],
                below=not key[1] and frame.has_below(key[0]),
                cells=[group_sum(shown, g) for g in groups],
            )
        )
    rows.sort(key=lambda r: (not r.own, r.unit.name.lower(), r.unit.pk))
    gaps = [
        CompetenceGap(column=c, now=shown_total[c.competence.pk], before=previous.get(c.competence.pk))
        for c in columns
        if c.competence.pk in shown_total
    ]
    return Overview(
        round=round,
        source=source,
        threshold=threshold,
        level=level,
        path=_path(actor, frame, level, units),
        area=area,
        by_area=by_area,
        groups=groups,
        rows=rows,
        totals=[group_sum(shown_total, g) for g in groups],
        gaps=gaps,
        updating=reader.updating,
        built_at=reader.built_at,
        several_tops=len(top_units(actor)) > 1,
    )
