"""Forms for organisation pages. Choices are always limited to the actor's organisation."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from laera.core.forms import StyledForm
from laera.core.permissions import Role
from laera.core.tenancy import Actor

from .models import PRIVACY_THRESHOLD_MAX, PRIVACY_THRESHOLD_MIN, JobRole, Person, Unit, WorkingGroup

NORDIC_TIME_ZONES = [
    "Europe/Oslo",
    "Europe/Stockholm",
    "Europe/Copenhagen",
    "Europe/Helsinki",
    "Atlantic/Reykjavik",
    "Atlantic/Faroe",
    "America/Nuuk",
    "UTC",
]


class UnitForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Part of"), queryset=Unit.objects.none(), required=False, empty_label=_("(top unit)")
    )
    leader = forms.ModelChoiceField(
        label=_("Leader"), queryset=Person.objects.none(), required=False, empty_label=_("(no leader)")
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, actor: Actor, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.for_org(actor.organisation).order_by("name")
        if unit is not None:
            units = units.exclude(pk=unit.pk)
        self.fields["parent"].queryset = units  # type: ignore[attr-defined]
        self.fields["leader"].queryset = (  # type: ignore[attr-defined]
            Person.objects.for_org(actor.organisation)
            .filter(is_active=True, role__in=[Role.LEADER, Role.ADMIN])
            .order_by("full_name")
        )
        self.fields["leader"].help_text = _("Only people with the role leader or admin can lead a unit.")


class PersonForm(StyledForm):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("With an e-mail address the person can sign in after choosing a password."),
    )
    job_role = forms.ModelChoiceField(
        label=_("Job role"), queryset=JobRole.objects.none(), required=False, empty_label=_("(none)")
    )
    role = forms.ChoiceField(label=_("Role in Læra"), choices=Role.choices, initial=Role.EMPLOYEE)
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, actor: Actor, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job_role"].queryset = JobRole.objects.for_org(actor.organisation)  # type: ignore[attr-defined]
        units = Unit.objects.for_org(actor.organisation).order_by("name")
        if not actor.is_admin:
            units = units.filter(pk__in=actor.led_unit_ids)
            role_field: Any = self.fields["role"]
            role_field.choices = [
                (value, label) for value, label in Role.choices if value in (Role.EMPLOYEE, Role.EXTERNAL)
            ]
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        if creating:
            del self.fields["is_active"]
        else:
            del self.fields["units"]
            if not actor.is_admin:
                del self.fields["is_active"]
                del self.fields["role"]


class JobRoleForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AddPersonForm(StyledForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())

    def __init__(self, *args: Any, actor: Actor, exclude_ids: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.for_org(actor.organisation).filter(is_active=True).order_by("full_name")
        if exclude_ids:
            people = people.exclude(pk__in=exclude_ids)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class WorkingGroupForm(StyledForm):
    mandate = forms.CharField(
        label=_("Mandate"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "What the group is asked to do, for example: map knowledge flows and arenas, "
            "and propose a plan for learning."
        ),
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lead = forms.ModelChoiceField(
        label=_("Lead"), queryset=Person.objects.none(), required=False, empty_label=_("(not chosen)")
    )
    minute_taker = forms.ModelChoiceField(
        label=_("Minute taker"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("(not chosen)"),
        help_text=_("May rotate between meetings."),
    )

    def __init__(self, *args: Any, actor: Actor, group: WorkingGroup | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = (
            Person.objects.for_org(actor.organisation)
            .filter(working_groups__group=group)
            .order_by("full_name")
            if group is not None
            else Person.objects.none()
        )
        self.fields["lead"].queryset = members  # type: ignore[attr-defined]
        self.fields["minute_taker"].queryset = members  # type: ignore[attr-defined]


class MeetingForm(StyledForm):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    minute_taker = forms.ModelChoiceField(
        label=_("Minute taker"), queryset=Person.objects.none(), required=False, empty_label=_("(not chosen)")
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args: Any, actor: Actor, group: WorkingGroup | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = (
            Person.objects.for_org(actor.organisation)
            .filter(working_groups__group=group)
            .order_by("full_name")
            if group is not None
            else Person.objects.none()
        )
        self.fields["minute_taker"].queryset = members  # type: ignore[attr-defined]


class OrganisationSettingsForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    default_language = forms.ChoiceField(
        label=_("Default language"),
        choices=settings.LANGUAGES,
        help_text=_("Used for people who have not chosen a language themselves."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(z, z) for z in NORDIC_TIME_ZONES if z in zoneinfo.available_timezones()],
    )
    privacy_threshold = forms.IntegerField(
        label=_("Smallest group shown in reports"),
        min_value=PRIVACY_THRESHOLD_MIN,
        max_value=PRIVACY_THRESHOLD_MAX,
        required=False,  # left empty, the threshold stays as it is
        help_text=_(
            "Figures about fewer people than this are hidden in every report and export, so that no one's "
            "personal assessment can be read out of a group figure. From 1 to 50; the default is 5."
        ),
        error_messages={
            "min_value": _("Choose a number from 1 to 50."),
            "max_value": _("Choose a number from 1 to 50."),
            "invalid": _("Choose a number from 1 to 50."),
        },
    )


class PeopleImportForm(StyledForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or XLSX with the columns name, email, job_role, units and role. "
            "Units may be paths such as Office / Team."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)


class ParticipantFields(forms.Form):
    """Who takes part (see `participants.py`); `limit_participants` keeps the choices in the organisation.

    Forms that mix this in list the fields in `field_order`, as declared fields of a base class come first.
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
        label=_("Named people"), queryset=Person.objects.none(), required=False
    )
    participant_groups = forms.CharField(
        label=_("External groups"),
        max_length=300,
        required=False,
        help_text=_("For example: employers, users in the project. Separate them with commas."),
    )

    PARTICIPANT_FIELDS = [
        "participants_all",
        "participant_units",
        "participant_job_roles",
        "participant_people",
        "participant_groups",
    ]

    def limit_participants(self, actor: Actor) -> None:
        org = actor.organisation
        querysets: dict[str, Any] = {
            "participant_units": Unit.objects.for_org(org).order_by("name"),
            "participant_job_roles": JobRole.objects.for_org(org).order_by("name"),
            "participant_people": Person.objects.for_org(org).filter(is_active=True).order_by("full_name"),
        }
        for name, queryset in querysets.items():
            field: Any = self.fields[name]
            field.queryset = queryset
        self.fields["participant_people"].widget.attrs["size"] = 6
