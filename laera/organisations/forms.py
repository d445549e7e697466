"""Forms for organisation pages. Choices are always limited to the actor's organisation."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from laera.core.audit_labels import ACTION_GROUPS
from laera.core.forms import StyledForm
from laera.core.permissions import Role
from laera.core.versioning import VersionedFormMixin, VersionField
from laera.organisations.tenancy import Actor

from .models import PRIVACY_THRESHOLD_MAX, PRIVACY_THRESHOLD_MIN, JobRole, Person, Unit, WorkingGroup
from .selectors import PersonScope, UnitScope
from .widgets import PersonChoiceField, UnitMultipleChoiceField

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
    leader = PersonChoiceField(label=_("Leader"), required=False, empty_label=_("(no leader)"))
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = VersionField()

    def __init__(self, *args: Any, actor: Actor, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.for_org(actor.organisation).order_by("name")
        if unit is not None:
            units = units.exclude(pk=unit.pk)
        else:
            del self.fields["version"]  # a new unit has no saved version to compare with
        self.fields["parent"].queryset = units  # type: ignore[attr-defined]
        self.fields["leader"].offer(actor, PersonScope.LEADERS)  # type: ignore[attr-defined]
        self.fields["leader"].help_text = _("Only people with the role leader or admin can lead a unit.")


class PersonForm(StyledForm):
    """Adding or editing a person. Only admins see the e-mail address (the sign-in identity), the role and
    the activity when editing; leaders edit the name and job role."""

    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_(
            "An invitation goes to this address. The person chooses a password from the link in it, "
            "and then signs in with this address."
        ),
    )
    job_role = forms.ModelChoiceField(
        label=_("Job role"), queryset=JobRole.objects.none(), required=False, empty_label=_("(none)")
    )
    role = forms.ChoiceField(label=_("Role in Læra"), choices=Role.choices, initial=Role.EMPLOYEE)
    units = UnitMultipleChoiceField(label=_("Units"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = VersionField()

    def __init__(
        self, *args: Any, actor: Actor, creating: bool, person: Person | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job_role"].queryset = JobRole.objects.for_org(actor.organisation)  # type: ignore[attr-defined]
        if not actor.is_admin:
            role_field: Any = self.fields["role"]
            role_field.choices = [
                (value, label) for value, label in Role.choices if value in (Role.EMPLOYEE, Role.EXTERNAL)
            ]
        if creating:
            # An admin places a new person in any unit, a leader in the units they lead.
            self.fields["units"].offer(actor, UnitScope.LED)  # type: ignore[attr-defined]
            del self.fields["is_active"]
            del self.fields["version"]
            return
        del self.fields["units"]
        if not actor.is_admin:
            del self.fields["is_active"]
            del self.fields["role"]
            del self.fields["email"]
            return
        email = self.fields["email"]
        if person is not None and person.pk == actor.person.pk:
            email.disabled = True
            email.help_text = _("Change the address you sign in with on your profile page.")
        elif person is not None and person.user_id is not None:
            email.help_text = _(
                "%(name)s signs in with this address. If you change it, their account is no longer "
                "linked to this person, and an invitation goes to the new address: they get in again "
                "when they accept it."
            ) % {"name": person.full_name}
        else:
            email.help_text = _(
                "If you change the address, an invitation goes to the new address, and earlier "
                "invitations stop working."
            )


class JobRoleForm(VersionedFormMixin, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = VersionField()

    @staticmethod
    def initial_for(role: JobRole) -> dict[str, Any]:
        return {"name": role.name, "description": role.description, "version": role.version}


class AddPersonForm(StyledForm):
    person = PersonChoiceField(label=_("Person"))

    def __init__(
        self, *args: Any, actor: Actor, unit: Unit, scope: str = PersonScope.UNIT_MEMBER, **kwargs: Any
    ) -> None:
        """Someone to add to the unit (`PersonScope.UNIT_MEMBER`: for a leader, only people whose role ranks
        below theirs, and themselves — those `membership_add` lets them place) or to its working group
        (`PersonScope.GROUP_CANDIDATE`); never someone already there."""
        super().__init__(*args, **kwargs)
        self.fields["person"].offer(actor, scope, unit_id=unit.pk)  # type: ignore[attr-defined]


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
    lead = PersonChoiceField(label=_("Lead"), required=False, empty_label=_("(not chosen)"))
    minute_taker = PersonChoiceField(
        label=_("Minute taker"),
        required=False,
        empty_label=_("(not chosen)"),
        help_text=_("May rotate between meetings."),
    )
    version = VersionField()

    def __init__(self, *args: Any, actor: Actor, group: WorkingGroup | None, **kwargs: Any) -> None:
        """The lead and the minute taker are members of the group; a group not saved yet has none."""
        super().__init__(*args, **kwargs)
        unit_id = group.unit_id if group is not None else None
        for name in ("lead", "minute_taker"):
            self.fields[name].offer(actor, PersonScope.GROUP, unit_id=unit_id)  # type: ignore[attr-defined]


class MeetingForm(VersionedFormMixin, StyledForm):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    minute_taker = PersonChoiceField(label=_("Minute taker"), required=False, empty_label=_("(not chosen)"))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}))
    version = VersionField()

    def __init__(
        self, *args: Any, actor: Actor, group: WorkingGroup | None, creating: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, creating=creating, **kwargs)
        unit_id = group.unit_id if group is not None else None
        self.fields["minute_taker"].offer(actor, PersonScope.GROUP, unit_id=unit_id)  # type: ignore[attr-defined]


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
    public_url = forms.URLField(
        label=_("Public address"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_(
            "Where your people reach Læra, for example https://laera.kommune.no. The links in e-mails lead "
            "there. Left empty, they lead to the address of this installation."
        ),
        error_messages={"invalid": _("Write a whole web address, for example https://laera.kommune.no.")},
    )
    version = VersionField()


class PeopleImportForm(StyledForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or XLSX with the columns name, email, job_role, units and role. "
            "Units may be paths such as Office / Team."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)


class FilterableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrolling list with a filter box above it (core/forms/field.html, laera.js)."""

    filterable = True


class InvitationAccountForm(StyledForm):
    """Choosing a password on the invitation page; for a new account, the name too."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, new_account: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.new_account = new_account
        if not new_account:
            del self.fields["full_name"]
        help_texts = password_validation.password_validators_help_texts()
        if help_texts:
            self.fields["password1"].help_text = " ".join(help_texts)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            candidate = get_user_model()(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class AuditFilterForm(StyledForm):
    """The audit log's filters: who made the change, what kind of change, and between which dates."""

    who = PersonChoiceField(label=_("Who"), required=False, empty_label=_("Everyone"))
    what = forms.ChoiceField(label=_("What"), required=False)
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        who = self.fields["who"]
        assert isinstance(who, PersonChoiceField)
        who.offer(actor, PersonScope.ACCOUNTS)
        what = self.fields["what"]
        assert isinstance(what, forms.ChoiceField)
        what.choices = [("", _("All changes"))] + [
            (group, sorted(labels.items(), key=lambda item: str(item[1]))) for group, labels in ACTION_GROUPS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data
