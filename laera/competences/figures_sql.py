"""The SQL of the gap analysis that the selectors (which read figures) and the figures service (which keeps
the organisation's summary of them) share: the grouped query over a round's assessment rows, how the
current level is chosen, the cursor for large grouped queries, and the signature that tells whether the
stored summary is current.

It sits below both, so that neither imports the other's private parts: the selectors read with it, the
service writes with it. It only reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laera.organisations.models import Membership, Unit

from .models import (
    Assessment,
    Catalogue,
    MappingRound,
    RoundFiguresState,
    RoundParticipant,
    RoundProgressState,
    UnitFigures,
    UnitTreeFigures,
)

ASSESSMENT = Assessment._meta.db_table
MEMBERSHIP = Membership._meta.db_table
UNIT = Unit._meta.db_table
UNIT_FIGURES = UnitFigures._meta.db_table
TREE_FIGURES = UnitTreeFigures._meta.db_table
# The columns of a stored cell (`UnitFigures`, `UnitTreeFigures`): the unit, the competence, then
# `selectors.gaps.Figures`' fields in their order — the order of every grouped query's columns too.
CELL_COLUMNS = ", ".join(
    ["unit_id", "competence_id", "assessed", "level_sum", "required", "below", "above", "wants"]
    + ["below_future", "importance_rank"]
)
ROUND = MappingRound._meta.db_table
CATALOGUE = Catalogue._meta.db_table
STATE = RoundFiguresState._meta.db_table
PARTICIPANT = RoundParticipant._meta.db_table
PROGRESS_STATE = RoundProgressState._meta.db_table


class Source(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    LEADER = "leader", _("Leader's rating")
    SELF = "self", _("Own rating")


_LEVEL_SQL = {
    Source.SELF: "a.self_level",
    Source.LEADER: "a.leader_level",
    Source.AGREED: "COALESCE(a.agreed_level, a.leader_level, a.self_level)",
}
_RANK_SQL = (
    "MIN(CASE a.importance WHEN 'critical' THEN 0 WHEN 'important' THEN 1 WHEN 'useful' THEN 2 ELSE 3 END)"
)


def level_sql(source: str) -> str:
    return _LEVEL_SQL[Source(source)]


@contextmanager
def report_cursor() -> Iterator[Any]:
    """A cursor for one large grouped query.

    On PostgreSQL the query runs in a transaction of its own settings: enough memory for the hash table
    of every unit × competence (the default 4 MB spills it to disk at a few hundred units), and no JIT
    compilation, which costs more than it saves on a query that is planned and run once per page. The
    transaction is there for `SET LOCAL` only; nothing is written in it.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL jit = off")
        yield cursor


def aggregates(level: str) -> str:
    """The grouped figures of `selectors.gaps.Figures`, in its field order, as SQL that SQLite and
    PostgreSQL both run (the first placeholder is the proficient step)."""
    return f"""
        COUNT({level}),
        COALESCE(SUM({level}), 0),
        MAX(a.required_level),
        SUM(CASE WHEN a.required_level > 0 AND {level} < a.required_level THEN 1 ELSE 0 END),
        SUM(CASE WHEN {level} > a.required_level AND {level} >= %s THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.wants_to_learn THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.future_level IS NOT NULL AND {level} < a.future_level THEN 1 ELSE 0 END),
        {_RANK_SQL}"""


def in_list(column: str, ids: Sequence[int] | Sequence[str], params: list[Any]) -> str:
    """`column IN (%s, …)` for these ids, which are appended to `params`."""
    params.extend(ids)
    return f"{column} IN ({', '.join(['%s'] * len(ids))})"


def unit_figures_query(
    round_id: int,
    *,
    source: str,
    proficient: int,
    unit_ids: list[int] | None = None,
    competence_id: int | None = None,
) -> tuple[str, list[Any]]:
    """The grouped query of `selectors.gaps.unit_figures` and its parameters: unit id, competence id and
    the figures in `aggregates`' order, one row per unit and competence with any assessment row in the
    round.

    `unit_ids` limits the units (None: all; pass a non-empty list), `competence_id` the competence. The
    summary of services/figures.py is built and kept up to date with this same query.
    """
    level = level_sql(source)
    params: list[Any] = [proficient, round_id]
    where = ""
    if competence_id is not None:
        where += " AND a.competence_id = %s"
        params.append(competence_id)
    if unit_ids is not None:
        where += " AND " + in_list("m.unit_id", unit_ids, params)
    sql = f"""
        SELECT m.unit_id, a.competence_id, {aggregates(level)}
        FROM {ASSESSMENT} a JOIN {MEMBERSHIP} m ON m.person_id = a.person_id
        WHERE a.round_id = %s{where}
        GROUP BY m.unit_id, a.competence_id"""  # noqa: S608 - only table names and %s placeholders are put in
    return sql, params


def _tops_cte(organisation_id: int, unit_ids: list[int] | None, params: list[Any]) -> str:
    """`WITH RECURSIVE up …, tops(unit_id, top_id)`: each unit of the organisation paired with itself and
    every unit above it that has units below it (limited to `unit_ids` when given) — the unit tree walked
    in the database, as SQLite and PostgreSQL both can. Its parameters are appended to `params`."""
    params += [organisation_id, organisation_id]
    units = ""
    if unit_ids is not None:
        units = " AND " + in_list("up.top_id", unit_ids, params)
    return f"""WITH RECURSIVE up(unit_id, top_id) AS (
            SELECT id, id FROM {UNIT} WHERE organisation_id = %s
            UNION ALL
            SELECT up.unit_id, u.parent_id FROM up JOIN {UNIT} u ON u.id = up.top_id
            WHERE u.parent_id IS NOT NULL
        ),
        tops AS (
            SELECT up.unit_id, up.top_id FROM up
            WHERE up.top_id IN (
                SELECT parent_id FROM {UNIT} WHERE organisation_id = %s AND parent_id IS NOT NULL
            ){units}
        )"""  # noqa: S608 - only table names and %s placeholders are put in


def unit_tree_figures_query(
    round_id: int,
    organisation_id: int,
    *,
    source: str,
    proficient: int,
    unit_ids: list[int] | None = None,
    competence_id: int | None = None,
) -> tuple[str, list[Any]]:
    """The figures of each unit *with units below it* and everything below, each person once: unit id,
    competence id and the figures in `aggregates`' order (the rows of `UnitTreeFigures`).

    The unit tree is walked in the database (a recursive query SQLite and PostgreSQL both run) into the
    distinct pairs (person, unit above or at one of their memberships), and the round's rows are grouped
    by those pairs. `unit_ids` limits the units (None: all that have units below them), `competence_id`
    the competence.
    """
    level = level_sql(source)
    params: list[Any] = []
    tops = _tops_cte(organisation_id, unit_ids, params)
    params += [proficient, round_id]
    where = ""
    if competence_id is not None:
        where = " AND a.competence_id = %s"
        params.append(competence_id)
    sql = f"""
        {tops},
        pairs AS (
            SELECT DISTINCT m.person_id, t.top_id AS unit_id
            FROM {MEMBERSHIP} m JOIN tops t ON t.unit_id = m.unit_id
        )
        SELECT p.unit_id, a.competence_id, {aggregates(level)}
        FROM {ASSESSMENT} a JOIN pairs p ON p.person_id = a.person_id
        WHERE a.round_id = %s{where}
        GROUP BY p.unit_id, a.competence_id"""  # noqa: S608 - only table names and %s placeholders are put in
    return sql, params


def people_in_several_units(organisation_id: int) -> list[int]:
    """The organisation's people with more than one membership — one query over the memberships."""
    return list(
        Membership.objects.filter(organisation_id=organisation_id)
        .values("person_id")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values_list("person_id", flat=True)
    )


def unit_tree_from_own_query(
    round_id: int,
    organisation_id: int,
    *,
    source: str,
    proficient: int,
    unit_ids: list[int] | None = None,
    competence_id: int | None = None,
) -> tuple[str, list[Any]]:
    """`unit_tree_figures_query`'s rows computed from the round's stored *own* unit figures, which must be
    current: each unit's cells summed over the units below it, less the people counted more than once
    because they are members of several of those units (only their assessment rows are read).

    The additive figures sum exactly; the highest requirement and the most important rank are the same
    whether a person is counted once or twice. So a rebuild reads the narrow summary and the rows of the
    few people in several units, instead of grouping the round's millions of rows once more.
    """
    level = level_sql(source)
    params: list[Any] = []
    tops = _tops_cte(organisation_id, unit_ids, params)
    own_competence = twice_competence = ""
    params += [round_id, Source(source).value]
    if competence_id is not None:
        own_competence = " AND f.competence_id = %s"
        params.append(competence_id)
    params += [organisation_id, proficient, round_id]
    if competence_id is not None:
        twice_competence = " AND a.competence_id = %s"
        params.append(competence_id)
    if connection.vendor == "postgresql":
        # The people in several units, looked up first and passed as one array: the planner then knows
        # how few they are and reads their rows through the person index, not the whole round.
        twice_competence += " AND a.person_id = ANY(%s)"
        params.append(people_in_several_units(organisation_id))
    sql = f"""
        {tops},
        summed AS (
            SELECT t.top_id AS unit_id, f.competence_id,
                SUM(f.assessed) AS assessed, SUM(f.level_sum) AS level_sum, MAX(f.required) AS required,
                SUM(f.below) AS below, SUM(f.above) AS above, SUM(f.wants) AS wants,
                SUM(f.below_future) AS below_future, MIN(f.importance_rank) AS importance_rank
            FROM {UNIT_FIGURES} f JOIN tops t ON t.unit_id = f.unit_id
            WHERE f.round_id = %s AND f.source = %s{own_competence}
            GROUP BY t.top_id, f.competence_id
        ),
        extra AS (
            SELECT m.person_id, t.top_id AS unit_id, COUNT(*) - 1 AS times
            FROM {MEMBERSHIP} m JOIN tops t ON t.unit_id = m.unit_id
            WHERE m.organisation_id = %s
            GROUP BY m.person_id, t.top_id
            HAVING COUNT(*) > 1
        ),
        twice AS (
            SELECT e.unit_id, a.competence_id,
                SUM(CASE WHEN {level} IS NOT NULL THEN e.times ELSE 0 END) AS assessed,
                COALESCE(SUM(e.times * {level}), 0) AS level_sum,
                SUM(CASE WHEN a.required_level > 0 AND {level} < a.required_level THEN e.times ELSE 0 END)
                    AS below,
                SUM(CASE WHEN {level} > a.required_level AND {level} >= %s THEN e.times ELSE 0 END) AS above,
                SUM(CASE WHEN a.wants_to_learn THEN e.times ELSE 0 END) AS wants,
                SUM(CASE WHEN a.future_level IS NOT NULL AND {level} < a.future_level THEN e.times ELSE 0 END)
                    AS below_future
            FROM {ASSESSMENT} a JOIN extra e ON e.person_id = a.person_id
            WHERE a.round_id = %s{twice_competence}
            GROUP BY e.unit_id, a.competence_id
        )
        SELECT s.unit_id, s.competence_id,
            s.assessed - COALESCE(c.assessed, 0), s.level_sum - COALESCE(c.level_sum, 0), s.required,
            s.below - COALESCE(c.below, 0), s.above - COALESCE(c.above, 0), s.wants - COALESCE(c.wants, 0),
            s.below_future - COALESCE(c.below_future, 0), s.importance_rank
        FROM summed s LEFT JOIN twice c ON c.unit_id = s.unit_id AND c.competence_id = s.competence_id"""  # noqa: S608 - only table names and %s placeholders are put in
    return sql, params


# What the summaries depend on in the organisation: its memberships, summed up by their number, highest
# id, latest change and the sums of their people and units, so that adding, removing, moving or changing
# any membership changes it; and its unit tree, by its number of units and the sum of each unit's id
# times its parent's, so that moving a unit changes it too. Seven columns, over the memberships `m`; its
# two %s are the organisation.
_MEMBERSHIPS_AND_TREE = f"""COUNT(m.id), MAX(m.id), MAX(m.updated_at), SUM(m.person_id), SUM(m.unit_id),
    (SELECT COUNT(*) FROM {UNIT} u WHERE u.organisation_id = %s),
    (SELECT SUM(u.id * u.parent_id) FROM {UNIT} u WHERE u.organisation_id = %s)"""  # noqa: S608


def _memberships_and_tree(columns: Sequence[Any]) -> str:
    count, top, changed, people, units, nodes, tree = columns
    return f"m{count}.{top}.{changed}.{people}.{units}:u{nodes}.{tree}"


def figures_signature(round: MappingRound, source: str = "") -> tuple[str, int, str | None]:
    """(the signature now, the proficient step, the signature the stored figures were built for): see
    `figures_state`."""
    signature, proficient, stored, _built_at = figures_state(round, source)
    return signature, proficient, stored


def figures_state(round: MappingRound, source: str = "") -> tuple[str, int, str | None, Any]:
    """(the signature of the round's figures now, the proficient step, the signature the stored figures
    of `source` were built for, None when they were not, and when they were built) — one query.

    The summary depends, besides the assessment rows (whose writers keep it up to date), on the
    organisation's memberships and its unit tree (`_MEMBERSHIPS_AND_TREE`), the catalogue's proficient
    step and the round's requirements stamp.
    """
    sql = f"""
        SELECT {_MEMBERSHIPS_AND_TREE},
            (SELECT r.requirements_stamp FROM {ROUND} r WHERE r.id = %s),
            (SELECT c.proficient_level FROM {ROUND} r JOIN {CATALOGUE} c ON c.id = r.catalogue_id
             WHERE r.id = %s),
            (SELECT s.signature FROM {STATE} s WHERE s.round_id = %s AND s.source = %s),
            (SELECT s.built_at FROM {STATE} s WHERE s.round_id = %s AND s.source = %s)
        FROM {MEMBERSHIP} m
        WHERE m.organisation_id = %s"""  # noqa: S608 - only table names and %s placeholders are put in
    organisation = round.organisation_id
    params: list[Any] = [
        organisation,
        organisation,
        round.pk,
        round.pk,
        round.pk,
        source,
        round.pk,
        source,
        organisation,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    stamp, proficient, stored, built_at = row[7:]
    signature = f"{_memberships_and_tree(row[:7])}:p{proficient}:r{stamp}"
    # SQLite answers a subquery's datetime as text or as a naive datetime, in UTC.
    if isinstance(built_at, str):
        built_at = datetime.datetime.fromisoformat(built_at)
    if isinstance(built_at, datetime.datetime) and timezone.is_naive(built_at):
        built_at = built_at.replace(tzinfo=datetime.UTC)
    return signature, int(proficient), stored, built_at


def progress_signature(round: MappingRound) -> tuple[str, str | None]:
    """(the signature of the round's unit progress now, the signature it was built for, None when it was
    not) — one query. The progress depends, besides the participants' answered and rated marks (whose
    writers keep it up to date, or drop it when they change many at once), on the organisation's
    memberships and unit tree and on who takes part (their number and highest id)."""
    sql = f"""
        SELECT {_MEMBERSHIPS_AND_TREE},
            (SELECT COUNT(*) FROM {PARTICIPANT} p WHERE p.round_id = %s),
            (SELECT MAX(p.id) FROM {PARTICIPANT} p WHERE p.round_id = %s),
            (SELECT s.signature FROM {PROGRESS_STATE} s WHERE s.round_id = %s)
        FROM {MEMBERSHIP} m
        WHERE m.organisation_id = %s"""  # noqa: S608 - only table names and %s placeholders are put in
    organisation = round.organisation_id
    params: list[Any] = [organisation, organisation, round.pk, round.pk, round.pk, organisation]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    taking_part, highest, stored = row[7:]
    return f"{_memberships_and_tree(row[:7])}:t{taking_part}.{highest}", stored
