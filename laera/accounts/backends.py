"""The authentication backend: Django's model backend behind the sign-in throttle.

Every password check made with a request goes through here — the sign-in page, the operator's admin
site and the password confirmation of the e-mail change — so none of them can be used to guess
passwords past the throttle. The attempt is counted before the password is checked; an attempt over a
limit stops authentication (PermissionDenied) without checking the password, and leaves the refusal on
the request for the page to explain (`login_refusal`).

Without a request (the command line, the test client's `login()`) nothing is counted.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from laera.core.network import client_address

from . import services
from .throttle import Refusal

_REFUSAL = "_laera_login_refusal"


def login_refusal(request: HttpRequest) -> Refusal | None:
    """The refusal of this request's last sign-in attempt, if the throttle refused it."""
    refusal = getattr(request, _REFUSAL, None)
    return refusal if isinstance(refusal, Refusal) else None


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None or password is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        client = client_address(request)
        refusal = services.login_attempt_reserve(email=username, client=client)
        setattr(request, _REFUSAL, refusal)
        if refusal is not None:
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            services.login_attempt_succeeded(email=username, client=client)
        return user

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        return await sync_to_async(self.authenticate)(request, username=username, password=password, **kwargs)
