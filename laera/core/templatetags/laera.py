"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def org_url(context: dict[str, Any], name: str, **kwargs: Any) -> str:
    """`reverse` inside the acting organisation, without a query per row for the organisation's slug."""
    actor = context["actor"]
    return reverse(name, kwargs={"org_slug": actor.organisation.slug, **kwargs})
