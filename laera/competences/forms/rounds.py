"""Forms for mapping rounds, the self-assessment, the leader's rating and qualifications.

The self-assessment and the leader's rating are rendered by hand in their templates (one small form per
competence, each with the version of its row: 0 before the competence is rated); the forms here parse
and check what those post.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laera.core.forms import StyledForm, TextRulesForm
from laera.core.versioning import VersionedFormMixin, VersionField
from laera.organisations.selectors import UnitScope
from laera.organisations.tenancy import Actor
from laera.organisations.widgets import UnitMultipleChoiceField

from ..models import (
    MAX_LEVEL,
    Assessment,
    Catalogue,
    Competence,
    MappingRound,
    Qualification,
    QualificationKind,
    ScaleLevel,
)
from ..services.rounds import LeaderInput, QualificationInput, RoundInput, SelfInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(VersionedFormMixin, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    catalogue = forms.ModelChoiceField(label=_("Competence catalogue"), queryset=Catalogue.objects.none())
    units = UnitMultipleChoiceField(
        label=_("Units"), help_text=_("The people of these units and of the units below them take part.")
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DATE)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    reminder_days = forms.IntegerField(
        label=_("Reminder, days before the deadline"),
        min_value=0,
        max_value=60,
        initial=3,
        help_text=_("Those who have not answered get one e-mail then."),
    )
    message = forms.CharField(
        label=_("Message to the participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown at the top of the form and in the reminder."),
    )
    version = VersionField()

    def __init__(self, *args: Any, actor: Actor, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, creating=creating, **kwargs)
        catalogue_field: Any = self.fields["catalogue"]
        catalogue_field.queryset = Catalogue.objects.filter(organisation=actor.organisation).order_by("name")
        choices = list(catalogue_field.queryset[:2])
        if len(choices) == 1 and not self.initial.get("catalogue"):
            self.initial["catalogue"] = choices[0]
        units_field: Any = self.fields["units"]
        units_field.offer(actor, UnitScope.LED)
        self.fields["units"].widget.attrs["class"] = "ds-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_on, deadline = data.get("opens_on"), data.get("deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("deadline", _("The deadline must be on or after the opening date."))
        return data

    def to_input(self) -> RoundInput:
        d = self.cleaned_data
        return RoundInput(
            name=d["name"],
            catalogue=d["catalogue"],
            units=list(d["units"]),
            opens_on=d["opens_on"],
            deadline=d["deadline"],
            reminder_days=d["reminder_days"],
            message=d["message"],
        )

    @staticmethod
    def initial_for(round: MappingRound | None) -> dict[str, Any]:
        if round is None:
            today = timezone.localdate()
            return {"opens_on": today, "deadline": today + datetime.timedelta(days=14), "reminder_days": 3}
        return {
            "name": round.name,
            "catalogue": round.catalogue,
            "units": list(round.units.all()),
            "opens_on": round.opens_on,
            "deadline": round.deadline,
            "reminder_days": round.reminder_days,
            "message": round.message,
            "version": round.version,
        }


def _level(value: str | None) -> int | None:
    """A posted step of the scale; empty means not rated. Out-of-range values are left to the service."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise forms.ValidationError(_("Choose a step of the scale.")) from exc
    if not 0 <= number <= MAX_LEVEL:
        raise forms.ValidationError(_("Choose a step of the scale."))
    return number


def _steps(levels: Sequence[ScaleLevel]) -> list[tuple[str, str]]:
    return [("", "–"), *[(str(level.value), f"{level.value} {level.label}") for level in levels]]


class _RowForm(TextRulesForm):
    """A row of the self-assessment or the leader's rating. Opened with the scale's `levels`, its steps
    are shown by their labels (in the list of what someone else saved)."""

    STEP_FIELDS: tuple[str, ...] = ("level",)

    def __init__(self, *args: Any, levels: Sequence[ScaleLevel] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if levels is not None:
            for name in self.STEP_FIELDS:
                label = self.fields[name].label
                self.fields[name] = forms.ChoiceField(label=label, choices=_steps(levels), required=False)


class SelfAssessmentForm(_RowForm):
    """One competence of the self-assessment. Fields are prefixed with the competence id (c<id>-)."""

    level = forms.CharField(label=_("Your level"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea)
    wants_to_learn = forms.BooleanField(label=_("I want to learn this"), required=False)
    version = VersionField()

    def clean_level(self) -> int | None:
        return _level(self.cleaned_data.get("level"))

    @staticmethod
    def initial_for(row: Assessment | None) -> dict[str, Any]:
        if row is None:
            return {"version": 0}
        return {
            "level": row.self_level,
            "comment": row.self_comment,
            "wants_to_learn": row.wants_to_learn,
            "version": row.version,
        }

    def to_input(self, competence: Competence) -> SelfInput:
        d = self.cleaned_data
        return SelfInput(
            competence=competence, level=d["level"], comment=d["comment"], wants_to_learn=d["wants_to_learn"]
        )


class LeaderRatingForm(_RowForm):
    """One competence of the leader's rating, prefixed like the self-assessment (c<id>-)."""

    STEP_FIELDS = ("level", "agreed_level")

    level = forms.CharField(label=_("Leader's rating"), required=False)
    comment = forms.CharField(
        label=_("Leader's comment"), required=False, max_length=4000, widget=forms.Textarea
    )
    agreed_level = forms.CharField(label=_("Agreed level"), required=False)
    version = VersionField()

    @staticmethod
    def initial_for(row: Assessment | None) -> dict[str, Any]:
        if row is None:
            return {"version": 0}
        return {
            "level": row.leader_level,
            "comment": row.leader_comment,
            "agreed_level": row.agreed_level,
            "version": row.version,
        }

    def clean_level(self) -> int | None:
        return _level(self.cleaned_data.get("level"))

    def clean_agreed_level(self) -> int | None:
        return _level(self.cleaned_data.get("agreed_level"))

    def to_input(self, competence: Competence) -> LeaderInput:
        d = self.cleaned_data
        return LeaderInput(
            competence=competence, level=d["level"], comment=d["comment"], agreed_level=d["agreed_level"]
        )


def prefix_for(competence_id: int) -> str:
    return f"c{competence_id}"


class QualificationForm(VersionedFormMixin, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=QualificationKind.choices)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    obtained_on = forms.DateField(label=_("Obtained"), required=False, widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires"), required=False, widget=DATE, help_text=_("Leave empty if it does not expire.")
    )
    competence = forms.ModelChoiceField(
        label=_("Competence"),
        queryset=Competence.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("The competence it documents, if any."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()

    def __init__(self, *args: Any, actor: Actor, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, creating=creating, **kwargs)
        competence_field: Any = self.fields["competence"]
        competence_field.queryset = (
            Competence.objects.filter(organisation=actor.organisation)
            .select_related("catalogue")
            .order_by("catalogue__name", "name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        obtained, expires = data.get("obtained_on"), data.get("expires_on")
        if obtained and expires and expires < obtained:
            self.add_error("expires_on", _("It cannot expire before it was obtained."))
        return data

    def to_input(self) -> QualificationInput:
        d = self.cleaned_data
        return QualificationInput(
            name=d["name"],
            kind=d["kind"],
            issuer=d["issuer"],
            obtained_on=d["obtained_on"],
            expires_on=d["expires_on"],
            competence=d["competence"],
            note=d["note"],
        )

    @staticmethod
    def initial_for(qualification: Qualification) -> dict[str, Any]:
        return {
            "name": qualification.name,
            "kind": qualification.kind,
            "issuer": qualification.issuer,
            "obtained_on": qualification.obtained_on,
            "expires_on": qualification.expires_on,
            "competence": qualification.competence,
            "note": qualification.note,
            "version": qualification.version,
        }
