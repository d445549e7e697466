"""Pages that belong to no organisation: health, the accessibility statement, the error pages.

The front door, which sends a user to their organisation, is in organisations (`views.home`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .models import Job
from .services.jobs import job_state

# When the accessibility statement was written, and when Læra was last checked against WCAG 2.1 AA
# (the axe-core checks of the pages at desktop and phone width). Update them when the statement is
# revised or the pages are checked again.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 6)
ACCESSIBILITY_CHECKED_DATE = datetime.date(2026, 12, 6)


def _may_see_health_details(request: HttpRequest) -> bool:
    token = str(getattr(settings, "LAERA_HEALTH_TOKEN", "") or "")
    if token and constant_time_compare(str(request.headers.get("X-Health-Token", "")), token):
        return True
    try:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)
    except Exception:  # noqa: BLE001 - the session lives in the database, which may be the thing that is down
        return False


def healthz(request: HttpRequest) -> JsonResponse:
    """200 `{"status": "ok"}` when the database answers, 503 `{"status": "degraded"}` when it does not.

    Anonymous callers learn only that; operators (staff users) and callers sending LAERA_HEALTH_TOKEN
    in the X-Health-Token header also get the database's state and vendor.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is unavailable
        database = "unavailable"
    body = {"status": "ok" if database == "ok" else "degraded"}
    if _may_see_health_details(request):
        body.update(database=database, vendor=connection.vendor)
    response = JsonResponse(body, status=200 if database == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def _contact_link(contact: str) -> tuple[str, str]:
    """The operator's accessibility contact as (href, text): a web address as it is, an e-mail address
    as a mailto: link, anything else as text with no link."""
    if contact.startswith(("https://", "http://")):
        return contact, contact
    if "@" in contact and " " not in contact and ":" not in contact:
        return f"mailto:{contact}", contact
    return "", contact


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, after the EU model statement and the Norwegian one on uustatus.no."""
    contact = str(getattr(settings, "LAERA_ACCESSIBILITY_CONTACT", "") or "").strip()
    href, text = _contact_link(contact) if contact else ("", "")
    return render(
        request,
        "core/accessibility.html",
        {
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
            "checked_date": ACCESSIBILITY_CHECKED_DATE,
            "contact_href": href,
            "contact_text": text,
        },
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/403.html", {"reason": str(exception or "")}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "core/errors/500.html", status=500)


@dataclass(frozen=True)
class JobTexts:
    """What a job's page says while it waits, meanwhile, and at its end."""

    waiting: str
    meanwhile: str
    done: str
    failed: str

    @classmethod
    def for_import(cls) -> JobTexts:
        return cls(
            _("Waiting for the import to start …"),
            _(
                "You can go on with other pages meanwhile: the import goes on, and this page shows how it "
                "ended when you come back."
            ),
            _("The import is done."),
            _("Nothing was imported."),
        )

    @classmethod
    def for_export(cls) -> JobTexts:
        return cls(
            _("Waiting for the spreadsheet to be started …"),
            _(
                "You can go on with other pages meanwhile: the spreadsheet is made, and this page offers it "
                "when you come back."
            ),
            _("The spreadsheet is ready."),
            _("The spreadsheet could not be made."),
        )


def job_page(
    request: HttpRequest,
    job: Job,
    *,
    heading: str,
    back_url: str,
    back_label: str,
    result_template: str,
    done_links: list[tuple[str, str]] | None = None,
    texts: JobTexts | None = None,
    download_url: str = "",
) -> HttpResponse:
    """A background job's page (core/job.html), or only its progress for the page's own polling (HTMX).
    The caller has fetched the job through its app's access helper."""
    context = {
        "job": job,
        "state": job_state(job),
        "heading": heading,
        "back_url": back_url,
        "back_label": back_label,
        "result_template": result_template,
        "done_links": done_links or [],
        "texts": texts or JobTexts.for_import(),
        "download_url": download_url if job.file_name else "",
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "core/partials/job.html", context)
    return render(request, "core/job.html", context)
