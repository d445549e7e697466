"""The background worker (laera/core/worker.py) over the database queue, on SQLite and PostgreSQL: it runs
what is queued, queues nothing for a change that rolled back, queues periodic tasks once, and loses
nothing when a worker process is killed in the middle of a task."""

from __future__ import annotations

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from laera.core import worker as worker_module
from laera.core.models import Job, JobStatus, ScheduledJob, WorkerBeat
from laera.core.tasks import Periodic, enqueue_on_commit
from laera.core.worker import LaeraWorker, queue_due_periodic_tasks, requeue_lost_tasks
from laera.testing import tasks as test_tasks

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def queue(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE


def _worker(**options: Any) -> LaeraWorker:
    defaults: dict[str, Any] = {
        "queue_names": ["*"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "in-process",
        "excluded_queue_names": [],
    }
    return LaeraWorker(**{**defaults, **options})


def _names() -> set[str]:
    return set(ScheduledJob.objects.values_list("name", flat=True))


# The worker runs outside any transaction and closes connections between tasks, as Django does between
# requests: its tests run with the database committing.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_what_is_queued_and_records_the_result(
    queue: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(test_tasks.record, name="one")
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY and "one" not in _names(), "queued, not run"
    _worker().run()
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL and queued.return_value == "one"
    assert queued.worker_ids == ["in-process"]
    assert "one" in _names()
    assert not WorkerBeat.objects.exists(), "a worker that stops removes its heartbeat"


@pytest.mark.django_db
def test_a_change_that_rolls_back_queues_nothing_and_many_asks_queue_once(
    queue: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            enqueue_on_commit(test_tasks.record, name="rolled back")
            raise RuntimeError
    assert not DBTaskResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            enqueue_on_commit(test_tasks.record, name="same")
        enqueue_on_commit(test_tasks.record, name="other")
    assert sorted(r.args_kwargs["kwargs"]["name"] for r in DBTaskResult.objects.all()) == ["other", "same"]


@pytest.mark.django_db(transaction=True)  # as in a worker: no transaction around the tasks
def test_a_failing_task_is_recorded_as_failed_and_the_worker_goes_on(queue: None) -> None:
    first = test_tasks.record.enqueue(name="twice")
    again = test_tasks.record.enqueue(name="twice")  # the row exists by then: refused by the database
    after = test_tasks.record.enqueue(name="after")
    _worker().run()
    status = {str(r.pk): r for r in DBTaskResult.objects.all()}
    assert status[first.id].status == status[after.id].status == TaskResultStatus.SUCCESSFUL
    assert status[again.id].status == TaskResultStatus.FAILED
    assert "IntegrityError" in status[again.id].exception_class_path


@pytest.fixture
def every_hour(monkeypatch: pytest.MonkeyPatch) -> Periodic:
    entry = Periodic("test.hourly", test_tasks.record, every=datetime.timedelta(hours=1))
    monkeypatch.setattr(worker_module, "periodic_tasks", lambda: [entry])
    monkeypatch.setattr(worker_module, "CORE_PERIODIC", [])
    return entry


@pytest.mark.django_db
def test_a_periodic_task_is_queued_once_when_due(queue: None, every_hour: Periodic) -> None:
    # record() needs a name: the periodic entry runs it without arguments, so it fails; the queueing is
    # what is tested here.
    assert queue_due_periodic_tasks() == ["test.hourly"], "a new periodic task is due at once"
    assert queue_due_periodic_tasks() == [], "and then not again within the hour"
    job = ScheduledJob.objects.get(name="test.hourly")
    assert timezone.now() + datetime.timedelta(minutes=59) < job.next_run_at
    assert DBTaskResult.objects.filter(task_path=test_tasks.record.module_path).count() == 1
    # A worker down for a day queues a missed task once, and the next run an hour from now.
    ScheduledJob.objects.filter(pk=job.pk).update(next_run_at=timezone.now() - datetime.timedelta(days=1))
    assert queue_due_periodic_tasks() == ["test.hourly"]
    assert queue_due_periodic_tasks() == []
    job.refresh_from_db()
    assert job.next_run_at > timezone.now() + datetime.timedelta(minutes=59)


@pytest.mark.django_db
def test_finished_tasks_and_ended_jobs_are_pruned_after_their_time(queue: None, world: Any) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=100)
    old, recent, waiting = (test_tasks.record.enqueue(name=n) for n in ("old", "recent", "waiting"))
    DBTaskResult.objects.filter(pk=old.id).update(status=TaskResultStatus.SUCCESSFUL, finished_at=long_ago)
    DBTaskResult.objects.filter(pk=recent.id).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now()
    )
    DBTaskResult.objects.filter(pk=waiting.id).update(enqueued_at=long_ago)
    ended = Job.objects.create(organisation=world.organisation, kind="probe", language="en")
    Job.objects.filter(pk=ended.pk).update(status=JobStatus.DONE, finished_at=long_ago)
    running = Job.objects.create(organisation=world.organisation, kind="probe", language="en")
    assert worker_module.prune_task.call() == 2
    left = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert left == {str(recent.id), str(waiting.id)}
    assert not Job.objects.filter(pk=ended.pk).exists() and Job.objects.filter(pk=running.pk).exists()
    assert "core.prune" in {entry.name for entry in worker_module.CORE_PERIODIC}


@pytest.mark.django_db
def test_the_apps_declare_their_periodic_tasks() -> None:
    names = {entry.name for entry in worker_module.periodic_tasks()}
    assert "competences.round_reminders" in names


@pytest.mark.django_db
def test_the_tasks_of_a_silent_worker_are_queued_again_and_failed_after_three(queue: None) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="alive", host="h", pid=1, started_at=now, seen_at=now)
    WorkerBeat.objects.create(
        worker_id="silent", host="h", pid=2, started_at=now, seen_at=now - datetime.timedelta(minutes=5)
    )

    def running(name: str, workers: list[str]) -> DBTaskResult:
        result = DBTaskResult.objects.get(pk=test_tasks.record.enqueue(name=name).id)
        DBTaskResult.objects.filter(pk=result.pk).update(
            status=TaskResultStatus.RUNNING, started_at=now, worker_ids=workers
        )
        return result

    busy = running("busy", ["alive"])
    lost = running("lost", ["silent"])
    vanished = running("vanished", ["never-beat"])
    cursed = running("cursed", ["a", "b", "silent"])
    assert requeue_lost_tasks() == 3
    status = {r.pk: r.status for r in DBTaskResult.objects.all()}
    assert status[busy.pk] == TaskResultStatus.RUNNING
    assert status[lost.pk] == status[vanished.pk] == TaskResultStatus.READY
    assert status[cursed.pk] == TaskResultStatus.FAILED
    assert "3 times" in DBTaskResult.objects.get(pk=cursed.pk).traceback
    assert requeue_lost_tasks() == 0


# A real worker process, killed -------------------------------------------------------------------------


class Outside:
    """The test's database as seen from a worker process: PostgreSQL's test database itself; for SQLite,
    whose test database lives in this process's memory, a copy in a file that is copied back after."""

    def __init__(self, tmp_path: Path) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "laera.config.settings.base",
            "PYTHONPATH": str(ROOT),
        }
        self.env.update({"LAERA_WORKER_BEAT_SECONDS": "0.2", "LAERA_WORKER_LOST_AFTER_SECONDS": "1"})
        self.file: Path | None = None
        if connection.vendor == "sqlite":
            self.file = tmp_path / "laera.sqlite3"
            self.env.pop("DATABASE_URL", None)
            self.env["LAERA_DATA_DIR"] = str(tmp_path)
        else:
            db = connection.settings_dict
            self.env["DATABASE_URL"] = (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            )

    def __enter__(self) -> Outside:
        if self.file is not None:
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()

    def worker(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "laera", "worker", "--interval", "0.1", *args],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def names(self) -> set[str]:
        if self.file is None:
            return _names()
        with sqlite3.connect(self.file) as db:
            return {row[0] for row in db.execute("SELECT name FROM core_scheduledjob")}


def _wait_for(check: Callable[[], bool], process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if process.poll() is not None:
            raise AssertionError(
                f"the worker stopped: {process.stdout.read().decode() if process.stdout else ''}"
            )
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not get there in time")
        time.sleep(0.1)


@pytest.fixture
def outside(tmp_path: Path, queue: None) -> Iterator[Outside]:
    yield Outside(tmp_path)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_task_loses_nothing(outside: Outside) -> None:
    result = test_tasks.stall_first_attempt.enqueue(name="import")
    with outside:
        doomed = outside.worker("--worker-id", "doomed")
        try:
            _wait_for(lambda: "import:started" in outside.names(), doomed)
            doomed.send_signal(signal.SIGKILL)
            doomed.wait(timeout=30)
        finally:
            if doomed.poll() is None:
                doomed.kill()
        assert "import:done" not in outside.names(), "killed before its transaction committed"
        time.sleep(1.5)  # the dead worker's heartbeat grows old
        second = outside.worker("--worker-id", "second", "--batch")
        output = second.communicate(timeout=120)[0].decode()
        assert second.returncode == 0, output
    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.worker_ids == ["doomed", "second"] and task.return_value == 2
    assert ScheduledJob.objects.filter(name="import:done").count() == 1
    assert not WorkerBeat.objects.filter(worker_id="second").exists()
