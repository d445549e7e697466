"""From gap to plan: gaps sent on to the next input round. (Competences linked to learning outcomes are
plans' own: `plans.services.outcome_set_competences`.)"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from laera.core.audit import audit_record, snapshot
from laera.core.errors import ServiceError
from laera.organisations.models import Unit
from laera.organisations.tenancy import Actor, actor_user, ensure_same_organisation

from ..models import Competence, GapSignal, MappingRound
from ..policies import FiguresAction, GapSignalAction, figures_policy, gap_signal_policy
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
        gap_signal_policy.require(actor, GapSignalAction.SEND)
        if unit is not None:
            figures_policy.require(actor, FiguresAction.VIEW, unit)
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
    gap_signal_policy.require(actor, GapSignalAction.WITHDRAW, signal)
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
