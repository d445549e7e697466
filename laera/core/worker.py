"""The background worker behind `laera worker`: runs queued tasks, queues periodic ones, and puts back
the tasks of a worker that died.

It runs the tasks of `django_tasks_db` (claiming, running and recording them is that library's
`Worker`), and adds what a production queue needs and the library leaves out:

* **A heartbeat.** Each worker has a `WorkerBeat` row, written every `LAERA_WORKER_BEAT_SECONDS` by a
  small thread, also while a long task runs.
* **Nothing lost with a worker.** A task stays "running" when its worker is killed (power cut, out of
  memory, `kill -9`). Before each claim, a worker looks for running tasks whose worker has not beaten
  for `LAERA_WORKER_LOST_AFTER_SECONDS` and puts them back in the queue, to be run again from the start.
  Tasks are written to be run again safely: imports are one transaction, rebuilds replace what they
  build, e-mails carry an idempotency key. A task lost `LAERA_WORKER_MAX_ATTEMPTS` times is marked
  failed rather than killing worker after worker.
* **Periodic tasks** (laera/core/tasks.py): before each claim, a worker queues those that are due and
  moves their next run on, in one transaction that other workers skip (PostgreSQL) or wait for (SQLite).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .models import Job, JobStatus, ScheduledJob, WorkerBeat
from .tasks import Periodic, periodic_tasks

logger = logging.getLogger("laera.worker")

LOST_TRACEBACK = "The task was running in a worker that stopped without finishing it, {count} times."


class LaeraWorker(Worker):
    def __init__(self, *, beat_seconds: float | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.beat_seconds = beat_seconds or settings.LAERA_WORKER_BEAT_SECONDS
        self._stop_beating = threading.Event()

    # The loop ------------------------------------------------------------------------------------------

    def run(self) -> None:
        logger.info("Worker %s started (queues: %s)", self.worker_id, ",".join(self.queue_names))
        self._beat(started=True)
        beater = threading.Thread(target=self._keep_beating, name="laera-worker-beat", daemon=True)
        beater.start()
        try:
            self._loop()
        finally:
            self._stop_beating.set()
            beater.join(timeout=self.beat_seconds + 5)
            close_old_connections()
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
            logger.info("Worker %s stopped", self.worker_id)

    def _loop(self) -> None:
        while self.running:
            close_old_connections()
            self.housekeeping()
            task_result, retrieved = self._claim()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                self._stop_beating.wait(self.interval)

    def _claim(self) -> tuple[DBTaskResult | None, bool]:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None, False
            raise
        return task_result, True

    # What the library leaves out ------------------------------------------------------------------------

    def housekeeping(self) -> None:
        """Put back the tasks of dead workers and queue the periodic tasks that are due."""
        try:
            requeue_lost_tasks()
            queue_due_periodic_tasks()
        except OperationalError as error:
            # SQLite: another process writes; try again on the next round.
            if not is_locked_database_exception(error):
                raise

    def _beat(self, *, started: bool = False) -> None:
        now = timezone.now()
        defaults = {"seen_at": now, "host": socket.gethostname()[:255], "pid": os.getpid()}
        if started:
            defaults["started_at"] = now
            WorkerBeat.objects.update_or_create(worker_id=self.worker_id, defaults=defaults)
        elif not WorkerBeat.objects.filter(worker_id=self.worker_id).update(seen_at=now):
            defaults["started_at"] = now
            WorkerBeat.objects.update_or_create(worker_id=self.worker_id, defaults=defaults)

    def _keep_beating(self) -> None:
        try:
            while not self._stop_beating.wait(self.beat_seconds):
                try:
                    self._beat()
                except OperationalError as error:
                    if not is_locked_database_exception(error):
                        logger.exception("Worker %s could not beat", self.worker_id)
        finally:
            connection.close()


def lost_after() -> timedelta:
    return timedelta(seconds=settings.LAERA_WORKER_LOST_AFTER_SECONDS)


def requeue_lost_tasks() -> int:
    """Put running tasks whose worker has stopped beating back in the queue; fail a task lost too often.
    Returns how many were put back or failed."""
    running = list(DBTaskResult.objects.running().only("id", "worker_ids"))
    if not running:
        return 0
    last_workers = {candidate.worker_ids[-1] for candidate in running if candidate.worker_ids}
    alive = set(
        WorkerBeat.objects.filter(
            worker_id__in=last_workers, seen_at__gte=timezone.now() - lost_after()
        ).values_list("worker_id", flat=True)
    )
    handled = 0
    for candidate in running:
        if candidate.worker_ids and candidate.worker_ids[-1] in alive:
            continue
        attempts = len(candidate.worker_ids)
        still_running = DBTaskResult.objects.filter(pk=candidate.pk, status=TaskResultStatus.RUNNING)
        if attempts >= settings.LAERA_WORKER_MAX_ATTEMPTS:
            handled += still_running.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="laera.core.worker.LostTask",
                traceback=LOST_TRACEBACK.format(count=attempts),
            )
            logger.error("Task %s was candidate %s times and is marked failed", candidate.pk, attempts)
        else:
            handled += still_running.update(status=TaskResultStatus.READY, started_at=None)
            logger.warning("Task %s was candidate with its worker and is queued again", candidate.pk)
    # Workers that stopped long ago leave their rows; a day is far beyond any task.
    WorkerBeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
    return handled


# Finished tasks are kept this long for the operator to look at, ended jobs (with an export's file) this long
# for the people who started them; then they are deleted, so the tables do not grow without end.
TASKS_KEPT = timedelta(days=7)
JOBS_KEPT = timedelta(days=90)


@task()
def prune_task() -> int:
    """Daily: delete finished tasks and ended jobs past their time. Returns how many rows went."""
    now = timezone.now()
    finished = DBTaskResult.objects.filter(
        status__in=(TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED), finished_at__lt=now - TASKS_KEPT
    )
    tasks, _kinds = finished.delete()
    ended = Job.objects.filter(status__in=(JobStatus.DONE, JobStatus.FAILED), finished_at__lt=now - JOBS_KEPT)
    jobs, _kinds = ended.delete()
    return tasks + jobs


# Core's own periodic tasks, beside those the apps declare.
CORE_PERIODIC = [Periodic("core.prune", prune_task, every=timedelta(days=1))]


def queue_due_periodic_tasks() -> list[str]:
    """Queue every periodic task that is due, once across all workers, and move its next run on.
    Returns the names queued."""
    entries = {entry.name: entry for entry in [*CORE_PERIODIC, *periodic_tasks()]}
    if not entries:
        return []
    now = timezone.now()
    known = set(ScheduledJob.objects.filter(name__in=entries).values_list("name", flat=True))
    for name in entries.keys() - known:
        # A new periodic task is first due now.
        ScheduledJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
    queued = []
    with transaction.atomic():
        due = ScheduledJob.objects.select_for_update(skip_locked=True).filter(
            name__in=entries, next_run_at__lte=now
        )
        for job in due:
            entry = entries[job.name]
            entry.task.enqueue()
            next_run = job.next_run_at + entry.every
            # A worker that was down for a while queues a missed task once, not once per missed run.
            job.next_run_at = next_run if next_run > now else now + entry.every
            job.last_queued_at = now
            job.save(update_fields=["next_run_at", "last_queued_at"])
            queued.append(job.name)
    return queued
