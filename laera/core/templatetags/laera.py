"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from laera.core.text import content_span
from laera.core.versioning import VersionField

register = template.Library()


@register.simple_tag(takes_context=True)
def org_url(context: dict[str, Any], name: str, **kwargs: Any) -> str:
    """`reverse` inside the acting organisation, without a query per row for the organisation's slug."""
    actor = context["actor"]
    return reverse(name, kwargs={"org_slug": actor.organisation.slug, **kwargs})


def _content_language(context: Any, language: str | None) -> str:
    """The language organisation content is written in when it differs from the page's, else ""."""
    if not language:
        actor = context.get("actor")
        language = actor.organisation.default_language if actor is not None else ""
    return language if language and language != get_language() else ""


@register.simple_tag(takes_context=True)
def content(context: dict[str, Any], text: Any, language: str | None = None) -> str:
    """Organisation content (a name, a unit, a round) marked with the organisation's language when the
    page is in another one, so that screen readers pronounce it right (WCAG 3.1.2).

    `language` names the content's language where it is not the organisation's (a plan's texts are in the
    plan's language). Empty content gets no element."""
    return content_span(text, _content_language(context, language))


@register.simple_tag(takes_context=True)
def content_lang(context: dict[str, Any], language: str | None = None) -> str:
    """` lang="nb"` for an element that holds only organisation content (a table cell of names, a block of
    the organisation's text), when the page is in another language; nothing otherwise."""
    marked = _content_language(context, language)
    return format_html(' lang="{}"', marked) if marked else ""


@register.filter
def summary_errors(form: Any) -> list[tuple[str, str, str]]:
    """The errors an error summary lists, as (field id or "", field label or "", message): the form's
    own errors and every field's, except a refused version, which the conflict box beside the form
    explains with what is saved now."""
    errors: list[tuple[str, str, str]] = [("", "", str(error)) for error in form.non_field_errors()]
    for field in form:
        if isinstance(field.field, VersionField):
            continue
        anchor = "" if field.is_hidden else (field.id_for_label or field.auto_id or "")
        label = "" if field.is_hidden else str(field.label)
        errors += [(anchor, label, str(error)) for error in field.errors]
    return errors
