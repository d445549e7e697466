"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def org_url(context: dict[str, Any], name: str, **kwargs: Any) -> str:
    """`reverse` inside the acting organisation, without a query per row for the organisation's slug."""
    actor = context["actor"]
    return reverse(name, kwargs={"org_slug": actor.organisation.slug, **kwargs})


@register.simple_tag(takes_context=True)
def content(context: dict[str, Any], text: Any) -> str:
    """Organisation content (a name, a unit, a round) marked with the organisation's language when the
    page is in another one, so that screen readers pronounce it right (WCAG 3.1.2)."""
    actor = context.get("actor")
    language = actor.organisation.default_language if actor is not None else ""
    if language and language != get_language():
        return format_html('<span lang="{}">{}</span>', language, text)
    return conditional_escape(text)
