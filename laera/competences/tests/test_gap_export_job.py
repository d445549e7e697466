"""A large gap spreadsheet is made in the background: the person follows it on its page and downloads the
same workbook the page would have given at once; nobody else reads it."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from laera.competences import gap_export
from laera.core.models import Job, JobStatus

from .gap_world import GapWorld, build_gap_world, english

pytestmark = pytest.mark.django_db


@pytest.fixture
def gw(world: Any) -> GapWorld:
    return build_gap_world(world)


def _cells(content: bytes) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def test_a_large_export_is_made_in_the_background_and_downloaded_at_its_end(
    gw: GapWorld,
    client_for: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = english(client_for("admin"))
    params = {"source": "self", "round": gw.round.pk}
    direct = client.get(gw.url("gap_export"), params)
    assert direct.status_code == 200 and direct["Content-Type"].startswith("application/vnd.openxml")

    monkeypatch.setattr(gap_export, "CELLS_AT_ONCE", 0)  # every export is large now
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(gw.url("gap_export"), params)
    job = Job.objects.get(kind=gap_export.GAP_EXPORT)
    assert started.status_code == 302 and started["Location"] == job.link
    waiting = client.get(job.link).content.decode()
    assert "Waiting for the spreadsheet to be started" in waiting and 'hx-trigger="every 1s"' in waiting
    download = reverse(
        "competences:gap_export_download", kwargs={"org_slug": gw.world.organisation.slug, "job_id": job.pk}
    )
    assert client.get(download)["Location"] == job.link, "nothing to download before the end"

    gap_export.gap_export_task.call(job_id=job.pk)  # what a worker runs
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file_name.endswith(".xlsx")
    done = client.get(job.link, headers={"HX-Request": "true"}).content.decode()
    assert "The spreadsheet is ready." in done and download in done and "hx-trigger" not in done
    got = client.get(download)
    assert got.status_code == 200 and 'filename="' in got["Content-Disposition"]
    assert _cells(got.content) == _cells(direct.content), "the same workbook as the page gives at once"

    for role in ("leader", "coordinator"):  # not theirs, and they are not admins
        assert client_for(role).get(download).status_code == 403
    assert client_for("employee").get(job.link).status_code == 403
