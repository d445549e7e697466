"""Forms for the gap analysis: the choices above the heatmap, sending a gap on, and linking competences
to a learning outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from laera.core.forms import StyledForm
from laera.core.versioning import VersionField
from laera.organisations.models import Unit
from laera.organisations.tenancy import Actor

from ..models import Area, Competence, MappingRound
from ..selectors import gaps as gap_selectors
from ..selectors.catalogues import COMPETENCES_AT_ONCE
from ..selectors.gaps import Column, Source, catalogue_columns


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


# The choices of the gap pages (a GET form), also for an export made in the background ---------------

COMPETENCES_AS_COLUMNS = COMPETENCES_AT_ONCE  # more: the pages show areas, or one area at a time


@dataclass
class Filters:
    """What the GET form chose, with the defaults filled in."""

    form: GapFilterForm
    rounds: list[MappingRound]
    round: MappingRound | None = None
    source: str = Source.AGREED
    view: str = View.NOW
    area: Area | None = None
    compare: bool = True
    columns: list[Column] = field(default_factory=list)
    unit_id: int | None = None  # the overview's level, kept when the choices change

    @property
    def future(self) -> bool:
        return self.view == View.FUTURE

    @property
    def large(self) -> bool:
        """More competences than a person reads one by one, and no area chosen."""
        return self.area is None and len(self.columns) > COMPETENCES_AS_COLUMNS

    def params(self) -> dict[str, Any]:
        """The choices as query parameters, for the export link and the links to other views."""
        params: dict[str, Any] = {"source": self.source, "view": self.view}
        if self.round is not None:
            params["round"] = self.round.pk
        if self.area is not None:
            params["area"] = self.area.pk
        if self.compare:
            params["compare"] = "1"
        if self.unit_id is not None:
            params["unit"] = self.unit_id
        return params

    def query(self) -> str:
        """The same choices as a query string, for the export link and the links to the units."""
        return urlencode(self.params())


def gap_filters(data: Mapping[str, Any] | None, actor: Actor) -> Filters:
    """The choices of the gap pages' GET form (`data`: its query, or None on a first visit), with the
    defaults filled in: the newest round, agreed levels, the change since the round before."""
    rounds = gap_selectors.rounds_with_figures(actor)
    chosen = None
    if data is not None and data.get("round"):
        chosen = next((r for r in rounds if str(r.pk) == data.get("round")), None)
    round = chosen or (rounds[0] if rounds else None)
    areas = list(Area.objects.filter(catalogue_id=round.catalogue_id)) if round is not None else []
    form = GapFilterForm(data, rounds=rounds, areas=areas)
    if not form.is_bound:
        form.initial = {"round": round.pk if round else None, "compare": True}
    filters = Filters(form=form, rounds=rounds, round=round)
    if round is None:
        return filters
    filters.source = form.choice("source", Source.AGREED)
    filters.view = form.choice("view", View.NOW)
    # A GET form cannot tell an unticked box from a first visit: the change is on until the form is used.
    filters.compare = bool(form.choice("compare", False)) if data is not None else True
    filters.unit_id = form.choice("unit", None)
    area_id = form.choice("area", None)
    filters.area = next((a for a in areas if a.pk == area_id), None)
    columns = catalogue_columns(round.catalogue_id)
    if filters.area is not None:
        columns = [c for c in columns if c.area.pk == filters.area.pk]
    filters.columns = columns
    return filters
