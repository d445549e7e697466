"""Organisations (tenants), their unit tree, people, job roles, memberships and working groups."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laera.core.models import TenantModel, TimeStampedModel
from laera.core.permissions import Role
from laera.core.versioning import VersionedModel

# The smallest group whose figures reports may show: an organisation chooses within this range.
PRIVACY_THRESHOLD_MIN, PRIVACY_THRESHOLD_MAX = 1, 50


class Organisation(VersionedModel, TimeStampedModel):
    """A tenant: a municipality, a NAV office, a company. Nothing is shared between organisations."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="nb"
    )
    time_zone = models.CharField(_("time zone"), max_length=60, default="Europe/Oslo")
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo organisation"), default=False)
    privacy_threshold = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=5,
        help_text=_(
            "Figures about fewer people than this are hidden in every report and export, so that no "
            "one's personal assessment can be read out of a group figure."
        ),
    )
    public_url = models.URLField(
        _("public address"),
        max_length=200,
        blank=True,
        help_text=_("Where people reach Læra, used in the links of every e-mail."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def link(self, path: str) -> str:
        """A path inside Læra as a whole address, for e-mails: the organisation's public address, or
        the installation's (`SITE_URL`) when it has none."""
        base = (self.public_url or settings.LAERA_SITE_URL).rstrip("/")
        return base + path

    def get_absolute_url(self) -> str:
        return reverse("organisations:home", kwargs={"org_slug": self.slug})


class JobRole(VersionedModel, TenantModel):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("organisation", Lower("name"), name="jobrole_unique_name_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(VersionedModel, TenantModel):
    """A unit in the organisation's tree: the office, its teams, their sub-teams."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    leader = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_units",
        verbose_name=_("leader"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation", "parent", Lower("name"), name="unit_unique_name_per_parent"
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "organisations:unit_detail", kwargs={"org_slug": self.organisation.slug, "unit_id": self.pk}
        )


class Person(VersionedModel, TenantModel):
    """Someone in the organisation, usually with a user account to sign in with."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("user account"),
    )
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    job_role = models.ForeignKey(
        JobRole,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("job role"),
    )
    role = models.CharField(_("role in Læra"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    is_active = models.BooleanField(_("active"), default=True)
    units: models.ManyToManyField[Unit, Membership] = models.ManyToManyField(
        Unit, through="Membership", related_name="members", verbose_name=_("units")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=~models.Q(email=""),
                name="person_unique_email_per_org",
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="person_unique_user_per_org",
            ),
        ]
        # People are listed by name a page at a time, in organisations of up to 20,000: read in this
        # order from the index, a page stops after its rows instead of sorting everyone.
        indexes = [models.Index(fields=["organisation", "full_name", "id"], name="person_by_name")]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse(
            "organisations:person_detail", kwargs={"org_slug": self.organisation.slug, "person_id": self.pk}
        )


class Membership(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "unit"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.unit}"


class WorkingGroup(VersionedModel, TenantModel):
    """The working group that plans learning for a unit: 3–5 members, a lead, a minute taker, as the KLAR
    guide advises (003_8a0b773b4c09b074.txt, docs/product.md §3.1 and §7)."""

    ADVISED_MIN = 3
    ADVISED_MAX = 5

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="working_group")
    mandate = models.TextField(_("mandate"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    lead = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lead")
    )
    minute_taker = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minute taker"),
    )

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return str(self.unit)


class WorkingGroupMember(TenantModel):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="working_groups")

    class Meta:
        verbose_name = _("working-group member")
        verbose_name_plural = _("working-group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="wgmember_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.group}"


class WorkingGroupMeeting(VersionedModel, TenantModel):
    """A meeting of the working group and its minutes."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    minute_taker = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minute taker"),
    )
    minutes = models.TextField(_("minutes"))

    class Meta:
        verbose_name = _("working-group meeting")
        verbose_name_plural = _("working-group meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.group} {self.held_on:%Y-%m-%d}"


class InvitationStatus(models.TextChoices):
    OPEN = "open", _("open")
    EXPIRED = "expired", _("expired")
    ACCEPTED = "accepted", _("accepted")
    REVOKED = "revoked", _("revoked")


class Invitation(TenantModel):
    """An invitation to sign in as a person of the organisation, sent to the person's e-mail address.

    Only the owner of the address can accept it: the link carries a random token whose hash alone is
    stored (`key` finds the row, `token_hash` proves the rest). Until it is accepted, the person has no
    account link and no access. A person has at most one open invitation; sending a new one revokes it.
    """

    VALID_DAYS = 14
    KEY_LENGTH = 12  # the first characters of the token, to find the row by

    link = ""  # the link with the whole token: set by the service that sends it, never stored

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("person")
    )
    email = models.EmailField(_("e-mail"))
    key = models.CharField(_("key"), max_length=16, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=64)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} <{self.email}>"

    def status_at(self, moment: datetime.datetime) -> str:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= moment:
            return InvitationStatus.EXPIRED
        return InvitationStatus.OPEN

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
