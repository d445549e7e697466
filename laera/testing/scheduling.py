"""The order of the tests, so that parallel workers finish together.

`make test` runs pytest-xdist's `worksteal` scheduler (the Makefile's PYTEST_ARGS): it first deals each
worker an equal run of consecutive tests (worker k gets `remaining // (workers - k)` of them), and a worker
that runs out takes half of what another still has queued, from the end of its queue.

A few tests take tens of seconds each (the crawl, marked `heavy`). Put together at the start of the list,
they would all fall into the first worker's run, and it would still be crawling long after the second
worker had taken everything else. So the heavy tests are dealt out like cards, and each worker's share goes
at the start of its run: the workers begin with them and end on short tests, which are the ones that move
between workers at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def heavy_dealt_first(items: Sequence[T], heavy: Callable[[T], bool], workers: int) -> list[T]:
    """`items` reordered so that each of `workers` workers' first run starts with its share of the heavy
    ones; the other items keep their order (pytest's own, which keeps a module's tests together)."""
    heavy_items = [item for item in items if heavy(item)]
    light = [item for item in items if not heavy(item)]
    if workers <= 1 or not heavy_items:
        return heavy_items + light
    ordered: list[T] = []
    left = len(items)
    for worker in range(workers):
        run = left // (workers - worker)
        share = heavy_items[worker::workers]
        taken = max(run - len(share), 0)
        ordered += share + light[:taken]
        light = light[taken:]
        left -= len(share) + taken
    return ordered + light
