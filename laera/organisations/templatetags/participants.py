from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from laera.core.templatetags.laera import content

from .. import participants

register = template.Library()


@register.filter
def participants_label(obj: Any) -> str:
    return participants.participants_label(obj)


@register.simple_tag(takes_context=True)
def participants_marked(context: Any, obj: Any) -> SafeString:
    """The participants as one line, with the organisation's units, job roles and groups marked with its
    language where the page is in another one (WCAG 3.1.2); people's names and Læra's words are not."""
    parts: list[str] = []
    if obj.participants_all:
        parts.append(conditional_escape(_("All employees")))
    parts += [content(context, u.name) for u in obj.participant_units.all()]
    parts += [content(context, r.name) for r in obj.participant_job_roles.all()]
    parts += [conditional_escape(p.full_name) for p in obj.participant_people.all()]
    if obj.participant_groups:
        parts.append(content(context, obj.participant_groups))
    return mark_safe(", ".join(parts)) if parts else format_html("{}", "–")  # noqa: S308 - every part is escaped
