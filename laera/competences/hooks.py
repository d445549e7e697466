"""What competences adds to other apps' pages, through core's hook registry (laera.core.hooks).

Organisations' services tell competences when memberships change, so that the gap figures follow; the
workers queue the reminders of mapping rounds every hour.

The start page shows competence steps in three places: the rounds to answer first, then (for leaders and
admins) the rounds running and ratings due, and near the end what is expected of the person; the orders
below put them there among the other apps' steps.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from laera.core.hooks import register_hook
from laera.core.notices import NoticeKind
from laera.core.permissions import Role
from laera.core.tasks import Periodic
from laera.core.text import content_span, sentence
from laera.organisations.selectors import NextStep, StartPage, more_steps, step_url
from laera.organisations.tenancy import Actor

from .gap_export import GAP_EXPORT
from .imports import CATALOGUE_IMPORT
from .selectors import expected_of_me_summary
from .selectors import start as competence_start
from .services.figures import figures_refresh_after_commit
from .services.progress import progress_refresh_after_commit
from .services.rounds import (
    qualifications_announce_expiring_task,
    round_reminders_task,
    rounds_announce_task,
)


@register_hook("periodic_tasks")
def periodic_tasks() -> list[Periodic]:
    """Rounds are announced and reminded of within the hour they open or their reminder is due;
    qualifications about to expire are told of daily."""
    hour, day = datetime.timedelta(hours=1), datetime.timedelta(days=1)
    return [
        Periodic("competences.round_reminders", round_reminders_task, every=hour),
        Periodic("competences.round_announcements", rounds_announce_task, every=hour),
        Periodic("competences.qualifications_expiring", qualifications_announce_expiring_task, every=day),
    ]


@register_hook("notice_kinds", order=30)
def notice_kinds() -> list[NoticeKind]:
    """The notices competences gives (services/rounds.py)."""
    return [
        NoticeKind(
            "competences.round_opened",
            gettext_lazy("A mapping round you take part in opens"),
            gettext_lazy("The mapping round %(round)s is open until %(deadline)s. Rate your competences."),
            content=frozenset({"round"}),
            dates=frozenset({"deadline"}),
        ),
        NoticeKind(
            "competences.round_reminder",
            gettext_lazy("A reminder before the deadline of a mapping round"),
            gettext_lazy(
                "Remember the mapping round %(round)s: you have not finished, and it closes on %(deadline)s."
            ),
            content=frozenset({"round"}),
            dates=frozenset({"deadline"}),
        ),
        NoticeKind(
            "competences.rating_requested",
            gettext_lazy("Someone you lead waits for your rating"),
            gettext_lazy("%(person)s has answered the mapping round %(round)s and waits for your rating."),
            content=frozenset({"round"}),
        ),
        NoticeKind(
            "competences.qualification_expiring",
            gettext_lazy("A qualification of yours is about to expire"),
            gettext_lazy("Your qualification %(qualification)s expires on %(date)s."),
            content=frozenset({"qualification"}),
            dates=frozenset({"date"}),
        ),
    ]


@register_hook("memberships_changed")
def refresh_figures(*, organisation_id: int) -> None:
    """Memberships decide whose answers count in which unit's figures and progress: rebuild them once the
    change that organisations' services made has committed."""
    figures_refresh_after_commit(organisation_id=organisation_id)
    progress_refresh_after_commit(organisation_id=organisation_id)


@register_hook("start_steps", order=10)
def answer_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """The open mapping rounds the person is to answer, with how far they have come."""
    return [
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
            step_url(actor, "competences:self_assessment", round_id=due.round.pk),
            _("Answer now"),
            date=due.round.deadline,
            kind="round_to_answer",
        )
        for due in competence_start.rounds_to_answer_with_progress(actor)
    ]


def _running_steps(actor: Actor) -> list[NextStep]:
    running = competence_start.rounds_running(actor)
    steps = []
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
                step_url(actor, "competences:round_detail", round_id=round.pk),
                _("Follow the round"),
                date=round.deadline,
                kind="round_running",
            )
        )
    return steps + more_steps(
        running.total, len(running.rounds), actor, "competences:round_list", "round_running"
    )


def _ratings_steps(actor: Actor) -> list[NextStep]:
    return [
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
            step_url(actor, "competences:round_detail", round_id=due.round.pk),
            _("Rate"),
            date=due.round.deadline,
            kind="ratings_due",
        )
        for due in competence_start.leader_ratings_due(actor)
    ]


def _gap_steps(actor: Actor) -> list[NextStep]:
    gaps = competence_start.critical_gaps(actor)
    if gaps is None or not gaps.count:
        return []
    return [
        NextStep(
            sentence(
                ngettext(
                    "In %(name)s your units are below the required level in %(count)s critical competence.",
                    "In %(name)s your units are below the required level in %(count)s critical competences.",
                    gaps.count,
                ),
                {
                    "name": content_span(gaps.round.name, actor.organisation.default_language),
                    "count": gaps.count,
                },
            ),
            step_url(actor, "competences:gap_overview") + f"?round={gaps.round.pk}",
            _("Gap analysis"),
            kind="critical_gaps",
        )
    ]


@register_hook("start_steps", order=20)
def leader_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """For leaders and admins: the rounds they run; for leaders also ratings due and critical gaps."""
    if actor.role not in (Role.LEADER, Role.ADMIN):
        return []
    steps = _running_steps(actor)
    if actor.role == Role.LEADER:
        steps += _ratings_steps(actor) + _gap_steps(actor)
    return steps


@register_hook("start_steps", order=50)
def admin_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """For admins: catalogues nobody has set requirements for."""
    if not actor.is_admin:
        return []
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
            step_url(actor, "competences:catalogue_list"),
            _("Catalogues"),
            kind="no_requirements",
        )
    ]


@register_hook("start_steps", order=70)
def expected_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """How many competences the person's job requires, and in how many they are below the level."""
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
    return [NextStep(text, step_url(actor, "competences:home"), _("What is expected of me"), kind="expected")]


@register_hook("job_kinds")
def job_kinds() -> dict[str, str]:
    return {CATALOGUE_IMPORT: _("Import of competences"), GAP_EXPORT: _("Spreadsheet of the gap analysis")}
