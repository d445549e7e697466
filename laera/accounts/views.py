"""Sign-in, sign-out, password reset, language and the user's own profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from laera.core.forms import StyledFormMixin
from laera.organisations.selectors import demo_accounts_shown

from . import services
from .forms import LoginForm, ProfileForm


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request, reverse("home")))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user_cache
        login(request, user)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not user.language and chosen in dict(settings.LANGUAGES):
            # The language picked on the sign-in page becomes the account's choice.
            services.user_set_language(user=user, language=chosen)
        return redirect(_safe_next(request, reverse("home")))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _safe_next(request, ""), "demo_accounts": demo_accounts_shown()},
    )


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("accounts:login")


def set_language_view(request: HttpRequest) -> HttpResponse:
    """Switch language: remembered on the account when signed in, in a cookie otherwise."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    language = request.POST.get("language", "")
    target = _safe_next(request, reverse("home"))
    response = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=getattr(settings, "LANGUAGE_COOKIE_HTTPONLY", False),
    )
    return response


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ProfileForm(
        request.POST or None, initial={"language": user.language or translation.get_language()}
    )
    if request.method == "POST" and form.is_valid():
        services.user_set_language(user=user, language=form.cleaned_data["language"])
        translation.activate(form.cleaned_data["language"])
        messages.success(request, _("Your language is saved."))
        return redirect("accounts:profile")
    people = user.people.filter(is_active=True).select_related("organisation", "job_role")
    return render(request, "accounts/profile.html", {"form": form, "people": people})


class StyledPasswordResetForm(StyledFormMixin, PasswordResetForm):
    pass


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


password_reset_view = auth_views.PasswordResetView.as_view(
    form_class=StyledPasswordResetForm,
    template_name="accounts/password_reset_form.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done_view = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm_view = auth_views.PasswordResetConfirmView.as_view(
    form_class=StyledSetPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete_view = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change_view = auth_views.PasswordChangeView.as_view(
    form_class=StyledPasswordChangeForm,
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:profile"),
)
