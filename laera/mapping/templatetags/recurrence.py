from __future__ import annotations

from django import template

from ..models import Arena
from ..recurrence import describe

register = template.Library()


@register.filter
def recurrence_text(arena: Arena) -> str:
    """How often the arena meets in words; its chosen label where there is no rule (on demand)."""
    return describe(arena.rrule, arena.starts_on) or str(arena.get_recurrence_display())
