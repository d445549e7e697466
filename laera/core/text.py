"""Small text helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language

# Nordic letters as people write them in file and web names when they cannot use them ("Røyken" ->
# "royken", "Bærum" -> "baerum"), instead of dropping them as plain ASCII slugs do.
_NORDIC = str.maketrans(
    {
        "æ": "ae",
        "Æ": "Ae",
        "ø": "o",
        "Ø": "O",
        "å": "a",
        "Å": "A",
        "ä": "a",
        "Ä": "A",
        "ö": "o",
        "Ö": "O",
        "ü": "u",
        "Ü": "U",
    }
)


def nordic_slug(text: str, fallback: str = "") -> str:
    """An ASCII slug of `text` with æ, ø, å, ä and ö spelled out; `fallback` when nothing is left."""
    return slugify(text.translate(_NORDIC)) or fallback


def content_span(text: Any, language: str) -> SafeString:
    """Organisation content for a sentence built in Python: escaped, and wrapped in an element carrying
    its own language when that differs from the page's (WCAG 3.1.2), as the `{% content %}` tag does."""
    if text in (None, "") or not language or language == get_language():
        return conditional_escape(text if text is not None else "")
    return format_html('<span lang="{}">{}</span>', language, text)


def sentence(text: str, values: Mapping[str, Any]) -> SafeString:
    """A translated sentence with its placeholders filled: the sentence and every value are escaped
    (values already safe, such as `content_span`, are kept), so the result can be shown as HTML."""
    escaped = {key: conditional_escape(value) for key, value in values.items()}
    return mark_safe(conditional_escape(text) % escaped)  # noqa: S308
