"""The working group of a unit: members, lead, minute taker, mandate, deadline and minutes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.versioning import save_versioned
from laera.organisations.tenancy import Actor, OrgRequest, org_view

from .. import selectors, services
from ..forms import AddPersonForm, MeetingForm, WorkingGroupForm
from ..models import Unit, WorkingGroup, WorkingGroupMeeting
from ..policies import (
    MeetingAction,
    UnitAction,
    WorkingGroupAction,
    meeting_policy,
    unit_policy,
    working_group_policy,
)
from ..selectors import PersonScope
from ..widgets import search_pending


def _add_form(actor: Actor, unit: Unit, data: object = None) -> AddPersonForm:
    return AddPersonForm(data, actor=actor, unit=unit, scope=PersonScope.GROUP_CANDIDATE)


def _group_context(actor: Actor, unit: Unit, add_form: AddPersonForm | None = None) -> dict[str, object]:
    group = selectors.working_group_for(actor, unit)
    members = list(group.members.all()) if group is not None else []
    leads = unit_policy.allows(actor, UnitAction.LEAD, unit)
    return {
        "unit": unit,
        "group": group,
        "members": members,
        "warnings": selectors.working_group_warnings(group, len(members)),
        "leads": leads,
        "coordinates": working_group_policy.allows_for_unit(actor, WorkingGroupAction.COORDINATE, unit.pk),
        "add_form": (add_form if add_form is not None else _add_form(actor, unit)) if leads else None,
    }


def _group_page(request: OrgRequest, unit: Unit, add_form: AddPersonForm | None = None) -> HttpResponse:
    actor = request.actor
    context = _group_context(actor, unit, add_form)
    group = context["group"]
    context["meetings"] = selectors.working_group_meetings(actor, group) if group is not None else []  # type: ignore[arg-type]
    return render(request, "organisations/working_group_detail.html", context)


@org_view
def working_group_detail(request: OrgRequest, unit_id: int) -> HttpResponse:
    return _group_page(request, selectors.access_unit(request.actor, unit_id))


def _group_as_saved(actor: Actor, unit: Unit) -> WorkingGroup:
    """The unit's working group, or the one a first save makes: it starts at the same version."""
    group = selectors.working_group_for(actor, unit)
    return group if group is not None else WorkingGroup(organisation=actor.organisation, unit=unit)


def _group_initial(group: WorkingGroup) -> dict[str, object]:
    return {
        "mandate": group.mandate,
        "deadline": group.deadline,
        "lead": group.lead,
        "minute_taker": group.minute_taker,
        "version": group.version,
    }


def _group_form(actor: Actor, current: WorkingGroup, data: object = None) -> WorkingGroupForm:
    return WorkingGroupForm(
        data,
        actor=actor,
        group=current if current.pk else None,
        initial=_group_initial(current),
    )


def _group_update(actor: Actor, unit: Unit, form: WorkingGroupForm) -> WorkingGroup:
    data = form.cleaned_data
    return services.working_group_update(
        actor=actor,
        unit=unit,
        mandate=data["mandate"],
        deadline=data["deadline"],
        lead=data["lead"],
        minute_taker=data["minute_taker"],
        version=data["version"],
    )


@org_view
def working_group_edit(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = selectors.access_unit(actor, unit_id)
    unit_policy.require(actor, UnitAction.LEAD, unit)
    form = _group_form(actor, _group_as_saved(actor, unit), request.POST or None)
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: _group_update(actor, unit, form),
            reload=lambda: _group_as_saved(actor, unit),
            fresh=lambda current: _group_form(actor, current),
        )
        if saved is not None:
            messages.success(request, _("The working group is saved."))
            return redirect(
                "organisations:working_group_detail", org_slug=actor.organisation.slug, unit_id=unit.pk
            )
    return render(
        request,
        "organisations/working_group_form.html",
        {"form": form, "unit": unit, "conflict": conflict},
    )


def _members_response(
    request: OrgRequest, unit: Unit, error: str = "", done: str = "", form: AddPersonForm | None = None
) -> HttpResponse:
    """HTMX gets the refreshed member list, saying what happened; a plain form post goes back to the page,
    or shows it again with the matches of a search typed without JavaScript (`form`)."""
    if request.htmx:
        context = _group_context(request.actor, unit, form)
        context["error"] = error
        context["done"] = done
        return render(request, "organisations/partials/working_group_members.html", context)
    if form is not None:
        return _group_page(request, unit, form)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect(
        reverse(
            "organisations:working_group_detail",
            kwargs={"org_slug": request.actor.organisation.slug, "unit_id": unit.pk},
        )
    )


@org_view
def working_group_member_add(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = selectors.access_unit(actor, unit_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    unit_policy.require(actor, UnitAction.LEAD, unit)
    form = _add_form(actor, unit, request.POST)
    if not form.is_valid():
        if search_pending(form):
            return _members_response(request, unit, form=form)
        return _members_response(request, unit, _("Choose a person to add."))
    person = form.cleaned_data["person"]
    try:
        services.working_group_member_add(actor=actor, unit=unit, person=person)
    except ServiceError as exc:
        return _members_response(request, unit, " ".join(exc.messages))
    done = _("%(name)s is added to the working group.") % {"name": person.full_name}
    return _members_response(request, unit, done=done)


@org_view
def working_group_member_remove(request: OrgRequest, member_id: int) -> HttpResponse:
    actor = request.actor
    member = selectors.access_working_group_member(actor, member_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    working_group_policy.require(actor, WorkingGroupAction.LEAD, member.group)
    unit = member.group.unit
    name = member.person.full_name
    services.working_group_member_remove(actor=actor, member=member)
    done = _("%(name)s is removed from the working group.") % {"name": name}
    return _members_response(request, unit, done=done)


@org_view
def meeting_create(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = selectors.access_unit(actor, unit_id)
    working_group_policy.require_for_unit(actor, WorkingGroupAction.COORDINATE, unit.pk)
    group = selectors.working_group_for(actor, unit)
    initial = {"minute_taker": group.minute_taker} if group is not None else {}
    form = MeetingForm(request.POST or None, actor=actor, group=group, initial=initial, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = apply_service(
            form,
            lambda: services.meeting_create(
                actor=actor,
                unit=unit,
                held_on=data["held_on"],
                minutes=data["minutes"],
                minute_taker=data["minute_taker"],
            ),
        )
        if meeting is not None:
            messages.success(request, _("The minutes are saved."))
            return redirect(
                "organisations:meeting_detail", org_slug=actor.organisation.slug, meeting_id=meeting.pk
            )
    return render(request, "organisations/meeting_form.html", {"form": form, "unit": unit, "meeting": None})


@org_view
def meeting_detail(request: OrgRequest, meeting_id: int) -> HttpResponse:
    actor = request.actor
    meeting = selectors.access_meeting(actor, meeting_id)
    return render(
        request,
        "organisations/meeting_detail.html",
        {
            "meeting": meeting,
            "unit": meeting.group.unit,
            "coordinates": meeting_policy.allows(actor, MeetingAction.EDIT, meeting),
        },
    )


def _meeting_initial(meeting: WorkingGroupMeeting) -> dict[str, object]:
    return {
        "held_on": meeting.held_on,
        "minutes": meeting.minutes,
        "minute_taker": meeting.minute_taker,
        "version": meeting.version,
    }


@org_view
def meeting_edit(request: OrgRequest, meeting_id: int) -> HttpResponse:
    actor = request.actor
    meeting = selectors.access_meeting(actor, meeting_id)
    meeting_policy.require(actor, MeetingAction.EDIT, meeting)

    def make_form(current: WorkingGroupMeeting, data: object = None) -> MeetingForm:
        return MeetingForm(data, actor=actor, group=current.group, initial=_meeting_initial(current))

    form = make_form(meeting, request.POST or None)
    conflict = None
    if request.method == "POST":

        def save() -> WorkingGroupMeeting:
            data = form.cleaned_data
            return services.meeting_update(
                actor=actor,
                meeting=meeting,
                held_on=data["held_on"],
                minutes=data["minutes"],
                minute_taker=data["minute_taker"],
                version=data["version"],
            )

        saved, conflict = save_versioned(
            form, save, reload=lambda: selectors.access_meeting(actor, meeting_id), fresh=make_form
        )
        if saved is not None:
            messages.success(request, _("The minutes are saved."))
            return redirect(
                "organisations:meeting_detail", org_slug=actor.organisation.slug, meeting_id=meeting.pk
            )
    return render(
        request,
        "organisations/meeting_form.html",
        {"form": form, "unit": meeting.group.unit, "meeting": meeting, "conflict": conflict},
    )


@org_view
def meeting_delete(request: OrgRequest, meeting_id: int) -> HttpResponse:
    actor = request.actor
    meeting = selectors.access_meeting(actor, meeting_id)
    meeting_policy.require(actor, MeetingAction.EDIT, meeting)
    if request.method != "POST":
        return render(
            request, "organisations/meeting_delete.html", {"meeting": meeting, "unit": meeting.group.unit}
        )
    unit = meeting.group.unit
    services.meeting_delete(actor=actor, meeting=meeting)
    messages.success(request, _("The minutes are deleted."))
    return redirect("organisations:working_group_detail", org_slug=actor.organisation.slug, unit_id=unit.pk)
