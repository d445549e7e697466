"""Plans: the list, a new plan, the plan page that reads like the document, its status and comments."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.versioning import save_versioned
from laera.documents.html import plan_html
from laera.mapping.selectors import arena_list
from laera.organisations.tenancy import Actor, OrgRequest, org_view

from .. import checks, documents, periods, selectors, services, timeline
from ..forms import CommentForm, PlanForm, SendForCommentsForm
from ..models import Plan, PlanStatus
from ..policies import TRANSITIONS, PlanAction, plan_policy


@org_view
def plan_list(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "plans/plan_list.html",
        {"plans": selectors.plan_list(actor), "can_create": plan_policy.allows(actor, PlanAction.EDIT)},
    )


@org_view
def plan_create(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    plan_policy.require(actor, PlanAction.EDIT)
    form = PlanForm(
        request.POST or None, actor=actor, initial={"language": actor.organisation.default_language}
    )
    if request.method == "POST" and form.is_valid():
        plan = apply_service(
            form,
            lambda: services.plan_create(actor=actor, unit=form.cleaned_data["unit"], data=form.to_input()),
        )
        if plan is not None:
            messages.success(request, _("The plan %(name)s is created.") % {"name": plan.name})
            return redirect(plan.get_absolute_url())
    return render(request, "plans/plan_form.html", {"form": form, "plan": None})


def plan_context(actor: Actor, plan: Plan) -> dict[str, Any]:
    coordinate = plan_policy.allows(actor, PlanAction.COORDINATE, plan)
    can_edit = plan_policy.allows(actor, PlanAction.EDIT, plan)
    findings = checks.check_plan(plan) if coordinate else []
    review = checks.times_to_check(plan) if coordinate else None
    comments_open = plan.comments_open() and actor.is_member
    return {
        "plan": plan,
        "review": review,
        "themes": list(plan.themes.all()),
        "arenas": arena_list(actor, unit=plan.unit),
        "children": selectors.children_of(actor, plan),
        "can_edit": can_edit,
        "leads": plan_policy.allows(actor, PlanAction.LEAD, plan),
        "coordinates": coordinate,
        "findings": findings,
        # Sending for comments is its own step with a deadline (plan_send_for_comments), not a button here.
        "transitions": [
            (target, PlanStatus(target).label)
            for source, target in TRANSITIONS
            if source == plan.status
            and target != PlanStatus.CONSULTATION
            and plan_policy.allows_transition(actor, plan, target)
        ],
        "can_send_for_comments": can_edit,
        "comments": plan.comments.select_related("author") if plan.status == PlanStatus.CONSULTATION else [],
        "comments_open": comments_open,
        "comment_form": CommentForm() if comments_open else None,
    }


@org_view
def plan_detail(request: OrgRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id, tree=True)
    return render(request, "plans/plan_detail.html", plan_context(actor, plan))


@org_view
def plan_edit(request: OrgRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id)
    plan_policy.require(actor, PlanAction.EDIT, plan)
    form = PlanForm(request.POST or None, actor=actor, editing=True, initial=PlanForm.initial_for(plan))
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.plan_update(
                actor=actor, plan=plan, data=form.to_input(), version=form.cleaned_data["version"]
            ),
            reload=lambda: selectors.access_plan(actor, plan_id),
            fresh=lambda current: PlanForm(actor=actor, editing=True, initial=PlanForm.initial_for(current)),
        )
        if saved is not None:
            messages.success(request, _("The plan is saved."))
            return redirect(saved.get_absolute_url())
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan, "conflict": conflict})


@org_view
def plan_status(request: OrgRequest, plan_id: int) -> HttpResponse:
    """Move the plan on. Publishing with findings from the plan check needs a confirmation."""
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id, tree=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    target = request.POST.get("status", "")
    if target not in PlanStatus.values:
        messages.error(request, _("Unknown status."))
        return redirect(plan.get_absolute_url())
    if target == PlanStatus.PUBLISHED and request.POST.get("confirm") != "1":
        findings = checks.check_plan(plan)
        review = checks.times_to_check(plan)
        if findings or review:
            context = {"plan": plan, "findings": findings, "review": review}
            return render(request, "plans/plan_publish_confirm.html", context)
    try:
        plan = services.plan_set_status(actor=actor, plan=plan, status=target)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan is now: %(status)s.") % {"status": plan.get_status_display()})
    return redirect(plan.get_absolute_url())


@org_view
def plan_comment(request: OrgRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.plan_comment(actor=actor, plan=plan, text=form.cleaned_data["text"])
        except ServiceError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you. Your comment is saved."))
    else:
        messages.error(request, _("Write your comment first."))
    return redirect(plan.get_absolute_url() + ("#comment-form" if plan.comments_open() else "#comments"))


@org_view
def plan_send_for_comments(request: OrgRequest, plan_id: int) -> HttpResponse:
    """Send the plan out for comments until a deadline, with a message to the readers (or change them)."""
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id)
    plan_policy.require(actor, PlanAction.EDIT, plan)
    initial = SendForCommentsForm.initial_for(plan)
    form = SendForCommentsForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.plan_send_for_comments(
                actor=actor,
                plan=plan,
                until=form.cleaned_data["comments_until"],
                message=form.cleaned_data["comments_message"],
                version=form.cleaned_data["version"],
            ),
            reload=lambda: selectors.access_plan(actor, plan_id),
            fresh=lambda current: SendForCommentsForm(initial=SendForCommentsForm.initial_for(current)),
        )
        if saved is not None:
            until = form.cleaned_data["comments_until"]
            messages.success(
                request,
                _("The plan is out for comments until %(date)s.")
                % {"date": date_format(until, "DATE_FORMAT")},
            )
            return redirect(saved.get_absolute_url())
    return render(
        request, "plans/plan_send_for_comments.html", {"form": form, "plan": plan, "conflict": conflict}
    )


@org_view
def plan_download(request: OrgRequest, plan_id: int, fmt: str) -> HttpResponse:
    """The plan as PDF, DOCX, Markdown, iCalendar, XLSX or the JSON exchange format."""
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id, tree=True)
    chosen = documents.FORMATS.get(fmt)
    if chosen is None:
        raise Http404
    doc = documents.document_for(plan, children=selectors.children_of(actor, plan))
    response = HttpResponse(chosen.build(doc), content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(plan, chosen.extension)}"'
    return response


@org_view
def plan_print(request: OrgRequest, plan_id: int) -> HttpResponse:
    """The plan as a page to print, laid out like the PDF. Its stylesheet is allowed by its hash."""
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id, tree=True)
    html = plan_html(
        documents.document_for(plan, children=selectors.children_of(actor, plan)), standalone=True
    )
    response = HttpResponse(html)
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode() + "'"
        for style in styles
    )
    policy = dict(settings.LAERA_CSP)
    policy["style-src"] = [*policy["style-src"], *hashes.split()]
    response["Content-Security-Policy"] = "; ".join(f"{k} {' '.join(v)}" for k, v in policy.items())
    return response


@org_view
def plan_copy(request: OrgRequest, plan_id: int) -> HttpResponse:
    """A new plan for the next period from this one, for the working group to prune."""
    actor = request.actor
    source = selectors.access_plan(actor, plan_id, tree=True)
    plan_policy.require(actor, PlanAction.COORDINATE, source)
    start, end = periods.next_period(source.period_start, source.period_end)
    initial = {
        "name": "",
        "period_start": start,
        "period_end": end,
        "language": source.language,
        "introduction": source.introduction,
        "evaluation_on": source.evaluation_on + periods.whole_weeks(start - source.period_start)
        if source.evaluation_on
        else None,
    }
    form = PlanForm(request.POST or None, actor=actor, copying=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = apply_service(
            form, lambda: services.plan_copy(actor=actor, source=source, data=form.to_input())
        )
        if plan is not None:
            messages.success(
                request,
                _("The new plan is made from %(name)s. Remove what should not continue.")
                % {"name": source.name},
            )
            return redirect(plan.get_absolute_url())
    return render(request, "plans/plan_copy.html", {"form": form, "source": source})


@org_view
def plan_timeline(request: OrgRequest, plan_id: int) -> HttpResponse:
    """When the plan's activities happen over the period, as a chart with the same facts in a table."""
    actor = request.actor
    plan = selectors.access_plan(actor, plan_id, tree=True)
    return render(request, "plans/plan_timeline.html", {"plan": plan, **timeline.timeline_context(plan)})
