"""The plan for learning (docs/product.md §3.5): a unit's half-year plan, its themes, learning outcomes
and activities, as 003_8a0b773b4c09b074.txt (the KLAR guide, docs/product.md §7) describes them.

Every editable row carries a `version`; services refuse a save made from an older version, so two
coordinators editing at once never overwrite each other silently.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laera.core.models import TenantModel
from laera.core.nkr import Category as OutcomeCategory
from laera.mapping.models import Arena, Method, Recurrence
from laera.organisations.models import Person, Unit
from laera.organisations.participants.models import Participants


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Out for comments")
    PUBLISHED = "published", _("Published")
    RUNNING = "running", _("Running")
    EVALUATION = "evaluation", _("Being evaluated")
    CLOSED = "closed", _("Closed")


class Plan(TenantModel):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=120, help_text=_("For example: Spring 2015"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(
        _("language of the plan"), max_length=8, choices=settings.LANGUAGES, default="nb"
    )
    introduction = models.TextField(_("introduction"), blank=True)
    arena_overview = models.JSONField(
        _("overview of arenas"),
        default=list,
        blank=True,
        help_text=_("The plan's own list of arenas and participants; empty means the unit's mapped arenas."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    evaluation_on = models.DateField(_("evaluation"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of plan"),
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made from"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    comments_until = models.DateField(
        _("comments until"),
        null=True,
        blank=True,
        help_text=_("The last day readers can comment while the plan is out for comments."),
    )
    comments_message = models.TextField(_("message to readers"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("plan for learning")
        verbose_name_plural = _("plans for learning")
        ordering = ["-period_start", "unit__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="plan_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.name}" if self.unit_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", kwargs={"org_slug": self.organisation.slug, "plan_id": self.pk})

    def comments_open(self, today: datetime.date | None = None) -> bool:
        """Out for comments and the comment deadline (the last day comments are taken) not passed."""
        if self.status != PlanStatus.CONSULTATION:
            return False
        return self.comments_until is None or (today or timezone.localdate()) <= self.comments_until


class PlanComment(TenantModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Theme(TenantModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    why = models.TextField(_("why this theme"), blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Outcome(TenantModel):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField(_("learning outcome"))
    category = models.CharField(
        _("category"), max_length=20, choices=OutcomeCategory.choices, default=OutcomeCategory.KNOWLEDGE
    )
    verb = models.CharField(_("depth (NKR verb)"), max_length=40, blank=True)
    competences = models.ManyToManyField(
        "competences.Competence", blank=True, related_name="outcomes", verbose_name=_("competences")
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("learning outcome")
        verbose_name_plural = _("learning outcomes")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class TimeKind(models.TextChoices):
    DATES = "dates", _("On a date or dates")
    RECURRENCE = "recurrence", _("Recurring")
    DEADLINE = "deadline", _("By a deadline")
    CONTINUOUS = "continuous", _("Continuously through the period")
    TRIGGER = "trigger", _("When something happens")


class Activity(TenantModel, Participants):
    """Where, how, who, whom and when for one learning outcome: the seven elements of the KLAR guide
    (003_8a0b773b4c09b074.txt, docs/product.md §3.5 and §7).

    Whom comes from `Participants`, with `participants_text` for the plan's own words."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    arena = models.ForeignKey(
        Arena, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("arena")
    )
    place = models.CharField(
        _("other place"),
        max_length=200,
        blank=True,
        help_text=_("When the arena is not mapped, e.g. E-arena or a college."),
    )
    method = models.ForeignKey(
        Method,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pedagogical method"),
    )
    method_detail = models.CharField(_("method, in the plan's words"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible or presenter"),
    )
    responsible_external = models.CharField(
        _("responsible outside the organisation"), max_length=200, blank=True
    )

    participants_text = models.CharField(_("participants, in the plan's words"), max_length=300, blank=True)

    time_kind = models.CharField(_("time"), max_length=20, choices=TimeKind.choices, default=TimeKind.DATES)
    dates = models.JSONField(_("dates"), default=list, blank=True)
    dates_are_alternatives = models.BooleanField(_("the dates are alternatives"), default=False)
    recurrence = models.CharField(_("how often"), max_length=20, choices=Recurrence.choices, blank=True)
    times_per_year = models.PositiveSmallIntegerField(_("times a year"), null=True, blank=True)
    rrule = models.CharField(_("recurrence rule (iCalendar)"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    trigger = models.CharField(_("trigger"), max_length=200, blank=True)
    time_text = models.CharField(_("time, in the plan's words"), max_length=200, blank=True)

    mandatory = models.BooleanField(_("mandatory"), default=False)
    open_to_others = models.BooleanField(_("open to other teams"), default=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=10, decimal_places=2, null=True, blank=True)
    completed = models.BooleanField(_("completed"), default=False)
    time_to_check = models.BooleanField(
        _("check the time"),
        default=False,
        help_text=_("Set when copying the plan moved or kept the time; cleared when checked."),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.method_detail or (self.method.display_name if self.method else "") or str(self.pk)
