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


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    problem = services.invitation_problem(invitation)
    if problem is not None:
        return _unusable(request, invitation, problem)
    account = selectors.invitation_account(invitation)
    user: Any = request.user if request.user.is_authenticated else None
    if user is not None and (account is None or user.pk != account.pk):
        path = WRONG_ACCOUNT
    elif account is None:
        path = NEW_ACCOUNT
    elif not account.has_usable_password():
        path = SET_PASSWORD
    else:
        path = ACCEPT if user is not None else SIGN_IN

    form = None
    if path in (NEW_ACCOUNT, SET_PASSWORD):
        form = InvitationAccountForm(
            request.POST if request.method == "POST" else None,
            email=invitation.email,
            new_account=path == NEW_ACCOUNT,
            initial={"full_name": invitation.person.full_name},
        )
    if request.method == "POST" and path in (NEW_ACCOUNT, SET_PASSWORD, ACCEPT):
        if form is None or form.is_valid():
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
            else:
                if user is None:
                    # Through the first configured backend, whichever checks passwords on the sign-in page.
                    login(request, person.user, backend=settings.AUTHENTICATION_BACKENDS[0])
                organisation = invitation.organisation
                welcome = _("Welcome to %(organisation)s.") % {"organisation": organisation.name}
                messages.success(request, welcome)
                return redirect("organisations:home", org_slug=organisation.slug)

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
