"""The page benchmark's own parts (bench/pages.py, bench/site/pages_site.py): what it reads from a page and
from the server's timing header must be right, or its figures mean nothing."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from laera.organisations.models import Organisation

BENCH = Path(__file__).resolve().parents[3] / "bench"


@pytest.fixture(scope="module")
def bench() -> Iterator[tuple[ModuleType, ModuleType]]:
    sys.path[:0] = [str(BENCH), str(BENCH / "site")]
    try:
        yield importlib.import_module("pages"), importlib.import_module("pages_site")
    finally:
        del sys.path[:2]


def test_links_keep_same_site_pages_and_leave_downloads_and_other_sites(bench) -> None:
    pages, _site = bench
    html = """<a href="/o/x/plans/">Plans</a> <a href="units/3/#top">Unit</a> <a href="?page=2">Next</a>
    <a href="https://example.org/">Away</a> <a href="/o/x/plans/4/plan.pdf">PDF</a>
    <a href="/static/laera/laera.css">CSS</a> <a href="/admin/">Admin</a> <a>No link</a>"""

    found = pages.links(html, "/o/x/people/")

    assert found == ["/o/x/plans/", "/o/x/people/units/3/", "/o/x/people/?page=2"]


def test_the_server_timing_header_is_read_back(bench) -> None:
    pages, _site = bench
    headers = {"server-timing": 'app;dur=12.50, db;dur=3.25;desc="7"'}

    assert pages._timing(headers, "app") == (12.5, None)
    assert pages._timing(headers, "db") == (3.25, "7")
    assert pages._timing({}, "app") == (0.0, None)


def test_p95_is_the_nearest_rank(bench) -> None:
    pages, _site = bench

    assert pages.p95([5.0, 1.0, 3.0, 2.0, 4.0]) == 5.0
    assert pages.p95([float(n) for n in range(1, 101)]) == 95.0


@pytest.mark.django_db
def test_the_middleware_times_the_request_and_counts_its_queries(bench) -> None:
    _pages, site = bench

    def view(request) -> HttpResponse:
        list(Organisation.objects.all())
        list(Organisation.objects.all())
        return HttpResponse("ok")

    response = site.ServerTiming(view)(RequestFactory().get("/"))

    app, db = response["Server-Timing"].split(", ")
    assert app.startswith("app;dur=") and float(app[8:]) > 0
    assert db.startswith("db;dur=") and db.endswith(';desc="2"')


def test_the_empty_page_is_the_signed_in_base_template_and_nothing_else(bench, world, client_for) -> None:
    """The floor every organisation page is compared with: the person acting in the organisation, the
    header, the menus and the footer — for members only, like every page."""
    _pages, site = bench
    request = RequestFactory().get(f"/bench/o/{world.organisation.slug}/empty/")
    request.user = world.people["employee"].user
    request.session = {}
    response = site.empty(request, org_slug=world.organisation.slug)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="main"' in html and "</footer>" in html
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    assert site.empty(request, org_slug=world.organisation.slug).status_code == 302
