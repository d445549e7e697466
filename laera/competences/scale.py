"""The default proficiency scale (docs/product.md §3.3): 0–4, with "can independently" as the proficient
step.

A catalogue stores its scale's labels in all five languages, so an organisation can word its own steps;
new catalogues start from these, rendered from the translation catalogues in each language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)

DEFAULT_LEVELS: tuple[Promise, ...] = (
    _("Not relevant"),
    _("Know of it"),
    _("Can do it with support"),
    _("Can do it independently"),
    _("Can guide others"),
)
DEFAULT_PROFICIENT = 3


@dataclass(frozen=True)
class Step:
    """One step of a scale as the pages and documents use it: its number and its label."""

    value: int
    label: str
    is_proficient: bool = False


def labels_in_every_language(text: Promise) -> dict[str, str]:
    """{"nb": …, "nn": …, …} for a translatable text, from the translation catalogues."""
    found = {}
    for code in LANGUAGE_CODES:
        with translation.override(code):
            found[code] = str(text)
    return found


def default_levels() -> list[dict[str, str | int]]:
    """The default steps as {"value": 0, "nb": …, "nn": …, "sv": …, "da": …, "en": …}."""
    return [{"value": value, **labels_in_every_language(text)} for value, text in enumerate(DEFAULT_LEVELS)]
