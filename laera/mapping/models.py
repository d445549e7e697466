"""Arenas for learning, knowledge flows (Sveiby's nine transfers) and the method bank."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from laera.core.models import TenantModel
from laera.core.versioning import VersionedModel
from laera.organisations.models import Person, Unit
from laera.organisations.participants.models import Participants

from .method_catalogue import BY_KEY, ShippedMethod
from .sveiby import TRANSFER_CHOICES


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    EVERY_2_WEEKS = "every_2_weeks", _("Every 14 days")
    EVERY_3_WEEKS = "every_3_weeks", _("Every 3rd week")
    MONTHLY = "monthly", _("Monthly")
    EVERY_6_WEEKS = "every_6_weeks", _("Every 6 weeks")
    TIMES_PER_YEAR = "times_per_year", _("A number of times a year")
    YEARLY = "yearly", _("Yearly")
    ON_DEMAND = "on_demand", _("On demand")


class Arena(TenantModel, Participants):
    """A place where knowledge is shared or learning happens: a meeting, a seminar, a forum.

    When it meets is kept as an iCalendar RRULE anchored at `starts_on`, so it can be expanded into dates.
    Who takes part comes from `Participants`.
    """

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="arenas", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("internal or external"), max_length=10, choices=Kind.choices, default=Kind.INTERNAL
    )
    recurrence = models.CharField(
        _("how often"), max_length=20, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    times_per_year = models.PositiveSmallIntegerField(_("times a year"), null=True, blank=True)
    starts_on = models.DateField(_("first meeting"), null=True, blank=True)
    rrule = models.CharField(_("recurrence rule (iCalendar)"), max_length=200, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration in minutes"), null=True, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    used_for_learning = models.BooleanField(_("used for learning today"), default=True)

    responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("formally responsible"),
    )
    responsible_external = models.CharField(
        _("formally responsible (outside the organisation)"), max_length=200, blank=True
    )
    informal_responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried in practice by"),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("learning arena")
        verbose_name_plural = _("learning arenas")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(times_per_year__isnull=True)
                | models.Q(times_per_year__gte=1, times_per_year__lte=12),
                name="arena_times_per_year_1_to_12",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "mapping:arena_detail", kwargs={"org_slug": self.organisation.slug, "arena_id": self.pk}
        )


class KnowledgeFlow(VersionedModel, TenantModel):
    """One row of the guide's table "Aktivitet | Arena | Ansvar" under one of the nine transfers."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="knowledge_flows", verbose_name=_("unit")
    )
    transfer = models.PositiveSmallIntegerField(_("knowledge transfer"), choices=TRANSFER_CHOICES)
    activity = models.CharField(_("activity"), max_length=300)
    arena = models.ForeignKey(
        Arena, on_delete=models.SET_NULL, null=True, blank=True, related_name="flows", verbose_name=_("arena")
    )
    arena_text = models.CharField(_("arena (other)"), max_length=200, blank=True)
    formal_responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("formally responsible"),
    )
    formal_responsible_text = models.CharField(_("formally responsible (other)"), max_length=200, blank=True)
    informal_responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried in practice by"),
    )
    informal_responsible_text = models.CharField(
        _("carried in practice by (other)"), max_length=200, blank=True
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("knowledge flow")
        verbose_name_plural = _("knowledge flows")
        ordering = ["transfer", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(transfer__gte=1, transfer__lte=9), name="flow_transfer_1_to_9"
            ),
        ]

    def __str__(self) -> str:
        return self.activity

    @property
    def arena_label(self) -> str:
        return self.arena.name if self.arena_id and self.arena else self.arena_text

    @property
    def formal_label(self) -> str:
        person = self.formal_responsible
        return person.full_name if person is not None else self.formal_responsible_text

    @property
    def informal_label(self) -> str:
        person = self.informal_responsible
        return person.full_name if person is not None else self.informal_responsible_text


class Method(VersionedModel, TenantModel):
    """A pedagogical method or workplace-learning practice in the organisation's method bank.

    Methods shipped with Læra have a `key`; while their texts are blank they are shown from Læra's own
    catalogue in the reader's language. Once an organisation edits a text, its own text is shown.
    """

    class Effort(models.TextChoices):
        LOW = "low", _("Little")
        MEDIUM = "medium", _("Some")
        HIGH = "high", _("Much")

    class Mode(models.TextChoices):
        INVOLVES = "involves", _("Involves the participants")
        TRANSMITS = "transmits", _("Transmits to the participants")

    key = models.SlugField(_("key"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    when_it_fits = models.TextField(_("when it fits"), blank=True)
    effort = models.CharField(_("effort"), max_length=10, choices=Effort.choices, default=Effort.MEDIUM)
    mode = models.CharField(
        _("involves or transmits"), max_length=10, choices=Mode.choices, default=Mode.INVOLVES
    )
    is_hidden = models.BooleanField(_("hidden"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pedagogical method")
        verbose_name_plural = _("pedagogical methods")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], condition=~models.Q(key=""), name="method_unique_key_per_org"
            ),
        ]

    def __str__(self) -> str:
        return str(self.display_name)

    @property
    def shipped(self) -> ShippedMethod | None:
        return BY_KEY.get(self.key) if self.key else None

    @property
    def display_name(self) -> str:
        shipped = self.shipped
        return self.name or (str(shipped.name) if shipped is not None else "")

    @property
    def display_description(self) -> str:
        shipped = self.shipped
        return self.description or (str(shipped.description) if shipped is not None else "")

    @property
    def display_when_it_fits(self) -> str:
        shipped = self.shipped
        return self.when_it_fits or (str(shipped.when_it_fits) if shipped is not None else "")
