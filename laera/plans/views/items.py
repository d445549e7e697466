"""Themes, learning outcomes and activities, edited in place on the plan page (HTMX) or on their own page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget

from laera.core.errors import ServiceError
from laera.core.tenancy import Actor, OrgRequest, org_view

from .. import checks, nkr, selectors, services
from ..forms import ActivityForm, OutcomeForm, ThemeForm
from ..models import Plan, Theme


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
    """The form: the whole page, or for HTMX the form alone in the theme's editor slot."""
    if not request.htmx:
        return render(request, template, context)
    response = render(request, "plans/partials/item_form.html", context)
    theme = context.get("theme")
    if theme is not None:
        retarget(response, f"#editor-theme-{theme.pk}")
        reswap(response, "innerHTML")
    return response


def _save(form: Any, call: Any) -> tuple[Any, Any]:
    """Run the service; returns (saved, current) where current is the other person's version on a conflict."""
    try:
        return call(), None
    except services.ConflictError as exc:
        form.add_error(None, exc.messages[0])
        return None, exc.current
    except ServiceError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None, None


def _require_edit(actor: Actor, plan: Plan) -> None:
    actor.require(services.can_edit(actor, plan))


@org_view
def theme_create(request: OrgRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id)
    _require_edit(actor, plan)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        theme, _current = _save(
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
    form = ThemeForm(
        request.POST or None,
        initial={
            "title": theme.title,
            "description": theme.description,
            "why": theme.why,
            "version": theme.version,
        },
    )
    current = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved, current = _save(
            form,
            lambda: services.theme_update(
                actor=actor,
                theme=theme,
                title=d["title"],
                description=d["description"],
                why=d["why"],
                version=d["version"],
            ),
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
            "current": current,
            "current_text": current.title if current else "",
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


def _outcome_form(request: OrgRequest, plan: Plan, initial: dict[str, Any]) -> OutcomeForm:
    """The outcome form; `?suggest=1` (sent by HTMX when the depth changes) puts the verb's opening
    phrase in the plan's language into an empty text."""
    form = _outcome_form_for(request, plan, initial)
    if request.htmx:
        form.fields["verb"].widget.attrs.update(
            {
                "hx-get": f"{request.path}?suggest=1",
                "hx-trigger": "change",
                "hx-include": "closest form",
            }
        )
    return form


def _outcome_form_for(request: OrgRequest, plan: Plan, initial: dict[str, Any]) -> OutcomeForm:
    if request.method == "POST":
        return OutcomeForm(request.POST, language=plan.language, initial=initial)
    if request.GET.get("suggest"):
        values = {
            key: request.GET.get(key, initial.get(key, "")) for key in ("category", "verb", "text", "version")
        }
        verb = nkr.get_verb(values["verb"]) if values["verb"] else None
        if verb is not None and not str(values["text"]).strip():
            values["text"] = nkr.suggestions(verb.category, plan.language, verb.key)[0] + " "
            values["category"] = verb.category
        return OutcomeForm(language=plan.language, initial=values)
    return OutcomeForm(language=plan.language, initial=initial)


@org_view
def outcome_create(request: OrgRequest, theme_id: int) -> HttpResponse:
    actor = request.actor
    theme = selectors.access_theme(actor, theme_id)
    _require_edit(actor, theme.plan)
    form = _outcome_form(request, theme.plan, {"category": "knowledge"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        outcome, _current = _save(
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
    form = _outcome_form(
        request,
        plan,
        {
            "text": outcome.text,
            "category": outcome.category,
            "verb": outcome.verb,
            "version": outcome.version,
        },
    )
    current = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved, current = _save(
            form,
            lambda: services.outcome_update(
                actor=actor,
                outcome=outcome,
                text=d["text"],
                category=d["category"],
                verb=d["verb"],
                version=d["version"],
            ),
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
            "current": current,
            "current_text": current.text if current else "",
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
    form = ActivityForm(request.POST or None, actor=actor, initial={"time_kind": "dates"})
    if request.method == "POST" and form.is_valid():
        activity, _current = _save(
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
    current = None
    if request.method == "POST" and form.is_valid():
        saved, current = _save(
            form,
            lambda: services.activity_update(
                actor=actor, activity=activity, data=form.to_input(), version=form.cleaned_data["version"]
            ),
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
            "current": current,
            "current_text": (current.time_text or current.method_detail) if current else "",
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
