from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from laera.core.tenancy import OrgRequest, org_view

from .. import selectors


@org_view
def org_home(request: OrgRequest) -> HttpResponse:
    """The start page: what this person should do next, by role."""
    page = selectors.start_page(request.actor)
    return render(request, "organisations/home.html", {"page": page})
