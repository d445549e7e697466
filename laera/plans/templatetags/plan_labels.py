"""The texts of an activity's columns, for templates."""

from __future__ import annotations

from django import template

from .. import presentation
from ..models import Activity

register = template.Library()


@register.filter
def arena_label(activity: Activity) -> str:
    return presentation.arena_label(activity)


@register.filter
def method_label(activity: Activity) -> str:
    return presentation.method_label(activity)


@register.filter
def participants_label(activity: Activity) -> str:
    return presentation.participants_label(activity)


@register.filter
def responsible_label(activity: Activity) -> str:
    return presentation.responsible_label(activity)


@register.filter
def time_label(activity: Activity, language: str) -> str:
    return presentation.time_label(activity, language)
