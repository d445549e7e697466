"""How far each unit's people have come in a mapping round, kept ready for the round's progress page.

The page opens at one level of the unit tree and shows, per unit below it, how many of its people take
part, how many have answered and how many their leader has finished rating, each person once. Counted
live that is a grouped query over every membership of the round's people — about 21,000 rows and 60 ms
for a 20,000-person organisation, on every view. So the counts are kept in `RoundUnitProgress`, one row
per round and unit, with the unit's own members and the unit with everything below it.

* **Built** in Python from the round's participants and their memberships (three reads and a bulk
  write) by a background task (`progress_refresh_after_commit`), queued like the unit figures' whenever
  the *signature* of what the counts depend on besides the marks themselves changes: the organisation's
  memberships and unit tree (the "memberships_changed" hook) and who takes part
  (`figures_sql.progress_signature`).
* **Kept up to date** by the services that set or clear a participant's "answered" or "rated by the
  leader" mark, in their transaction: the person's units and every unit above them gain or lose one. A
  service that clears the mark of many people at once drops the summary instead (`progress_drop`), and
  the task builds it again.

Both take the lock on the round's row that the unit figures take, so an upkeep and a rebuild never
interleave. A read never writes and never waits: until the summary is current, the page counts live.
Derived data: nothing is audited.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from laera.core.tasks import enqueue_on_commit
from laera.organisations.models import Membership, Unit

from ..figures_sql import progress_signature
from ..models import MappingRound, RoundParticipant, RoundProgressState, RoundUnitProgress
from .figures import lock_round


def _upwards(parents: dict[int, int | None], unit_id: int) -> list[int]:
    """The unit and every unit above it."""
    found = [unit_id]
    current = parents.get(unit_id)
    while current is not None and current not in found:
        found.append(current)
        current = parents.get(current)
    return found


def progress_counts(round: MappingRound) -> dict[int, list[int]]:
    """{unit: [own total, own answered, own leader done, tree total, tree answered, tree leader done]} for
    every unit with a participant of the round in it or below it, counted from the rows. Three queries."""
    marks = {
        person_id: (answered is not None, rated is not None)
        for person_id, answered, rated in RoundParticipant.objects.filter(round=round).values_list(
            "person_id", "submitted_at", "leader_done_at"
        )
    }
    units_of: dict[int, set[int]] = defaultdict(set)
    memberships = Membership.objects.filter(
        organisation_id=round.organisation_id,
        person_id__in=RoundParticipant.objects.filter(round=round).values("person_id"),
    )
    for person_id, unit_id in memberships.values_list("person_id", "unit_id"):
        units_of[person_id].add(unit_id)
    parents = dict(Unit.objects.filter(organisation_id=round.organisation_id).values_list("id", "parent_id"))
    above: dict[int, list[int]] = {}
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
    for person_id, units in units_of.items():
        answered, rated = marks[person_id]
        tree: set[int] = set()
        for unit_id in units:
            own = counts[unit_id]
            own[0] += 1
            own[1] += answered
            own[2] += rated
            if unit_id not in above:
                above[unit_id] = _upwards(parents, unit_id)
            tree.update(above[unit_id])
        for unit_id in tree:
            row = counts[unit_id]
            row[3] += 1
            row[4] += answered
            row[5] += rated
    return dict(counts)


def progress_ensure_current(round: MappingRound) -> bool:
    """Make sure the round's unit progress is current; build it again if it is not (or does not exist
    yet). Returns whether it was built. One query when it is current."""
    signature, stored = progress_signature(round)
    if signature == stored:
        return False
    with transaction.atomic():
        lock_round(round.pk)
        # Again under the lock, before the rows are read: see figures_ensure_current.
        signature, stored = progress_signature(round)
        if signature == stored:
            return False
        RoundUnitProgress.objects.filter(round=round).delete()
        RoundUnitProgress.objects.bulk_create(
            [
                RoundUnitProgress(
                    organisation_id=round.organisation_id,
                    round=round,
                    unit_id=unit_id,
                    own_total=row[0],
                    own_answered=row[1],
                    own_leader_done=row[2],
                    tree_total=row[3],
                    tree_answered=row[4],
                    tree_leader_done=row[5],
                )
                for unit_id, row in sorted(progress_counts(round).items())
            ],
            batch_size=1000,
        )
        RoundProgressState.objects.update_or_create(
            round=round,
            defaults={
                "organisation_id": round.organisation_id,
                "signature": signature,
                "built_at": timezone.now(),
            },
        )
    return True


def progress_refresh(*, organisation_id: int) -> int:
    """Build again the unit progress of every round of the organisation that is not current. Returns how
    many were built; a current one costs one query."""
    rounds = MappingRound.objects.filter(organisation_id=organisation_id).order_by("pk")
    return sum(progress_ensure_current(round) for round in rounds)


@task()
def progress_refresh_task(*, organisation_id: int) -> int:
    """The background task of `progress_refresh` (laera/core/tasks.py)."""
    return progress_refresh(organisation_id=organisation_id)


def progress_refresh_after_commit(*, organisation_id: int) -> None:
    """Queue `progress_refresh` for a worker once the writing transaction has committed (once however
    often it is asked in one transaction; nothing when it rolls back)."""
    enqueue_on_commit(progress_refresh_task, organisation_id=organisation_id)


def progress_upkeep(round: MappingRound, *, person_id: int, answered: int = 0, rated: int = 0) -> bool:
    """After the person's "answered" mark was set (`answered=1`) or cleared (-1), or their leader's
    "rated" mark set (`rated=1`): count it in the person's units and every unit above them, each once.
    Returns whether the summary was updated; one that is not current is left to its rebuild.

    Call it inside the writing service's transaction, after the write."""
    if not (answered or rated):
        return False
    lock_round(round.pk)
    signature, stored = progress_signature(round)
    if signature != stored:
        return False
    units = set(Membership.objects.filter(person_id=person_id).values_list("unit_id", flat=True))
    if not units:
        return False
    parents = dict(Unit.objects.filter(organisation_id=round.organisation_id).values_list("id", "parent_id"))
    tree = {above for unit_id in units for above in _upwards(parents, unit_id)}
    rows = RoundUnitProgress.objects.filter(round=round)
    changed = rows.filter(unit_id__in=sorted(units)).update(
        own_answered=F("own_answered") + answered, own_leader_done=F("own_leader_done") + rated
    )
    changed += rows.filter(unit_id__in=sorted(tree)).update(
        tree_answered=F("tree_answered") + answered, tree_leader_done=F("tree_leader_done") + rated
    )
    if changed != len(units) + len(tree):
        # A row the person should be counted in is missing: the summary no longer fits the rows.
        progress_drop(round)
        return False
    return True


def progress_drop(round: MappingRound) -> None:
    """Forget that the round's unit progress is current, after a change of many participants' marks at
    once: the page counts live until the background task has built it again (queued for the commit)."""
    RoundProgressState.objects.filter(round=round).delete()
    progress_refresh_after_commit(organisation_id=round.organisation_id)
