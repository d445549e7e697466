"""Sign-in throttling and account changes."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from laera.core.audit import audit_record

from .models import User


def _keys(email: str, client: str) -> list[str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"laera:login:email:{digest}", f"laera:login:client:{client}"]


def login_is_locked(*, email: str, client: str) -> bool:
    """True when this address or this client has failed too often within the window."""
    limit = settings.LAERA_LOGIN_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _keys(email, client))


def login_failure_record(*, email: str, client: str) -> None:
    window = settings.LAERA_LOGIN_WINDOW_SECONDS
    for key in _keys(email, client):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)


def login_failures_clear(*, email: str, client: str) -> None:
    cache.delete(_keys(email, client)[0])


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
