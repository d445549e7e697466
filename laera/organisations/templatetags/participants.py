from __future__ import annotations

from typing import Any

from django import template

from .. import participants

register = template.Library()


@register.filter
def participants_label(obj: Any) -> str:
    return participants.participants_label(obj)
