"""The public invitation page: the owner of an invited address accepts and gets into the organisation.

Nothing is linked on GET. Depending on the address, accepting creates the account (name and password),
sets the first password of an account that has none, or — for an account with a password — needs its
owner to be signed in. Signed in as another account, nothing is linked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from laera.core.errors import ServiceError

from .. import selectors, services
from ..forms import InvitationAccountForm
from ..models import Invitation

NEW_ACCOUNT, SET_PASSWORD, SIGN_IN, ACCEPT, WRONG_ACCOUNT = (
    "new_account",
    "set_password",
    "sign_in",
    "accept",
    "wrong_account",
)


def site_url_for(request: HttpRequest) -> str:
    """Læra's address as this request reached it, for links in e-mails sent from a page."""
    return request.build_absolute_uri("/").rstrip("/")


def _unusable(request: HttpRequest, invitation: Invitation, problem: str) -> HttpResponse:
    accepted_here = (
        request.user.is_authenticated
        and invitation.accepted_by_id is not None
        and invitation.accepted_by_id == request.user.pk
    )
    return render(
        request,
        "organisations/invitation_unusable.html",
        {"invitation": invitation, "problem": problem, "accepted_here": accepted_here},
        status=410,
    )


def _path(user: Any, account: Any) -> str:
    """Which way in this visitor takes, from who is signed in and the account the address has."""
    if user is not None and (account is None or user.pk != account.pk):
        return WRONG_ACCOUNT
    if account is None:
        return NEW_ACCOUNT
    if not account.has_usable_password():
        return SET_PASSWORD
    return ACCEPT if user is not None else SIGN_IN


def _account_form(request: HttpRequest, invitation: Invitation, path: str) -> InvitationAccountForm | None:
    if path not in (NEW_ACCOUNT, SET_PASSWORD):
        return None
    return InvitationAccountForm(
        request.POST if request.method == "POST" else None,
        email=invitation.email,
        new_account=path == NEW_ACCOUNT,
        initial={"full_name": invitation.person.full_name},
    )


def _accept(
    request: HttpRequest, invitation: Invitation, user: Any, form: InvitationAccountForm | None
) -> HttpResponse | None:
    """Accept the invitation: into the organisation on success, None to show the page with the errors."""
    data = form.cleaned_data if form is not None else {}
    try:
        person = services.invitation_accept(
            invitation=invitation,
            user=user,
            password=data.get("password1", ""),
            full_name=data.get("full_name", ""),
        )
    except services.InvitationUnusable as exc:
        return _unusable(request, invitation, " ".join(exc.messages))
    except ServiceError as exc:
        for message in exc.messages:
            if form is not None:
                form.add_error(None, message)
            else:
                messages.error(request, message)
        return None
    if user is None:
        # Through the first configured backend, whichever checks passwords on the sign-in page.
        login(request, person.user, backend=settings.AUTHENTICATION_BACKENDS[0])
    organisation = invitation.organisation
    messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": organisation.name})
    return redirect("organisations:home", org_slug=organisation.slug)


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    problem = services.invitation_problem(invitation)
    if problem is not None:
        return _unusable(request, invitation, problem)
    user: Any = request.user if request.user.is_authenticated else None
    path = _path(user, selectors.invitation_account(invitation))
    form = _account_form(request, invitation, path)
    accepting = request.method == "POST" and path in (NEW_ACCOUNT, SET_PASSWORD, ACCEPT)
    if accepting and (form is None or form.is_valid()):
        response = _accept(request, invitation, user, form)
        if response is not None:
            return response
    return render(
        request,
        "organisations/invitation.html",
        {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "person": invitation.person,
            "path": path,
            "form": form,
            "signed_in_as": user.email if user is not None else "",
            "login_url": reverse("accounts:login") + "?" + urlencode({"next": request.path}),
        },
    )
