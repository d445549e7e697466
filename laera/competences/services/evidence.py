"""From gap to plan: gaps sent on to the next input round, and competences linked to learning outcomes."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from laera.core.audit import audit_record, snapshot
from laera.core.errors import ServiceError
from laera.core.versioning import bump, check_version_as
from laera.organisations.models import Unit
from laera.organisations.tenancy import Actor, actor_user, ensure_same_organisation
from laera.plans.models import Outcome

from ..models import Competence, GapSignal, MappingRound
from ..selectors.access import can_plan_from_gaps, can_withdraw_gap_signal, group_unit_ids
from ..selectors.gaps import Figures


@transaction.atomic
def gap_signal_create(
    *,
    actor: Actor | None,
    competence: Competence,
    figures: Figures,
    round: MappingRound | None = None,
    unit: Unit | None = None,
    note: str = "",
) -> GapSignal:
    """Send a gap on to the next input round with its figures as they are now.

    Figures that are suppressed (a group under the threshold) are not sent: only that there is a gap.
    """
    organisation = competence.organisation
    ensure_same_organisation(organisation, round, unit)
    if actor is not None:
        actor.require(can_plan_from_gaps(actor))
        if unit is not None:
            actor.require(unit.pk in group_unit_ids(actor))
    if round is not None and round.catalogue_id != competence.catalogue_id:
        raise ServiceError(_("The competence is not in the round's catalogue."))
    average = figures.average
    signal = GapSignal.objects.create(
        organisation=organisation,
        competence=competence,
        round=round,
        unit=unit,
        people_assessed=0 if figures.suppressed else figures.assessed,
        people_below=0 if figures.suppressed else figures.below,
        required_level=figures.required,
        average_level=None if figures.suppressed or average is None else Decimal(f"{average:.2f}"),
        importance=figures.importance,
        note=note.strip(),
        sent_by=actor.person if actor is not None else None,
    )
    audit_record(
        actor=actor_user(actor),
        organisation=organisation,
        action="gap_signal.create",
        obj=signal,
        after=snapshot(signal),
    )
    return signal


@transaction.atomic
def gap_signal_withdraw(*, actor: Actor, signal: GapSignal) -> None:
    """Take back a gap that no input round has picked up yet."""
    actor.require(can_plan_from_gaps(actor) and can_withdraw_gap_signal(actor, signal))
    if signal.input_round_id is not None:
        raise ServiceError(_("An input round has already taken this gap up."))
    audit_record(
        actor=actor.user,
        organisation=actor.organisation,
        action="gap_signal.delete",
        obj=signal,
        before=snapshot(signal),
    )
    signal.delete()


@transaction.atomic
def outcome_set_competences(
    *, actor: Actor | None, outcome: Outcome, competences: list[Competence], version: int | None
) -> Outcome:
    """Link a learning outcome to the competences it builds; whoever may edit the plan may do this.

    The links are part of the outcome: `version` is the outcome's when the form was opened, and saving
    them counts as a change of the outcome."""
    ensure_same_organisation(outcome.organisation, *competences)
    from laera.plans.services import _require_edit

    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    _require_edit(actor, outcome.theme.plan)
    check_version_as(actor, outcome, version, _("learning outcome"))
    before = sorted(outcome.competences.values_list("id", flat=True))
    outcome.competences.set(competences)
    bump(outcome)
    outcome.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor_user(actor),
        organisation=outcome.organisation,
        action="outcome.competences",
        obj=outcome,
        before={"competences": before},
        after={"competences": sorted(c.pk for c in competences)},
    )
    return outcome
