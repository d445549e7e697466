"""Notices given to people (the bell and the list), their e-mails, and each person's choices.

A `Notification` is one notice for one person, unique by its key per person, so a notice asked for twice
is given once. An `EmailDelivery` is one e-mail: a notice sent at once, or a day's notices together;
its key is unique and is also the e-mail's Message-ID, so a delivery tried again is never sent twice.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from laera.core.models import TenantModel
from laera.core.versioning import VersionedModel
from laera.organisations.models import Person


class EmailChoice(models.TextChoices):
    NOW = "now", _("By e-mail at once")
    DIGEST = "digest", _("By e-mail once a day, together")
    OFF = "off", _("Only in Læra")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")


class EmailDelivery(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    key = models.CharField(_("key"), max_length=200, unique=True)
    is_digest = models.BooleanField(_("digest"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"))
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [
            models.Index(fields=["status", "next_try_at"], name="delivery_due"),
            models.Index(fields=["organisation", "status"], name="delivery_org_status"),
        ]

    def __str__(self) -> str:
        return self.key


class Notification(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("key"), max_length=200)
    params = models.JSONField(_("values"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email = models.CharField(_("e-mail"), max_length=10, choices=EmailChoice.choices)
    delivery = models.ForeignKey(
        EmailDelivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="notification_once_per_person")]
        indexes = [
            models.Index(fields=["person", "-created_at"], name="notification_list"),
            models.Index(fields=["person", "read_at"], name="notification_unread"),
            models.Index(fields=["email", "delivery"], name="notification_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.person_id}"


class NotificationPreferences(VersionedModel, TenantModel):
    """How a person wants each kind of notice by e-mail: `email` maps a kind's key to an `EmailChoice`;
    a kind not named there is sent at once."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="notification_preferences", verbose_name=_("person")
    )
    email = models.JSONField(_("e-mail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.person_id)

    def choice(self, kind: str) -> str:
        return email_choice(self.email, kind)


def email_choice(email: dict[str, str], kind: str) -> str:
    """The choice for a kind of notice in a person's settings (`NotificationPreferences.email`): at once,
    unless they chose otherwise."""
    value = email.get(kind, EmailChoice.NOW)
    return value if value in EmailChoice.values else EmailChoice.NOW
