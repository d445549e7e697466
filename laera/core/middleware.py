"""Response headers that every page carries."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Sends the policy in settings.LAERA_CSP on every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = getattr(settings, "LAERA_CSP", {})
            response["Content-Security-Policy"] = "; ".join(
                f"{directive} {' '.join(sources)}" for directive, sources in policy.items()
            )
        return response
