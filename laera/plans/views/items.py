"""Themes, learning outcomes and activities, edited in place on the plan page (HTMX) or on their own page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget

from laera.core.forms import apply_service
from laera.core.tenancy import Actor, OrgRequest, org_view
from laera.core.versioning import save_versioned

from .. import checks, nkr, selectors, services
from ..forms import ActivityForm, OutcomeForm, ThemeForm
from ..models import Outcome, Plan, Theme


def _theme_response(request: OrgRequest, theme: Theme, plan: Plan) -> HttpResponse:
    """After a save: HTMX gets the refreshed theme section, a plain form post goes back to the plan."""
    if request.htmx:
        fresh = selectors.access_plan(request.actor, plan.pk, tree=True)
        section = next((t for t in fresh.themes.all() if t.pk == theme.pk), None)
        if section is None:
            return HttpResponse("")
        context = {
            "plan": fresh,
            "theme": section,
            "can_edit": services.can_edit(request.actor, fresh),
            "findings": checks.check_plan(fresh),
            "oob": True,
        }
        # The theme, and the plan check refreshed out of band so it follows every change.
        return HttpResponse(
            render_to_string("plans/partials/theme.html", context, request)
            + render_to_string("plans/partials/plan_check.html", context, request)
        )
    return redirect(plan.get_absolute_url() + f"#theme-{theme.pk}")


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


def _require_edit(actor: Actor, plan: Plan) -> None:
    actor.require(services.can_edit(actor, plan))


@org_view
def theme_create(request: OrgRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id)
    _require_edit(actor, plan)
    form = ThemeForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        theme = apply_service(
            form,
            lambda: services.theme_create(
                actor=actor, plan=plan, title=d["title"], description=d["description"], why=d["why"]
            ),
        )
        if theme is not None:
            messages.success(request, _("The theme is added."))
            return redirect(plan.get_absolute_url() + f"#theme-{theme.pk}")
    return render(request, "plans/item_form.html", {"form": form, "plan": plan, "heading": _("New theme")})


@org_view
def theme_edit(request: OrgRequest, theme_id: int) -> HttpResponse:
    actor = request.actor
    theme = selectors.access_theme(actor, theme_id)
    _require_edit(actor, theme.plan)
    form = ThemeForm(request.POST or None, initial=ThemeForm.initial_for(theme))
    conflict = None
    if request.method == "POST":

        def save() -> Theme:
            d = form.cleaned_data
            return services.theme_update(
                actor=actor,
                theme=theme,
                title=d["title"],
                description=d["description"],
                why=d["why"],
                version=d["version"],
            )

        saved, conflict = save_versioned(
            form,
            save,
            reload=lambda: selectors.access_theme(actor, theme_id),
            fresh=lambda current: ThemeForm(initial=ThemeForm.initial_for(current)),
        )
        if saved is not None:
            return _theme_response(request, saved, theme.plan)
    return _form_response(
        request,
        "plans/item_form.html",
        {
            "form": form,
            "plan": theme.plan,
            "theme": theme,
            "heading": _("Edit theme"),
            "conflict": conflict,
        },
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


def _outcome_form(
    request: OrgRequest, plan: Plan, initial: dict[str, Any], *, creating: bool = False
) -> OutcomeForm:
    """The outcome form; `?suggest=1` (sent by HTMX when the depth changes) puts the verb's opening
    phrase in the plan's language into an empty text."""
    form = _outcome_form_for(request, plan, initial, creating=creating)
    if request.htmx:
        form.fields["verb"].widget.attrs.update(
            {
                "hx-get": f"{request.path}?suggest=1",
                "hx-trigger": "change",
                "hx-include": "closest form",
            }
        )
    return form


def _outcome_form_for(
    request: OrgRequest, plan: Plan, initial: dict[str, Any], *, creating: bool
) -> OutcomeForm:
    if request.method == "POST":
        return OutcomeForm(request.POST, language=plan.language, initial=initial, creating=creating)
    if request.GET.get("suggest"):
        values = {
            key: request.GET.get(key, initial.get(key, "")) for key in ("category", "verb", "text", "version")
        }
        verb = nkr.get_verb(values["verb"]) if values["verb"] else None
        if verb is not None and not str(values["text"]).strip():
            values["text"] = nkr.suggestions(verb.category, plan.language, verb.key)[0] + " "
            values["category"] = verb.category
        return OutcomeForm(language=plan.language, initial=values, creating=creating)
    return OutcomeForm(language=plan.language, initial=initial, creating=creating)


@org_view
def outcome_create(request: OrgRequest, theme_id: int) -> HttpResponse:
    actor = request.actor
    theme = selectors.access_theme(actor, theme_id)
    _require_edit(actor, theme.plan)
    form = _outcome_form(request, theme.plan, {"category": "knowledge"}, creating=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        outcome = apply_service(
            form,
            lambda: services.outcome_create(
                actor=actor, theme=theme, text=d["text"], category=d["category"], verb=d["verb"]
            ),
        )
        if outcome is not None:
            return _theme_response(request, theme, theme.plan)
    return _form_response(
        request,
        "plans/item_form.html",
        {
            "form": form,
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
    _require_edit(actor, plan)
    form = _outcome_form(request, plan, OutcomeForm.initial_for(outcome))
    conflict = None
    if request.method == "POST":

        def save() -> Outcome:
            d = form.cleaned_data
            return services.outcome_update(
                actor=actor,
                outcome=outcome,
                text=d["text"],
                category=d["category"],
                verb=d["verb"],
                version=d["version"],
            )

        saved, conflict = save_versioned(
            form,
            save,
            reload=lambda: selectors.access_outcome(actor, outcome_id),
            fresh=lambda saved: OutcomeForm(language=plan.language, initial=OutcomeForm.initial_for(saved)),
        )
        if saved is not None:
            return _theme_response(request, outcome.theme, plan)
    return _form_response(
        request,
        "plans/item_form.html",
        {
            "form": form,
            "plan": plan,
            "theme": outcome.theme,
            "heading": _("Edit learning outcome"),
            "conflict": conflict,
            "outcome_help": True,
        },
    )


@org_view
def outcome_delete(request: OrgRequest, outcome_id: int) -> HttpResponse:
    actor = request.actor
    outcome = selectors.access_outcome(actor, outcome_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    theme = outcome.theme
    services.outcome_delete(actor=actor, outcome=outcome)
    return _theme_response(request, theme, theme.plan)


@org_view
def activity_create(request: OrgRequest, outcome_id: int) -> HttpResponse:
    actor = request.actor
    outcome = selectors.access_outcome(actor, outcome_id)
    plan = outcome.theme.plan
    _require_edit(actor, plan)
    form = ActivityForm(request.POST or None, actor=actor, initial={"time_kind": "dates"}, creating=True)
    if request.method == "POST" and form.is_valid():
        activity = apply_service(
            form, lambda: services.activity_create(actor=actor, outcome=outcome, data=form.to_input())
        )
        if activity is not None:
            return _theme_response(request, outcome.theme, plan)
    return _form_response(
        request,
        "plans/item_form.html",
        {
            "form": form,
            "plan": plan,
            "theme": outcome.theme,
            "heading": _("New activity"),
            "context_text": outcome.text,
        },
    )


@org_view
def activity_edit(request: OrgRequest, activity_id: int) -> HttpResponse:
    actor = request.actor
    activity = selectors.access_activity(actor, activity_id)
    outcome = activity.outcome
    plan = outcome.theme.plan
    _require_edit(actor, plan)
    form = ActivityForm(request.POST or None, actor=actor, initial=ActivityForm.initial_for(activity))
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.activity_update(
                actor=actor, activity=activity, data=form.to_input(), version=form.cleaned_data["version"]
            ),
            reload=lambda: selectors.access_activity(actor, activity_id),
            fresh=lambda current: ActivityForm(actor=actor, initial=ActivityForm.initial_for(current)),
        )
        if saved is not None:
            return _theme_response(request, outcome.theme, plan)
    return _form_response(
        request,
        "plans/item_form.html",
        {
            "form": form,
            "plan": plan,
            "theme": outcome.theme,
            "heading": _("Edit activity"),
            "context_text": outcome.text,
            "conflict": conflict,
        },
    )


@org_view
def activity_delete(request: OrgRequest, activity_id: int) -> HttpResponse:
    actor = request.actor
    activity = selectors.access_activity(actor, activity_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    theme = activity.outcome.theme
    services.activity_delete(actor=actor, activity=activity)
    return _theme_response(request, theme, theme.plan)
