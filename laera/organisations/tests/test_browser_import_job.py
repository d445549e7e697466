"""The people import running in a background worker, followed in Chromium: the job's page shows the
progress bar while the worker has not finished, then the counts, with focus and the status message on
the result; at 1280 px and on a phone, with the accessibility check."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from laera.core.worker import LaeraWorker
from laera.organisations.models import Person
from laera.testing.browser import (
    PHONE,
    assert_accessible,
    assert_no_overflow,
    screenshot,
    sign_in_as,
)
from laera.testing.demo import load_demo_data

from .test_browser import ORG

# On SQLite the tests' in-memory database is one shared cache: while one connection writes a table, a read
# of it on another fails at once ("database table is locked") instead of waiting as it would on a file or on
# PostgreSQL. So here the worker thread and the live server take turns with the database: one request or one
# step of the worker at a time. On PostgreSQL they run side by side, as in production.
TURNS = threading.RLock()


class TakingTurns(LaeraWorker):
    def _claim(self) -> Any:
        with TURNS:
            return super()._claim()

    def housekeeping(self) -> None:
        with TURNS:
            super().housekeeping()

    def _beat(self, *, started: bool = False) -> None:
        with TURNS:
            super()._beat(started=started)

    def run_task(self, task_result: Any) -> Any:
        with TURNS:
            return super().run_task(task_result)


def _one_request_at_a_time(application: Any) -> Any:
    def taking_turns(environ: dict[str, Any], start_response: Any) -> Any:
        with TURNS:
            return list(application(environ, start_response))

    return taking_turns


@pytest.fixture
def demo(transactional_db: Any, live_server: Any, settings: Any) -> Iterator[str]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    load_demo_data()
    server = live_server.thread.httpd
    application = server.get_app()
    if connection.vendor == "sqlite":
        server.set_app(_one_request_at_a_time(application))
    yield str(live_server.url)
    server.set_app(application)


class WorkerThread:
    """A worker beside the live server, started when the test is ready for the queue to move."""

    def __init__(self) -> None:
        self.worker = (TakingTurns if connection.vendor == "sqlite" else LaeraWorker)(
            queue_names=["*"],
            interval=0.1,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test",
            excluded_queue_names=[],
        )
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.worker.run()
        finally:
            connection.close()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.worker.running = False
        self.thread.join(timeout=30)


@pytest.fixture
def worker() -> Iterator[WorkerThread]:
    thread = WorkerThread()
    yield thread
    if thread.thread.is_alive():
        thread.stop()


def _file(tmp_path: Path, rows: int) -> Path:
    lines = ["name,email,units,job_role"]
    lines += [f"Ny Person {n},ny{n}@import.test,Mottaksteam,NAV-veileder" for n in range(rows)]
    path = tmp_path / "people.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_admin_follows_an_import_that_a_worker_runs(
    page: Page, demo: str, worker: WorkerThread, tmp_path: Path, width: str
) -> None:
    if width == "phone":
        page.set_viewport_size(PHONE)
    sign_in_as(page, demo, "admin@demo.laera.no", language="en")
    page.goto(f"{demo}{ORG}/people/import/")
    page.locator("input[type=file]").set_input_files(str(_file(tmp_path, 40)))
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Importing people")
    expect(page.locator("#job")).to_contain_text("Waiting for the import to start")
    expect(page.locator("#job progress")).to_be_visible()
    assert_no_overflow(page)
    assert_accessible(page, f"people-import-job-waiting-{width}")
    screenshot(page, f"people-import-job-waiting-{width}")
    job_url = page.url
    # The admin goes elsewhere; the import page leads back to the import running.
    page.goto(f"{demo}{ORG}/people/import/")
    page.get_by_role("link", name="See how far it has come").click()
    assert page.url == job_url

    worker.start()
    done = page.get_by_role("heading", name="The import is done.")
    expect(done).to_be_visible(timeout=30_000)
    expect(done).to_be_focused()
    expect(page.locator("#laera-status")).to_have_text("The import is done.")
    expect(page.locator("#job")).to_contain_text("40 new people")
    assert page.locator("#job[hx-trigger]").count() == 0, "the page stops asking"
    assert Person.objects.filter(email__endswith="@import.test").count() == 40
    assert_no_overflow(page)
    assert_accessible(page, f"people-import-job-done-{width}")
    screenshot(page, f"people-import-job-{width}")
    page.reload()
    expect(page.get_by_role("heading", name="The import is done.")).to_be_visible()
