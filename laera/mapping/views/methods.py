"""The method bank: ways to learn at work, for everyone to browse and for leaders to adapt."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from laera.core.forms import apply_service
from laera.core.versioning import save_versioned
from laera.organisations.tenancy import OrgRequest, org_view

from .. import selectors, services
from ..forms import MethodForm
from ..models import Method
from ..policies import MethodAction, method_policy


@org_view
def method_list(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    mode = request.GET.get("mode", "")
    if mode not in Method.Mode.values:
        mode = ""
    return render(
        request,
        "mapping/method_list.html",
        {
            "methods": selectors.method_list(actor, mode=mode),
            "mode": mode,
            "modes": Method.Mode.choices,
            "can_edit": method_policy.allows(actor, MethodAction.EDIT),
        },
    )


@org_view
def method_detail(request: OrgRequest, method_id: int) -> HttpResponse:
    actor = request.actor
    method = selectors.access_method(actor, method_id)
    return render(
        request,
        "mapping/method_detail.html",
        {"method": method, "can_edit": method_policy.allows(actor, MethodAction.EDIT)},
    )


def _list_url(request: OrgRequest) -> str:
    return reverse("mapping:method_list", kwargs={"org_slug": request.actor.organisation.slug})


@org_view
def method_create(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    method_policy.require(actor, MethodAction.EDIT)
    form = MethodForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        method = apply_service(form, lambda: services.method_create(actor=actor, data=form.to_input()))
        if method is not None:
            messages.success(request, _("The method %(name)s is added.") % {"name": method.display_name})
            return redirect(_list_url(request))
    return render(request, "mapping/method_form.html", {"form": form, "method": None})


@org_view
def method_edit(request: OrgRequest, method_id: int) -> HttpResponse:
    actor = request.actor
    method = selectors.access_method(actor, method_id)
    method_policy.require(actor, MethodAction.EDIT)
    form = MethodForm(request.POST or None, initial=MethodForm.initial_for(method))
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.method_update(
                actor=actor, method=method, data=form.to_input(), version=form.cleaned_data["version"]
            ),
            reload=lambda: selectors.access_method(actor, method_id),
            fresh=lambda current: MethodForm(initial=MethodForm.initial_for(current)),
        )
        if saved is not None:
            messages.success(request, _("The changes are saved."))
            return redirect("mapping:method_detail", org_slug=actor.organisation.slug, method_id=method.pk)
    return render(request, "mapping/method_form.html", {"form": form, "method": method, "conflict": conflict})


@org_view
def method_hide(request: OrgRequest, method_id: int) -> HttpResponse:
    actor = request.actor
    method = selectors.access_method(actor, method_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.method_set_hidden(actor=actor, method=method, hidden=not method.is_hidden)
    messages.success(
        request,
        _("The method is hidden from employees.")
        if method.is_hidden
        else _("The method is shown to employees again."),
    )
    return redirect("mapping:method_detail", org_slug=actor.organisation.slug, method_id=method.pk)
