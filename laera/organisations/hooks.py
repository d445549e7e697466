"""What organisations adds through core's hook registry (laera.core.hooks)."""

from __future__ import annotations

from laera.core.hooks import register_hook

from .selectors import NextStep, StartPage
from .tenancy import Actor


@register_hook("start_steps", order=60)
def organisation_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """The organisation's own steps (setting it up, working groups), which `start_page` has worked out,
    after the plans and mapping steps and before what is expected of the person."""
    return page.steps
