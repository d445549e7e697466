"""The SQL of the gap analysis that the selectors (which read figures) and the figures service (which keeps
the organisation's summary of them) share: the grouped query over a round's assessment rows, how the
current level is chosen, the cursor for large grouped queries, and the signature that tells whether the
stored summary is current.

It sits below both, so that neither imports the other's private parts: the selectors read with it, the
service writes with it. It only reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from laera.organisations.models import Membership

from .models import Assessment, Catalogue, MappingRound, RoundFiguresState, UnitFigures

ASSESSMENT = Assessment._meta.db_table
MEMBERSHIP = Membership._meta.db_table
UNIT_FIGURES = UnitFigures._meta.db_table
ROUND = MappingRound._meta.db_table
CATALOGUE = Catalogue._meta.db_table
STATE = RoundFiguresState._meta.db_table


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


def in_list(column: str, ids: list[int], params: list[Any]) -> str:
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


def figures_signature(round: MappingRound, source: str = "") -> tuple[str, int, str | None]:
    """(the signature of the round's figures now, the proficient step, the signature the stored figures
    of `source` were built for, None when they were not) — one query.

    The summary depends, besides the assessment rows (whose writers keep it up to date), on the
    organisation's memberships, the catalogue's proficient step and the round's requirements stamp. The
    memberships are summed up by their number, highest id, latest change and the sums of their people
    and units, so that adding, removing, moving or changing any membership changes the signature.
    """
    sql = f"""
        SELECT COUNT(m.id), MAX(m.id), MAX(m.updated_at), SUM(m.person_id), SUM(m.unit_id),
            (SELECT r.requirements_stamp FROM {ROUND} r WHERE r.id = %s),
            (SELECT c.proficient_level FROM {ROUND} r JOIN {CATALOGUE} c ON c.id = r.catalogue_id
             WHERE r.id = %s),
            (SELECT s.signature FROM {STATE} s WHERE s.round_id = %s AND s.source = %s)
        FROM {MEMBERSHIP} m
        WHERE m.organisation_id = %s"""  # noqa: S608 - only table names and %s placeholders are put in
    with connection.cursor() as cursor:
        cursor.execute(sql, [round.pk, round.pk, round.pk, source, round.organisation_id])
        count, top, changed, people, units, stamp, proficient, stored = cursor.fetchone()
    signature = f"m{count}.{top}.{changed}.{people}.{units}:p{proficient}:r{stamp}"
    return signature, int(proficient), stored
