"""The competence catalogue, its proficiency scale, requirements, mapping rounds and assessments.

KS's step 5 (define requirements, analyse the competence capital, identify needs) and the Næstved case
(004_3c5ade64127f2fcf.txt, a gap analysis made with the employees; docs/product.md §7) in data:

* a **catalogue** of areas and competences with its own proficiency **scale** (default 0–4, one step
  marked "proficient");
* **requirements**: the level a job role and/or unit needs now, and may need by a future date;
* **mapping rounds** for chosen units, in which each person rates themself and their leader adds a rating;
* one **assessment** row per round, person and competence, holding both ratings side by side with their
  dates, and the requirement that applied when it was made — so a round keeps its own gap picture and
  the next round can be compared with it;
* **qualifications** (formal education, certificates) with expiry dates;
* **gap signals**: a gap sent on to the next input round as evidence;
* the **unit figures** of each round: the per-unit gap figures kept ready for the organisation's heatmap
  (see `services/figures.py`), with the signature of what they were built from.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from laera.core.models import TenantModel
from laera.core.nkr import Category
from laera.core.versioning import VersionedModel
from laera.organisations.models import JobRole, Person, Unit

MAX_LEVEL = 9  # a scale has at most ten steps, 0–9


class NkrLevel(models.TextChoices):
    """NKR levels 2–8 with the sublevels; NKR level n is EQF level n (docs/product.md §5)."""

    L2 = "2", "2"
    L3 = "3", "3"
    L4A = "4A", "4A"
    L4B = "4B", "4B"
    L5_1 = "5.1", "5.1"
    L5_2 = "5.2", "5.2"
    L6 = "6", "6"
    L7 = "7", "7"
    L8 = "8", "8"


class Importance(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    IMPORTANT = "important", _("Important")
    USEFUL = "useful", _("Useful")


# Most important first: the gap analysis lists critical gaps before the others.
IMPORTANCE_RANK = {Importance.CRITICAL: 0, Importance.IMPORTANT: 1, Importance.USEFUL: 2, "": 3}


class Catalogue(TenantModel):
    """An organisation's competence catalogue: areas of competences and the scale they are rated on."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    proficient_level = models.PositiveSmallIntegerField(
        _("proficient step"),
        default=3,
        validators=[MaxValueValidator(MAX_LEVEL)],
        help_text=_("The step from which a person masters the competence."),
    )
    template_key = models.CharField(_("copied from template"), max_length=60, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The scale and the requirement matrix are edited in forms of their own, each saved whole.
    scale_version = models.PositiveIntegerField(default=1)
    requirements_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("competence catalogue")
        verbose_name_plural = _("competence catalogues")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "competences:catalogue_detail",
            kwargs={"org_slug": self.organisation.slug, "catalogue_id": self.pk},
        )


class ScaleLevel(TenantModel):
    """One step of a catalogue's proficiency scale, with its label in each of the five languages."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("step"), validators=[MaxValueValidator(MAX_LEVEL)])
    label_nb = models.CharField(_("label (bokmål)"), max_length=100)
    label_nn = models.CharField(_("label (nynorsk)"), max_length=100)
    label_sv = models.CharField(_("label (Swedish)"), max_length=100)
    label_da = models.CharField(_("label (Danish)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100)

    class Meta:
        verbose_name = _("step of the scale")
        verbose_name_plural = _("steps of the scale")
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "value"], name="scalelevel_unique_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    @property
    def label(self) -> str:
        """The label in the active language (bokmål when the language has none)."""
        code = (get_language() or "nb").split("-")[0]
        return str(getattr(self, f"label_{code}", "") or self.label_nb)


class Area(VersionedModel, TenantModel):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint("catalogue", Lower("name"), name="area_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Competence(TenantModel):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="competences")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competences")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.KNOWLEDGE
    )
    nkr_level = models.CharField(_("NKR level"), max_length=4, choices=NkrLevel.choices, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint("catalogue", Lower("name"), name="competence_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "competences:competence_detail",
            kwargs={"org_slug": self.organisation.slug, "competence_id": self.pk},
        )


class Requirement(TenantModel):
    """The level a job role and/or a unit needs in a competence, now and possibly by a future date.

    A requirement with a unit applies to the people of that unit and of every unit below it; with a job
    role, to the people in that job role; with both, to that job role in that unit. When several apply to
    one person, the highest level and the greatest importance count.
    """

    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="requirements")
    job_role = models.ForeignKey(
        JobRole,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="competence_requirements",
        verbose_name=_("job role"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="competence_requirements",
        verbose_name=_("unit"),
    )
    level = models.PositiveSmallIntegerField(
        _("required level"), default=0, validators=[MaxValueValidator(MAX_LEVEL)]
    )
    importance = models.CharField(
        _("importance"), max_length=20, choices=Importance.choices, default=Importance.IMPORTANT
    )
    future_level = models.PositiveSmallIntegerField(
        _("level needed later"), null=True, blank=True, validators=[MaxValueValidator(MAX_LEVEL)]
    )
    future_by = models.DateField(_("needed by"), null=True, blank=True)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["competence__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(job_role__isnull=False) | models.Q(unit__isnull=False),
                name="requirement_has_job_role_or_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(future_level__isnull=True) | models.Q(future_by__isnull=False),
                name="requirement_future_level_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence}: {self.level}"


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class MappingRound(VersionedModel, TenantModel):
    """A mapping round (kartleggingsrunde) for chosen units, from an opening date to a deadline."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("name"), max_length=200)
    units = models.ManyToManyField(Unit, related_name="mapping_rounds", verbose_name=_("units"))
    opens_on = models.DateField(_("opens"))
    deadline = models.DateField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days before the deadline"), default=3, validators=[MaxValueValidator(60)]
    )
    message = models.TextField(_("message to the participants"), blank=True)
    created_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Bumped whenever a change of requirements is carried into the round's rows: part of the signature of
    # the round's unit figures (services/figures.py), so that they are rebuilt on the next view.
    requirements_stamp = models.PositiveIntegerField(default=0, editable=False)
    # When the participants were told that the round is open (services.rounds.round_announce).
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mapping round")
        verbose_name_plural = _("mapping rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("opens_on")), name="round_deadline_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "competences:round_detail", kwargs={"org_slug": self.organisation.slug, "round_id": self.pk}
        )

    @property
    def status(self) -> str:
        """Closed when closed by hand or past the deadline; open from the opening date; else planned."""
        today = timezone.localdate()
        if self.closed_at is not None or today > self.deadline:
            return RoundStatus.CLOSED
        if today >= self.opens_on:
            return RoundStatus.OPEN
        return RoundStatus.PLANNED

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class RoundParticipant(TenantModel):
    """Someone invited to a round: the people of its units when it was opened, and anyone added later."""

    round = models.ForeignKey(MappingRound, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="round_participations")
    submitted_at = models.DateTimeField(_("answered"), null=True, blank=True)
    leader_done_at = models.DateTimeField(_("rated by the leader"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant in a mapping round")
        verbose_name_plural = _("participants in mapping rounds")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="roundparticipant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.round}"


class Assessment(VersionedModel, TenantModel):
    """One person's competence in one round: their own rating and their leader's, side by side, dated.

    `required_level`, `future_level` and `importance` are the requirement that applied to the person when
    the row was written; services refresh them while the round is open, and they stay as they were once
    it has closed, so each round keeps its own picture of the gaps.
    """

    round = models.ForeignKey(MappingRound, on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="assessments")
    self_level = models.PositiveSmallIntegerField(
        _("own rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_LEVEL)],
    )
    self_comment = models.TextField(_("comment"), blank=True)
    wants_to_learn = models.BooleanField(_("I want to learn this"), default=False)
    self_at = models.DateTimeField(_("rated"), null=True, blank=True)
    leader_level = models.PositiveSmallIntegerField(
        _("leader's rating"), null=True, blank=True, validators=[MaxValueValidator(MAX_LEVEL)]
    )
    leader_comment = models.TextField(_("leader's comment"), blank=True)
    leader = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("rated by")
    )
    leader_at = models.DateTimeField(_("rated by the leader"), null=True, blank=True)
    agreed_level = models.PositiveSmallIntegerField(
        _("agreed level"), null=True, blank=True, validators=[MaxValueValidator(MAX_LEVEL)]
    )
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    required_level = models.PositiveSmallIntegerField(_("required level"), default=0)
    future_level = models.PositiveSmallIntegerField(_("level needed later"), null=True, blank=True)
    importance = models.CharField(_("importance"), max_length=20, choices=Importance.choices, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person", "competence"], name="assessment_unique_per_round"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "competence"], name="assessment_person_competence"),
            models.Index(fields=["competence"], name="assessment_competence"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.competence}"

    @property
    def current_level(self) -> int | None:
        """The agreed level, else the leader's rating, else the person's own."""
        for value in (self.agreed_level, self.leader_level, self.self_level):
            if value is not None:
                return value
        return None


class QualificationKind(models.TextChoices):
    EDUCATION = "education", _("Education")
    CERTIFICATE = "certificate", _("Certificate")
    COURSE = "course", _("Course")
    AUTHORISATION = "authorisation", _("Authorisation")


class Qualification(VersionedModel, TenantModel):
    """A formal qualification or certificate a person holds, possibly with an expiry date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="qualifications")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=QualificationKind.choices, default=QualificationKind.CERTIFICATE
    )
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    obtained_on = models.DateField(_("obtained"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    competence = models.ForeignKey(
        Competence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qualifications",
        verbose_name=_("competence"),
    )
    note = models.TextField(_("note"), blank=True)
    # The expiry date the person was last told about (services.rounds.qualifications_announce_expiring).
    expiry_told_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["expires_on", "name", "id"]
        indexes = [models.Index(fields=["organisation", "expires_on"], name="qualification_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(obtained_on__isnull=True)
                | models.Q(expires_on__gte=models.F("obtained_on")),
                name="qualification_expires_after_obtained",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GapSignal(TenantModel):
    """A competence gap sent on to the next input round as evidence for a theme.

    The figures are kept as they were when the gap was sent. The input round picks the signal up
    (`input_round_id` is filled in then); until that exists the signal waits here.
    """

    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="gap_signals")
    round = models.ForeignKey(
        MappingRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="gap_signals"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    people_assessed = models.PositiveIntegerField(_("people assessed"), default=0)
    people_below = models.PositiveIntegerField(_("people below the requirement"), default=0)
    required_level = models.PositiveSmallIntegerField(_("required level"), default=0)
    average_level = models.DecimalField(
        _("average level"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    importance = models.CharField(_("importance"), max_length=20, choices=Importance.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    sent_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("sent by")
    )
    input_round_id = models.PositiveBigIntegerField(_("input round"), null=True, blank=True)

    class Meta:
        verbose_name = _("gap sent to the input round")
        verbose_name_plural = _("gaps sent to the input round")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.competence)


# The figures of the organisation's heatmap, kept ready ---------------------------------------------------

FIGURES_SOURCES = ("self", "leader", "agreed")  # the values of selectors.gaps.Source


class FiguresCell(models.Model):
    """The figures of one group for one competence in a round, with the current level taken from one
    source: the columns of `selectors.gaps.Figures`, in its order. Derived data, rebuilt in bulk and kept up
    to date by services/figures.py: narrow rows, no timestamps (`RoundFiguresState.built_at` says when the
    round's figures were built). A cell exists exactly when the live query has a group for it."""

    # No foreign-key constraints and no indexes but the unique one: a rebuild writes tens of thousands of
    # rows at once, and checking four constraints per row took longer than computing them. Django's own
    # cascades still remove a deleted round's, unit's or competence's cells.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    round = models.ForeignKey(
        MappingRound, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    source = models.CharField(max_length=6)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    competence = models.ForeignKey(
        Competence, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    assessed = models.PositiveIntegerField(default=0)
    level_sum = models.PositiveIntegerField(default=0)
    required = models.PositiveSmallIntegerField(default=0)
    below = models.PositiveIntegerField(default=0)
    above = models.PositiveIntegerField(default=0)
    wants = models.PositiveIntegerField(default=0)
    below_future = models.PositiveIntegerField(default=0)
    importance_rank = models.PositiveSmallIntegerField(default=3)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.round_id}/{self.source}: {self.unit_id} × {self.competence_id}"


class UnitFigures(FiguresCell):
    """One unit's figures for one competence in a round, counting the unit's own members: a row of
    `selectors.gaps.unit_figures`, kept so that the heatmap reads a few hundred thousand small rows
    instead of aggregating millions of assessments on every view."""

    class Meta:
        constraints = [
            # Also the index every read and every upkeep goes through: round, then source, then units.
            models.UniqueConstraint(
                fields=["round", "source", "unit", "competence"], name="unitfigures_unique_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=FIGURES_SOURCES), name="unitfigures_known_source"
            ),
        ]


class UnitTreeFigures(FiguresCell):
    """The figures of a unit *and every unit below it* for one competence in a round, each person counted
    once however many of those units they are in — the rows of the overview's level of detail (a
    department and its teams), kept only for units that have units below them: a unit without any has
    its own figures (`UnitFigures`)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "source", "unit", "competence"], name="unittreefigures_unique_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=FIGURES_SOURCES), name="unittreefigures_known_source"
            ),
        ]


class RoundFiguresState(TenantModel):
    """For which data a round's unit figures of one source were built: the signature of everything the
    figures depend on besides the assessment rows (the organisation's memberships, the catalogue's
    proficient step, the round's requirements stamp). When it no longer matches, the figures are rebuilt."""

    round = models.ForeignKey(MappingRound, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=6)
    signature = models.CharField(max_length=200)
    built_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "source"], name="roundfiguresstate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.source}: {self.signature}"


class RoundUnitProgress(models.Model):
    """How far the people of one unit have come in a round, kept ready for the round's progress page: the
    participants who are members of the unit itself (`own_*`) and of the unit or any unit below it
    (`tree_*`, each person once however many of those units they are in), how many of them have answered
    and how many their leader has finished rating. Derived data, rebuilt and kept up to date by
    services/progress.py; a row exists for every unit with a participant in it or below it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    round = models.ForeignKey(MappingRound, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    own_total = models.PositiveIntegerField(default=0)
    own_answered = models.PositiveIntegerField(default=0)
    own_leader_done = models.PositiveIntegerField(default=0)
    tree_total = models.PositiveIntegerField(default=0)
    tree_answered = models.PositiveIntegerField(default=0)
    tree_leader_done = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="roundunitprogress_unique"),
            models.CheckConstraint(
                condition=models.Q(own_answered__lte=models.F("own_total"))
                & models.Q(own_leader_done__lte=models.F("own_total"))
                & models.Q(tree_answered__lte=models.F("tree_total"))
                & models.Q(tree_leader_done__lte=models.F("tree_total"))
                & models.Q(own_total__lte=models.F("tree_total")),
                name="roundunitprogress_counts_fit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.unit_id} {self.tree_answered}/{self.tree_total}"


class RoundProgressState(TenantModel):
    """For which data a round's unit progress was built: the signature of what it depends on besides the
    answers themselves (the organisation's memberships and unit tree, the round's participants and its
    requirements stamp). When it no longer matches, the page counts live and a worker rebuilds it."""

    round = models.OneToOneField(MappingRound, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=200)
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.round_id}: {self.signature}"
