"""Small formatting helpers for the gap analysis pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

from ..models import Importance
from ..selectors.gaps import PersonCell

register = template.Library()


@register.filter
def importance_label(value: str) -> str:
    """The translated label of an importance key ("critical" → "Critical"); empty for none."""
    return str(Importance(value).label) if value in Importance.values else ""


@register.filter
def signed(value: float | int | None, digits: int = 1) -> str:
    """A change with its sign: "+0.5", "−1", "0"; "–" when there is nothing to compare."""
    if value is None:
        return "–"
    places = digits if isinstance(value, float) else 0
    value = round(value, places)
    text = number_format(abs(value), decimal_pos=places)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


@register.filter
def average(value: float | None) -> str:
    return "–" if value is None else number_format(value, decimal_pos=1)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def level_of(cell: PersonCell, source: str) -> int | None:
    return cell.level(source)


@register.filter
def dash(value: Any) -> Any:
    return "–" if value is None or value == "" else value
