from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.versioning import save_versioned
from laera.organisations.tenancy import Actor, OrgRequest, id_or_404, org_view

from .. import selectors, services
from ..forms import PersonForm
from ..models import Person
from ..policies import PersonAction, person_policy
from ..widgets import PERSON, picker_name, search_answer, typed
from .invitations import site_url_for


@org_view
def person_list(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    query = request.GET.get("q", "").strip()
    people = selectors.people_list(actor, query=query, unitless=bool(request.GET.get("without_unit")))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    template = "organisations/partials/person_rows.html" if request.htmx else "organisations/person_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "can_add": person_policy.allows(actor, PersonAction.ADD),
        },
    )


@org_view
def person_search(request: OrgRequest) -> HttpResponse:
    """The person picker's matches (`laera.organisations.widgets`): the people its field offers whose
    name or e-mail holds what was typed, leaving out those already chosen, as a fragment for HTMX. Opened
    as a page, it is the people list's search for the same text."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    unit = request.GET.get("unit", "")
    people = selectors.person_field_choices(
        request.actor,
        request.GET.get("field", selectors.PersonScope.ACTIVE),
        id_or_404(unit) if unit else None,
    )
    if not request.htmx:
        query = typed(request.GET, picker_name(request.GET.get("name", "")))
        list_url = reverse("organisations:person_list", kwargs={"org_slug": request.actor.organisation.slug})
        return redirect(f"{list_url}?{urlencode({'q': query})}" if query else list_url)
    context = search_answer(PERSON, people, request.GET)
    return render(request, "organisations/widgets/picker_results.html", context)


@org_view
def person_detail(request: OrgRequest, person_id: int) -> HttpResponse:
    actor = request.actor
    person = selectors.access_person(actor, person_id)
    memberships = list(selectors.person_memberships(actor, person))
    can_edit = person_policy.allows(
        actor, PersonAction.EDIT, person, unit_ids=[m.unit_id for m in memberships]
    )
    # The same rule as the competence profile itself: the person, the leaders of their units, admins.
    can_see_profile = person_policy.allows(
        actor, PersonAction.SEE_PROFILE, person, unit_ids=[m.unit_id for m in memberships]
    )
    # How the person signs in is shown to those who may edit them, and they may send the invitation again.
    sign_in = selectors.person_sign_in_state(actor, person) if can_edit else None
    return render(
        request,
        "organisations/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "can_edit": can_edit,
            "can_see_profile": can_see_profile,
            "sign_in": sign_in,
            "can_invite": sign_in is not None
            and person.is_active
            and sign_in.state not in (selectors.SignIn.ACCOUNT, selectors.SignIn.NO_EMAIL),
        },
    )


@org_view
def person_create(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    person_policy.require(actor, PersonAction.ADD)
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
                site_url=site_url_for(request),
            ),
        )
        if person is not None:
            if person.email:
                messages.success(
                    request,
                    _("%(name)s is added, and an invitation to sign in is sent to %(email)s.")
                    % {"name": person.full_name, "email": person.email},
                )
            else:
                messages.success(request, _("%(name)s is added.") % {"name": person.full_name})
            return redirect(person.get_absolute_url())
    return render(request, "organisations/person_form.html", {"form": form, "person": None})


def _edit_form(actor: Actor, person: Person, data: Any = None) -> PersonForm:
    return PersonForm(
        data,
        actor=actor,
        creating=False,
        person=person,
        initial={
            "full_name": person.full_name,
            "email": person.email,
            "job_role": person.job_role,
            "role": person.role,
            "is_active": person.is_active,
            "version": person.version,
        },
    )


def _person_update(request: OrgRequest, person: Person, form: PersonForm) -> Person:
    data = form.cleaned_data
    return services.person_update(
        actor=request.actor,
        person=person,
        version=data["version"],
        full_name=data["full_name"],
        email=data.get("email", person.email),
        job_role=data["job_role"],
        role=data.get("role", person.role),
        is_active=data.get("is_active", person.is_active),
        site_url=site_url_for(request),
    )


@org_view
def person_edit(request: OrgRequest, person_id: int) -> HttpResponse:
    """Admins edit everything but their own identity; leaders the name and job role (see
    `services.person_update`). A save from an older version of the person shows what is saved now."""
    actor = request.actor
    person = selectors.access_person(actor, person_id)
    person_policy.require(actor, PersonAction.EDIT, person)
    if request.method != "POST":
        return render(
            request,
            "organisations/person_form.html",
            {"form": _edit_form(actor, person), "person": person},
        )
    form = _edit_form(actor, person, request.POST)
    saved, conflict = save_versioned(
        form,
        lambda: _person_update(request, person, form),
        reload=lambda: selectors.access_person(actor, person.pk),
        fresh=lambda current: _edit_form(actor, current),
    )
    if saved is not None:
        if saved.email and saved.email != person.email.lower() and saved.is_active:
            messages.success(
                request,
                _("The changes are saved, and an invitation to sign in is sent to %(email)s.")
                % {"email": saved.email},
            )
        else:
            messages.success(request, _("The changes are saved."))
        return redirect(saved.get_absolute_url())
    return render(
        request, "organisations/person_form.html", {"form": form, "person": person, "conflict": conflict}
    )


@org_view
def person_invite(request: OrgRequest, person_id: int) -> HttpResponse:
    """Send the person a new invitation to sign in (the old one stops working)."""
    actor = request.actor
    person = selectors.access_person(actor, person_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person_policy.require(actor, PersonAction.EDIT, person)
    try:
        invitation = services.invitation_send(actor=actor, person=person, site_url=site_url_for(request))
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        days = invitation.VALID_DAYS
        messages.success(
            request,
            ngettext(
                "An invitation to sign in is sent to %(email)s. It works for %(days)s day.",
                "An invitation to sign in is sent to %(email)s. It works for %(days)s days.",
                days,
            )
            % {"email": invitation.email, "days": days},
        )
    return redirect(person.get_absolute_url())
