"""What mapping adds to other apps' pages, through core's hook registry (laera.core.hooks)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.core.hooks import register_hook
from laera.core.text import content_span, sentence
from laera.organisations.models import Organisation, Unit
from laera.organisations.selectors import NextStep, StartPage, more_steps, step_url
from laera.organisations.tenancy import Actor

from .imports import ARENA_IMPORT
from .selectors import units_without_mapping
from .services import method_bank_install


@register_hook("organisation_setup")
def install_method_bank(organisation: Organisation) -> None:
    """Every new organisation starts with the method bank."""
    method_bank_install(organisation)


def _unmapped_text(actor: Actor, unit: Unit) -> str:
    arenas = unit.arena_count  # type: ignore[attr-defined]
    flows = unit.flow_count  # type: ignore[attr-defined]
    name = content_span(unit.name, actor.organisation.default_language)
    if not arenas and not flows:
        return sentence(_("%(unit)s has no arenas and no knowledge flows mapped yet."), {"unit": name})
    if not arenas:
        return sentence(_("%(unit)s has no arenas mapped yet."), {"unit": name})
    return sentence(
        ngettext(
            "%(unit)s has %(count)s arena but no knowledge flows mapped yet.",
            "%(unit)s has %(count)s arenas but no knowledge flows mapped yet.",
            arenas,
        ),
        {"unit": name, "count": arenas},
    )


@register_hook("start_steps", order=40)
def mapping_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """The units of the person's working groups with no arenas or knowledge flows mapped yet."""
    unmapped = units_without_mapping(actor, page.group_unit_ids)
    steps = [
        NextStep(
            _unmapped_text(actor, unit),
            step_url(actor, "mapping:unit_flows", unit_id=unit.pk),
            _("Map knowledge flows"),
            kind="mapping",
        )
        for unit in unmapped.units
    ]
    return steps + more_steps(unmapped.total, len(unmapped.units), actor, "mapping:flow_overview", "mapping")


@register_hook("job_kinds")
def job_kinds() -> dict[str, str]:
    return {ARENA_IMPORT: _("Import of arenas")}
