"""What notifications adds to the other apps (laera.core.hooks): it answers core's "notify", puts the
bell in every page's header, and has the workers send e-mails every minute and digests every day."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from laera.core.hooks import register_hook
from laera.core.notices import Notice
from laera.core.tasks import Periodic

from . import selectors, services


@register_hook("notify")
def give(*, notice: Notice, people: list[int]) -> None:
    services.notice_give(notice=notice, people=people)


@register_hook("periodic_tasks")
def periodic_tasks() -> list[Periodic]:
    return [
        Periodic("notifications.email", services.email_send_due_task, every=datetime.timedelta(minutes=1)),
        Periodic("notifications.digest", services.digests_prepare_task, every=datetime.timedelta(days=1)),
    ]


@register_hook("page_header")
def bell(request: HttpRequest) -> SafeString:
    """The bell with the number of unread notices, for a person inside an organisation."""
    actor = getattr(request, "actor", None)
    if actor is None:
        return SafeString("")
    context = {"actor": actor, "unread": selectors.unread_count(actor)}
    return SafeString(render_to_string("notifications/partials/bell.html", context, request=request))
