"""What plans adds to other apps' pages, through core's hook registry (laera.core.hooks)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from laera.core.hooks import register_hook
from laera.core.notices import NoticeKind
from laera.core.text import content_span, sentence
from laera.organisations.selectors import NextStep, StartPage, more_steps
from laera.organisations.tenancy import Actor

from . import selectors
from .models import Plan


def _names(actor: Actor, plan: Plan) -> dict[str, str]:
    return {
        "plan": content_span(plan.name, plan.language),
        "unit": content_span(plan.unit.name, actor.organisation.default_language),
    }


def _draft_text(actor: Actor, plan: Plan) -> str:
    findings = plan.finding_count  # type: ignore[attr-defined]
    if findings:
        return sentence(
            ngettext(
                "The draft plan %(plan)s for %(unit)s: the plan check has %(count)s finding.",
                "The draft plan %(plan)s for %(unit)s: the plan check has %(count)s findings.",
                findings,
            ),
            {**_names(actor, plan), "count": findings},
        )
    return sentence(
        _("The draft plan %(plan)s for %(unit)s passes the plan check: send it out for comments."),
        _names(actor, plan),
    )


def _draft_steps(actor: Actor) -> list[NextStep]:
    """Drafts of the units the person plans for (not admins'), with what the plan check found."""
    if not actor.coordinated_unit_ids or actor.is_admin:
        return []
    drafts = selectors.draft_plans_with_findings(actor)
    steps = [
        NextStep(
            _draft_text(actor, plan),
            plan.get_absolute_url() + "#plan-check",
            _("Open the plan"),
            kind="draft",
        )
        for plan in drafts.plans
    ]
    return steps + more_steps(drafts.total, len(drafts.plans), actor, "plans:plan_list", "draft")


def _own_consultation_step(actor: Actor, plan: Plan) -> NextStep:
    comments = plan.comment_count  # type: ignore[attr-defined]
    if actor.leads(plan.unit_id):
        text = ngettext(
            "The plan %(plan)s for %(unit)s is out for comments and waits for you to publish it: "
            "%(count)s comment to read.",
            "The plan %(plan)s for %(unit)s is out for comments and waits for you to publish it: "
            "%(count)s comments to read.",
            comments,
        )
        kind = "to_publish"
    else:
        text = ngettext(
            "The plan %(plan)s for %(unit)s is out for comments: %(count)s comment so far.",
            "The plan %(plan)s for %(unit)s is out for comments: %(count)s comments so far.",
            comments,
        )
        kind = "own_consultation"
    return NextStep(
        sentence(text, {**_names(actor, plan), "count": comments}),
        plan.get_absolute_url() + "#comments",
        _("Read the comments"),
        date=plan.comments_until,
        kind=kind,
    )


def _own_consultation_steps(actor: Actor) -> list[NextStep]:
    """Admins may publish every unit's plan; the others see the plans of the units they plan for or lead."""
    own = selectors.consultation_plans(actor, unit_ids=None if actor.is_admin else actor.coordinated_unit_ids)
    steps = [_own_consultation_step(actor, plan) for plan in own.plans]
    return steps + more_steps(own.total, len(own.plans), actor, "plans:plan_list", "own_consultation")


def _others_consultation_steps(actor: Actor) -> list[NextStep]:
    """Everyone else's plans out for comments, for anyone to read and comment on until their deadline."""
    others = selectors.plans_open_for_comment(actor).select_related("organisation")
    if actor.coordinated_unit_ids:
        others = others.exclude(unit_id__in=actor.coordinated_unit_ids)
    shown = list(others[:3])
    steps = [
        NextStep(
            sentence(
                _("The plan %(plan)s for %(unit)s is out for comments. Read it and say what you think."),
                _names(actor, plan),
            ),
            plan.get_absolute_url() + "#comments",
            _("Read and comment"),
            date=plan.comments_until,
            kind="consultation",
        )
        for plan in shown
    ]
    if len(shown) == 3:
        steps += more_steps(others.count(), len(shown), actor, "plans:plan_list", "consultation")
    return steps


def _published_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """The plans that apply to the person: their units' and the units above them."""
    parents = actor.parent_map()
    mine: set[int] = set()
    for unit in page.my_units:
        current: int | None = unit.pk
        while current is not None and current not in mine:
            mine.add(current)
            current = parents.get(current)
    published = selectors.published_plans_of_units(actor, mine, limit=1)
    if not published.total:
        return []
    plan = published.plans[0]
    text = ngettext(
        "%(count)s published plan for learning applies to you, the latest %(plan)s for %(unit)s.",
        "%(count)s published plans for learning apply to you, the latest %(plan)s for %(unit)s.",
        published.total,
    )
    return [
        NextStep(
            sentence(text, {"count": published.total, **_names(actor, plan)}),
            plan.get_absolute_url(),
            _("Read the plan"),
            kind="published",
        )
    ]


@register_hook("start_steps", order=30)
def plan_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """Drafts to finish, comments to read, plans to publish; for everyone but admins also the other
    units' plans out for comments and the published plans that apply to them."""
    steps = _draft_steps(actor) + _own_consultation_steps(actor)
    if actor.is_admin:
        return steps
    return steps + _others_consultation_steps(actor) + _published_steps(actor, page)


@register_hook("notice_kinds", order=20)
def notice_kinds() -> list[NoticeKind]:
    """The notices plans gives (services.py): to everyone a plan affects, and to its working group."""
    return [
        NoticeKind(
            "plans.consultation",
            gettext_lazy("A plan for learning is sent out for comments"),
            gettext_lazy("The plan %(plan)s is out for comments until %(until)s. Have your say."),
            content=frozenset({"plan"}),
            dates=frozenset({"until"}),
        ),
        NoticeKind(
            "plans.comment",
            gettext_lazy("Someone comments on a plan your working group makes"),
            gettext_lazy("%(author)s commented on the plan %(plan)s."),
            content=frozenset({"plan"}),
        ),
        NoticeKind(
            "plans.published",
            gettext_lazy("A plan for learning is published"),
            gettext_lazy("The plan %(plan)s is published."),
            content=frozenset({"plan"}),
        ),
    ]
