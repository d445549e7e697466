"""The front door and the start page: what is due for this person.

The organisation app sits at the bottom of the loop, so it knows nothing of plans, mapping or
competences; each of those apps adds its next steps to the start page through the `start_steps` hook
(`selectors.start_steps`). Every step runs a fixed number of queries, so the page costs the same whatever
the size of the organisation.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from laera.organisations.tenancy import OrgRequest, org_view

from .. import selectors


@login_required
def choose_organisation(request: HttpRequest) -> HttpResponse:
    """Send the user to their organisation, or let them choose when they belong to several."""
    organisations = list(selectors.organisations_for_user(request.user))
    if len(organisations) == 1:
        return redirect(organisations[0].get_absolute_url())
    return render(request, "organisations/choose_organisation.html", {"organisations": organisations})


@org_view
def org_home(request: OrgRequest) -> HttpResponse:
    """The start page: what this person should do next, by role."""
    actor = request.actor
    page = selectors.start_page(actor)
    page.steps = selectors.start_steps(actor, page)
    page.closing_steps = []
    return render(request, "organisations/home.html", {"page": page})
