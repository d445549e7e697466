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
    login,
    screenshot,
    switch_to_english,
)
from laera.testing.demo import load_demo_data

from .test_browser import ORG


@pytest.fixture
def demo(transactional_db: Any, live_server: Any, settings: Any) -> str:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    load_demo_data()
    return str(live_server.url)


class WorkerThread:
    """A worker beside the live server, started when the test is ready for the queue to move."""

    def __init__(self) -> None:
        self.worker = LaeraWorker(
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
    login(page, demo, "admin@demo.laera.no")
    switch_to_english(page, demo)
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
