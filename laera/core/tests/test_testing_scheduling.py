"""The heavy tests are dealt out so that each xdist worker starts with its share
(laera/testing/scheduling.py), checked against pytest-xdist's own work-stealing scheduler, the one
`make test` uses."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from xdist.scheduler.worksteal import WorkStealingScheduling

from laera.testing.scheduling import heavy_dealt_first


class Config:
    def __init__(self, workers: int) -> None:
        self.workers = workers

    def getvalue(self, name: str) -> Any:
        assert name == "tx"
        return [f"{self.workers}*popen"]


class Worker:
    """What the scheduler sees of a worker: the tests it is sent."""

    shutting_down = False

    def __init__(self, number: int) -> None:
        self.gateway = SimpleNamespace(id=f"gw{number}")
        self.sent: list[int] = []

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent += indices


def _first_runs(collection: list[str], workers: int) -> list[list[str]]:
    """What xdist's work-stealing scheduler first gives each worker."""
    scheduler = WorkStealingScheduling(Config(workers))  # type: ignore[arg-type]
    nodes = [Worker(number) for number in range(workers)]
    for node in nodes:
        scheduler.add_node(node)  # type: ignore[arg-type]
    for node in nodes:
        scheduler.add_node_collection(node, collection)  # type: ignore[arg-type]
    scheduler.schedule()
    return [[collection[index] for index in node.sent] for node in nodes]


def _collection(size: int, heavy_at: list[int]) -> list[str]:
    return [f"heavy{n}" if n in heavy_at else f"test{n}" for n in range(size)]


def _heavy(name: str) -> bool:
    return name.startswith("heavy")


@pytest.mark.parametrize(
    ("size", "workers", "heavy_at"),
    [
        (2693, 2, list(range(400, 420))),  # the suite: 20 crawls in the middle of the collection
        (2693, 2, list(range(2600, 2621))),  # an odd number of them, at the end
        (100, 3, [5, 50, 51, 52, 99]),
        (7, 2, [6]),
    ],
)
def test_each_worker_starts_with_its_share_of_the_heavy_tests(
    size: int, workers: int, heavy_at: list[int]
) -> None:
    items = _collection(size, heavy_at)

    ordered = heavy_dealt_first(items, _heavy, workers)
    runs = _first_runs(ordered, workers)

    assert sorted(ordered) == sorted(items), "every test once"
    light = [name for name in items if not _heavy(name)]
    assert [name for name in ordered if not _heavy(name)] == light, "the others keep their order"
    heavy = [name for name in items if _heavy(name)]
    for worker, run in enumerate(runs):
        share = heavy[worker::workers]
        assert run[: len(share)] == share, f"worker {worker} starts with its share"
        assert [name for name in run if _heavy(name)] == share, f"worker {worker} gets no other heavy test"


def test_heavy_tests_first_without_workers_and_nothing_moves_without_heavy_tests() -> None:
    items = _collection(10, [3, 7])
    assert heavy_dealt_first(items, _heavy, 1) == ["heavy3", "heavy7"] + [
        name for name in items if not _heavy(name)
    ]
    plain = _collection(10, [])
    assert heavy_dealt_first(plain, _heavy, 2) == plain


def test_without_the_dealing_one_worker_would_get_every_heavy_test() -> None:
    """The reason for it: heavy tests put first all fall into the first worker's run."""
    items = _collection(2693, list(range(400, 420)))
    runs = _first_runs(sorted(items, key=lambda name: not _heavy(name)), 2)
    assert [sum(map(_heavy, run)) for run in runs] == [20, 0]
