from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from laera.core.forms import StyledForm

from . import services


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


class LoginForm(StyledForm):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user_cache: Any = None
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = data.get("email")
        password = data.get("password")
        if not email or not password:
            return data
        client = client_address(self.request)
        if services.login_is_locked(email=email, client=client):
            minutes = settings.LAERA_LOGIN_WINDOW_SECONDS // 60
            raise forms.ValidationError(
                _("Too many failed attempts. Wait %(minutes)s minutes, or reset your password."),
                code="locked",
                params={"minutes": minutes},
            )
        self.user_cache = authenticate(self.request, email=email, password=password)
        if self.user_cache is None or not self.user_cache.is_active:
            services.login_failure_record(email=email, client=client)
            raise forms.ValidationError(
                _("The e-mail address or the password is wrong."), code="invalid_login"
            )
        services.login_failures_clear(email=email, client=client)
        return data


class ProfileForm(StyledForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
