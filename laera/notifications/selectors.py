"""Reading a person's notices: the unread count for the bell, the list a page at a time, one notice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.safestring import SafeString

from laera.core.models import Job, JobStatus
from laera.core.notices import NoticeKind, notice_kinds
from laera.core.services.jobs import job_kinds
from laera.organisations.tenancy import Actor, get_in_organisation

from .models import DeliveryStatus, EmailChoice, EmailDelivery, Notification, NotificationPreferences
from .policies import NoticeAction, notification_policy

PER_PAGE = 25
FAILED_SHOWN = 50


def unread_count(actor: Actor) -> int:
    return _own(actor).filter(read_at__isnull=True).count()


def _own(actor: Actor) -> QuerySet[Notification]:
    return notification_policy.objects_for(actor, NoticeAction.READ)


@dataclass(frozen=True)
class ShownNotice:
    notification: Notification
    text: SafeString


def notification_page(actor: Actor, number: Any) -> tuple[Page[Any], list[ShownNotice]]:
    """The actor's notices, newest first, a page at a time, each with its text in the reader's language."""
    notices = _own(actor).order_by("-created_at", "-id")
    page = Paginator(notices, PER_PAGE).get_page(number)
    kinds = notice_kinds()
    return page, [_shown(actor, notification, kinds) for notification in page.object_list]


def access_notification(actor: Actor, notification_id: int) -> Notification:
    """One of the actor's own notices: 404 for a missing id, another organisation's or another person's."""
    notification: Notification = get_in_organisation(Notification.objects.all(), actor, notification_id)
    if not notification_policy.allows(actor, NoticeAction.READ, notification):
        raise Http404
    return notification


def shown_notice(actor: Actor, notification: Notification) -> ShownNotice:
    return _shown(actor, notification, notice_kinds())


def _shown(actor: Actor, notification: Notification, kinds: dict[str, NoticeKind]) -> ShownNotice:
    """The notice's sentence in the reader's language; the organisation's words keep theirs."""
    kind = kinds.get(notification.kind)
    text = kind.render(notification.params, actor.organisation.default_language) if kind else SafeString("")
    return ShownNotice(notification, text)


def preferences_of(actor: Actor) -> tuple[dict[str, str], int]:
    """The actor's e-mail choice for every kind of notice (at once, unless chosen otherwise), and the
    version of their settings (0 when they have never saved them)."""
    preferences = NotificationPreferences.objects.filter(person=actor.person).first()
    choices = {key: (preferences.choice(key) if preferences else EmailChoice.NOW) for key in notice_kinds()}
    return choices, preferences.version if preferences else 0


def failed_emails(actor: Actor) -> tuple[list[EmailDelivery], int]:
    """For the organisation's admins: the e-mails that could not be sent, newest first, and how many."""
    notification_policy.require(actor, NoticeAction.OVERSEE)
    failed = EmailDelivery.objects.filter(organisation=actor.organisation, status=DeliveryStatus.FAILED)
    return list(failed.select_related("person").order_by("-next_try_at")[:FAILED_SHOWN]), failed.count()


def preferences_saved(actor: Actor) -> NotificationPreferences | None:
    """The actor's settings as saved now, for a form refused because they changed meanwhile."""
    return NotificationPreferences.objects.filter(person=actor.person).first()


JOBS_SHOWN = 20


def recent_jobs(actor: Actor) -> list[Job]:
    """For the organisation's admins: its latest background jobs (imports), waiting and running first."""
    notification_policy.require(actor, NoticeAction.OVERSEE)
    jobs = Job.objects.filter(organisation=actor.organisation).select_related("started_by")
    kinds = job_kinds()
    waiting = list(
        jobs.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).order_by("created_at")[:JOBS_SHOWN]
    )
    ended = list(
        jobs.exclude(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).order_by("-created_at")[:JOBS_SHOWN]
    )
    for job in waiting + ended:
        job.label = kinds.get(job.kind, job.kind)
    return waiting + ended
