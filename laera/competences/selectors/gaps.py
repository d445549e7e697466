"""The gap analysis: required against current, by unit, for the organisation, and over time.

The figures come from the assessment rows of one round in a single grouped query per view, whatever
the size of the organisation (docs/product.md §4: a 20,000-person organisation in under a second). The
query is written by hand so that the database does one pass over the round's rows joined to the
memberships; everything above it (suppression of small groups, ordering, totals) is plain Python over
one row per unit and competence. The organisation's heatmap, which needs that query for every unit,
reads its result from a summary kept up to date as people answer (services/figures.py) when the
summary is current, and the live query when it is not: a read never writes.

Which value counts as the current level is selectable: the person's own rating, the leader's, or the
agreed value (the agreed level, else the leader's rating, else the person's own).

Group figures about fewer people than the organisation's threshold are suppressed here, once, so no page,
export or API built on these selectors can show them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower

from laera.core.permissions import descendants
from laera.organisations.models import Membership, Person, Unit
from laera.organisations.tenancy import Actor

from ..figures_sql import (
    ASSESSMENT,
    CELL_COLUMNS,
    MEMBERSHIP,
    TREE_FIGURES,
    UNIT_FIGURES,
    aggregates,
    figures_signature,
    figures_state,
    in_list,
    report_cursor,
    unit_tree_figures_query,
)
from ..figures_sql import Source as Source  # the pages, forms and exports name the choice of level here
from ..figures_sql import level_sql as level_sql
from ..figures_sql import unit_figures_query as unit_figures_query
from ..models import (
    IMPORTANCE_RANK,
    Area,
    Assessment,
    Catalogue,
    Competence,
    GapSignal,
    MappingRound,
    Qualification,
    RoundParticipant,
    ScaleLevel,
)
from ..policies import FiguresAction, figures_policy, group_unit_ids
from . import catalogues as catalogue_selectors

_RANK_IMPORTANCE = {rank: key for key, rank in IMPORTANCE_RANK.items()}


@dataclass
class Figures:
    """One group's figures for one competence. Counts are of people; `level_sum` over those assessed."""

    assessed: int = 0
    level_sum: int = 0
    required: int = 0  # the highest level required of anyone in the group
    below: int = 0  # people under the level required of them
    above: int = 0  # hidden competence: above what is required of them and at least proficient
    wants: int = 0  # people who want to learn it
    below_future: int = 0  # people under the level needed later
    importance_rank: int = 3
    suppressed: bool = False

    @property
    def average(self) -> float | None:
        return self.level_sum / self.assessed if self.assessed else None

    @property
    def share_below(self) -> float | None:
        return self.below / self.assessed if self.assessed else None

    @property
    def importance(self) -> str:
        return str(_RANK_IMPORTANCE.get(self.importance_rank, ""))

    def add(self, other: Figures, weight: int = 1) -> None:
        self.assessed += weight * other.assessed
        self.level_sum += weight * other.level_sum
        self.below += weight * other.below
        self.above += weight * other.above
        self.wants += weight * other.wants
        self.below_future += weight * other.below_future
        self.required = max(self.required, other.required)
        self.importance_rank = min(self.importance_rank, other.importance_rank)

    def hidden(self, threshold: int) -> Figures:
        """These figures, or an empty suppressed copy when fewer than `threshold` people are behind them."""
        if self.assessed >= threshold:
            return self
        return Figures(required=self.required, importance_rank=self.importance_rank, suppressed=True)


def _figures(row: Iterable[object]) -> Figures:
    assessed, level_sum, required, below, above, wants, below_future, rank = row
    return Figures(
        assessed=int(assessed or 0),  # type: ignore[call-overload]
        level_sum=int(level_sum or 0),  # type: ignore[call-overload]
        required=int(required or 0),  # type: ignore[call-overload]
        below=int(below or 0),  # type: ignore[call-overload]
        above=int(above or 0),  # type: ignore[call-overload]
        wants=int(wants or 0),  # type: ignore[call-overload]
        below_future=int(below_future or 0),  # type: ignore[call-overload]
        importance_rank=int(rank if rank is not None else 3),  # type: ignore[call-overload]
    )


def unit_figures(
    round: MappingRound, *, source: str, proficient: int, unit_ids: list[int] | None = None
) -> dict[tuple[int, int], Figures]:
    """{(unit id, competence id): Figures} over each unit's own members — one query over the round's
    assessment rows (the live figures; the heatmap reads the same from `stored_unit_figures`).

    `unit_ids` limits the units (None: all). A person in two units counts in both.
    """
    if unit_ids is not None and not unit_ids:
        return {}
    sql, params = unit_figures_query(round.pk, source=source, proficient=proficient, unit_ids=unit_ids)
    with report_cursor() as cursor:
        cursor.execute(sql, params)
        return {(row[0], row[1]): _figures(row[2:]) for row in cursor.fetchall()}


Cells = dict[tuple[int, int], Figures]  # (unit id, competence id): figures before suppression


def _stored_cells(table: str, round: MappingRound, source: str, unit_ids: list[int] | None) -> Cells:
    params: list[Any] = [round.pk, Source(source).value]
    where = ""
    if unit_ids is not None:
        if not unit_ids:
            return {}
        where = " AND " + in_list("unit_id", unit_ids, params)
    sql = f"""
        SELECT {CELL_COLUMNS} FROM {table}
        WHERE round_id = %s AND source = %s{where}"""  # noqa: S608 - only table names and %s placeholders are put in
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(row[0], row[1]): Figures(*row[2:]) for row in cursor.fetchall()}


def stored_unit_figures(round: MappingRound, *, source: str, unit_ids: list[int] | None = None) -> Cells:
    """`unit_figures` as kept in the round's summary (services/figures.py) — one query over a few
    hundred thousand narrow rows at most. The caller makes sure the summary is current first.
    """
    return _stored_cells(UNIT_FIGURES, round, source, unit_ids)


def shown_unit_figures(
    round: MappingRound, *, source: str, unit_ids: list[int] | None = None
) -> dict[tuple[int, int], Figures]:
    """Each unit's own figures as the heatmap shows them: from the round's summary when it is current (one
    query to tell), else from the live grouped query over the round's rows — the same numbers, slower. A
    read never builds the summary: the writing services do (`services.figures`). The secondary
    suppression compares with these same rows."""
    signature, proficient, stored = figures_signature(round, Source(source).value)
    if signature == stored:
        return stored_unit_figures(round, source=source, unit_ids=unit_ids)
    return unit_figures(round, source=source, proficient=proficient, unit_ids=unit_ids)


def stored_tree_figures(round: MappingRound, *, source: str, unit_ids: list[int]) -> Cells:
    """The stored figures of these units with everything below them (units with units below only)."""
    return _stored_cells(TREE_FIGURES, round, source, unit_ids)


def live_tree_figures(round: MappingRound, *, source: str, proficient: int, unit_ids: list[int]) -> Cells:
    """`stored_tree_figures` computed from the round's rows: for a round that has no summary yet."""
    if not unit_ids:
        return {}
    sql, params = unit_tree_figures_query(
        round.pk, round.organisation_id, source=source, proficient=proficient, unit_ids=unit_ids
    )
    with report_cursor() as cursor:
        cursor.execute(sql, params)
        return {(row[0], row[1]): _figures(row[2:]) for row in cursor.fetchall()}


@dataclass
class SummaryReader:
    """Reads a round's figures from its summary, or live when it has none; says whether it is stale."""

    round: MappingRound
    source: str
    stored: bool = False
    updating: bool = False
    proficient: int = 0
    built_at: datetime.datetime | None = None

    def __post_init__(self) -> None:
        # One query: what the figures depend on now, and what the stored ones were built for (None for a
        # round whose summary has never been built, or was dropped after rows were written in bulk).
        signature, self.proficient, built_for, built_at = figures_state(self.round, Source(self.source).value)
        self.stored = built_for is not None
        self.updating = self.stored and signature != built_for
        self.built_at = built_at if self.updating else None

    def both(self, own_ids: list[int], tree_ids: list[int]) -> tuple[Cells, Cells]:
        """The units' own figures and the figures with everything below — one query from the summary."""
        if not self.stored:
            # Both queries run even for no units (no unit has id 0), so the page's queries stay the same.
            return self.own(own_ids or [0]), self.tree(tree_ids or [0])
        params: list[Any] = []
        own_where = in_list("unit_id", own_ids, params) if own_ids else "1 = 0"
        params += [self.round.pk, Source(self.source).value]
        tree_where = in_list("unit_id", tree_ids, params) if tree_ids else "1 = 0"
        params += [self.round.pk, Source(self.source).value]
        sql = f"""
            SELECT 0, {CELL_COLUMNS} FROM {UNIT_FIGURES}
            WHERE {own_where} AND round_id = %s AND source = %s
            UNION ALL
            SELECT 1, {CELL_COLUMNS} FROM {TREE_FIGURES}
            WHERE {tree_where} AND round_id = %s AND source = %s"""  # noqa: S608 - only table names and %s placeholders are put in
        found: tuple[Cells, Cells] = ({}, {})
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                found[row[0]][(row[1], row[2])] = Figures(*row[3:])
        return found

    def own(self, unit_ids: list[int]) -> Cells:
        if not unit_ids:
            return {}
        if self.stored:
            return stored_unit_figures(self.round, source=self.source, unit_ids=unit_ids)
        return unit_figures(self.round, source=self.source, proficient=self.proficient, unit_ids=unit_ids)

    def tree(self, unit_ids: list[int]) -> Cells:
        if self.stored:
            return stored_tree_figures(self.round, source=self.source, unit_ids=unit_ids)
        return live_tree_figures(
            self.round, source=self.source, proficient=self.proficient, unit_ids=unit_ids
        )


def _overlap_figures(
    round: MappingRound, *, source: str, proficient: int, unit_ids: list[int] | None
) -> dict[int, Figures]:
    """For people counted in more than one of the units, their figures weighted by the extra times they
    were counted, per competence — so that summing units and subtracting this counts everyone once.

    The people in several units are found first (a small query on the memberships), so that only their
    rows of the round are read: one more query per distinct number of units, usually one, none at all
    when nobody is in two units.
    """
    members = Membership.objects.all()
    if unit_ids is not None:
        members = members.filter(unit_id__in=unit_ids)
    else:
        members = members.filter(organisation_id=round.organisation_id)
    counted = (
        members.values("person_id")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values_list("person_id", "n")
    )
    by_times: dict[int, list[int]] = defaultdict(list)
    for person_id, times in counted:
        by_times[times].append(person_id)
    overlap: dict[int, Figures] = defaultdict(Figures)
    for times, person_ids in by_times.items():
        for competence_id, figures in _people_figures(
            round, source=source, proficient=proficient, people=person_ids
        ):
            overlap[competence_id].add(figures, weight=times - 1)
    return dict(overlap)


_CHUNK = 500  # ids per IN list where the database has no arrays (SQLite's limit on parameters)


def _people_figures(
    round: MappingRound, *, source: str, proficient: int, people: list[int]
) -> Iterator[tuple[int, Figures]]:
    """(competence id, Figures) over the rows of these people in the round, through the round's index."""
    level = level_sql(source)
    if connection.vendor == "postgresql":
        chunks = [("a.person_id = ANY(%s)", [people])]
    else:
        chunks = []
        for start in range(0, len(people), _CHUNK):
            params: list[Any] = []
            chunks.append((in_list("a.person_id", people[start : start + _CHUNK], params), params))
    for condition, ids in chunks:
        sql = f"""
            SELECT a.competence_id, {aggregates(level)}
            FROM {ASSESSMENT} a
            WHERE a.round_id = %s AND {condition}
            GROUP BY a.competence_id"""  # noqa: S608 - only table names and %s placeholders are put in
        with connection.cursor() as cursor:
            cursor.execute(sql, [proficient, round.pk, *ids])
            for row in cursor.fetchall():
                yield row[0], _figures(row[1:])


def group_figures(
    round: MappingRound, *, source: str, proficient: int, unit_ids: list[int]
) -> dict[int, Figures]:
    """{competence id: Figures} over the distinct people of these units — one query (two on PostgreSQL).

    On PostgreSQL the people are looked up first and passed as one array, so that the planner knows how
    few they are and reads only their rows through the round's index, rather than the whole round.
    """
    if not unit_ids:
        return {}
    level = level_sql(source)
    params: list[Any] = [proficient, round.pk]
    if connection.vendor == "postgresql":
        people = sorted(
            set(Membership.objects.filter(unit_id__in=unit_ids).values_list("person_id", flat=True))
        )
        if not people:
            return {}
        params.append(people)
        members = "a.person_id = ANY(%s)"
    else:
        units = in_list("unit_id", unit_ids, params)
        members = f"a.person_id IN (SELECT person_id FROM {MEMBERSHIP} WHERE {units})"  # noqa: S608
    sql = f"""
        SELECT a.competence_id, {aggregates(level)}
        FROM {ASSESSMENT} a
        WHERE a.round_id = %s AND {members}
        GROUP BY a.competence_id"""  # noqa: S608 - only table names and %s placeholders are put in
    with report_cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: _figures(row[1:]) for row in cursor.fetchall()}


@dataclass
class Column:
    competence: Competence
    area: Area


@dataclass
class HeatmapRow:
    unit: Unit
    cells: list[Figures]


@dataclass
class UnitHeatmap:
    """Units × competences for one round, with a total row counting every person once."""

    round: MappingRound
    source: str
    threshold: int
    proficient: int
    columns: list[Column]
    rows: list[HeatmapRow]
    totals: list[Figures]
    suppressed_cells: int = 0


def catalogue_columns(catalogue_id: int) -> list[Column]:
    """The catalogue's competences in area order, with their areas — one query."""
    competences = Competence.objects.filter(catalogue_id=catalogue_id).select_related("area")
    ordered = sorted(competences, key=lambda c: (c.area.position, c.area_id, c.position, c.pk))
    return [Column(competence=c, area=c.area) for c in ordered]


def visible_units(actor: Actor, unit_ids: Iterable[int] | None = None) -> list[int]:
    """The units whose group figures the actor may see, limited to `unit_ids` when given."""
    allowed = group_unit_ids(actor)
    if unit_ids is not None:
        allowed &= set(unit_ids)
    return sorted(allowed)


def heatmap_by_units(
    actor: Actor,
    round: MappingRound,
    *,
    source: str = Source.AGREED,
    unit_ids: Iterable[int] | None = None,
    columns: list[Column] | None = None,
) -> UnitHeatmap:
    """The organisation-level heatmap: every unit the actor may see × every competence of the round.

    A unit's row holds its own members; the total counts each person once however many units they are
    in. Cells about fewer people than the threshold are suppressed. The same few queries at any size: the
    check that the round's unit figures are current, the unit figures, the people in several units and
    their rows, the units and the competences (and, on the first view after a change of memberships,
    requirements or proficient step, the rebuild of the unit figures).
    """
    scope = visible_units(actor, unit_ids)
    actor.require(bool(scope))
    catalogue = round.catalogue
    proficient = catalogue.proficient_level
    threshold = actor.organisation.privacy_threshold
    whole = actor.is_admin and unit_ids is None
    filter_ids = None if whole else scope
    raw = shown_unit_figures(round, source=source, unit_ids=filter_ids)
    overlap = _overlap_figures(round, source=source, proficient=proficient, unit_ids=filter_ids)
    columns = columns if columns is not None else catalogue_columns(catalogue.pk)
    units = {u.pk: u for u in Unit.objects.filter(organisation=actor.organisation, pk__in=scope)}
    totals_raw: dict[int, Figures] = defaultdict(Figures)
    for (_unit_id, competence_id), figures in raw.items():
        totals_raw[competence_id].add(figures)
    for competence_id, figures in overlap.items():
        totals_raw[competence_id].add(figures, weight=-1)
    rows: list[HeatmapRow] = []
    suppressed = 0
    empty = Figures()
    for unit in sorted(units.values(), key=lambda u: _unit_sort_key(actor, u)):
        cells = []
        for column in columns:
            figures = raw.get((unit.pk, column.competence.pk), empty).hidden(threshold)
            suppressed += figures.suppressed
            cells.append(figures)
        rows.append(HeatmapRow(unit=unit, cells=cells))
    totals = [totals_raw.get(c.competence.pk, empty).hidden(threshold) for c in columns]
    if not set(scope) <= actor.led_unit_ids:
        totals = _suppress_residuals(totals, columns, raw, list(units), threshold)
    return UnitHeatmap(
        round=round,
        source=source,
        threshold=threshold,
        proficient=proficient,
        columns=columns,
        rows=rows,
        totals=totals,
        suppressed_cells=suppressed,
    )


def _suppress_residuals(
    totals: list[Figures],
    columns: list[Column],
    raw: dict[tuple[int, int], Figures],
    unit_ids: list[int],
    threshold: int,
) -> list[Figures]:
    """Secondary suppression for those who may not see the individual values behind the figures: a total
    that, less the unit rows shown, would leave the figures of fewer people than the threshold (the
    suppressed units) is suppressed as well, so a small group cannot be worked out by subtraction."""
    return [
        _residual_hidden(total, column.competence.pk, raw, unit_ids, threshold)
        for column, total in zip(columns, totals, strict=True)
    ]


def _residual_hidden(
    total: Figures,
    competence_id: int,
    raw: dict[tuple[int, int], Figures],
    unit_ids: Iterable[int],
    threshold: int,
) -> Figures:
    """`total`, or an empty suppressed copy when it would make a hidden unit cell computable: see
    `complementary_hidden`. `raw` holds each unit's own members' figures (before suppression)."""
    cells = [raw[(unit_id, competence_id)] for unit_id in unit_ids if (unit_id, competence_id) in raw]
    return complementary_hidden(total, cells, threshold)


def complementary_hidden(total: Figures, cells: Iterable[Figures], threshold: int) -> Figures:
    """Complementary suppression of a total over unit cells (one column of the heatmap, or a unit's
    report over the units below it), for readers who may not see every individual value behind it.

    `cells` are the groups' figures before suppression; those under the threshold are hidden on the page.
    The total is hidden too when

    * exactly one of the cells with anybody in it is hidden — the total less the cells shown would be
      that group's figures (people counted in several units may make the subtraction inexact, but not
      safe), or
    * the total less the cells shown leaves between 1 and threshold − 1 people (several small groups
      together, still too few to show).

    A total that is already hidden stays hidden.
    """
    if total.suppressed:
        return total
    shown = 0
    hidden_groups = 0
    for figures in cells:
        if figures.assessed >= threshold:
            shown += figures.assessed
        elif figures.assessed > 0:
            hidden_groups += 1
    if hidden_groups == 1 or 0 < total.assessed - shown < threshold:
        return Figures(required=total.required, importance_rank=total.importance_rank, suppressed=True)
    return total


def _unit_sort_key(actor: Actor, unit: Unit) -> tuple[int, str]:
    depth = 0
    parents = actor.parent_map()
    current = parents.get(unit.pk)
    while current is not None and depth < 50:
        depth += 1
        current = parents.get(current)
    return depth, unit.name.lower()


@dataclass
class CompetenceGap:
    """One competence in a unit's gap report, with the previous round's figures when there is one."""

    column: Column
    now: Figures
    before: Figures | None = None

    @property
    def change_in_average(self) -> float | None:
        if self.before is None or self.now.average is None or self.before.average is None:
            return None
        return self.now.average - self.before.average

    @property
    def change_in_below(self) -> int | None:
        if self.before is None or self.now.suppressed or self.before.suppressed:
            return None
        return self.now.below - self.before.below


def previous_round(round: MappingRound) -> MappingRound | None:
    """The round of the same catalogue that opened before this one, if any."""
    return (
        MappingRound.objects.filter(organisation_id=round.organisation_id, catalogue_id=round.catalogue_id)
        .filter(models.Q(opens_on__lt=round.opens_on) | models.Q(opens_on=round.opens_on, pk__lt=round.pk))
        .order_by("-opens_on", "-pk")
        .first()
    )


def top_units(actor: Actor) -> list[int]:
    """The highest units whose group figures the actor may see: those whose parent they may not see."""
    scope = set(visible_units(actor))
    parents = actor.parent_map()
    return sorted(u for u in scope if parents.get(u) not in scope)


def reach_figures(actor: Actor, reader: SummaryReader, unit: Unit) -> dict[int, Figures]:
    """{competence id: Figures} of the unit and every unit below it, each person once, before
    suppression: the stored figures with everything below (or the unit's own, when nothing is below it)."""
    below = any(parent == unit.pk for parent in actor.parent_map().values())
    cells = reader.tree([unit.pk]) if below else reader.own([unit.pk])
    return {competence_id: figures for (_unit, competence_id), figures in cells.items()}


def unit_reach(actor: Actor, unit: Unit) -> list[int]:
    """The unit and every unit below it."""
    return sorted(descendants(actor.parent_map(), {unit.pk}))


def unit_gap_report(
    actor: Actor,
    unit: Unit,
    round: MappingRound,
    *,
    source: str = Source.AGREED,
    compare: MappingRound | None = None,
    columns: list[Column] | None = None,
) -> list[CompetenceGap]:
    """Every competence of the round (or of `columns`, the round catalogue's read already) for the people
    of `unit` and the units below it: required against current, people below, hidden competence, future
    needs and the change since `compare`.

    Critical gaps first, then by how many people are below the requirement. From the round's summary
    (`reach_figures`): the same few queries at any size (a few more with a round to compare with).
    """
    figures_policy.require(actor, FiguresAction.VIEW, unit)
    reach = unit_reach(actor, unit)
    threshold = actor.organisation.privacy_threshold
    reader = SummaryReader(round, Source(source).value)
    now = reach_figures(actor, reader, unit)
    earlier = SummaryReader(compare, Source(source).value) if compare is not None else None
    before = reach_figures(actor, earlier, unit) if earlier is not None else {}
    if columns is None:
        columns = catalogue_columns(round.catalogue_id)
    columns = [c for c in columns if c.competence.pk in now]
    shown_now = [now[c.competence.pk].hidden(threshold) for c in columns]
    empty = Figures()
    shown_before = [before.get(c.competence.pk, empty).hidden(threshold) for c in columns]
    if not actor.leads(unit.pk):
        # The overview shows each unit's own members; without secondary suppression, this report less the
        # rows of the units below would give away the figures of a unit too small to show.
        shown_now = _suppress_residuals(shown_now, columns, reader.own(reach), reach, threshold)
        if earlier is not None:
            shown_before = _suppress_residuals(shown_before, columns, earlier.own(reach), reach, threshold)
    gaps = [
        CompetenceGap(
            column=column,
            now=figures,
            before=previous if column.competence.pk in before else None,
        )
        for column, figures, previous in zip(columns, shown_now, shown_before, strict=True)
    ]
    gaps.sort(key=gap_order)
    return gaps


def gap_order(gap: CompetenceGap) -> tuple[int, int, float, int, int]:
    """Gaps before the rest, critical ones first, then the largest share of people below the requirement.

    Suppressed figures sort by importance alone, so a small group's gap is neither shown nor hinted at by
    where it stands.
    """
    figures = gap.now
    has_gap = figures.below > 0
    return (
        0 if has_gap else 1,
        figures.importance_rank,
        -(figures.share_below or 0.0),
        gap.column.area.position,
        gap.column.competence.position,
    )


# The organisation level ------------------------------------------------------------------------------


def organisation_gaps(heatmap: UnitHeatmap, before: dict[int, Figures] | None = None) -> list[CompetenceGap]:
    """The heatmap's totals as a gap list, critical gaps first, with the figures of the round compared
    with when given (already suppressed by `organisation_figures`). No query."""
    gaps = []
    for column, figures in zip(heatmap.columns, heatmap.totals, strict=True):
        if figures.assessed == 0 and not figures.suppressed:
            continue
        previous = before.get(column.competence.pk) if before is not None else None
        gaps.append(CompetenceGap(column=column, now=figures, before=previous))
    gaps.sort(key=gap_order)
    return gaps


def organisation_figures(
    actor: Actor, round: MappingRound, *, source: str = Source.AGREED, unit_ids: Iterable[int] | None = None
) -> dict[int, Figures]:
    """{competence id: Figures} over the distinct people of every unit the actor may see — one query (two
    for those who do not lead every unit they see).

    The same people as the heatmap's totals; used for the round compared with. Suppressed below the
    threshold, and as the heatmap's totals are for those who do not lead every unit: the change since
    this round would otherwise give this round's total, and that less this round's unit rows a small
    group's figures.
    """
    scope = visible_units(actor, unit_ids)
    actor.require(bool(scope))
    threshold = actor.organisation.privacy_threshold
    proficient = round.catalogue.proficient_level
    raw = group_figures(round, source=source, proficient=proficient, unit_ids=scope)
    shown = {cid: figures.hidden(threshold) for cid, figures in raw.items()}
    if not set(scope) <= actor.led_unit_ids:
        rows = shown_unit_figures(round, source=source, unit_ids=scope)
        shown = {
            cid: _residual_hidden(figures, cid, rows, scope, threshold) for cid, figures in shown.items()
        }
    return shown


# Gaps sent on to the input round ---------------------------------------------------------------------


def gap_signals(actor: Actor) -> QuerySet[GapSignal]:
    """The gaps sent on that the actor may see: all for admins, else those of the units they have group
    rights over and those they sent for no unit."""
    signals = GapSignal.objects.filter(organisation=actor.organisation).select_related(
        "competence", "competence__area", "unit", "round", "sent_by"
    )
    if not actor.is_admin:
        signals = signals.filter(
            models.Q(unit_id__in=group_unit_ids(actor)) | models.Q(unit__isnull=True, sent_by=actor.person)
        )
    return signals


def competences_sent(actor: Actor, round: MappingRound, unit: Unit) -> set[int]:
    """The competences whose gap in this unit and round waits for the input round — one query."""
    return set(
        GapSignal.objects.filter(
            organisation=actor.organisation, round=round, unit=unit, input_round_id__isnull=True
        ).values_list("competence_id", flat=True)
    )


# Hidden competence with names ------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Someone above what is required of them in a competence: a person who could teach others."""

    person_id: int
    name: str
    level: int
    required: int
    out_of: int = 1  # how many people in all are candidates in this competence (the list may be capped)


def mobilise_candidates(
    actor: Actor,
    round: MappingRound,
    *,
    source: str = Source.AGREED,
    unit_ids: Iterable[int] | None = None,
    competence_ids: Iterable[int] | None = None,
    per_competence: int = 8,
) -> dict[int, list[Candidate]]:
    """{competence id: people above their requirement and at least proficient}, best first, at most
    `per_competence` each, among the people the actor leads (in `unit_ids` and below, when given) — one
    query whatever the size, the cap applied by the database; each carries how many there are in all.

    These are individual levels: only people whose assessments the actor may read (the leaders of their
    units, admins) are named, whether or not the group's figures are shown.

    Coordinators get nothing here: they see the counts (Figures.above), never the names. `competence_ids`
    limits the competences (the overview names the people of one competence at a time).
    """
    led = set(actor.led_unit_ids)
    if not led:
        return {}
    if unit_ids is not None:
        led &= descendants(actor.parent_map(), set(unit_ids))
        if not led:
            return {}
    level = level_sql(source)
    params: list[Any] = [round.pk, round.catalogue.proficient_level]
    scope = ""
    if not (actor.is_admin and unit_ids is None):
        members = in_list("unit_id", sorted(led), params)
        scope = f" AND a.person_id IN (SELECT person_id FROM {MEMBERSHIP} WHERE {members})"  # noqa: S608
    if competence_ids is not None:
        wanted = sorted(set(competence_ids))
        if not wanted:
            return {}
        scope += " AND " + in_list("a.competence_id", wanted, params)
    params.append(per_competence)
    person = Person._meta.db_table
    sql = f"""
        SELECT competence_id, person_id, full_name, level, required, out_of FROM (
            SELECT a.competence_id, a.person_id, p.full_name, {level} AS level, a.required_level AS required,
                ROW_NUMBER() OVER (
                    PARTITION BY a.competence_id ORDER BY {level} - a.required_level DESC, p.full_name, p.id
                ) AS n,
                COUNT(*) OVER (PARTITION BY a.competence_id) AS out_of
            FROM {ASSESSMENT} a JOIN {person} p ON p.id = a.person_id
            WHERE a.round_id = %s AND {level} > a.required_level AND {level} >= %s{scope}
        ) ranked
        WHERE n <= %s
        ORDER BY competence_id, n"""  # noqa: S608 - only table names and %s placeholders are put in
    found: dict[int, list[Candidate]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for competence_id, person_id, name, value, required, out_of in cursor.fetchall():
            found[competence_id].append(
                Candidate(
                    person_id=person_id,
                    name=name,
                    level=int(value),
                    required=int(required),
                    out_of=int(out_of),
                )
            )
    return dict(found)


# People × competences for one unit --------------------------------------------------------------------


@dataclass(frozen=True)
class PersonCell:
    """One person's assessment of one competence in a round: both ratings side by side."""

    self_level: int | None = None
    leader_level: int | None = None
    agreed_level: int | None = None
    required: int = 0
    future: int | None = None
    wants: bool = False
    assessed: bool = False

    def level(self, source: str) -> int | None:
        if source == Source.SELF:
            return self.self_level
        if source == Source.LEADER:
            return self.leader_level
        for value in (self.agreed_level, self.leader_level, self.self_level):
            if value is not None:
                return value
        return None


@dataclass
class PersonRow:
    person_id: int
    name: str
    cells: list[PersonCell]


@dataclass
class PeopleHeatmap:
    """The people of a unit (and the units below it) × the competences of a round: individual values,
    for the unit's leaders and admins only, a page of people at a time; `total_people` says how many
    there are."""

    round: MappingRound
    source: str
    proficient: int
    columns: list[Column]
    rows: list[PersonRow]
    total_people: int
    direct_only: bool = False  # the unit has units below it: only its own members, the others a level down
    page: int = 1  # the page of people shown, of `pages`, starting with person number `first`
    pages: int = 1
    first: int = 1

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


def people_heatmap(
    actor: Actor,
    unit: Unit,
    round: MappingRound,
    *,
    source: str = Source.AGREED,
    columns: list[Column] | None = None,
    limit: int = 25,
    page: int = 1,
) -> PeopleHeatmap:
    """Four queries at any size: the unit's members, one page of `limit` of them by name, how many there
    are, and their assessment rows.

    A unit with units below it shows its own members only: its people are a level down, team by team,
    where a person can be read among their colleagues (an office of thousands is not a list of names)."""
    figures_policy.require(actor, FiguresAction.VIEW_PEOPLE, unit)
    direct_only = any(parent == unit.pk for parent in actor.parent_map().values())
    reach = [unit.pk] if direct_only else unit_reach(actor, unit)
    # The members first (a team, or an office's own staff), so that the database looks up only their
    # rows of the round through its index instead of weighing the whole round against them.
    members = sorted(set(Membership.objects.filter(unit_id__in=reach).values_list("person_id", flat=True)))
    people_qs = Person.objects.filter(organisation=actor.organisation, pk__in=members).filter(
        Exists(Assessment.objects.filter(round=round, person_id=OuterRef("pk")))
    )
    total = people_qs.count()
    pages = max(1, -(-total // limit))
    page = min(max(1, page), pages)
    start = (page - 1) * limit
    people = list(people_qs.order_by("full_name", "pk").values_list("pk", "full_name")[start : start + limit])
    columns = columns if columns is not None else catalogue_columns(round.catalogue_id)
    wanted = {c.competence.pk for c in columns}
    cells: dict[tuple[int, int], PersonCell] = {}
    rows_qs = Assessment.objects.filter(
        round=round, person_id__in=[pid for pid, _name in people]
    ).values_list(
        "person_id",
        "competence_id",
        "self_level",
        "leader_level",
        "agreed_level",
        "required_level",
        "future_level",
        "wants_to_learn",
    )
    for pid, cid, own, leader, agreed, required, future, wants in rows_qs:
        if cid in wanted:
            cells[(pid, cid)] = PersonCell(
                self_level=own,
                leader_level=leader,
                agreed_level=agreed,
                required=required,
                future=future,
                wants=wants,
                assessed=True,
            )
    empty = PersonCell()
    rows = [
        PersonRow(person_id=pid, name=name, cells=[cells.get((pid, c.competence.pk), empty) for c in columns])
        for pid, name in people
    ]
    return PeopleHeatmap(
        round=round,
        source=source,
        proficient=round.catalogue.proficient_level,
        columns=columns,
        rows=rows,
        total_people=total,
        direct_only=direct_only,
        page=page,
        pages=pages,
        first=start + 1,
    )


# One person's profile ---------------------------------------------------------------------------------


@dataclass
class ProfileEntry:
    """One competence in one round for one person."""

    competence: Competence
    area: Area
    assessment: Assessment | None
    change: int | None = None  # current level against the round before, when both have one

    @property
    def current(self) -> int | None:
        return self.assessment.current_level if self.assessment is not None else None

    @property
    def below(self) -> bool:
        a = self.assessment
        return (
            a is not None
            and a.required_level > 0
            and self.current is not None
            and self.current < a.required_level
        )


@dataclass
class ProfileArea:
    """An area of the round shown, for choosing one at a time: how many of its competences the person
    answered, and how many of them are below the requirement."""

    area: Area
    count: int
    below: int
    current: bool = False


@dataclass
class ProfileRound:
    round: MappingRound
    entries: list[ProfileEntry]  # only for the round shown; of one area when `areas` are offered
    submitted_at: object = None
    leader_done_at: object = None
    answered: bool = False  # whether the person has answers in it
    shown: bool = False  # the one round of the catalogue whose answers the page shows
    areas: list[ProfileArea] = field(default_factory=list)  # beyond a screenful, one area at a time


def _one_area(
    entries: list[ProfileEntry], area_id: int | None
) -> tuple[list[ProfileEntry], list[ProfileArea]]:
    """Beyond `COMPETENCES_AT_ONCE` answers, those of one area — the one asked for, else the first (in the
    catalogue's order) with a competence below the requirement, else the first — and every area to choose
    from; otherwise all of them and no areas."""
    if len(entries) <= catalogue_selectors.COMPETENCES_AT_ONCE:
        return entries, []
    areas: dict[int, ProfileArea] = {}
    for entry in sorted(entries, key=lambda e: (e.area.position, e.area.pk)):
        found = areas.setdefault(entry.area.pk, ProfileArea(area=entry.area, count=0, below=0))
        found.count += 1
        found.below += entry.below
    chosen = areas.get(area_id) if area_id is not None else None
    if chosen is None:
        chosen = next((a for a in areas.values() if a.below), next(iter(areas.values())))
    chosen.current = True
    return [e for e in entries if e.area.pk == chosen.area.pk], list(areas.values())


@dataclass
class ProfileCatalogue:
    catalogue: Catalogue
    rounds: list[ProfileRound]  # newest first
    labels: dict[int, str]


@dataclass
class PersonProfile:
    person: Person
    catalogues: list[ProfileCatalogue]
    qualifications: list[Qualification]


def person_profile(
    actor: Actor, person: Person, *, shown_round: int | None = None, area_id: int | None = None
) -> PersonProfile:
    """Every round the person took part in, per catalogue, and the answers of one round per catalogue —
    `shown_round` if it is one of the catalogue's rounds with answers, else the newest with answers — with
    both ratings, the agreed level and the requirement per competence and the change since the round
    before (of one area at a time, `area_id` or the first with a gap, beyond a screenful); and their
    qualifications.

    The caller has checked access (`access_person_assessments`). Five queries at any size; each round and
    competence is read once, not once per answer.
    """
    took_part = RoundParticipant.objects.filter(round=OuterRef("pk"), person=person)
    answered = Assessment.objects.filter(round=OuterRef("pk"), person=person)
    rounds: dict[int, MappingRound] = {
        r.pk: r
        for r in MappingRound.objects.filter(organisation=actor.organisation)
        .filter(Exists(took_part) | Exists(answered))
        .annotate(
            person_submitted_at=models.Subquery(took_part.values("submitted_at")[:1]),
            person_leader_done_at=models.Subquery(took_part.values("leader_done_at")[:1]),
        )
        .select_related("catalogue")
    }
    rows = Assessment.objects.filter(person=person, organisation=actor.organisation).select_related("leader")
    by_round: dict[int, dict[int, Assessment]] = defaultdict(dict)
    for row in rows:
        by_round[row.round_id][row.competence_id] = row
    catalogue_ids = {r.catalogue_id for r in rounds.values()}
    columns_by_catalogue: dict[int, list[Column]] = defaultdict(list)
    competences = Competence.objects.filter(catalogue_id__in=catalogue_ids).select_related("area")
    for c in sorted(competences, key=lambda c: (c.area.position, c.area_id, c.position, c.pk)):
        columns_by_catalogue[c.catalogue_id].append(Column(competence=c, area=c.area))
    labels: dict[int, dict[int, str]] = defaultdict(dict)
    for level in ScaleLevel.objects.filter(catalogue_id__in=catalogue_ids):
        labels[level.catalogue_id][level.value] = level.label
    ordered = sorted(rounds.values(), key=lambda r: (r.opens_on, r.pk))
    shown: dict[int, int] = {}  # catalogue: the round whose answers are shown
    for round in ordered:  # oldest first: the newest with answers stays
        if round.pk in by_round:
            shown[round.catalogue_id] = round.pk
    asked = rounds.get(shown_round) if shown_round is not None else None
    if asked is not None and asked.pk in by_round:
        shown[asked.catalogue_id] = asked.pk
    catalogues: dict[int, ProfileCatalogue] = {}
    previous: dict[int, dict[int, Assessment]] = {}
    for round in ordered:
        answers = by_round.get(round.pk, {})
        before = previous.get(round.catalogue_id, {})
        entries = []
        is_shown = shown.get(round.catalogue_id) == round.pk
        for column in columns_by_catalogue.get(round.catalogue_id, []) if is_shown else []:
            row = answers.get(column.competence.pk)
            if row is None:
                continue
            change = None
            old = before.get(column.competence.pk)
            if old is not None and old.current_level is not None and row.current_level is not None:
                change = row.current_level - old.current_level
            entries.append(
                ProfileEntry(competence=column.competence, area=column.area, assessment=row, change=change)
            )
        entries.sort(
            key=lambda e: (
                IMPORTANCE_RANK.get(e.assessment.importance if e.assessment else "", 3),
                not e.below,
            )
        )
        areas: list[ProfileArea] = []
        if is_shown:
            entries, areas = _one_area(entries, area_id)
        if answers:
            previous[round.catalogue_id] = answers
        block = catalogues.setdefault(
            round.catalogue_id,
            ProfileCatalogue(catalogue=round.catalogue, rounds=[], labels=labels.get(round.catalogue_id, {})),
        )
        block.rounds.insert(
            0,
            ProfileRound(
                round=round,
                entries=entries,
                submitted_at=getattr(round, "person_submitted_at", None),
                leader_done_at=getattr(round, "person_leader_done_at", None),
                answered=bool(answers),
                shown=is_shown,
                areas=areas,
            ),
        )
    qualifications = list(
        Qualification.objects.filter(person=person, organisation=actor.organisation).select_related(
            "competence"
        )
    )
    return PersonProfile(
        person=person,
        catalogues=sorted(catalogues.values(), key=lambda c: (c.catalogue.name.lower(), c.catalogue.pk)),
        qualifications=qualifications,
    )


# Choosing a round -----------------------------------------------------------------------------------


def rounds_with_figures(actor: Actor) -> list[MappingRound]:
    """Rounds of the organisation that have assessments of people in the units the actor may see,
    the first catalogue (by name) first and the latest round first within a catalogue — one query."""
    units = visible_units(actor)
    if not units:
        return []
    answers = Assessment.objects.filter(round=models.OuterRef("pk"))
    if not actor.is_admin:
        answers = answers.filter(
            person_id__in=Membership.objects.filter(unit_id__in=units).values("person_id")
        )
    return list(
        MappingRound.objects.filter(organisation=actor.organisation)
        .filter(models.Exists(answers))
        .select_related("catalogue")
        .order_by(Lower("catalogue__name"), "catalogue_id", "-opens_on", "-pk")
    )


def gap_figures(
    actor: Actor,
    round: MappingRound,
    competence: Competence,
    *,
    unit: Unit | None = None,
    source: str = Source.AGREED,
) -> Figures:
    """One competence's figures in a round, for a unit (and the units below it) or for every unit the
    actor may see — suppressed below the threshold, as on the pages: for those who do not lead the unit
    (or every unit they see) also when the figures less the unit rows of the heatmap would leave a group
    too small to show. One query (two with that check)."""
    if unit is not None:
        figures_policy.require(actor, FiguresAction.VIEW, unit)
        scope = unit_reach(actor, unit)
        secondary = not actor.leads(unit.pk)
    else:
        scope = visible_units(actor)
        actor.require(bool(scope))
        secondary = not set(scope) <= actor.led_unit_ids
    threshold = actor.organisation.privacy_threshold
    reader = SummaryReader(round, Source(source).value)
    tops = top_units(actor)
    if unit is None and len(tops) > 1:
        # Several separate parts of the tree: their people, each once, bounded by what the actor may see.
        raw = group_figures(round, source=source, proficient=reader.proficient, unit_ids=scope)
    else:
        top = unit if unit is not None else Unit.objects.get(pk=tops[0])
        raw = reach_figures(actor, reader, top)
    figures = raw.get(competence.pk, Figures()).hidden(threshold)
    if secondary:
        figures = _residual_hidden(figures, competence.pk, reader.own(scope), scope, threshold)
    return figures
