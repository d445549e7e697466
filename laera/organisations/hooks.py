"""What organisations adds through core's hook registry (laera.core.hooks)."""

from __future__ import annotations

from django.utils.translation import gettext

from laera.core.hooks import register_hook

from .selectors import NextStep, StartPage
from .services import PEOPLE_IMPORT
from .tenancy import Actor


@register_hook("start_steps", order=60)
def organisation_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """The organisation's own steps (setting it up, working groups), which `start_page` has worked out,
    after the plans and mapping steps and before what is expected of the person."""
    return page.steps


@register_hook("job_kinds")
def job_kinds() -> dict[str, str]:
    return {PEOPLE_IMPORT: gettext("Import of people")}
