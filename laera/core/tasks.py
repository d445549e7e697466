"""Background work: Django's tasks API, a database queue, and periodic tasks scheduled in code.

Work that takes longer than a page should wait for (rebuilding a large organisation's gap figures,
sending reminders) is a *task*: a module-level function decorated with `django_tasks.task`, living in
the app's services beside the writes it makes, and queued with `enqueue_on_commit`. The queue is the
`django_tasks_db` database backend (settings.TASKS): a table in Læra's own database, so a task queued in
a transaction exists only if that transaction commits, and no other server is needed. On PostgreSQL
workers claim tasks with `SELECT … FOR UPDATE SKIP LOCKED`, so any number of them, on any number of
servers, share the queue; on SQLite (the demo) one worker runs beside the server. `laera worker` runs one
(laera/core/worker.py). The test settings run every task at once, in the process that queues it.

Periodic tasks (round reminders, and later digests and expiry notices) are declared by each app through
the "periodic_tasks" hook, which returns `Periodic` entries; the workers queue each one when it is due,
once however many workers run (`ScheduledJob`). Nobody writes a crontab.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django_tasks.base import Task, TaskResult

from .hooks import get_hooks


@dataclass(frozen=True)
class Periodic:
    """A task the workers queue every `every`, without arguments, under a unique `name`."""

    name: str
    task: Task[Any, Any]
    every: timedelta


def periodic_tasks() -> Iterator[Periodic]:
    """Every periodic task the installed apps declare, through their "periodic_tasks" hooks."""
    for hook in get_hooks("periodic_tasks"):
        yield from hook()


def enqueue_on_commit(task: Task[Any, Any], **kwargs: Any) -> None:
    """Queue `task(**kwargs)` once the current transaction commits (at once outside one). Asked again in
    the same transaction with the same arguments, it queues once: an import of 2,000 people that changes
    memberships 2,000 times rebuilds the figures once. A rolled-back transaction queues nothing."""
    pending = getattr(connection, "run_on_commit", [])
    if any(isinstance(entry[1], _Enqueue) and entry[1].same(task, kwargs) for entry in pending):
        return
    transaction.on_commit(_Enqueue(task, kwargs))


class _Enqueue:
    """What waits for the commit: queue the task. It remembers that it ran, for tests, whose transaction
    never commits and whose on-commit list therefore keeps what they ran."""

    def __init__(self, task: Task[Any, Any], kwargs: dict[str, Any]) -> None:
        self.task, self.kwargs, self.ran = task, kwargs, False

    def __call__(self) -> TaskResult[Any]:
        self.ran = True
        return self.task.enqueue(**self.kwargs)

    def same(self, task: Task[Any, Any], kwargs: dict[str, Any]) -> bool:
        return not self.ran and self.task.module_path == task.module_path and self.kwargs == kwargs
