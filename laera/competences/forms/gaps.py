"""Forms for the gap analysis: the choices above the heatmap, sending a gap on, and linking competences
to a learning outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laera.core.forms import StyledForm
from laera.core.versioning import VersionField
from laera.organisations.models import Unit
from laera.organisations.tenancy import Actor

from ..models import Area, Competence, MappingRound
from ..selectors.gaps import Source


class View:
    NOW = "now"
    FUTURE = "future"


VIEW_CHOICES = [(View.NOW, _("Required now")), (View.FUTURE, _("Needed later"))]


class GapFilterForm(StyledForm):
    """The GET form above the heatmap. Anything missing or unknown falls back to the default."""

    round = forms.TypedChoiceField(label=_("Mapping round"), coerce=int, required=False)
    source = forms.ChoiceField(
        label=_("Current level from"),
        choices=Source.choices,
        required=False,
        help_text=_("Agreed: the agreed level, else the leader's rating, else the person's own."),
    )
    view = forms.ChoiceField(label=_("Compare with"), choices=VIEW_CHOICES, required=False)
    area = forms.TypedChoiceField(label=_("Competence area"), coerce=int, required=False, empty_value=None)
    compare = forms.BooleanField(label=_("Show the change since the round before"), required=False)
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)  # the overview's level

    def __init__(self, data: Any, *, rounds: Sequence[MappingRound], areas: Sequence[Area]) -> None:
        super().__init__(data)
        self.fields["round"].choices = [(r.pk, f"{r.catalogue.name}: {r.name}") for r in rounds]  # type: ignore[attr-defined]
        self.fields["area"].choices = [("", _("All areas")), *[(a.pk, a.name) for a in areas]]  # type: ignore[attr-defined]

    def choice(self, name: str, default: Any) -> Any:
        """The cleaned value, or `default` when it is empty or the form did not validate that field."""
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return default if value in (None, "") else value


class GapSignalForm(StyledForm):
    competence = forms.ModelChoiceField(label=_("Competence"), queryset=Competence.objects.none())
    round = forms.ModelChoiceField(label=_("Mapping round"), queryset=MappingRound.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    source = forms.ChoiceField(label=_("Current level from"), choices=Source.choices, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = actor.organisation
        self.fields["competence"].queryset = Competence.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["round"].queryset = MappingRound.objects.filter(organisation=organisation).select_related(  # type: ignore[attr-defined]
            "catalogue"
        )
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]


class OutcomeCompetencesForm(forms.Form):
    """The organisation's competences as checkboxes; the template groups them by catalogue and area."""

    competences = forms.TypedMultipleChoiceField(
        label=_("Competences this learning outcome builds"), coerce=int, required=False
    )
    version = VersionField()  # the learning outcome's

    def __init__(self, *args: Any, competences: Sequence[Competence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {c.pk: c for c in competences}
        self.fields["competences"].choices = [(c.pk, c.name) for c in competences]  # type: ignore[attr-defined]

    def selected(self) -> list[Competence]:
        return [self.by_id[pk] for pk in self.cleaned_data["competences"]]
