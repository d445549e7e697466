from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.versioning import save_versioned
from laera.organisations.tenancy import OrgRequest, id_or_404, org_view

from .. import selectors, services
from ..forms import AddPersonForm, UnitForm
from ..models import Unit
from ..policies import MembershipAction, UnitAction, membership_policy, unit_policy
from ..tenancy import Actor
from ..widgets import UNIT, search_answer, search_pending


@org_view
def unit_list(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    tree = selectors.unit_tree(actor)
    return render(request, "organisations/unit_list.html", {"tree": tree})


@org_view
def unit_search(request: OrgRequest) -> HttpResponse:
    """The unit picker's matches (`laera.organisations.widgets`): the units its field offers whose name
    holds what was typed, leaving out those already chosen, as a fragment for HTMX. Opened as a page, it is
    the list of units."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    units = selectors.unit_field_choices(request.actor, request.GET.get("field", selectors.UnitScope.ALL))
    if not request.htmx:
        return redirect("organisations:unit_list", org_slug=request.actor.organisation.slug)
    context = search_answer(UNIT, units, request.GET)
    return render(request, "organisations/widgets/picker_results.html", context)


def _unit_context(actor: Actor, unit: Unit, add_form: AddPersonForm | None = None) -> dict[str, object]:
    leads = unit_policy.allows(actor, UnitAction.LEAD, unit)
    return {
        "unit": unit,
        "path": selectors.unit_path(actor, unit),
        "children": selectors.unit_children(actor, unit),
        "members": list(selectors.unit_members(actor, unit)),
        "group": selectors.working_group_for(actor, unit),
        "leads": leads,
        "add_form": (add_form if add_form is not None else AddPersonForm(actor=actor, unit=unit))
        if leads
        else None,
    }


@org_view
def unit_detail(request: OrgRequest, unit_id: int) -> HttpResponse:
    unit = selectors.access_unit(request.actor, unit_id)
    return render(request, "organisations/unit_detail.html", _unit_context(request.actor, unit))


@org_view
def unit_create(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    unit_policy.require(actor, UnitAction.CREATE)
    initial = {}
    if request.GET.get("parent"):
        initial["parent"] = selectors.access_unit(actor, id_or_404(request.GET["parent"]))
    form = UnitForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = apply_service(
            form,
            lambda: services.unit_create(
                actor=actor,
                organisation=actor.organisation,
                name=data["name"],
                parent=data["parent"],
                leader=data["leader"],
                description=data["description"],
            ),
        )
        if unit is not None:
            messages.success(request, _("The unit %(name)s is created.") % {"name": unit.name})
            return redirect(unit.get_absolute_url())
    return render(request, "organisations/unit_form.html", {"form": form, "unit": None})


def _unit_initial(unit: Unit) -> dict[str, object]:
    return {
        "name": unit.name,
        "parent": unit.parent,
        "leader": unit.leader,
        "description": unit.description,
        "version": unit.version,
    }


@org_view
def unit_edit(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = selectors.access_unit(actor, unit_id)
    unit_policy.require(actor, UnitAction.LEAD, unit)
    form = UnitForm(request.POST or None, actor=actor, unit=unit, initial=_unit_initial(unit))
    conflict = None
    if request.method == "POST":

        def save() -> Unit:
            data = form.cleaned_data
            return services.unit_update(
                actor=actor,
                unit=unit,
                name=data["name"],
                parent=data["parent"],
                leader=data["leader"],
                description=data["description"],
                version=data["version"],
            )

        saved, conflict = save_versioned(
            form,
            save,
            reload=lambda: selectors.access_unit(actor, unit_id),
            fresh=lambda current: UnitForm(actor=actor, unit=current, initial=_unit_initial(current)),
        )
        if saved is not None:
            messages.success(request, _("The unit is saved."))
            return redirect(saved.get_absolute_url())
    return render(request, "organisations/unit_form.html", {"form": form, "unit": unit, "conflict": conflict})


@org_view
def unit_delete(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = selectors.access_unit(actor, unit_id)
    unit_policy.require(actor, UnitAction.DELETE, unit)
    if request.method != "POST":
        return render(request, "organisations/unit_delete.html", {"unit": unit})
    try:
        services.unit_delete(actor=actor, unit=unit)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(unit.get_absolute_url())
    messages.success(request, _("The unit %(name)s is deleted.") % {"name": unit.name})
    return redirect("organisations:unit_list", org_slug=actor.organisation.slug)


@org_view
def membership_add(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = selectors.access_unit(actor, unit_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    unit_policy.require(actor, UnitAction.LEAD, unit)
    form = AddPersonForm(request.POST, actor=actor, unit=unit)
    if form.is_valid():
        services.membership_add(actor=actor, unit=unit, person=form.cleaned_data["person"])
        messages.success(request, _("%(name)s is added to the unit.") % {"name": form.cleaned_data["person"]})
    elif search_pending(form):  # a search typed without JavaScript: the page again, with its matches
        return render(request, "organisations/unit_detail.html", _unit_context(actor, unit, form))
    else:
        messages.error(request, _("Choose a person to add."))
    return redirect(unit.get_absolute_url())


@org_view
def membership_remove(request: OrgRequest, membership_id: int) -> HttpResponse:
    actor = request.actor
    membership = selectors.access_membership(actor, membership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    membership_policy.require(actor, MembershipAction.REMOVE, membership)
    services.membership_remove(actor=actor, membership=membership)
    messages.success(request, _("%(name)s is removed from the unit.") % {"name": membership.person})
    return redirect(membership.unit.get_absolute_url())
