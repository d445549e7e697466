"""Reads about accounts: who may reset a password, which language to write to someone in."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Exists, OuterRef

from laera.organisations.models import Person

from .models import User


def _same_address(a: str, b: str) -> bool:
    """Case-insensitive comparison that also folds Unicode, as Django's own reset form does."""
    return unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()


def users_for_password_reset(email: str) -> Iterator[User]:
    """Active accounts with this e-mail address that may be sent a link to choose a new password.

    An account with a usable password may always reset it. An account without one (created with a
    person by an admin, an import or the command line) may choose its first password when it belongs
    to an active person in an active organisation; an account with no such person gets nothing.
    """
    active_person = Person.objects.filter(user=OuterRef("pk"), is_active=True, organisation__is_active=True)
    users = User.objects.filter(email__iexact=email, is_active=True).annotate(
        has_active_person=Exists(active_person)
    )
    for user in users:
        if not _same_address(email, user.email):
            continue
        if user.has_usable_password() or getattr(user, "has_active_person", False):
            yield user


def user_language(user: User) -> str:
    """The language to write to this user in: their own choice, else their organisation's default."""
    if user.language:
        return user.language
    language = (
        Person.objects.filter(user=user, is_active=True)
        .order_by("id")
        .values_list("organisation__default_language", flat=True)
        .first()
    )
    return language or settings.LANGUAGE_CODE
