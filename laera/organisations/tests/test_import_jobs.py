"""The people import in the background: a good file starts a job and the admin follows it on its page
(a progress bar asked for again every second, then the counts or every problem, in their language);
a bad file is still refused at once; progress is seen from outside the import's transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from laera.core.models import Job, JobStatus
from laera.core.services.jobs import JobProgress, job_run, job_state
from laera.organisations import services
from laera.organisations.imports import PeopleRow
from laera.organisations.models import Person
from laera.testing.factories import OrganisationFactory
from laera.testing.world import World

from .test_audit_log import english

pytestmark = pytest.mark.django_db

CSV = "Name;E-mail;Unit\nNy Person;ny@example.org;Mottak\nTo Personer;to@example.org;Mottak\n"


@pytest.fixture
def queue(settings: Any) -> None:
    """Tasks wait in the database queue, as in production, until the test runs them as a worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _upload(client: Any, world: World, text: str = CSV) -> Any:
    url = reverse("organisations:people_import", kwargs={"org_slug": world.organisation.slug})
    return client.post(url, {"file": SimpleUploadedFile("people.csv", text.encode())})


def _job_url(world: World, job: Job) -> str:
    return reverse(
        "organisations:people_import_job", kwargs={"org_slug": world.organisation.slug, "job_id": job.pk}
    )


def _run(job: Job) -> Any:
    """What a worker does with the queued task."""
    return services.people_import_task.call(job_id=job.pk)


def test_a_good_file_is_imported_in_the_background_and_followed_on_its_page(
    world: World, client_for: Any, queue: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = english(client_for("admin"))
    before = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world)
    job = Job.objects.filter(kind=services.PEOPLE_IMPORT).latest("created_at")
    assert response.status_code == 302 and response["Location"] == _job_url(world, job)
    assert job.status == JobStatus.QUEUED and job.total == 2 and job.language == "en"
    assert Person.objects.count() == before, "nothing is written in the request"

    waiting = client.get(_job_url(world, job)).content.decode()
    assert "Waiting for the import to start" in waiting and 'hx-trigger="every 1s"' in waiting
    page = client.get(reverse("organisations:people_import", kwargs={"org_slug": world.organisation.slug}))
    assert _job_url(world, job) in page.content.decode(), "the import page leads to the import running"

    result = _run(job)
    assert result["created"] == 2 and Person.objects.count() == before + 2
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total == 2 and job.input == {}
    partial = client.get(_job_url(world, job), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial, "the page stops asking once the import has ended"
    assert "The import is done." in partial and "data-status" in partial and "data-focus" in partial
    assert "2 new people" in " ".join(partial.split())
    assert _run(job) is None, "a job that has ended is not run again"
    assert Person.objects.count() == before + 2


def test_a_bad_file_is_refused_at_once_and_starts_nothing(world: World, client_for: Any, queue: None) -> None:
    client = english(client_for("admin"))
    response = _upload(client, world, "Name;E-mail\n;mangler@example.org\n")
    assert response.status_code == 200 and "Nothing was imported" in response.content.decode()
    assert not Job.objects.filter(kind=services.PEOPLE_IMPORT, status=JobStatus.QUEUED).exists()


def test_rows_that_turn_out_wrong_in_the_worker_end_the_job_with_each_problem_and_save_nothing(
    world: World, client_for: Any, queue: None, django_capture_on_commit_callbacks: Any
) -> None:
    """A file checked in the page can still be refused by the worker (the organisation changed
    meanwhile): the job ends with the problems, by line, in the language of whoever started it."""
    rows = [
        PeopleRow(line=2, name="God Rad", email="god@example.org"),
        PeopleRow(line=3, name="", email="ikke-en-adresse"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.people_import_start(
            actor=world.actor("admin"), rows=rows, site_url="http://testserver"
        )
    Job.objects.filter(pk=job.pk).update(language="sv")
    before = Person.objects.count()
    _run(job)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and Person.objects.count() == before
    assert {error["line"] for error in job.errors} == {3}
    assert all(
        "e-post" in error["message"].lower() or "namn" in error["message"].lower() for error in job.errors
    )
    html = english(client_for("admin")).get(_job_url(world, job)).content.decode()
    assert "Nothing was imported: " in html and "ikke-en-adresse" not in html.split("<tbody>")[0]


def test_a_job_that_breaks_ends_as_failed_with_a_message_and_the_task_fails_too(world: World) -> None:
    job = Job.objects.create(organisation=world.organisation, kind="probe", language="en")

    def broken(job: Job, progress: JobProgress) -> dict[str, Any]:
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        job_run(job.pk, broken)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message.startswith("Something went wrong")


def test_the_import_reports_each_phase_and_every_row(world: World) -> None:
    reports: list[tuple[int, int | None, str | None]] = []

    def progress(done: int, *, total: int | None = None, phase: str | None = None) -> None:
        reports.append((done, total, phase))

    rows = [PeopleRow(line=n + 2, name=f"Person {n}", email=f"p{n}@example.org") for n in range(5)]
    services.people_import(
        actor=world.actor("admin"), organisation=world.organisation, rows=rows, progress=progress
    )
    assert reports[0] == (0, 5, "checking")
    assert reports[1] == (0, 5, "saving")
    assert [done for done, _total, _phase in reports[2:]] == [1, 2, 3, 4, 5]


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_from_outside_the_transaction_that_writes() -> None:
    """The page reads progress while the import's transaction is still open: by a second connection
    on PostgreSQL, by a file on SQLite."""
    job = Job.objects.create(organisation=OrganisationFactory(), kind="probe", language="en")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    seen = []

    def work(job: Job, progress: JobProgress) -> dict[str, Any]:
        with transaction.atomic():
            progress(0, total=10, phase="saving")
            progress(7)
            progress(10)
            seen.append(job_state(Job.objects.get(pk=job.pk)))
        return {}

    job_run(job.pk, work)
    assert seen[0].done == 10 and seen[0].total == 10 and seen[0].phase == "saving" and seen[0].percent == 100
    assert job_state(Job.objects.get(pk=job.pk)).status == JobStatus.DONE


def test_only_admins_follow_an_import(world: World, client_for: Any) -> None:
    job = world.extra_objects["job"]
    assert client_for("admin").get(_job_url(world, job)).status_code == 200
    for role in ("leader", "coordinator", "employee"):
        assert client_for(role).get(_job_url(world, job)).status_code == 403
