"""The unit figures of the organisation's heatmap, kept ready and up to date.

`selectors.gaps.unit_figures` aggregates every assessment row of a round joined to the memberships: at
20,000 people and 200 competences that is four million rows and more than a second, on every view of the
organisation's heatmap. Its result is therefore kept in `UnitFigures`, per round and source of the
current level, and the heatmap reads it from there (`selectors.gaps.stored_unit_figures`). Beside each
unit's own figures, `UnitTreeFigures` keeps, for every unit with units below it, the figures of the unit
and everything below it with each person counted once — the rows of the gap overview and a unit's
report (`selectors.overview`). They are summed from the own figures just written, less the people who
are members of several of those units (`figures_sql.unit_tree_from_own_query`).

* **Built** with one INSERT … SELECT of that same grouped query by a background task that the writing
  services queue for when their transaction commits (`figures_refresh_after_commit`): when a round is
  created, and whenever the *signature* of what the figures depend on besides the assessment rows
  changes — the organisation's memberships and unit tree (organisations' services, which must not know
  about competences, call the "memberships_changed" hook that competences/hooks.py answers), the
  catalogue's proficient step, and the round's requirements stamp, which `refresh_requirements` bumps
  when it carries a change of requirements into the round's rows. Many changes in one transaction (an
  import of 2,000 people) queue one rebuild.
* **Kept up to date** by every service that writes an assessment, in its transaction: the cells of the
  round, the person's units (and the units above them) and the competence are computed again with the
  same queries, limited to them, and replaced; a cell whose group has become empty goes.

Both take a lock on the round's row, so an upkeep and a rebuild of the same round never interleave: each
runs after the other has committed and sees its rows. The summary is derived data: nothing is audited.

A read never writes and never waits for a rebuild: until one has run, the overview and the unit reports
show the figures last built and say that they are being updated (`selectors.gaps.SummaryReader`); only a
round that has no summary at all is read with the live queries. (The spreadsheet export of every unit
still uses the live query for a summary that is not current: `selectors.gaps.shown_unit_figures`.) A
rebuild of a large organisation takes seconds, in a worker (`laera worker`), never in a page.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from laera.core.tasks import enqueue_on_commit
from laera.organisations.models import Membership, Unit

from ..figures_sql import (
    CELL_COLUMNS,
    TREE_FIGURES,
    UNIT_FIGURES,
    Source,
    figures_signature,
    in_list,
    report_cursor,
    unit_figures_query,
    unit_tree_from_own_query,
)
from ..models import MappingRound, RoundFiguresState, UnitFigures, UnitTreeFigures

_COLUMNS = f"organisation_id, round_id, source, {CELL_COLUMNS}"


def lock_round(round_id: int) -> None:
    """Lock the round's row until the end of the transaction (nothing on SQLite, which writes one at a
    time), as every upkeep and rebuild of the round's summaries does (its progress too: progress.py).
    NO KEY: rows that refer to the round can still be added meanwhile."""
    list(MappingRound.objects.select_for_update(no_key=True).filter(pk=round_id).values_list("pk"))


def figures_ensure_current(round: MappingRound, *, source: str) -> bool:
    """Make sure the round's unit figures of `source` are current; rebuild them if they are not (or do
    not exist yet). Returns whether they were rebuilt. One query when they are current."""
    source = Source(source).value
    signature, _proficient, stored = figures_signature(round, source)
    if signature == stored:
        return False
    with transaction.atomic():
        lock_round(round.pk)
        # Again under the lock: another view may have rebuilt them meanwhile. Taken before the rows are
        # read, so that a change made meanwhile leaves a signature that no longer matches.
        signature, proficient, stored = figures_signature(round, source)
        if signature == stored:
            return False
        figures_rebuild(round, source=source, proficient=proficient)
        RoundFiguresState.objects.update_or_create(
            round=round,
            source=source,
            defaults={
                "organisation_id": round.organisation_id,
                "signature": signature,
                "built_at": timezone.now(),
            },
        )
    return True


def figures_refresh(*, organisation_id: int) -> int:
    """Rebuild every summary of the organisation's rounds that is not current, for every source. Returns
    how many were rebuilt; a current one costs one query."""
    rebuilt = 0
    for round in MappingRound.objects.filter(organisation_id=organisation_id).order_by("pk"):
        for source in Source:
            rebuilt += figures_ensure_current(round, source=source)
    return rebuilt


@task()
def figures_refresh_task(*, organisation_id: int) -> int:
    """The background task of `figures_refresh` (laera/core/tasks.py)."""
    return figures_refresh(organisation_id=organisation_id)


def figures_refresh_after_commit(*, organisation_id: int) -> None:
    """Queue a rebuild of the organisation's stale summaries for a worker once the writing transaction
    has committed. Asked many times in one transaction, it queues once; a rolled-back transaction queues
    nothing. Until the worker has run it, the pages show the figures last built as being updated."""
    enqueue_on_commit(figures_refresh_task, organisation_id=organisation_id)


def figures_rebuild(round: MappingRound, *, source: str, proficient: int) -> None:
    """Replace the round's figures of `source` — each unit's own (`UnitFigures`) and each unit's with
    everything below it (`UnitTreeFigures`) — with the result of the live grouped queries, for the whole
    organisation. Runs in the caller's transaction, under the round's lock."""
    source = Source(source).value
    own = unit_figures_query(round.pk, source=source, proficient=proficient)
    # The tree's figures are summed from the own figures just written (see the query's docstring).
    tree = unit_tree_from_own_query(round.pk, round.organisation_id, source=source, proficient=proficient)
    with report_cursor() as cursor:
        for table, (select, params) in ((UNIT_FIGURES, own), (TREE_FIGURES, tree)):
            _replace(cursor, round, source, table, select, params)


def _replace(
    cursor: Any, round: MappingRound, source: str, table: str, select: str, params: list[Any]
) -> None:
    params = [round.organisation_id, round.pk, source, *params]
    cursor.execute(f"DELETE FROM {table} WHERE round_id = %s AND source = %s", [round.pk, source])  # noqa: S608
    if connection.vendor != "postgresql":
        cursor.execute(f"INSERT INTO {table} ({_COLUMNS}) SELECT %s, %s, %s, g.* FROM ({select}) g", params)  # noqa: S608
        return
    # PostgreSQL runs INSERT … SELECT in one process, but CREATE TABLE … AS with parallel workers: on two
    # cores that halves the grouping of millions of rows, and copying the result over is quick.
    cursor.execute(
        f"CREATE TEMPORARY TABLE laera_unit_figures ON COMMIT DROP AS SELECT %s AS organisation_id, "  # noqa: S608
        f"%s AS round_id, %s AS source, g.* FROM ({select}) AS g({CELL_COLUMNS})",
        params,
    )
    cursor.execute(f"INSERT INTO {table} ({_COLUMNS}) SELECT {_COLUMNS} FROM laera_unit_figures")  # noqa: S608
    cursor.execute("DROP TABLE laera_unit_figures")


def figures_refresh_cells(round: MappingRound, *, person_id: int, competence_ids: list[int]) -> int:
    """After a write of the person's assessments of these competences in the round: compute the cells of
    the person's units (and of the units above them, with everything below) and these competences again,
    for each source whose figures are current, and replace them (a group that has become empty loses its
    cell). Returns how many sources were updated.

    Call it inside the writing service's transaction, after the write. Sources whose figures are out of
    date are left alone: the rebuild that their change asked for replaces them.
    """
    if not competence_ids:
        return 0
    lock_round(round.pk)
    states = dict(RoundFiguresState.objects.filter(round_id=round.pk).values_list("source", "signature"))
    if not states:
        return 0
    signature, proficient, _stored = figures_signature(round)
    sources = sorted(source for source, built_for in states.items() if built_for == signature)
    if not sources:
        return 0
    units = sorted(set(Membership.objects.filter(person_id=person_id).values_list("unit_id", flat=True)))
    if not units:
        return 0
    parents = dict(Unit.objects.filter(organisation_id=round.organisation_id).values_list("id", "parent_id"))
    above = sorted({parent for unit in units for parent in _ancestors(parents, unit)})
    with connection.cursor() as cursor:
        _refresh(cursor, round, UNIT_FIGURES, sources, competence_ids, units, proficient)
        if above:
            _refresh(cursor, round, TREE_FIGURES, sources, competence_ids, above, proficient)
    return len(sources)


def _ancestors(parents: dict[int, int | None], unit_id: int) -> list[int]:
    """The units above this one, nearest first (a unit with units below it has tree figures)."""
    found: list[int] = []
    current = parents.get(unit_id)
    while current is not None and current not in found:
        found.append(current)
        current = parents.get(current)
    return found


def _refresh(
    cursor: Any,
    round: MappingRound,
    table: str,
    sources: list[str],
    competence_ids: list[int],
    units: list[int],
    proficient: int,
) -> None:
    params: list[Any] = [round.pk]
    where = " AND ".join(
        [
            in_list("source", sources, params),
            in_list("competence_id", competence_ids, params),
            in_list("unit_id", units, params),
        ]
    )
    cursor.execute(f"DELETE FROM {table} WHERE round_id = %s AND {where}", params)  # noqa: S608
    for source in sources:
        for competence_id in competence_ids:
            if table == TREE_FIGURES:
                select, select_params = unit_tree_from_own_query(
                    round.pk,
                    round.organisation_id,
                    source=source,
                    proficient=proficient,
                    unit_ids=units,
                    competence_id=competence_id,
                )
            else:
                select, select_params = unit_figures_query(
                    round.pk,
                    source=source,
                    proficient=proficient,
                    unit_ids=units,
                    competence_id=competence_id,
                )
            cursor.execute(
                f"INSERT INTO {table} ({_COLUMNS}) SELECT %s, %s, %s, g.* FROM ({select}) g",  # noqa: S608
                [round.organisation_id, round.pk, source, *select_params],
            )


def figures_invalidate(round: MappingRound) -> None:
    """Forget the round's unit figures, so that the next view builds them again: for assessment rows
    written in bulk, outside the services that keep the figures up to date."""
    RoundFiguresState.objects.filter(round_id=round.pk).delete()
    UnitFigures.objects.filter(round_id=round.pk).delete()
    UnitTreeFigures.objects.filter(round_id=round.pk).delete()
