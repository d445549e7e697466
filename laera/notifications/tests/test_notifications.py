"""Notices: given in the transaction of their change and once per person, read in the bell and the list
in the reader's language, e-mailed as each person chose (at once, daily, or not), once, with retries,
and the failures shown to admins."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from laera.core.notices import Notice, notify
from laera.notifications import services
from laera.notifications.models import DeliveryStatus, EmailChoice, EmailDelivery, Notification
from laera.plans import services as plans
from laera.plans.models import PlanStatus
from laera.testing.world import World

pytestmark = pytest.mark.django_db


def _url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(f"notifications:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


def _english(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


def _notice(world: World, key: str = "probe:1") -> Notice:
    plan = world.extra_objects["plan"]
    return Notice(
        kind="plans.published",
        organisation_id=world.organisation.pk,
        key=key,
        url=plan.get_absolute_url(),
        params={"plan": plan.name, "lang": plan.language},
    )


def test_a_notice_is_given_once_per_person_and_never_to_whoever_caused_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    employee, leader = world.people["employee"], world.people["leader"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(_notice(world), [employee.pk, leader.pk], actor_person_id=leader.pk)
        notify(_notice(world), [employee.pk])
    assert list(Notification.objects.filter(key="probe:1").values_list("person_id", flat=True)) == [
        employee.pk
    ]
    assert [m.to for m in mail.outbox] == [[employee.email]], "e-mailed once, at once"


def test_nothing_is_given_or_sent_for_a_change_that_rolls_back(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            notify(_notice(world), [world.people["employee"].pk])
            raise RuntimeError
    assert not Notification.objects.filter(key="probe:1").exists()
    assert not EmailDelivery.objects.filter(key__endswith="probe:1").exists() and mail.outbox == []


def test_the_plan_events_reach_those_they_concern(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    plan = world.extra_objects["plan"]
    coordinator = world.actor("coordinator")
    until = timezone.localdate() + datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        plan = plans.plan_send_for_comments(actor=coordinator, plan=plan, until=until, version=plan.version)
    sent = Notification.objects.filter(kind="plans.consultation")
    team = {m.person_id for m in world.team.memberships.all()} - {coordinator.person.pk}
    assert set(sent.values_list("person_id", flat=True)) == team and team
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_comment(actor=world.actor("employee"), plan=plan, text="Godt forslag")
    commented = set(Notification.objects.filter(kind="plans.comment").values_list("person_id", flat=True))
    group = {m.person_id for m in world.group.members.all()} - {world.people["employee"].pk}
    assert commented == group and group
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_set_status(actor=world.actor("leader"), plan=plan, status=PlanStatus.PUBLISHED)
    published = set(Notification.objects.filter(kind="plans.published").values_list("person_id", flat=True))
    assert world.people["employee"].pk in published


def test_each_person_reads_in_their_language_with_the_plans_own_words_marked(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    employee = world.people["employee"]
    employee.user.language = "sv"
    employee.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(_notice(world), [employee.pk])
    plan = world.extra_objects["plan"]
    email = mail.outbox[-1]
    with translation.override("sv"):
        expected = translation.gettext("The plan %(plan)s is published.") % {"plan": plan.name}
    assert expected in email.body and expected != f"The plan {plan.name} is published."
    assert plan.get_absolute_url() in email.body and email.extra_headers["Message-ID"].startswith("<")
    html = email.alternatives[0][0]
    assert f'<span lang="{plan.language}">{plan.name}</span>' in html or plan.language == "sv"
    page = _english(client_for("employee")).get(_url(world, "list")).content.decode()
    assert f'The plan <span lang="{plan.language}">{plan.name}</span> is published.' in page


def test_the_bell_counts_unread_and_opening_a_notice_marks_it_read(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    employee = world.people["employee"]
    before = Notification.objects.filter(person=employee, read_at__isnull=True).count()
    for n in range(3):
        notify(_notice(world, f"probe:{n}"), [employee.pk])
    client = _english(client_for("employee"))
    start = client.get(reverse("organisations:home", kwargs={"org_slug": world.organisation.slug}))
    assert f'{before + 3}<span class="visually-hidden"> unread</span>' in start.content.decode()
    notification = Notification.objects.filter(person=employee).first()
    assert notification is not None
    opened = client.get(_url(world, "open", notification_id=notification.pk))
    assert opened.status_code == 302 and opened["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    another = Notification.objects.filter(person=employee, read_at__isnull=True).first()
    assert another is not None
    swapped = client.post(_url(world, "read", notification_id=another.pk), headers={"HX-Request": "true"})
    assert "Marked as read." in swapped.content.decode() and "data-status" in swapped.content.decode()
    assert client.post(_url(world, "read_all")).status_code == 302
    assert not Notification.objects.filter(person=employee, read_at__isnull=True).exists()
    bell = client.get(_url(world, "list")).content.decode()
    assert "You have read all your notices." in bell and "laera-bell__count" not in bell


def test_nobody_reads_or_opens_another_persons_notices(world: World, client_for: Any) -> None:
    notification = world.extra_objects["notification"]  # the admin's
    for role in ("leader", "employee"):
        client = client_for(role)
        assert client.get(_url(world, "open", notification_id=notification.pk)).status_code == 404
        assert client.post(_url(world, "read", notification_id=notification.pk)).status_code == 404
        assert f'id="notice-{notification.pk}"' not in client.get(_url(world, "list")).content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_settings_choose_the_daily_email_or_none_per_kind(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    employee = world.people["employee"]
    client = _english(client_for("employee"))
    page = client.get(_url(world, "settings")).content.decode()
    assert "A plan for learning is published" in page and 'name="version" value="0"' in page
    data = dict.fromkeys(("email_plans_consultation", "email_plans_comment"), EmailChoice.NOW)
    data.update(
        {
            "email_plans_published": EmailChoice.DIGEST,
            "email_competences_round_opened": EmailChoice.OFF,
            "email_competences_round_reminder": EmailChoice.NOW,
            "email_competences_rating_requested": EmailChoice.NOW,
            "email_competences_qualification_expiring": EmailChoice.NOW,
            "version": "0",
        }
    )
    assert client.post(_url(world, "settings"), data).status_code == 302
    stale = client.post(_url(world, "settings"), data)
    assert stale.status_code == 200 and "laera-conflict" in stale.content.decode(), (
        "the form carries a version"
    )

    with django_capture_on_commit_callbacks(execute=True):
        notify(_notice(world, "digest:1"), [employee.pk])
        notify(_notice(world, "digest:2"), [employee.pk])
        notify(
            Notice(
                "competences.round_opened",
                world.organisation.pk,
                "off:1",
                "/",
                {"round": "R", "deadline": ""},
            ),
            [employee.pk],
        )
    assert mail.outbox == [], "nothing at once: two for the daily e-mail, one only in Læra"
    assert Notification.objects.filter(person=employee, key="off:1", email=EmailChoice.OFF).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_prepare() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [employee.email]
    assert mail.outbox[0].body.count(world.extra_objects["plan"].name) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_prepare() == 0


def test_a_failed_send_is_tried_again_later_and_after_five_tries_shown_to_admins(
    world: World, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    employee = world.people["employee"]
    notify(_notice(world), [employee.pk])
    delivery = EmailDelivery.objects.get(person=employee, key__endswith="probe:1")
    EmailDelivery.objects.exclude(pk=delivery.pk).delete()  # the world's own

    def refuse(self: Any, fail_silently: bool = False) -> int:
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    waits = []
    for attempt in range(1, 6):
        EmailDelivery.objects.filter(pk=delivery.pk).update(next_try_at=timezone.now())
        assert services.email_send_due() == 0
        delivery.refresh_from_db()
        assert delivery.attempts == attempt and "mail server is down" in delivery.last_error
        if attempt < 5:
            assert delivery.status == DeliveryStatus.QUEUED
            waits.append(round((delivery.next_try_at - timezone.now()).total_seconds() / 60))
    assert waits == [1, 5, 25, 125]
    assert delivery.status == DeliveryStatus.FAILED
    assert services.email_send_due() == 0, "a failed e-mail is not tried again"
    page = _english(client_for("admin")).get(_url(world, "background_work")).content.decode()
    assert "1 e-mail could not be sent after five tries" in page and employee.full_name in page
    assert client_for("leader").get(_url(world, "background_work")).status_code == 403


def test_a_delivery_is_sent_once_even_if_asked_twice_and_a_lost_claim_is_tried_again(
    world: World, settings: Any
) -> None:
    employee = world.people["employee"]
    EmailDelivery.objects.all().delete()  # the world's own
    notify(_notice(world), [employee.pk])
    delivery = EmailDelivery.objects.get(person=employee, key__endswith="probe:1")
    assert services.email_deliver(delivery.pk) is True
    assert services.email_deliver(delivery.pk) is False, "sent already"
    assert len(mail.outbox) == 1
    # A worker claimed another and died: after the worker's heartbeat would have gone stale, it goes again,
    # with the same Message-ID.
    notify(_notice(world, "probe:2"), [employee.pk])
    lost = EmailDelivery.objects.get(person=employee, key__endswith="probe:2")
    EmailDelivery.objects.filter(pk=lost.pk).update(status=DeliveryStatus.SENDING, claimed_at=timezone.now())
    assert services.email_send_due() == 0, "claimed a moment ago: another worker may be sending it"
    old = timezone.now() - datetime.timedelta(seconds=settings.LAERA_WORKER_LOST_AFTER_SECONDS + 1)
    EmailDelivery.objects.filter(pk=lost.pk).update(claimed_at=old)
    assert services.email_send_due() == 1
    assert mail.outbox[-1].extra_headers["Message-ID"] == f"<{lost.key}@laera>"


def test_links_in_emails_lead_to_the_organisations_public_address(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _english(client_for("admin"))
    settings_url = reverse("organisations:settings", kwargs={"org_slug": world.organisation.slug})
    page = client.get(settings_url).content.decode()
    assert 'name="public_url"' in page
    form = {
        "name": world.organisation.name,
        "default_language": world.organisation.default_language,
        "time_zone": world.organisation.time_zone,
        "privacy_threshold": world.organisation.privacy_threshold,
        "public_url": "laera.testby.kommune.no",
        "version": world.organisation.version,
    }
    assert client.post(settings_url, form).status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.public_url == "https://laera.testby.kommune.no"
    refused = client.post(settings_url, {**form, "public_url": "not a web address", "version": 0})
    assert "Write a whole web address" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        notify(_notice(world), [world.people["employee"].pk])
    plan = world.extra_objects["plan"]
    assert f"https://laera.testby.kommune.no{plan.get_absolute_url()}" in mail.outbox[-1].body


def test_admins_see_the_background_work_of_their_own_organisation_only(
    world: World, other_world: World, client_for: Any
) -> None:
    job = world.extra_objects["job"]
    own = _english(client_for("admin")).get(_url(world, "background_work")).content.decode()
    assert job.link in own and "Import of people" in own
    other = Client()
    other.force_login(other_world.user("admin"))
    theirs = other.get(_url(other_world, "background_work")).content.decode()
    assert job.link not in theirs and other_world.extra_objects["job"].link in theirs
    assert other.get(_url(world, "background_work")).status_code == 404
