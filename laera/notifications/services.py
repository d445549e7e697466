"""Giving notices, reading them, and e-mailing them: once, in the recipient's language, never lost.

* **Given in the same transaction** as the change that causes them (`notice_give`, the answer to
  core's "notify" hook): a notice for a change that rolls back is never seen or sent. A notice's key is
  unique per person, so one asked for twice (a reminder run again) is given once.
* **E-mailed by the workers.** Each notice the person wants by e-mail at once gets an `EmailDelivery`
  row in that same transaction; those who want a daily digest get one e-mail a day with all of them
  (`digests_prepare`). The rows are the queue: a task queued when the transaction commits sends what is
  due at once, and a periodic task every minute sends whatever is still due, so a lost task delays an
  e-mail by a minute at most and loses none.
* **Sent once.** A delivery is claimed by one worker before it is sent (an UPDATE that only one worker
  can win), and its key is the e-mail's Message-ID. A send that fails is tried again after 1, 5, 25 and
  125 minutes, and then shown to the organisation's admins as failed. A worker that dies while sending
  leaves the delivery claimed; it is tried again after `LAERA_WORKER_LOST_AFTER_SECONDS` with the same
  Message-ID, so a mail server that did receive it the first time sees the same e-mail again.
"""

from __future__ import annotations

import datetime
import html
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django_tasks import task

from laera.core.errors import ServiceError
from laera.core.notices import Notice, NoticeKind, notice_kinds
from laera.core.tasks import enqueue_on_commit
from laera.core.versioning import bump, check_version
from laera.organisations.models import Person
from laera.organisations.tenancy import Actor

from .models import (
    DeliveryStatus,
    EmailChoice,
    EmailDelivery,
    Notification,
    NotificationPreferences,
    email_choice,
)
from .policies import NoticeAction, notification_policy

logger = logging.getLogger("laera.notifications")

BATCH = 1000
RETRY_MINUTES = (1, 5, 25, 125)  # after the first, second, third and fourth failed try; the fifth is the last


# Giving ----------------------------------------------------------------------------------------------


def notice_give(*, notice: Notice, people: list[int]) -> int:
    """Give the notice to each of these people of its organisation who is active and does not have it
    yet, and queue the e-mails of those who want them at once. Returns how many got it."""
    given = 0
    for start in range(0, len(people), BATCH):
        given += _give_batch(notice, people[start : start + BATCH])
    if given:
        enqueue_on_commit(email_send_due_task)
    return given


def _give_batch(notice: Notice, people: list[int]) -> int:
    recipients = dict(
        Person.objects.filter(
            organisation_id=notice.organisation_id, pk__in=people, is_active=True
        ).values_list("pk", "email")
    )
    have = set(
        Notification.objects.filter(person_id__in=recipients, key=notice.key).values_list(
            "person_id", flat=True
        )
    )
    choices = dict(
        NotificationPreferences.objects.filter(person_id__in=recipients).values_list("person_id", "email")
    )
    now = timezone.now()
    rows, deliveries = [], []
    for person_id, email in recipients.items():
        if person_id in have:
            continue
        choice = email_choice(choices.get(person_id, {}), notice.kind) if email else EmailChoice.OFF
        delivery = None
        if choice == EmailChoice.NOW:
            delivery = EmailDelivery(
                organisation_id=notice.organisation_id,
                person_id=person_id,
                key=f"{notice.organisation_id}.{person_id}.{notice.key}"[:200],
                next_try_at=now,
            )
            deliveries.append(delivery)
        rows.append(
            Notification(
                organisation_id=notice.organisation_id,
                person_id=person_id,
                kind=notice.kind,
                key=notice.key,
                params=dict(notice.params),
                url=notice.url,
                email=choice,
                delivery=delivery,
            )
        )
    EmailDelivery.objects.bulk_create(deliveries)
    Notification.objects.bulk_create(rows)
    return len(rows)


# Reading ---------------------------------------------------------------------------------------------


def notification_mark_read(*, actor: Actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notices as read (again reading it changes nothing)."""
    if not notification_policy.allows(actor, NoticeAction.READ, notification):
        raise ServiceError(_("This notice is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notice of the actor as read; returns how many."""
    return Notification.objects.filter(person=actor.person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_update(
    *, actor: Actor, email: dict[str, str], version: int | None
) -> NotificationPreferences:
    """Save how the actor wants each kind of notice by e-mail (`EmailChoice` per kind's key). Kinds not
    given keep their choice; an unknown kind or choice is refused."""
    kinds = notice_kinds()
    for key, choice in email.items():
        if key not in kinds or choice not in EmailChoice.values:
            raise ServiceError(_("Choose how you want each kind of notice."))
    # Never saved before: version 0, which the settings form shows then.
    preferences, _created = NotificationPreferences.objects.get_or_create(
        person=actor.person, defaults={"organisation": actor.organisation, "version": 0}
    )
    preferences = NotificationPreferences.objects.select_for_update().get(pk=preferences.pk)
    check_version(preferences, version, _("notification settings"))
    preferences.email = {**preferences.email, **email}
    bump(preferences)
    preferences.save()
    return preferences


# E-mailing -------------------------------------------------------------------------------------------


def _due(now: datetime.datetime) -> Q:
    lost = now - datetime.timedelta(seconds=settings.LAERA_WORKER_LOST_AFTER_SECONDS)
    return Q(status=DeliveryStatus.QUEUED, next_try_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=lost
    )


@task()
def email_send_due_task() -> int:
    """Queued when notices are given, and every minute (notifications/hooks.py)."""
    return email_send_due()


def email_send_due(*, limit: int = 500) -> int:
    """Send every e-mail that is due, oldest first; returns how many were sent."""
    due = list(
        EmailDelivery.objects.filter(_due(timezone.now()))
        .order_by("next_try_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(email_deliver(delivery_id) for delivery_id in due)


def email_deliver(delivery_id: int) -> bool:
    """Claim the delivery and send it; on failure, plan the next try or give up. Returns whether it was
    sent by this call."""
    now = timezone.now()
    claimed = (
        EmailDelivery.objects.filter(pk=delivery_id)
        .filter(_due(now))
        .update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False  # another worker has it, or it is sent
    delivery = EmailDelivery.objects.select_related("person__user", "organisation").get(pk=delivery_id)
    notices = list(delivery.notifications.order_by("created_at", "pk"))
    person = delivery.person
    if not notices or not person.email or not person.is_active:
        _record_failure(delivery, "nobody to send to", final=True)
        return False
    try:
        _email_message(delivery, notices).send()
    except Exception as error:  # the mail server refused or could not be reached
        logger.warning("E-mail %s could not be sent: %s", delivery.key, error)
        _record_failure(delivery, f"{type(error).__name__}: {error}"[:2000])
        return False
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _record_failure(delivery: EmailDelivery, error: str, *, final: bool = False) -> None:
    if final or delivery.attempts > len(RETRY_MINUTES):
        EmailDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, last_error=error)
        return
    wait = datetime.timedelta(minutes=RETRY_MINUTES[delivery.attempts - 1])
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.QUEUED, next_try_at=timezone.now() + wait, last_error=error
    )


def recipient_language(person: Person) -> str:
    user = person.user
    return (user.language if user is not None else "") or person.organisation.default_language


def _email_message(delivery: EmailDelivery, notices: list[Notification]) -> EmailMultiAlternatives:
    person, organisation = delivery.person, delivery.organisation
    kinds = notice_kinds()
    with translation.override(recipient_language(person)):
        items = [
            {
                "text": _notice_text(kinds.get(notice.kind), notice, organisation.default_language),
                "link": organisation.link(notice.url),
            }
            for notice in notices
        ]
        context = {
            "person": person,
            "organisation": organisation,
            "items": items,
            "digest": delivery.is_digest,
            "settings_link": organisation.link(f"/o/{organisation.slug}/notifications/settings/"),
            "list_link": organisation.link(f"/o/{organisation.slug}/notifications/"),
        }
        if delivery.is_digest:
            subject = _("Læra: what happened today in %(organisation)s") % {"organisation": organisation.name}
        else:
            subject = _("Læra: %(notice)s") % {"notice": _plain(items[0]["text"])}
        text = render_to_string("notifications/email/notices.txt", context)
        body = render_to_string("notifications/email/notices.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        to=[person.email],
        headers={"Message-ID": f"<{delivery.key}@laera>"},
    )
    message.attach_alternative(body, "text/html")
    return message


def _notice_text(kind: NoticeKind | None, notice: Notification, content_language: str) -> str:
    if kind is None:
        return _("A notice from Læra.")
    return kind.render(notice.params, content_language)


def _plain(text: str) -> str:
    return html.unescape(strip_tags(text))


# Digests ---------------------------------------------------------------------------------------------


@task()
def digests_prepare_task() -> int:
    """Daily (notifications/hooks.py): one e-mail per person with the notices they wanted together."""
    return digests_prepare()


@transaction.atomic
def digests_prepare(*, now: datetime.datetime | None = None) -> int:
    """Gather each person's notices waiting for the daily e-mail into one delivery; returns how many."""
    now = now or timezone.now()
    waiting: dict[tuple[int, int], list[int]] = defaultdict(list)
    rows: Iterable[tuple[int, int, int]] = Notification.objects.filter(
        email=EmailChoice.DIGEST, delivery__isnull=True, created_at__lte=now
    ).values_list("pk", "organisation_id", "person_id")
    for pk, organisation_id, person_id in rows:
        waiting[(organisation_id, person_id)].append(pk)
    for (organisation_id, person_id), notification_ids in waiting.items():
        delivery = EmailDelivery.objects.create(
            organisation_id=organisation_id,
            person_id=person_id,
            key=f"{organisation_id}.{person_id}.digest.{now:%Y%m%dT%H%M%S}",
            is_digest=True,
            next_try_at=now,
        )
        Notification.objects.filter(pk__in=notification_ids).update(delivery=delivery)
    if waiting:
        enqueue_on_commit(email_send_due_task)
    return len(waiting)
