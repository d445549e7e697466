"""Which competences a learning outcome builds: the link from a plan back to the competence catalogue.

The link (`Outcome.competences`) belongs to plans, which come after competences in the loop, so its page
lives here; its address stays under the competence pages (`competences:outcome_competences`, routed in
`laera.config.urls`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laera.competences.forms.gaps import OutcomeCompetencesForm
from laera.competences.models import Competence
from laera.competences.selectors.catalogues import organisation_competences
from laera.core.versioning import Conflict, save_versioned
from laera.organisations.tenancy import OrgRequest, org_view

from .. import selectors, services
from ..models import Outcome
from ..policies import EDITABLE, PlanAction, plan_policy


@dataclass
class CompetenceGroup:
    """The checkboxes of one area of one catalogue."""

    catalogue: str
    area: str
    choices: list[tuple[Competence, bool]]
    key: str


def _open_form(competences: list[Competence], current: Outcome, data: Any = None) -> OutcomeCompetencesForm:
    return OutcomeCompetencesForm(
        data,
        competences=competences,
        initial={
            "competences": list(current.competences.values_list("pk", flat=True)),
            "version": current.version,
        },
    )


def _groups(competences: list[Competence], form: OutcomeCompetencesForm) -> list[CompetenceGroup]:
    """The competences by catalogue and area (they come in that order), ticked as in the form."""
    chosen = {int(v) for v in (form["competences"].value() or [])}
    groups: list[CompetenceGroup] = []
    for competence in competences:
        key = f"{competence.catalogue_id}-{competence.area_id}"
        if not groups or groups[-1].key != key:
            groups.append(
                CompetenceGroup(
                    catalogue=competence.catalogue.name, area=competence.area.name, choices=[], key=key
                )
            )
        groups[-1].choices.append((competence, competence.pk in chosen))
    return groups


def _save(
    request: OrgRequest, outcome: Outcome, form: OutcomeCompetencesForm, competences: list[Competence]
) -> tuple[Outcome | None, Conflict | None]:
    actor = request.actor
    return save_versioned(
        form,
        lambda: services.outcome_set_competences(
            actor=actor, outcome=outcome, competences=form.selected(), version=form.cleaned_data["version"]
        ),
        reload=lambda: selectors.access_outcome(actor, outcome.pk),
        fresh=lambda current: _open_form(competences, current),
    )


@org_view
def outcome_competences(request: OrgRequest, outcome_id: int) -> HttpResponse:
    """Which competences a learning outcome builds. Editable while the plan is; read-only after."""
    actor = request.actor
    outcome = selectors.access_outcome(actor, outcome_id)
    plan = outcome.theme.plan
    can_edit = plan_policy.allows(actor, PlanAction.EDIT, plan)
    competences = organisation_competences(actor)
    form = _open_form(competences, outcome, request.POST if request.method == "POST" else None)
    conflict = None
    if request.method == "POST":
        actor.require(can_edit)
        saved, conflict = _save(request, outcome, form, competences)
        if saved is not None:
            messages.success(request, _("The competences of the learning outcome are saved."))
            return redirect(plan.get_absolute_url() + f"#outcome-{outcome.pk}")
    linked = list(outcome.competences.select_related("catalogue", "area").order_by("catalogue__name", "name"))
    context = {"outcome": outcome, "plan": plan, "form": form, "conflict": conflict, "linked": linked}
    context.update(
        groups=_groups(competences, form), can_edit=can_edit, read_only=plan.status not in EDITABLE
    )
    return render(request, "plans/outcome_competences_form.html", context)
