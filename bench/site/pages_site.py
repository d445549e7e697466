"""What bench/pages.py adds to Læra's own URLs and middleware to measure it.

* `ServerTiming` times each request inside the server, from the first middleware to the rendered
  response, and counts its database queries and their time; it answers in a `Server-Timing` header
  (`app;dur=…, db;dur=…;desc="<queries>"`), so the client's own time and the network stay out of it.
* `/bench/bare/` renders a small Django template with no database query: the floor of any Django view.
* `/bench/o/<org>/empty/` renders Læra's own base template (header, navigation, footer) for the signed-in
  person, with no content: what every page of an organisation costs before it reads anything of its own
  (the session, the account, the person acting in the organisation, the menus). Each page's time is
  compared with both, measured in the same run on the same server.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import engines
from django.urls import include, path

from laera.organisations.tenancy import OrgRequest, org_view

BARE = engines["django"].from_string(
    '<!doctype html><html lang="nb"><head><title>{{ title }}</title></head>'
    "<body><main><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>"
    "</main></body></html>"
)


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE.render({"title": "Læra", "items": range(10)}, request))


@org_view
def empty(request: OrgRequest) -> HttpResponse:
    return render(request, "base.html", {})


class ServerTiming:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = 0
        database = 0.0

        def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries, database
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries += 1
                database += time.perf_counter() - started

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response["Server-Timing"] = (
            f'app;dur={elapsed * 1000:.2f}, db;dur={database * 1000:.2f};desc="{queries}"'
        )
        return response


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/o/<slug:org_slug>/empty/", empty),
    path("", include("laera.config.urls")),
]
