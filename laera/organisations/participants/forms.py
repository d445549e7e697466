"""The participant fields of a form, with their widgets and choices limited to the organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laera.core.forms import TextRulesForm

from ..models import JobRole
from ..tenancy import Actor
from ..widgets import PersonMultipleChoiceField, UnitMultipleChoiceField
from . import FIELDS
from .models import Participants


class ParticipantFields(TextRulesForm):
    """Who takes part; `limit_participants` keeps the choices in the organisation.

    Forms that mix this in list the fields in `field_order`, as declared fields of a base class come first.
    `initial_participants` and `cleaned_participants` give and take the five values, so a form's
    `initial_for` and `to_input` do not list them again.
    """

    participants_all = forms.BooleanField(label=_("All employees take part"), required=False)
    participant_units = UnitMultipleChoiceField(label=_("Units that take part"), required=False)
    participant_job_roles = forms.ModelMultipleChoiceField(
        label=_("Job roles that take part"),
        queryset=JobRole.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participant_people = PersonMultipleChoiceField(label=_("Named people"), required=False)
    participant_groups = forms.CharField(
        label=_("External groups"),
        max_length=300,
        required=False,
        help_text=_("For example: employers, users in the project. Separate them with commas."),
    )

    PARTICIPANT_FIELDS = list(FIELDS)

    def limit_participants(self, actor: Actor) -> None:
        """Keep the choices in the organisation.

        Named people are any active person of it, as they always could be, and units any unit of it; the
        pickers render only those chosen and find the others by a search, so a big organisation never fills
        the form (a small one ticks its units in a list).
        """
        job_roles: Any = self.fields["participant_job_roles"]
        job_roles.queryset = JobRole.objects.for_org(actor.organisation).order_by("name")
        units: Any = self.fields["participant_units"]
        units.offer(actor)
        people: Any = self.fields["participant_people"]
        people.offer(actor)

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
