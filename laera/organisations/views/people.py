from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laera.core.forms import apply_service
from laera.core.tenancy import OrgRequest, org_view

from .. import selectors, services
from ..forms import PersonForm


@org_view
def person_list(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    query = request.GET.get("q", "").strip()
    people = selectors.people_list(actor, query=query)
    if request.GET.get("without_unit"):
        people = people.filter(memberships__isnull=True)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    template = "organisations/partials/person_rows.html" if request.htmx else "organisations/person_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "can_add": actor.is_admin or bool(actor.led_unit_ids),
        },
    )


@org_view
def person_detail(request: OrgRequest, person_id: int) -> HttpResponse:
    actor = request.actor
    person = selectors.access_person(actor, person_id)
    memberships = list(selectors.person_memberships(actor, person))
    can_edit = actor.is_admin or any(actor.can_lead(m.unit_id) for m in memberships)
    # The same rule as the competence profile itself: the person, the leaders of their units, admins.
    can_see_profile = person.pk == actor.person.pk or can_edit
    return render(
        request,
        "organisations/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "can_edit": can_edit,
            "can_see_profile": can_see_profile,
        },
    )


@org_view
def person_create(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    actor.require(actor.is_admin or bool(actor.led_unit_ids))
    form = PersonForm(request.POST or None, actor=actor, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = apply_service(
            form,
            lambda: services.person_create(
                actor=actor,
                organisation=actor.organisation,
                full_name=data["full_name"],
                email=data["email"],
                job_role=data["job_role"],
                role=data["role"],
                units=list(data["units"]),
            ),
        )
        if person is not None:
            messages.success(request, _("%(name)s is added.") % {"name": person.full_name})
            return redirect(person.get_absolute_url())
    return render(request, "organisations/person_form.html", {"form": form, "person": None})


@org_view
def person_edit(request: OrgRequest, person_id: int) -> HttpResponse:
    actor = request.actor
    person = selectors.access_person(actor, person_id)
    unit_ids = set(person.memberships.values_list("unit_id", flat=True))
    actor.require(actor.is_admin or any(actor.can_lead(uid) for uid in unit_ids))
    form = PersonForm(
        request.POST or None,
        actor=actor,
        creating=False,
        initial={
            "full_name": person.full_name,
            "email": person.email,
            "job_role": person.job_role,
            "role": person.role,
            "is_active": person.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = apply_service(
            form,
            lambda: services.person_update(
                actor=actor,
                person=person,
                full_name=data["full_name"],
                email=data["email"],
                job_role=data["job_role"],
                role=data.get("role", person.role),
                is_active=data.get("is_active", person.is_active),
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes are saved."))
            return redirect(saved.get_absolute_url())
    return render(request, "organisations/person_form.html", {"form": form, "person": person})
