"""Sign-in throttling and the account's own changes: language, e-mail address."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.core.audit import audit_record
from laera.core.errors import ServiceError
from laera.core.versioning import bump
from laera.organisations.models import Person

from . import throttle
from .models import User
from .selectors import user_language
from .throttle import Limit, Refusal

logger = logging.getLogger(__name__)

# Sign-in throttling ---------------------------------------------------------------------------------


def _digest(kind: str, value: str) -> str:
    """A keyed hash, so the counter table holds no e-mail or IP address in the clear."""
    return salted_hmac(f"laera.accounts.throttle.{kind}", value, algorithm="sha256").hexdigest()[:32]


def _account(email: str) -> str:
    return _digest("account", email.strip().lower())


def _client(address: str) -> str:
    """IPv6 clients are counted per /64 network: one connection usually has a whole /64 to itself."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return _digest("client", address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return _digest("client", str(ip.ipv4_mapped))
        return _digest("client", str(ipaddress.IPv6Network((ip, 64), strict=False)))
    return _digest("client", str(ip))


def _login_limits(email: str, client: str) -> list[Limit]:
    window = settings.LAERA_LOGIN_WINDOW_SECONDS
    account, address = _account(email), _client(client)
    return [
        Limit(f"login:client:{address}", settings.LAERA_LOGIN_CLIENT_LIMIT, window),
        Limit(f"login:pair:{account}:{address}", settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT, window),
        Limit(f"login:account:{account}", settings.LAERA_LOGIN_ACCOUNT_LIMIT, window),
    ]


def login_attempt_reserve(*, email: str, client: str) -> Refusal | None:
    """Count a sign-in attempt before its password is checked; a Refusal when it must not be checked.

    Three limits within LAERA_LOGIN_WINDOW_SECONDS: LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT failures for one
    account from one address, LAERA_LOGIN_ACCOUNT_LIMIT failures for one account from anywhere, and a
    generous LAERA_LOGIN_CLIENT_LIMIT attempts from one address (many people share an office's address,
    so a few typos there must not lock out the others). An e-mail address with no account is counted the
    same way, so the answers do not tell which addresses have one. The attempt keeps its counts unless
    it succeeds (`login_attempt_succeeded`); a refused attempt leaves none.
    """
    return throttle.reserve(_login_limits(email, client))


def login_refused_for_address(refusal: Refusal) -> bool:
    """True when the attempt went over the address's ceiling rather than an account's limit."""
    return refusal.limit.key.startswith("login:client:")


def login_attempt_succeeded(*, email: str, client: str) -> None:
    """The password was right: forget the account's failures and give back the address's count."""
    client_limit, pair, account = _login_limits(email, client)
    throttle.clear([pair.key, account.key])
    throttle.give_back(client_limit.key)


def password_reset_reserve(*, email: str, client: str) -> Refusal | None:
    """Count a request for a password reset link, whether or not the address has an account.

    At most LAERA_PASSWORD_RESET_EMAIL_LIMIT requests per e-mail address and LAERA_PASSWORD_RESET_CLIENT_LIMIT
    per client address within LAERA_PASSWORD_RESET_WINDOW_SECONDS; a refused request sends nothing.
    """
    window = settings.LAERA_PASSWORD_RESET_WINDOW_SECONDS
    return throttle.reserve(
        [
            Limit(f"reset:client:{_client(client)}", settings.LAERA_PASSWORD_RESET_CLIENT_LIMIT, window),
            Limit(f"reset:email:{_account(email)}", settings.LAERA_PASSWORD_RESET_EMAIL_LIMIT, window),
        ]
    )


def email_change_reserve(*, user: User) -> Refusal | None:
    """Count a request to change the user's e-mail address (each sends two e-mails)."""
    return throttle.reserve(
        [
            Limit(
                f"email-change:user:{user.pk}",
                settings.LAERA_EMAIL_CHANGE_LIMIT,
                settings.LAERA_EMAIL_CHANGE_WINDOW_SECONDS,
            )
        ]
    )


# Account changes ------------------------------------------------------------------------------------


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the user's language; an unknown code is refused."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    before = {"language": user.language}
    user.language = language
    user.save(update_fields=["language"])
    audit_record(
        actor=user,
        organisation=None,
        action="user.language",
        obj=user,
        before=before,
        after={"language": language},
    )
    return user


# The person's own change of e-mail address ----------------------------------------------------------

EMAIL_CHANGE_SALT = "laera.accounts.email_change"


def _address_taken(user: User, email: str) -> bool:
    """True when another account, or another person in one of the user's organisations, has `email`."""
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        return True
    organisations = Person.objects.filter(user=user).values("organisation_id")
    return (
        Person.objects.filter(organisation_id__in=organisations, email__iexact=email)
        .exclude(user=user)
        .exists()
    )


def _taken(email: str) -> ServiceError:
    return ServiceError(
        _("The address %(email)s is already used by someone else in Læra.") % {"email": email}
    )


def email_change_token(*, user: User, new_email: str) -> str:
    """A signed, timestamped token for changing `user`'s address from the present one to `new_email`."""
    return signing.dumps({"user": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)


def email_change_read(*, user: User, token: str) -> str:
    """The new address a confirmation link asks for, if `user` may still confirm it; ServiceError if not.

    Refused when the token is forged or damaged, older than LAERA_EMAIL_CHANGE_TIMEOUT, made for another
    account, already used (the account's address is no longer the one it was made for) or when someone
    else has the new address by now.
    """
    timeout = settings.LAERA_EMAIL_CHANGE_TIMEOUT
    try:
        data: Any = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=timeout)
    except signing.SignatureExpired:
        hours = max(1, timeout // 3600)
        raise ServiceError(
            ngettext(
                "This link has expired: it works for %(hours)s hour. Ask for a new one on your profile page.",
                "This link has expired: it works for %(hours)s hours. "
                "Ask for a new one on your profile page.",
                hours,
            )
            % {"hours": hours}
        ) from None
    except signing.BadSignature:
        data = None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("user"), int)
        or not isinstance(data.get("old"), str)
        or not isinstance(data.get("new"), str)
    ):
        raise ServiceError(
            _(
                "This link is not valid. Check that you copied all of it, "
                "or ask for a new one on your profile page."
            )
        )
    if data["user"] != user.pk:
        raise ServiceError(
            _(
                "This link was sent for another account. Sign in with the account whose address it changes, "
                "and open the link again."
            )
        )
    if user.email.lower() != data["old"].lower():
        raise ServiceError(
            _("This link has been used already, or your e-mail address has changed since it was sent.")
        )
    new_email = str(data["new"]).strip().lower()
    if _address_taken(user, new_email):
        raise _taken(new_email)
    return new_email


def _send(*, template: str, context: dict[str, Any], to: str) -> None:
    subject = "".join(render_to_string(f"accounts/email/{template}_subject.txt", context).splitlines())
    body = render_to_string(f"accounts/email/{template}.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send()


@transaction.atomic
def user_email_change_request(*, user: User, new_email: str, confirm_url: str) -> str:
    """Ask to change the user's e-mail address: a confirmation link to the new address, a notice to the old.

    `confirm_url` is the absolute address of the confirmation page; the signed token is added to it.
    Nothing changes until the link is confirmed (`user_email_change_confirm`). Refused when the address
    is the present one or someone else has it. E-mails are written in the user's language.
    """
    new_email = new_email.strip().lower()
    if not new_email or new_email == user.email.lower():
        raise ServiceError(_("This is already your e-mail address."))
    if _address_taken(user, new_email):
        raise _taken(new_email)
    token = email_change_token(user=user, new_email=new_email)
    audit_record(
        actor=user,
        organisation=None,
        action="user.email_change_request",
        obj=user,
        before={"email": user.email},
        after={"requested": new_email},
    )
    context = {
        "user": user,
        "old_email": user.email,
        "new_email": new_email,
        "link": f"{confirm_url}?{urlencode({'token': token})}",
        "hours": max(1, settings.LAERA_EMAIL_CHANGE_TIMEOUT // 3600),
    }
    try:
        with translation.override(user_language(user)):
            _send(template="email_change_confirm", context=context, to=new_email)
            _send(template="email_change_notice", context=context, to=user.email)
    except Exception as exc:
        logger.exception("Could not send the e-mail change messages for user %s", user.pk)
        raise ServiceError(_("The e-mail could not be sent. Try again later.")) from exc
    return new_email


@transaction.atomic
def user_email_change_confirm(*, user: User, token: str) -> User:
    """Change the user's e-mail address as the confirmation link asks, on the account and on every person.

    Checked again under a row lock (`email_change_read`), so a link works once. The account and each
    person linked to it get the new address; each person's change is audited in its organisation.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    new_email = email_change_read(user=locked, token=token)
    old_email = locked.email
    try:
        with transaction.atomic():
            locked.email = new_email
            locked.save(update_fields=["email"])
            people = Person.objects.select_for_update().filter(user=locked).select_related("organisation")
            for person in people:
                before = person.email
                person.email = new_email
                bump(person)
                person.save(update_fields=["email", "version", "updated_at"])
                audit_record(
                    actor=locked,
                    organisation=person.organisation,
                    action="person.email_change",
                    obj=person,
                    before={"email": before},
                    after={"email": new_email},
                )
    except IntegrityError:
        raise _taken(new_email) from None
    audit_record(
        actor=locked,
        organisation=None,
        action="user.email_change",
        obj=locked,
        before={"email": old_email},
        after={"email": new_email},
    )
    user.email = new_email
    return locked
