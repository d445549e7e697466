"""Long work a person starts and follows on a page: an import of 2,000 people, a large export.

The page calls `job_start`, which writes a `Job` row and queues the app's task for when the transaction
commits, and sends the person to the job's page. The task calls `job_run` with a function that does the
work and reports how far it has come (`JobProgress`); the page asks `job_state` every second and shows a
progress bar, and at the end the result or every problem found, in the language of the person who
started it. The work keeps its own rules: an import is still one transaction that saves nothing unless
every row is right.

**Progress from inside a transaction.** An import writes in one transaction, and what it writes there is
seen by nobody else until it commits, the job's own row included. So progress goes by a side way: on
PostgreSQL through a second connection of its own, which commits each report at once; on SQLite, where
one transaction writes at a time (and which runs on one machine only), through a small file beside the
database. `job_state` reads both.

A job whose worker was lost is run again from the start by the next worker (laera/core/worker.py); one
that has ended is not run again.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import Task

from ..hooks import get_hooks
from ..models import Job, JobStatus
from ..tasks import enqueue_on_commit

logger = logging.getLogger("laera.jobs")

# A report is written at most this often, and always at a change of phase and at the end.
REPORT_EVERY_SECONDS = 0.5


class JobRefused(Exception):
    """The work found problems the person must fix (the rows of a file); nothing was saved. `errors`
    are shown as a table: dicts with "line" and "message", already in the job's language."""

    def __init__(self, errors: list[dict[str, Any]], message: str = "") -> None:
        super().__init__(message or f"{len(errors)} problems")
        self.errors = errors
        self.message = message


class Progress(Protocol):
    """What work that reports its progress calls: the count done, and the total and phase when they
    change (`JobProgress`, or nothing when the work runs on the command line)."""

    def __call__(self, done: int, *, total: int | None = None, phase: str | None = None) -> None: ...


def no_progress(done: int, *, total: int | None = None, phase: str | None = None) -> None:
    """The `Progress` of work nobody follows (the command line, a test): it hears and does nothing."""


Work = Callable[[Job, "JobProgress"], dict[str, Any]]


def job_start(
    *,
    organisation_id: int,
    person_id: int | None,
    kind: str,
    task: Task[Any, Any],
    input: dict[str, Any],
    total: int = 0,
    language: str | None = None,
    link: Callable[[Job], str] | None = None,
) -> Job:
    """Write the job and queue `task(job_id=…)` for when the caller's transaction commits. `link` gives
    the path of the job's page, for the organisation's list of background work."""
    job = Job.objects.create(
        organisation_id=organisation_id,
        started_by_id=person_id,
        kind=kind,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        input=input,
        total=total,
    )
    if link is not None:
        job.link = link(job)
        Job.objects.filter(pk=job.pk).update(link=job.link)
    enqueue_on_commit(task, job_id=job.pk)
    return job


def job_kinds() -> dict[str, str]:
    """What each kind of job is called, in the active language, from the apps' "job_kinds" hooks."""
    kinds: dict[str, str] = {}
    for hook in get_hooks("job_kinds"):
        kinds.update({key: str(label) for key, label in hook().items()})
    return kinds


def job_run(job_id: int, work: Work) -> dict[str, Any] | None:
    """Run `work` for the job: from its task, in the language of the person who started it. Returns the
    result; a job that has ended already (run again after a lost worker) is left as it is."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return None
    job.status, job.started_at, job.done, job.phase = JobStatus.RUNNING, timezone.now(), 0, ""
    job.save(update_fields=["status", "started_at", "done", "phase", "updated_at"])
    progress = JobProgress(job)
    try:
        with translation.override(job.language):
            result = work(job, progress)
    except JobRefused as refused:
        _finish(job, JobStatus.FAILED, errors=refused.errors, message=refused.message)
        return None
    except Exception:
        with translation.override(job.language):
            message = _("Something went wrong, and nothing was saved. Try again, or tell your administrator.")
        _finish(job, JobStatus.FAILED, message=message)
        raise  # the task fails too, with the traceback, for the operator
    finally:
        progress.close()
    _finish(job, JobStatus.DONE, result=result)
    return result


def _finish(
    job: Job,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    errors: list[dict[str, Any]] | None = None,
    message: str = "",
) -> None:
    job.status = status
    job.result = result or {}
    job.errors = errors or []
    job.message = message
    job.finished_at = timezone.now()
    job.input = {}  # what the task needed (the rows of a file) is not kept
    if status == JobStatus.DONE and job.total:
        job.done = job.total
    job.save()


def job_attach_file(job: Job, content: bytes, *, name: str, content_type: str) -> None:
    """Keep the file an export made with its job, for the person to download from the job's page."""
    job.file, job.file_name, job.content_type = content, name[:200], content_type
    Job.objects.filter(pk=job.pk).update(file=content, file_name=job.file_name, content_type=content_type)


@dataclass
class JobProgress:
    """How far a job has come: call it with the count done (and, when they change, the total and the
    phase). Reports are written by the side way described above, at most every half second."""

    job: Job
    _last: float = 0.0
    _phase: str = ""
    _side: Any = field(default=None, repr=False)

    def __call__(self, done: int, *, total: int | None = None, phase: str | None = None) -> None:
        changed = False
        if total is not None and total != self.job.total:
            self.job.total, changed = total, True
        if phase is not None and phase != self._phase:
            self._phase, changed = phase, True
        self.job.done = done
        now = time.monotonic()
        if not changed and done < self.job.total and now - self._last < REPORT_EVERY_SECONDS:
            return
        self._last = now
        self._write({"done": done, "total": self.job.total, "phase": self._phase})

    def _write(self, report: dict[str, Any]) -> None:
        report["phase"] = str(report["phase"]).split()[0] if report["phase"] else ""
        if connection.vendor == "sqlite":
            _write_file(self.job.pk, report)
            return
        try:
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._side.cursor() as cursor:
                cursor.execute(
                    "UPDATE core_job SET done = %s, total = %s, phase = %s WHERE id = %s",
                    [report["done"], report["total"], report["phase"], self.job.pk],
                )
        except Exception:  # a report that cannot be written must never stop the work
            logger.exception("Progress of job %s could not be written", self.job.pk)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
        _progress_file(self.job.pk).unlink(missing_ok=True)


@dataclass(frozen=True)
class JobState:
    status: str
    phase: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


def job_state(job: Job) -> JobState:
    """The job as the page shows it: the row, and for a running job on SQLite its progress file."""
    state = JobState(job.status, job.phase, job.done, job.total)
    if job.status == JobStatus.RUNNING and connection.vendor == "sqlite":
        report = _read_file(job.pk)
        if report:
            state = JobState(job.status, report["phase"], report["done"], report["total"])
    return state


def _progress_file(job_id: int) -> Path:
    return Path(settings.LAERA_JOB_PROGRESS_DIR) / f"{int(job_id)}.json"


def _write_file(job_id: int, report: dict[str, Any]) -> None:
    """One line: the count done, the total and the phase (a word of the code's own)."""
    path = _progress_file(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(f"{int(report['done'])} {int(report['total'])} {report['phase']}", encoding="utf-8")
    os.replace(partial, path)  # a reader sees the old report or the new one, never half of one


def _read_file(job_id: int) -> dict[str, Any] | None:
    try:
        done, total, phase = (_progress_file(job_id).read_text(encoding="utf-8").split(" ", 2) + ["", ""])[:3]
        return {"done": int(done), "total": int(total), "phase": phase}
    except (OSError, ValueError):
        return None
