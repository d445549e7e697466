"""Forms for the mapping pages; every choice is limited to the actor's organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laera.core.forms import StyledForm
from laera.core.versioning import VersionedFormMixin, VersionField
from laera.organisations.models import Unit
from laera.organisations.participants.forms import ParticipantFields
from laera.organisations.tenancy import Actor
from laera.organisations.widgets import PersonChoiceField

from .models import Arena, KnowledgeFlow, Method, Recurrence
from .services import ArenaInput, FlowInput, MethodInput
from .sveiby import TRANSFER_CHOICES


class ArenaForm(VersionedFormMixin, StyledForm, ParticipantFields):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), help_text=_("The unit whose map the arena belongs to.")
    )
    kind = forms.ChoiceField(
        label=_("Internal or external"), choices=Arena.Kind.choices, widget=forms.RadioSelect
    )
    recurrence = forms.ChoiceField(label=_("How often"), choices=Recurrence.choices)
    times_per_year = forms.IntegerField(
        label=_("Times a year"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Only when it meets a number of times a year."),
    )
    starts_on = forms.DateField(
        label=_("Date of a meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Any date it meets; the other dates follow from it."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=1, max_value=7 * 24 * 60, required=False
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    used_for_learning = forms.BooleanField(label=_("Used for learning today"), required=False, initial=True)
    responsible = PersonChoiceField(label=_("Formally responsible"), required=False)
    responsible_external = forms.CharField(
        label=_("Formally responsible outside the organisation"),
        max_length=200,
        required=False,
        help_text=_("For example: NAV Buskerud, the county governor, a college."),
    )
    informal_responsible = PersonChoiceField(
        label=_("Carried in practice by"),
        required=False,
        help_text=_("Who actually makes it happen in daily work."),
    )
    version = VersionField()

    field_order = [
        "name",
        "unit",
        "kind",
        "recurrence",
        "times_per_year",
        "starts_on",
        "duration_minutes",
        "purpose",
        "used_for_learning",
        *ParticipantFields.PARTICIPANT_FIELDS,
    ]

    def __init__(self, *args: Any, actor: Actor, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, creating=creating, **kwargs)
        self.limit_participants(actor)
        units = Unit.objects.for_org(actor.organisation).order_by("name")
        self.fields["unit"].queryset = units.filter(pk__in=actor.coordinated_unit_ids)  # type: ignore[attr-defined]
        for name in ("responsible", "informal_responsible"):
            self.fields[name].offer(actor)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("recurrence") == Recurrence.TIMES_PER_YEAR and not data.get("times_per_year"):
            self.add_error("times_per_year", _("Say how many times a year: a number from 1 to 12."))
        if data.get("recurrence") not in (None, Recurrence.ON_DEMAND) and not data.get("starts_on"):
            self.add_error(
                "starts_on", _("Give the date of a meeting, so Læra can tell when the arena meets.")
            )
        return data

    def to_input(self) -> ArenaInput:
        d = self.cleaned_data
        return ArenaInput(
            name=d["name"],
            kind=d["kind"],
            recurrence=d["recurrence"],
            times_per_year=d["times_per_year"],
            starts_on=d["starts_on"],
            duration_minutes=d["duration_minutes"],
            purpose=d["purpose"],
            used_for_learning=d["used_for_learning"],
            responsible=d["responsible"],
            responsible_external=d["responsible_external"],
            informal_responsible=d["informal_responsible"],
            **self.cleaned_participants(),
        )

    @staticmethod
    def initial_for(arena: Arena) -> dict[str, Any]:
        return {
            "name": arena.name,
            "unit": arena.unit,
            "kind": arena.kind,
            "recurrence": arena.recurrence,
            "times_per_year": arena.times_per_year,
            "starts_on": arena.starts_on,
            "duration_minutes": arena.duration_minutes,
            "purpose": arena.purpose,
            "used_for_learning": arena.used_for_learning,
            **ArenaForm.initial_participants(arena),
            "responsible": arena.responsible,
            "responsible_external": arena.responsible_external,
            "informal_responsible": arena.informal_responsible,
            "version": arena.version,
        }


class QuickFlowForm(StyledForm):
    """The brainstorm line: type the activity, pick the transfer."""

    activity = forms.CharField(label=_("Activity"), max_length=300)
    transfer = forms.TypedChoiceField(label=_("Knowledge transfer"), choices=TRANSFER_CHOICES, coerce=int)
    arena = forms.ModelChoiceField(
        label=_("Arena"), queryset=Arena.objects.none(), required=False, empty_label=_("(none or other)")
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        arena_field: Any = self.fields["arena"]
        arena_field.queryset = (
            Arena.objects.for_org(actor.organisation).filter(archived_at__isnull=True).order_by("name")
        )

    def to_input(self) -> FlowInput:
        d = self.cleaned_data
        return FlowInput(transfer=d["transfer"], activity=d["activity"], arena=d["arena"])


class FlowForm(QuickFlowForm):
    arena_text = forms.CharField(label=_("Arena, if not in the list"), max_length=200, required=False)
    formal_responsible = PersonChoiceField(label=_("Formally responsible"), required=False)
    formal_responsible_text = forms.CharField(
        label=_("Formally responsible, if not in the list"),
        max_length=200,
        required=False,
        help_text=_("For example: daily operations."),
    )
    informal_responsible = PersonChoiceField(label=_("Carried in practice by"), required=False)
    informal_responsible_text = forms.CharField(
        label=_("Carried in practice by, if not in the list"), max_length=200, required=False
    )
    version = VersionField()

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        for name in ("formal_responsible", "informal_responsible"):
            self.fields[name].offer(actor)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(flow: KnowledgeFlow) -> dict[str, Any]:
        return {
            "activity": flow.activity,
            "transfer": flow.transfer,
            "arena": flow.arena,
            "arena_text": flow.arena_text,
            "formal_responsible": flow.formal_responsible,
            "formal_responsible_text": flow.formal_responsible_text,
            "informal_responsible": flow.informal_responsible,
            "informal_responsible_text": flow.informal_responsible_text,
            "version": flow.version,
        }

    def to_input(self) -> FlowInput:
        d = self.cleaned_data
        return FlowInput(
            transfer=d["transfer"],
            activity=d["activity"],
            arena=d["arena"],
            arena_text=d["arena_text"],
            formal_responsible=d["formal_responsible"],
            formal_responsible_text=d["formal_responsible_text"],
            informal_responsible=d["informal_responsible"],
            informal_responsible_text=d["informal_responsible_text"],
        )


class MethodForm(VersionedFormMixin, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    when_it_fits = forms.CharField(
        label=_("When it fits"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    effort = forms.ChoiceField(label=_("Effort"), choices=Method.Effort.choices)
    mode = forms.ChoiceField(
        label=_("Involves or transmits"),
        choices=Method.Mode.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Methods where the participants take part give more effect than "
            "methods that only pass knowledge on."
        ),
    )
    version = VersionField()

    @staticmethod
    def initial_for(method: Method) -> dict[str, Any]:
        return {
            "name": method.display_name,
            "description": method.display_description,
            "when_it_fits": method.display_when_it_fits,
            "effort": method.effort,
            "mode": method.mode,
            "version": method.version,
        }

    def to_input(self) -> MethodInput:
        d = self.cleaned_data
        return MethodInput(
            name=d["name"],
            description=d["description"],
            when_it_fits=d["when_it_fits"],
            effort=d["effort"],
            mode=d["mode"],
        )


class ArenaImportForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    file = forms.FileField(label=_("File"), help_text=_("CSV or XLSX with one arena per row."))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = (
            Unit.objects.for_org(actor.organisation)
            .filter(pk__in=actor.coordinated_unit_ids)
            .order_by("name")
        )
