"""The start page: what is due for this person, composed from each step of the loop's own selectors.

The organisation app sits at the bottom of the loop, so its selectors know nothing of plans, mapping or
competences; this view asks each of those apps for what waits on the person and turns the answers into
next steps, each with a count, a date where there is one, and a link. Every selector it calls runs a
fixed number of queries, so the page costs the same whatever the size of the organisation.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.competences.selectors import expected_of_me_summary
from laera.competences.selectors import start as competence_start
from laera.core.permissions import Role
from laera.core.text import content_span, sentence
from laera.mapping.selectors import units_without_mapping
from laera.organisations.tenancy import Actor, OrgRequest, org_view
from laera.plans import selectors as plan_selectors

from .. import selectors
from ..selectors import NextStep, StartPage


def _url(name: str, actor: Actor, **kwargs: int) -> str:
    return reverse(name, kwargs={"org_slug": actor.organisation.slug, **kwargs})


def _more(total: int, shown: int, actor: Actor, url_name: str, kind: str) -> list[NextStep]:
    """A last step pointing to the full list when there are more than the few shown."""
    if total <= shown:
        return []
    rest = total - shown
    return [
        NextStep(
            ngettext("and %(count)s more.", "and %(count)s more.", rest) % {"count": rest},
            _url(url_name, actor),
            _("See all"),
            kind=kind,
        )
    ]


def _answer_steps(actor: Actor) -> list[NextStep]:
    steps = []
    for due in competence_start.rounds_to_answer_with_progress(actor):
        steps.append(
            NextStep(
                sentence(
                    ngettext(
                        "Mapping round %(name)s: you have rated %(answered)s of %(count)s competence.",
                        "Mapping round %(name)s: you have rated %(answered)s of %(count)s competences.",
                        due.applicable,
                    ),
                    {
                        "name": content_span(due.round.name, actor.organisation.default_language),
                        "answered": due.answered,
                        "count": due.applicable,
                    },
                ),
                _url("competences:self_assessment", actor, round_id=due.round.pk),
                _("Answer now"),
                date=due.round.deadline,
                kind="round_to_answer",
            )
        )
    return steps


def _plan_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    steps: list[NextStep] = []
    coordinated = actor.coordinated_unit_ids
    # Plans of the person's own units and groups: drafts to finish, comments to read, plans to publish.
    if coordinated and not actor.is_admin:
        drafts = plan_selectors.draft_plans_with_findings(actor)
        for plan in drafts.plans:
            findings = plan.finding_count  # type: ignore[attr-defined]
            steps.append(
                NextStep(
                    sentence(
                        ngettext(
                            "The draft plan %(plan)s for %(unit)s: the plan check has %(count)s finding.",
                            "The draft plan %(plan)s for %(unit)s: the plan check has %(count)s findings.",
                            findings,
                        ),
                        {
                            "plan": content_span(plan.name, plan.language),
                            "unit": content_span(plan.unit.name, actor.organisation.default_language),
                            "count": findings,
                        },
                    )
                    if findings
                    else sentence(
                        _(
                            "The draft plan %(plan)s for %(unit)s passes the plan check: "
                            "send it out for comments."
                        ),
                        {
                            "plan": content_span(plan.name, plan.language),
                            "unit": content_span(plan.unit.name, actor.organisation.default_language),
                        },
                    ),
                    plan.get_absolute_url() + "#plan-check",
                    _("Open the plan"),
                    kind="draft",
                )
            )
        steps += _more(drafts.total, len(drafts.plans), actor, "plans:plan_list", "draft")
    # Admins may publish every unit's plan; the others see the plans of the units they plan for or lead.
    own = plan_selectors.consultation_plans(actor, unit_ids=None if actor.is_admin else coordinated)
    for plan in own.plans:
        comments = plan.comment_count  # type: ignore[attr-defined]
        if actor.can_lead(plan.unit_id):
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
        steps.append(
            NextStep(
                sentence(
                    text,
                    {
                        "plan": content_span(plan.name, plan.language),
                        "unit": content_span(plan.unit.name, actor.organisation.default_language),
                        "count": comments,
                    },
                ),
                plan.get_absolute_url() + "#comments",
                _("Read the comments"),
                date=plan.comments_until,
                kind=kind,
            )
        )
    steps += _more(own.total, len(own.plans), actor, "plans:plan_list", "own_consultation")
    if actor.is_admin:
        return steps
    # Everyone else's plans out for comments, for anyone to read and comment on until their deadline.
    others = plan_selectors.plans_open_for_comment(actor).select_related("organisation")
    if coordinated:
        others = others.exclude(unit_id__in=coordinated)
    shown = list(others[:3])
    for plan in shown:
        steps.append(
            NextStep(
                sentence(
                    _("The plan %(plan)s for %(unit)s is out for comments. Read it and say what you think."),
                    {
                        "plan": content_span(plan.name, plan.language),
                        "unit": content_span(plan.unit.name, actor.organisation.default_language),
                    },
                ),
                plan.get_absolute_url() + "#comments",
                _("Read and comment"),
                date=plan.comments_until,
                kind="consultation",
            )
        )
    if len(shown) == 3:
        steps += _more(others.count(), len(shown), actor, "plans:plan_list", "consultation")
    # The plans that apply to the person: their units' and the units above them.
    parents = actor.parent_map()
    mine: set[int] = set()
    for unit in page.my_units:
        current: int | None = unit.pk
        while current is not None and current not in mine:
            mine.add(current)
            current = parents.get(current)
    published = plan_selectors.published_plans_of_units(actor, mine, limit=1)
    if published.total:
        plan = published.plans[0]
        steps.append(
            NextStep(
                sentence(
                    ngettext(
                        "%(count)s published plan for learning applies to you, "
                        "the latest %(plan)s for %(unit)s.",
                        "%(count)s published plans for learning apply to you, "
                        "the latest %(plan)s for %(unit)s.",
                        published.total,
                    ),
                    {
                        "count": published.total,
                        "plan": content_span(plan.name, plan.language),
                        "unit": content_span(plan.unit.name, actor.organisation.default_language),
                    },
                ),
                plan.get_absolute_url(),
                _("Read the plan"),
                kind="published",
            )
        )
    return steps


def _leader_steps(actor: Actor) -> list[NextStep]:
    steps: list[NextStep] = []
    running = competence_start.rounds_running(actor)
    for round in running.rounds:
        total = round.participant_count  # type: ignore[attr-defined]
        answered = round.answered_count  # type: ignore[attr-defined]
        steps.append(
            NextStep(
                sentence(
                    ngettext(
                        "Mapping round %(name)s is running: %(answered)s of %(count)s person has answered.",
                        "Mapping round %(name)s is running: %(answered)s of %(count)s people have answered.",
                        total,
                    ),
                    {
                        "name": content_span(round.name, actor.organisation.default_language),
                        "answered": answered,
                        "count": total,
                    },
                ),
                _url("competences:round_detail", actor, round_id=round.pk),
                _("Follow the round"),
                date=round.deadline,
                kind="round_running",
            )
        )
    steps += _more(running.total, len(running.rounds), actor, "competences:round_list", "round_running")
    if actor.role == Role.LEADER:
        for due in competence_start.leader_ratings_due(actor):
            steps.append(
                NextStep(
                    sentence(
                        ngettext(
                            "Mapping round %(name)s: %(count)s person you lead waits for your rating.",
                            "Mapping round %(name)s: %(count)s people you lead wait for your rating.",
                            due.people,
                        ),
                        {
                            "name": content_span(due.round.name, actor.organisation.default_language),
                            "count": due.people,
                        },
                    ),
                    _url("competences:round_detail", actor, round_id=due.round.pk),
                    _("Rate"),
                    date=due.round.deadline,
                    kind="ratings_due",
                )
            )
        gaps = competence_start.critical_gaps(actor)
        if gaps is not None and gaps.count:
            steps.append(
                NextStep(
                    sentence(
                        ngettext(
                            "In %(name)s your units are below the required level in "
                            "%(count)s critical competence.",
                            "In %(name)s your units are below the required level in "
                            "%(count)s critical competences.",
                            gaps.count,
                        ),
                        {
                            "name": content_span(gaps.round.name, actor.organisation.default_language),
                            "count": gaps.count,
                        },
                    ),
                    _url("competences:gap_overview", actor) + f"?round={gaps.round.pk}",
                    _("Gap analysis"),
                    kind="critical_gaps",
                )
            )
    return steps


def _mapping_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    steps = []
    unmapped = units_without_mapping(actor, page.group_unit_ids)
    for unit in unmapped.units:
        arenas = unit.arena_count  # type: ignore[attr-defined]
        flows = unit.flow_count  # type: ignore[attr-defined]
        if not arenas and not flows:
            text = sentence(
                _("%(unit)s has no arenas and no knowledge flows mapped yet."),
                {"unit": content_span(unit.name, actor.organisation.default_language)},
            )
        elif not arenas:
            text = sentence(
                _("%(unit)s has no arenas mapped yet."),
                {"unit": content_span(unit.name, actor.organisation.default_language)},
            )
        else:
            text = sentence(
                ngettext(
                    "%(unit)s has %(count)s arena but no knowledge flows mapped yet.",
                    "%(unit)s has %(count)s arenas but no knowledge flows mapped yet.",
                    arenas,
                ),
                {"unit": content_span(unit.name, actor.organisation.default_language), "count": arenas},
            )
        steps.append(
            NextStep(
                text,
                _url("mapping:unit_flows", actor, unit_id=unit.pk),
                _("Map knowledge flows"),
                kind="mapping",
            )
        )
    steps += _more(unmapped.total, len(unmapped.units), actor, "mapping:flow_overview", "mapping")
    return steps


def _admin_steps(actor: Actor) -> list[NextStep]:
    empty = competence_start.catalogues_without_requirements(actor)
    if not empty:
        return []
    return [
        NextStep(
            ngettext(
                "%(count)s competence catalogue has no requirements: nobody knows what is expected of them.",
                "%(count)s competence catalogues have no requirements: "
                "nobody knows what is expected of them.",
                empty,
            )
            % {"count": empty},
            _url("competences:catalogue_list", actor),
            _("Catalogues"),
            kind="no_requirements",
        )
    ]


def _expected_step(actor: Actor) -> list[NextStep]:
    summary = expected_of_me_summary(actor)
    if not summary.required:
        return []
    text = ngettext(
        "%(count)s competence is required in your job.",
        "%(count)s competences are required in your job.",
        summary.required,
    ) % {"count": summary.required}
    if summary.below:
        text += " " + ngettext(
            "You are below the required level in %(count)s of them.",
            "You are below the required level in %(count)s of them.",
            summary.below,
        ) % {"count": summary.below}
    return [NextStep(text, _url("competences:home", actor), _("What is expected of me"), kind="expected")]


def start_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """Everything due for this person, the most pressing first, in a fixed number of queries."""
    if actor.is_external:
        return page.steps + page.closing_steps
    steps = _answer_steps(actor)
    if actor.role in (Role.LEADER, Role.ADMIN):
        steps += _leader_steps(actor)
    steps += _plan_steps(actor, page)
    steps += _mapping_steps(actor, page)
    if actor.is_admin:
        steps += _admin_steps(actor)
    steps += page.steps
    steps += _expected_step(actor)
    return steps + page.closing_steps


@org_view
def org_home(request: OrgRequest) -> HttpResponse:
    """The start page: what this person should do next, by role."""
    actor = request.actor
    page = selectors.start_page(actor)
    page.steps = start_steps(actor, page)
    page.closing_steps = []
    return render(request, "organisations/home.html", {"page": page})
