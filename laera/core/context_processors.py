from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def laera(request: HttpRequest) -> dict[str, Any]:
    """The acting person (inside an organisation) and the language menu, for the base layout."""
    return {
        "actor": getattr(request, "actor", None),
        "laera_languages": settings.LANGUAGES,
    }
