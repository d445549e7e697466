"""The participant fields of a form, with their widgets and choices limited to the organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laera.core.forms import TextRulesForm
from laera.core.permissions import descendants

from ..forms import FilterableCheckboxSelectMultiple
from ..models import JobRole, Person, Unit
from ..tenancy import Actor
from . import FIELDS
from .models import Participants


class ParticipantFields(TextRulesForm):
    """Who takes part; `limit_participants` keeps the choices in the organisation.

    Forms that mix this in list the fields in `field_order`, as declared fields of a base class come first.
    `initial_participants` and `cleaned_participants` give and take the five values, so a form's
    `initial_for` and `to_input` do not list them again.
    """

    participants_all = forms.BooleanField(label=_("All employees take part"), required=False)
    participant_units = forms.ModelMultipleChoiceField(
        label=_("Units that take part"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participant_job_roles = forms.ModelMultipleChoiceField(
        label=_("Job roles that take part"),
        queryset=JobRole.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participant_people = forms.ModelMultipleChoiceField(
        label=_("Named people"),
        queryset=Person.objects.none(),
        required=False,
        widget=FilterableCheckboxSelectMultiple,
        help_text=_("People in the unit and the units below it, and anyone already chosen."),
    )
    participant_groups = forms.CharField(
        label=_("External groups"),
        max_length=300,
        required=False,
        help_text=_("For example: employers, users in the project. Separate them with commas."),
    )

    PARTICIPANT_FIELDS = list(FIELDS)

    def limit_participants(self, actor: Actor, *, unit: Unit | int | None = None) -> None:
        """Keep the choices in the organisation; named people only from `unit` and the units below it.

        A big organisation has thousands of people, so the named-people list offers those of the unit
        the plan or arena belongs to (and its sub-units), or without one the units the person plans for,
        plus everyone already chosen, so saving an edit never drops a name from outside that scope.
        """
        org = actor.organisation
        people = Person.objects.for_org(org).filter(is_active=True)
        unit_id = unit.pk if isinstance(unit, Unit) else unit
        scope = descendants(actor.parent_map(), {unit_id}) if unit_id else actor.coordinated_unit_ids
        chosen = self._chosen_people()
        querysets: dict[str, Any] = {
            "participant_units": Unit.objects.for_org(org).order_by("name"),
            "participant_job_roles": JobRole.objects.for_org(org).order_by("name"),
            "participant_people": people.filter(Q(memberships__unit_id__in=scope) | Q(pk__in=chosen))
            .distinct()
            .order_by("full_name"),
        }
        for name, queryset in querysets.items():
            field: Any = self.fields[name]
            field.queryset = queryset

    def _chosen_people(self) -> set[int]:
        """The people already chosen: in the saved object (initial) and in the submitted form."""
        chosen: set[int] = set()
        for value in self.initial.get("participant_people") or []:
            chosen.add(value.pk if isinstance(value, Person) else int(value))
        if self.is_bound:
            key = self.add_prefix("participant_people")
            raw: Any = self.data.getlist(key) if hasattr(self.data, "getlist") else self.data.get(key)
            values = raw if isinstance(raw, list | tuple) else [raw]
            chosen.update(int(str(value)) for value in values if str(value).isdigit())
        return chosen

    @staticmethod
    def initial_participants(obj: Participants) -> dict[str, Any]:
        """The form's initial participant values for a saved object."""
        return {
            "participants_all": obj.participants_all,
            "participant_units": list(obj.participant_units.all()),
            "participant_job_roles": list(obj.participant_job_roles.all()),
            "participant_people": list(obj.participant_people.all()),
            "participant_groups": obj.participant_groups,
        }

    def cleaned_participants(self) -> dict[str, Any]:
        """The cleaned participant values, as keyword arguments for a `ParticipantsData` input."""
        d = self.cleaned_data
        return {
            "participants_all": d["participants_all"],
            "participant_units": list(d["participant_units"]),
            "participant_job_roles": list(d["participant_job_roles"]),
            "participant_people": list(d["participant_people"]),
            "participant_groups": d["participant_groups"],
        }
