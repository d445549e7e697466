"""Tasks for the tests of the background worker (laera/core/tests/test_worker.py). Each leaves a
`ScheduledJob` row named after what it did, so a test in another process can see it happen."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task

from laera.core.models import ScheduledJob


def _record(name: str) -> None:
    ScheduledJob.objects.create(name=name[:100], next_run_at=timezone.now())


@task()
def record(*, name: str) -> str:
    _record(name)
    return name


@task(takes_context=True)
def stall_first_attempt(context: TaskContext, *, name: str) -> int:
    """The first attempt writes its row in a transaction, says it has started, and hangs before the
    commit, to be killed there; a later attempt writes the row and finishes."""
    attempt = context.attempt
    if attempt == 1:
        _record(f"{name}:started")
        with transaction.atomic():
            _record(f"{name}:done")
            time.sleep(120)
    else:
        _record(f"{name}:done")
    return attempt
