from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

from .hooks import get_hooks


def laera(request: HttpRequest) -> dict[str, Any]:
    """The acting person (inside an organisation), the language menu, and what the apps above add to the
    header (the notifications' bell, through the "page_header" hook), for the base layout. The header's
    additions are made only when a page shows them, not for a partial."""
    return {
        "actor": getattr(request, "actor", None),
        "laera_languages": settings.LANGUAGES,
        "laera_header": SimpleLazyObject(lambda: _header(request)),
    }


def _header(request: HttpRequest) -> SafeString:
    return SafeString("".join(hook(request) for hook in get_hooks("page_header")))
