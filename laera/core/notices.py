"""Notices: how an app tells people that something concerns them, without knowing how they are told.

An app declares the kinds of notice it gives (`NoticeKind`, through its "notice_kinds" hook) and gives
them from its services with `notify(...)`, inside the transaction of the change that causes them. The
notifications app, at the edge, answers the "notify" hook: it writes each notice for each person in that
same transaction (nothing is told of a change that rolled back), shows them in the bell and the list,
and e-mails them as each person has chosen (laera/notifications). Plans, competences and the later apps
import only this module.

A notice's text is written when it is read, in the reader's language: the kind's sentence with its
values. Values named in `content` are the organisation's own words (a plan's name) and keep their
language (`content_span`); values named in `dates` are ISO dates, shown in the reader's format.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from .hooks import get_hooks
from .text import content_span, sentence


@dataclass(frozen=True)
class NoticeKind:
    """A kind of notice: `key` ("plans.published"), `label` for the person's settings, `text` with the
    values as %(name)s, and which values are the organisation's words or dates. The organisation's
    words are in its default language, or in the notice's "lang" value when it has one (a plan's)."""

    key: str
    label: str | Promise
    text: str | Promise
    content: frozenset[str] = field(default_factory=frozenset)
    dates: frozenset[str] = field(default_factory=frozenset)

    def render(self, params: Mapping[str, Any], content_language: str) -> SafeString:
        values: dict[str, Any] = {}
        language = params.get("lang") or content_language
        for name, value in params.items():
            if name in self.content:
                values[name] = content_span(value, language)
            elif name in self.dates and value:
                values[name] = date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
            else:
                values[name] = value
        return sentence(str(self.text), values)


def notice_kinds() -> dict[str, NoticeKind]:
    """Every kind of notice the installed apps give, by key, in the order they declare them."""
    kinds: dict[str, NoticeKind] = {}
    for hook in get_hooks("notice_kinds"):
        for kind in hook():
            kinds[kind.key] = kind
    return kinds


@dataclass(frozen=True)
class Notice:
    """One notice for several people. `key` makes it given once per person however often it is asked
    for ("plans.published:12"); `url` is the page it leads to, a path inside Læra."""

    kind: str
    organisation_id: int
    key: str
    url: str
    params: Mapping[str, Any] = field(default_factory=dict)


def notify(notice: Notice, recipients: Iterable[int], *, actor_person_id: int | None = None) -> None:
    """Give the notice to these people (ids), except the one whose action caused it, in the caller's
    transaction."""
    people = sorted({int(pk) for pk in recipients} - {actor_person_id})
    if not people:
        return
    for hook in get_hooks("notify"):
        hook(notice=notice, people=people)
