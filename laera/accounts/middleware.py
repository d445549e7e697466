"""Activates the signed-in user's language.

Order: the account's choice, then this browser's choice (the language cookie), then the default of the
person's organisation; Django's LocaleMiddleware has already applied the cookie and Accept-Language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from laera.organisations.models import Person


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            if not language and cookie in dict(settings.LANGUAGES):
                language = cookie
            if not language:
                language = (
                    Person.objects.filter(user=user, is_active=True)
                    .order_by("id")
                    .values_list("organisation__default_language", flat=True)
                    .first()
                )
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
