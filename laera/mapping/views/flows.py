"""Knowledge flows per unit: the nine transfers, quick entry, the diagram and the responsibility overview."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.core.forms import apply_service
from laera.core.versioning import save_versioned
from laera.organisations.models import Unit
from laera.organisations.selectors import access_unit
from laera.organisations.tenancy import Actor, OrgRequest, org_view

from .. import selectors, services
from ..diagram import flow_table_rows, knowledge_flow_svg
from ..forms import FlowForm, QuickFlowForm
from ..policies import MappingAction, flow_policy


def _flows_url(actor: Actor, unit_id: int) -> str:
    return reverse("mapping:unit_flows", kwargs={"org_slug": actor.organisation.slug, "unit_id": unit_id})


@org_view
def flow_overview(request: OrgRequest) -> HttpResponse:
    """Every unit with how much of its knowledge flow is mapped; the way into each unit's map."""
    return render(
        request, "mapping/flow_overview.html", {"units": selectors.units_for_mapping(request.actor)}
    )


def _flows_context(actor: Actor, unit: Unit, form: QuickFlowForm | None = None) -> dict[str, object]:
    can_edit = flow_policy.allows_in_unit(actor, unit.pk)
    return {
        "unit": unit,
        "sections": selectors.flows_by_transfer(actor, unit),
        "can_edit": can_edit,
        "quick_form": (form or QuickFlowForm(actor=actor)) if can_edit else None,
    }


@org_view
def unit_flows(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = access_unit(actor, unit_id)
    return render(request, "mapping/unit_flows.html", _flows_context(actor, unit))


@org_view
def flow_add(request: OrgRequest, unit_id: int) -> HttpResponse:
    """The brainstorm line. HTMX gets the refreshed nine sections back with an empty line to type in."""
    actor = request.actor
    unit = access_unit(actor, unit_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    flow_policy.require_in_unit(actor, unit.pk)
    form = QuickFlowForm(request.POST, actor=actor)
    saved = None
    if form.is_valid():
        saved = apply_service(
            form, lambda: services.flow_create(actor=actor, unit=unit, data=form.to_input())
        )
    if request.htmx:
        fresh = form
        if saved is not None:
            # A new empty line with the cursor in it, ready for the next idea.
            fresh = QuickFlowForm(actor=actor, initial={"transfer": saved.transfer})
            fresh.fields["activity"].widget.attrs["autofocus"] = True
        context = _flows_context(actor, unit, fresh)
        context["added"] = saved
        return render(request, "mapping/partials/flow_sections.html", context)
    if saved is None:
        return render(request, "mapping/unit_flows.html", _flows_context(actor, unit, form), status=200)
    messages.success(request, _("Added under transfer %(number)s.") % {"number": saved.transfer})
    return redirect(_flows_url(actor, unit.pk))


@org_view
def flow_edit(request: OrgRequest, flow_id: int) -> HttpResponse:
    actor = request.actor
    flow = selectors.access_flow(actor, flow_id)
    flow_policy.require(actor, MappingAction.EDIT, flow)
    form = FlowForm(request.POST or None, actor=actor, initial=FlowForm.initial_for(flow))
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.flow_update(
                actor=actor, flow=flow, data=form.to_input(), version=form.cleaned_data["version"]
            ),
            reload=lambda: selectors.access_flow(actor, flow_id),
            fresh=lambda current: FlowForm(actor=actor, initial=FlowForm.initial_for(current)),
        )
        if saved is not None:
            messages.success(request, _("The row is saved."))
            return redirect(_flows_url(actor, flow.unit_id) + f"#transfer-{saved.transfer}")
    return render(
        request,
        "mapping/flow_form.html",
        {"form": form, "flow": flow, "unit": flow.unit, "conflict": conflict},
    )


@org_view
def flow_delete(request: OrgRequest, flow_id: int) -> HttpResponse:
    actor = request.actor
    flow = selectors.access_flow(actor, flow_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    unit = flow.unit
    services.flow_delete(actor=actor, flow=flow)
    if request.htmx:
        # The row and its button are gone: focus and the status go to the message saying so.
        context = {**_flows_context(actor, unit), "deleted": True}
        return render(request, "mapping/partials/flow_sections.html", context)
    messages.success(request, _("The row is deleted."))
    return redirect(_flows_url(actor, unit.pk))


@org_view
def unit_diagram(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = access_unit(actor, unit_id)
    counts = selectors.flow_counts(actor, unit)
    rows = flow_table_rows(counts)
    gaps = [row for row in rows if row.is_gap]
    svg = knowledge_flow_svg(
        counts,
        title=_("Knowledge flow in %(unit)s") % {"unit": unit.name},
        description=ngettext(
            "%(count)s activity over the nine knowledge transfers;",
            "%(count)s activities over the nine knowledge transfers;",
            sum(counts.values()),
        )
        % {"count": sum(counts.values())}
        + " "
        + ngettext("%(count)s transfer has none.", "%(count)s transfers have none.", len(gaps))
        % {"count": len(gaps)},
    )
    return render(
        request, "mapping/unit_diagram.html", {"unit": unit, "svg": svg, "rows": rows, "gaps": gaps}
    )


@org_view
def unit_responsibility(request: OrgRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = access_unit(actor, unit_id)
    arenas, flows = selectors.responsibility_overview(actor, unit)
    return render(
        request, "mapping/unit_responsibility.html", {"unit": unit, "arenas": arenas, "flows": flows}
    )
