"""Themes, learning outcomes and activities, edited in place on the plan page (HTMX) or on their own page.

The three kinds of item share one shape: a form in the theme's editor slot, a service that saves it, and
the theme's section sent back. `_create`, `_edit` and `_delete` are that shape, written once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.versioning import save_versioned
from laera.organisations.tenancy import OrgRequest, org_view

from .. import checks, selectors, services
from ..forms import ActivityForm, OutcomeForm, ThemeForm
from ..models import Activity, Outcome, Plan, Theme
from ..policies import PlanAction, plan_policy

T = TypeVar("T")
ITEM_FORM = "plans/item_form.html"


def _theme_section(
    request: OrgRequest, theme: Theme, plan: Plan, *, status: str, focus: dict[str, int | None]
) -> HttpResponse:
    """The refreshed theme section, and the plan check out of band so it follows every change.

    The section announces `status` (its `data-status` element, read out by laera.js in the page's live
    region) and marks what focus goes to (`data-focus`): the saved activity's row, the saved outcome, or
    else the theme's heading."""
    actor = request.actor
    fresh = selectors.access_plan(actor, plan.pk, tree=True)
    section = next((t for t in fresh.themes.all() if t.pk == theme.pk), None)
    if section is None:
        return HttpResponse("")
    context = {
        "plan": fresh,
        "theme": section,
        "can_edit": plan_policy.allows(actor, PlanAction.EDIT, fresh),
        "coordinates": plan_policy.allows(actor, PlanAction.COORDINATE, fresh),
        "findings": checks.check_plan(fresh),
        "review": checks.times_to_check(fresh),
        "oob": True,
        "status": status,
        **focus,
    }
    return HttpResponse(
        render_to_string("plans/partials/theme.html", context, request)
        + render_to_string("plans/partials/plan_check.html", context, request)
    )


def _theme_response(
    request: OrgRequest,
    theme: Theme,
    plan: Plan,
    *,
    status: str = "",
    focus_outcome: int | None = None,
    focus_activity: int | None = None,
) -> HttpResponse:
    """After a save: HTMX gets the refreshed theme section, a plain form post goes back to the plan."""
    if request.htmx:
        focus = {"focus_outcome": focus_outcome, "focus_activity": focus_activity}
        return _theme_section(request, theme, plan, status=status, focus=focus)
    if status:
        messages.success(request, status)
    anchor = (
        f"activity-{focus_activity}"
        if focus_activity
        else f"outcome-{focus_outcome}"
        if focus_outcome
        else f"theme-{theme.pk}"
    )
    return redirect(plan.get_absolute_url() + f"#{anchor}")


def _form_response(request: OrgRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The form: the whole page, or for HTMX the form alone in the theme's editor slot.

    A conflict (`context["conflict"]`) is shown above the form and takes the focus, in place too."""
    if not request.htmx:
        return render(request, template, context)
    response = render(request, "plans/partials/item_form.html", context)
    theme = context.get("theme")
    if theme is not None:
        retarget(response, f"#editor-theme-{theme.pk}")
        reswap(response, "innerHTML")
    return response


def _create(
    request: OrgRequest,
    form: forms.BaseForm,
    create: Callable[[], T],
    *,
    done: Callable[[T], HttpResponse],
    context: dict[str, Any],
) -> HttpResponse:
    """A new item: on a valid post run the service `create` and answer with `done`, else show the form."""
    if request.method == "POST" and form.is_valid():
        item = apply_service(form, create)
        if item is not None:
            return done(item)
    return _form_response(request, ITEM_FORM, {"form": form, **context})


def _edit(
    request: OrgRequest,
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    reload: Callable[[], Any],
    fresh: Callable[[Any], forms.BaseForm],
    done: Callable[[T], HttpResponse],
    context: dict[str, Any],
) -> HttpResponse:
    """A saved item: on a post save it from the version the form was opened with (`save_versioned`) and
    answer with `done`, else show the form, with the conflict when someone else saved first."""
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(form, save, reload=reload, fresh=fresh)
        if saved is not None:
            return done(saved)
    return _form_response(request, ITEM_FORM, {"form": form, **context, "conflict": conflict})


def _delete(request: OrgRequest, theme: Theme, delete: Callable[[], None], status: str) -> HttpResponse:
    """Delete on POST only, then the theme's section without the item."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    delete()
    return _theme_response(request, theme, theme.plan, status=status)


# Themes -------------------------------------------------------------------------------------------


def _theme_values(form: forms.BaseForm) -> dict[str, str]:
    d = form.cleaned_data
    return {"title": d["title"], "description": d["description"], "why": d["why"]}


@org_view
def theme_create(request: OrgRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id)
    plan_policy.require(actor, PlanAction.EDIT, plan)
    form = ThemeForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        theme = apply_service(
            form, lambda: services.theme_create(actor=actor, plan=plan, **_theme_values(form))
        )
        if theme is not None:
            messages.success(request, _("The theme is added."))
            return redirect(plan.get_absolute_url() + f"#theme-{theme.pk}")
    return render(request, ITEM_FORM, {"form": form, "plan": plan, "heading": _("New theme")})


@org_view
def theme_edit(request: OrgRequest, theme_id: int) -> HttpResponse:
    actor = request.actor
    theme = selectors.access_theme(actor, theme_id)
    plan_policy.require(actor, PlanAction.EDIT, theme.plan)
    form = ThemeForm(request.POST or None, initial=ThemeForm.initial_for(theme))
    return _edit(
        request,
        form,
        lambda: services.theme_update(
            actor=actor, theme=theme, version=form.cleaned_data["version"], **_theme_values(form)
        ),
        reload=lambda: selectors.access_theme(actor, theme_id),
        fresh=lambda current: ThemeForm(initial=ThemeForm.initial_for(current)),
        done=lambda saved: _theme_response(request, saved, theme.plan, status=_("The theme is saved.")),
        context={"plan": theme.plan, "theme": theme, "heading": _("Edit theme")},
    )


@org_view
def theme_delete(request: OrgRequest, theme_id: int) -> HttpResponse:
    actor = request.actor
    theme = selectors.access_theme(actor, theme_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    plan = theme.plan
    services.theme_delete(actor=actor, theme=theme)
    messages.success(request, _("The theme is deleted."))
    return redirect(plan.get_absolute_url())


# Learning outcomes --------------------------------------------------------------------------------


def _outcome_form(
    request: OrgRequest, plan: Plan, initial: dict[str, Any], *, creating: bool = False
) -> OutcomeForm:
    """The outcome form. Choosing a depth puts its opening, in the plan's language, into an empty text in
    the browser (plans/outcomes.js, from the select's data attributes); the service does the same on save
    for a text without any verb of the ladder, so the promise holds without JavaScript too."""
    data = request.POST if request.method == "POST" else None
    return OutcomeForm(data, language=plan.language, initial=initial, creating=creating)


def _outcome_values(form: forms.BaseForm) -> dict[str, str]:
    d = form.cleaned_data
    return {"text": d["text"], "category": d["category"], "verb": d["verb"]}


def _outcome_saved(request: OrgRequest, theme: Theme) -> Callable[[Outcome], HttpResponse]:
    return lambda outcome: _theme_response(
        request, theme, theme.plan, status=_("The learning outcome is saved."), focus_outcome=outcome.pk
    )


@org_view
def outcome_create(request: OrgRequest, theme_id: int) -> HttpResponse:
    actor = request.actor
    theme = selectors.access_theme(actor, theme_id)
    plan_policy.require(actor, PlanAction.EDIT, theme.plan)
    form = _outcome_form(request, theme.plan, {"category": "knowledge"}, creating=True)
    return _create(
        request,
        form,
        lambda: services.outcome_create(actor=actor, theme=theme, **_outcome_values(form)),
        done=_outcome_saved(request, theme),
        context={
            "plan": theme.plan,
            "theme": theme,
            "heading": _("New learning outcome"),
            "outcome_help": True,
        },
    )


@org_view
def outcome_edit(request: OrgRequest, outcome_id: int) -> HttpResponse:
    actor = request.actor
    outcome = selectors.access_outcome(actor, outcome_id)
    plan = outcome.theme.plan
    plan_policy.require(actor, PlanAction.EDIT, plan)
    form = _outcome_form(request, plan, OutcomeForm.initial_for(outcome))
    return _edit(
        request,
        form,
        lambda: services.outcome_update(
            actor=actor, outcome=outcome, version=form.cleaned_data["version"], **_outcome_values(form)
        ),
        reload=lambda: selectors.access_outcome(actor, outcome_id),
        fresh=lambda saved: OutcomeForm(language=plan.language, initial=OutcomeForm.initial_for(saved)),
        done=_outcome_saved(request, outcome.theme),
        context={
            "plan": plan,
            "theme": outcome.theme,
            "heading": _("Edit learning outcome"),
            "outcome_help": True,
        },
    )


@org_view
def outcome_delete(request: OrgRequest, outcome_id: int) -> HttpResponse:
    actor = request.actor
    outcome = selectors.access_outcome(actor, outcome_id)
    return _delete(
        request,
        outcome.theme,
        lambda: services.outcome_delete(actor=actor, outcome=outcome),
        _("The learning outcome is deleted."),
    )


# Activities ---------------------------------------------------------------------------------------


def _activity_saved(request: OrgRequest, outcome: Outcome) -> Callable[[Activity], HttpResponse]:
    return lambda activity: _theme_response(
        request,
        outcome.theme,
        outcome.theme.plan,
        status=_("The activity is saved."),
        focus_activity=activity.pk,
    )


def _activity_context(outcome: Outcome, heading: str) -> dict[str, Any]:
    return {
        "plan": outcome.theme.plan,
        "theme": outcome.theme,
        "heading": heading,
        "context_text": outcome.text,
    }


@org_view
def activity_create(request: OrgRequest, outcome_id: int) -> HttpResponse:
    actor = request.actor
    outcome = selectors.access_outcome(actor, outcome_id)
    plan = outcome.theme.plan
    plan_policy.require(actor, PlanAction.EDIT, plan)
    form = ActivityForm(request.POST or None, actor=actor, initial={"time_kind": "dates"}, creating=True)
    return _create(
        request,
        form,
        lambda: services.activity_create(actor=actor, outcome=outcome, data=form.to_input()),
        done=_activity_saved(request, outcome),
        context=_activity_context(outcome, _("New activity")),
    )


@org_view
def activity_edit(request: OrgRequest, activity_id: int) -> HttpResponse:
    actor = request.actor
    activity = selectors.access_activity(actor, activity_id)
    outcome = activity.outcome
    plan = outcome.theme.plan
    plan_policy.require(actor, PlanAction.EDIT, plan)
    form = ActivityForm(
        request.POST or None,
        actor=actor,
        initial=ActivityForm.initial_for(activity),
        time_to_check=activity.time_to_check,
    )
    return _edit(
        request,
        form,
        lambda: services.activity_update(
            actor=actor, activity=activity, data=form.to_input(), version=form.cleaned_data["version"]
        ),
        reload=lambda: selectors.access_activity(actor, activity_id),
        fresh=lambda current: ActivityForm(actor=actor, initial=ActivityForm.initial_for(current)),
        done=_activity_saved(request, outcome),
        context=_activity_context(outcome, _("Edit activity")),
    )


@org_view
def activity_delete(request: OrgRequest, activity_id: int) -> HttpResponse:
    actor = request.actor
    activity = selectors.access_activity(actor, activity_id)
    return _delete(
        request,
        activity.outcome.theme,
        lambda: services.activity_delete(actor=actor, activity=activity),
        _("The activity is deleted."),
    )


@org_view
def activity_time_checked(request: OrgRequest, activity_id: int) -> HttpResponse:
    """ "The time is right": clears the mark a copied activity's time carries until someone checks it."""
    actor = request.actor
    activity = selectors.access_activity(actor, activity_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    theme = activity.outcome.theme
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.activity_confirm_time(actor=actor, activity=activity, version=version)
    except ServiceError as exc:
        if request.htmx:
            return _theme_response(request, theme, theme.plan, status=" ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
        return redirect(theme.plan.get_absolute_url() + f"#activity-{activity.pk}")
    return _theme_response(
        request, theme, theme.plan, status=_("The time is marked as checked."), focus_activity=activity.pk
    )
