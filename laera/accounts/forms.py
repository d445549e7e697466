from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from laera.core.forms import StyledForm, StyledFormMixin

from . import selectors, services
from .backends import login_refusal
from .models import User
from .throttle import Refusal


def _locked(refusal: Refusal) -> forms.ValidationError:
    """The message for an attempt the sign-in throttle refused."""
    if services.login_refused_for_address(refusal):
        message = ngettext(
            "Too many sign-in attempts from your network. Wait %(minutes)s minute and try again.",
            "Too many sign-in attempts from your network. Wait %(minutes)s minutes and try again.",
            refusal.minutes,
        )
    else:
        message = ngettext(
            "Too many failed sign-in attempts for this account. Wait %(minutes)s minute and try again, "
            "or reset your password.",
            "Too many failed sign-in attempts for this account. Wait %(minutes)s minutes and try again, "
            "or reset your password.",
            refusal.minutes,
        )
    return forms.ValidationError(message, code="locked", params={"minutes": refusal.minutes})


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
        # The backend counts the attempt before it checks the password (laera/accounts/backends.py).
        self.user_cache = authenticate(self.request, email=email, password=password)
        refusal = login_refusal(self.request)
        if refusal is not None:
            raise _locked(refusal)
        if self.user_cache is None or not self.user_cache.is_active:
            raise forms.ValidationError(
                _("The e-mail address or the password is wrong."), code="invalid_login"
            )
        return data


class ProfileForm(StyledForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class LaeraPasswordResetForm(StyledFormMixin, PasswordResetForm):
    """Django's reset form, for first passwords too, writing in the account's language. The view counts
    each request against the rate limit (`services.password_reset_reserve`) before it sends anything."""

    def get_users(self, email: str) -> Iterator[User]:
        return selectors.users_for_password_reset(email)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        with translation.override(selectors.user_language(context["user"])):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name=html_email_template_name,
            )


class EmailChangeForm(StyledForm):
    """A new e-mail address for the signed-in user, confirmed with their password."""

    new_email = forms.EmailField(label=_("New e-mail address"), max_length=254)
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        self.user = user
        self.request = request
        kwargs.setdefault("prefix", "email")
        super().__init__(*args, **kwargs)
        self.fields["new_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean_new_email(self) -> str:
        email = self.cleaned_data["new_email"].strip().lower()
        if email == self.user.email.lower():
            raise forms.ValidationError(_("This is already your e-mail address."), code="unchanged")
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if not data.get("new_email") or not password:
            return data
        # The password is checked like a sign-in, behind the same throttle.
        user = authenticate(self.request, email=self.user.email, password=password)
        refusal = login_refusal(self.request)
        if refusal is not None:
            raise _locked(refusal)
        if user is None or user.pk != self.user.pk:
            self.add_error("password", forms.ValidationError(_("The password is wrong."), code="wrong"))
            return data
        return data


def reset_throttled(refusal: Refusal) -> forms.ValidationError:
    """The message for a request for a reset link the rate limit refused."""
    return forms.ValidationError(
        ngettext(
            "Too many requests for a link to choose a password. Wait %(minutes)s minute and try again.",
            "Too many requests for a link to choose a password. Wait %(minutes)s minutes and try again.",
            refusal.minutes,
        ),
        code="throttled",
        params={"minutes": refusal.minutes},
    )


def email_change_throttled(refusal: Refusal) -> forms.ValidationError:
    """The message for a request to change the e-mail address the rate limit refused."""
    return forms.ValidationError(
        ngettext(
            "You have asked to change your e-mail address too many times. "
            "Wait %(minutes)s minute and try again.",
            "You have asked to change your e-mail address too many times. "
            "Wait %(minutes)s minutes and try again.",
            refusal.minutes,
        ),
        code="throttled",
        params={"minutes": refusal.minutes},
    )
