"""Sign-in, sign-out, password reset, language and the user's own profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.forms import StyledFormMixin, apply_service
from laera.core.network import client_address
from laera.organisations.selectors import demo_accounts_shown

from . import selectors, services
from .forms import (
    EmailChangeForm,
    LaeraPasswordResetForm,
    LoginForm,
    ProfileForm,
    email_change_throttled,
    reset_throttled,
)


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


def _profile_page(
    request: HttpRequest, *, form: ProfileForm | None = None, email_form: EmailChangeForm | None = None
) -> HttpResponse:
    user: Any = request.user
    if form is None:
        form = ProfileForm(initial={"language": user.language or translation.get_language()})
    if email_form is None:
        email_form = EmailChangeForm(user=user, request=request)
    people = user.people.filter(is_active=True).select_related("organisation", "job_role")
    return render(
        request, "accounts/profile.html", {"form": form, "email_form": email_form, "people": people}
    )


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.user_set_language(user=user, language=form.cleaned_data["language"])
            translation.activate(form.cleaned_data["language"])
            messages.success(request, _("Your language is saved."))
            return redirect("accounts:profile")
        return _profile_page(request, form=form)
    return _profile_page(request)


def _email_change_sent(request: HttpRequest, form: EmailChangeForm) -> bool:
    """Count the request against the rate limit, then send the confirmation link; False when refused."""
    user: Any = request.user
    refusal = services.email_change_reserve(user=user)
    if refusal is not None:
        form.add_error(None, email_change_throttled(refusal))
        return False
    confirm_url = request.build_absolute_uri(reverse("accounts:email_change_confirm"))
    new_email = apply_service(
        form,
        lambda: services.user_email_change_request(
            user=user, new_email=form.cleaned_data["new_email"], confirm_url=confirm_url
        ),
    )
    if new_email is None:
        return False
    messages.success(
        request,
        _(
            "We have sent a link to %(new)s. Open it while signed in and confirm, and the new "
            "address is yours. Until then, sign in with %(old)s."
        )
        % {"new": new_email, "old": user.email},
    )
    return True


@login_required
def email_change_view(request: HttpRequest) -> HttpResponse:
    """The profile's form for a new e-mail address: sends the confirmation link, changes nothing yet."""
    if request.method != "POST":
        return redirect("accounts:profile")
    user: Any = request.user
    form = EmailChangeForm(request.POST, user=user, request=request)
    if form.is_valid() and _email_change_sent(request, form):
        return redirect("accounts:profile")
    return _profile_page(request, email_form=form)


@login_required
def email_change_confirm_view(request: HttpRequest) -> HttpResponse:
    """The page the confirmation link opens: shows the change, and makes it only when it is confirmed."""
    user: Any = request.user
    token = (request.POST if request.method == "POST" else request.GET).get("token", "")
    error = ""
    if request.method == "POST":
        try:
            services.user_email_change_confirm(user=user, token=token)
        except ServiceError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Your e-mail address is now %(email)s. Use it when you sign in.") % {"email": user.email},
            )
            return redirect("accounts:profile")
    new_email = ""
    if not error:
        try:
            new_email = services.email_change_read(user=user, token=token)
        except ServiceError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "accounts/email_change_confirm.html",
        {"new_email": new_email, "token": token, "error": error},
        status=200 if not error else 400,
    )


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for a link to choose a password; rate-limited per e-mail address and per client address."""

    form_class = LaeraPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        refusal = services.password_reset_reserve(
            email=form.cleaned_data["email"], client=client_address(self.request)
        )
        if refusal is not None:
            form.add_error(None, reset_throttled(refusal))
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing the password from the link, in the language the account would see when signed in."""

    form_class = StyledSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def _language(self) -> str | None:
        """The account's own choice, else this browser's (already active), else the organisation's."""
        if self.user.language:
            return str(self.user.language)
        if self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") in dict(settings.LANGUAGES):
            return None
        return selectors.user_language(self.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        if self.validlink and (language := self._language()):
            translation.activate(language)
            self.request.LANGUAGE_CODE = language
        return super().get_form_kwargs()

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        language = self._language()
        if language:
            # The next pages (the confirmation, the sign-in) speak that language too.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
                httponly=getattr(settings, "LANGUAGE_COOKIE_HTTPONLY", False),
            )
        return response


password_reset_view = PasswordResetView.as_view()
password_reset_done_view = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm_view = PasswordResetConfirmView.as_view()
password_reset_complete_view = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change_view = auth_views.PasswordChangeView.as_view(
    form_class=StyledPasswordChangeForm,
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:profile"),
)
