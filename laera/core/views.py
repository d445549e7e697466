"""Pages that belong to no organisation: health, the accessibility statement, the front door."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from laera.organisations.selectors import organisations_for_user


def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database's status when all is well, 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is unavailable
        database = "unavailable"
    status = "ok" if database == "ok" else "degraded"
    return JsonResponse(
        {"status": status, "database": database, "vendor": connection.vendor},
        status=200 if database == "ok" else 503,
    )


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to their organisation, or let them choose when they belong to several."""
    organisations = list(organisations_for_user(request.user))
    if len(organisations) == 1:
        return redirect(organisations[0].get_absolute_url())
    return render(request, "core/choose_organisation.html", {"organisations": organisations})


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/403.html", {"reason": str(exception or "")}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "core/errors/500.html", status=500)
