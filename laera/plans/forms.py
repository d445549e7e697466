"""Forms for plans, themes, learning outcomes and activities; choices limited to the actor's organisation."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laera.core import nkr
from laera.core.forms import StyledForm
from laera.core.versioning import VersionedFormMixin, VersionField
from laera.mapping.models import Arena, Method, Recurrence
from laera.organisations.models import Unit
from laera.organisations.participants.forms import ParticipantFields
from laera.organisations.tenancy import Actor
from laera.organisations.widgets import PersonChoiceField

from .models import Activity, Outcome, OutcomeCategory, Plan, Theme, TimeKind
from .services import ActivityInput, PlanInput


class PlanForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example: Spring 2015"))
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("The heading of the plan document. Left empty, Læra writes one."),
    )
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    evaluation_on = forms.DateField(
        label=_("Evaluation"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the plan is evaluated with those affected."),
    )
    language = forms.ChoiceField(label=_("Language of the plan"), choices=settings.LANGUAGES)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    version = VersionField()

    def __init__(
        self, *args: Any, actor: Actor, editing: bool = False, copying: bool = False, **kwargs: Any
    ) -> None:
        """`editing` a saved plan: its unit stays and its version is compared; `copying` one into a new
        plan: its unit stays and there is no version yet; neither: a new plan in a unit to choose."""
        super().__init__(*args, **kwargs)
        if copying or not editing:
            del self.fields["version"]
        field: Any = self.fields["unit"]
        field.queryset = (
            Unit.objects.for_org(actor.organisation)
            .filter(pk__in=actor.coordinated_unit_ids)
            .order_by("name")
        )
        if editing or copying:
            del self.fields["unit"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data

    def to_input(self) -> PlanInput:
        d = self.cleaned_data
        return PlanInput(
            name=d["name"],
            title=d["title"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            evaluation_on=d["evaluation_on"],
            language=d["language"],
            introduction=d["introduction"],
        )

    @staticmethod
    def initial_for(plan: Plan) -> dict[str, Any]:
        return {
            "name": plan.name,
            "title": plan.title,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "evaluation_on": plan.evaluation_on,
            "language": plan.language,
            "introduction": plan.introduction,
            "version": plan.version,
        }


class ThemeForm(VersionedFormMixin, StyledForm):
    title = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    why = forms.CharField(
        label=_("Why this theme"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who proposed it, which steering signal or gap it answers."),
    )
    version = VersionField()

    @staticmethod
    def initial_for(theme: Theme) -> dict[str, Any]:
        return {
            "title": theme.title,
            "description": theme.description,
            "why": theme.why,
            "version": theme.version,
        }


class OutcomeForm(VersionedFormMixin, StyledForm):
    category = forms.ChoiceField(
        label=_("Category"), choices=OutcomeCategory.choices, widget=forms.RadioSelect
    )
    verb = forms.ChoiceField(
        label=_("Depth"),
        required=False,
        help_text=_("The verb from the qualifications framework that says how deep the learning goes."),
    )
    text = forms.CharField(
        label=_("Learning outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What a person knows, can do or is able to do after learning it. With a depth chosen and "
            "no verb from the qualifications framework in the text, the depth's opening is put in front "
            "when you save."
        ),
    )
    version = VersionField()

    def __init__(self, *args: Any, language: str, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, creating=creating, **kwargs)
        self.language = language
        verb_field: Any = self.fields["verb"]
        verb_field.choices = [("", _("(not chosen)"))] + [
            (str(label), nkr.choices(value, language)) for value, label in OutcomeCategory.choices
        ]
        # For plans/outcomes.js: each depth's opening in the plan's language, and its category, so that
        # choosing a depth fills an empty text and the matching category without a round trip.
        verbs = [verb for value, _label in OutcomeCategory.choices for verb in nkr.verbs_for(value)]
        verb_field.widget.attrs.update(
            {
                "data-nkr-openings": json.dumps(
                    {verb.key: verb.suggested(language) for verb in verbs}, ensure_ascii=False
                ),
                "data-nkr-categories": json.dumps({verb.key: verb.category for verb in verbs}),
                "data-nkr-text": self.add_prefix("text"),
                "data-nkr-category": self.add_prefix("category"),
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        verb, category = data.get("verb"), data.get("category")
        found = nkr.get_verb(verb) if verb else None
        if found is not None and category and found.category != category:
            self.add_error("verb", _("This depth belongs to another category than the one chosen."))
        return data

    @staticmethod
    def initial_for(outcome: Outcome) -> dict[str, Any]:
        return {
            "text": outcome.text,
            "category": outcome.category,
            "verb": outcome.verb,
            "version": outcome.version,
        }

    def openings(self) -> list[tuple[str, list[str]]]:
        """The suggested openings of each category in the plan's language, for the editor to show."""
        return [
            (str(label), nkr.suggestions(value, self.language)) for value, label in OutcomeCategory.choices
        ]


def parse_dates(text: str) -> list[datetime.date]:
    """Dates written as 2015-04-22 or 22.04.2015, separated by commas, spaces or "and"/"or"."""
    found: list[datetime.date] = []
    for token in re.split(r"[,\s;]+", text.strip()):
        if not token or token.lower() in {"og", "eller", "and", "or", "och"}:
            continue
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                found.append(datetime.datetime.strptime(token, pattern).date())  # noqa: DTZ007
                break
            except ValueError:
                continue
        else:
            raise forms.ValidationError(
                _("%(value)s is not a date. Write dates as 2015-04-22 or 22.04.2015."),
                params={"value": token},
            )
    return found


class ActivityForm(VersionedFormMixin, StyledForm, ParticipantFields):
    arena = forms.ModelChoiceField(
        label=_("Arena"), queryset=Arena.objects.none(), required=False, empty_label=_("(another place)")
    )
    place = forms.CharField(
        label=_("Other place"),
        max_length=200,
        required=False,
        help_text=_("When the arena is not mapped, e.g. E-arena or a college."),
    )
    method = forms.ModelChoiceField(
        label=_("Pedagogical method"),
        queryset=Method.objects.none(),
        required=False,
        empty_label=_("(not chosen)"),
    )
    method_detail = forms.CharField(
        label=_("Method, in the plan's words"),
        max_length=200,
        required=False,
        help_text=_("For example: Lecture by the college"),
    )
    responsible = PersonChoiceField(
        label=_("Responsible or presenter"), required=False, empty_label=_("(no one in the organisation)")
    )
    responsible_external = forms.CharField(
        label=_("Responsible outside the organisation"), max_length=200, required=False
    )
    participants_text = forms.CharField(
        label=_("Participants, in the plan's words"), max_length=300, required=False
    )
    time_kind = forms.ChoiceField(label=_("Time"), choices=TimeKind.choices, widget=forms.RadioSelect)
    dates = forms.CharField(
        label=_("Date or dates"), required=False, help_text=_("For example: 2015-04-22, 2015-04-23")
    )
    dates_are_alternatives = forms.BooleanField(
        label=_("The dates are alternatives (one or the other)"), required=False
    )
    recurrence = forms.ChoiceField(
        label=_("How often"), choices=[("", "—"), *Recurrence.choices], required=False
    )
    times_per_year = forms.IntegerField(label=_("Times a year"), min_value=1, max_value=12, required=False)
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    trigger = forms.CharField(
        label=_("When this happens"),
        max_length=200,
        required=False,
        help_text=_("For example: a new employee starts"),
    )
    time_text = forms.CharField(
        label=_("Time, in the plan's words"),
        max_length=200,
        required=False,
        help_text=_("Shown in the plan instead of the generated text, e.g. 22. og 23. april"),
    )
    time_checked = forms.BooleanField(
        label=_("The time is checked and right for this plan"),
        required=False,
        help_text=_("The time came from the plan this one was copied from."),
    )
    mandatory = forms.BooleanField(label=_("Mandatory"), required=False)
    open_to_others = forms.BooleanField(label=_("Open to other teams"), required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=6, decimal_places=1, required=False)
    cost = forms.DecimalField(label=_("Cost"), min_value=0, max_digits=10, decimal_places=2, required=False)
    version = VersionField()

    field_order = [
        "arena",
        "place",
        "method",
        "method_detail",
        "responsible",
        "responsible_external",
        *ParticipantFields.PARTICIPANT_FIELDS,
        "participants_text",
    ]

    def __init__(
        self,
        *args: Any,
        actor: Actor,
        creating: bool = False,
        time_to_check: bool = False,
        **kwargs: Any,
    ) -> None:
        """`time_to_check`: the activity carries a time copied from an earlier plan, and the form offers
        to say it is right."""
        super().__init__(*args, creating=creating, **kwargs)
        if not time_to_check:
            del self.fields["time_checked"]
        self.limit_participants(actor)
        self.fields["responsible"].offer(actor)  # type: ignore[attr-defined]
        org = actor.organisation
        querysets: dict[str, Any] = {
            "arena": Arena.objects.for_org(org).filter(archived_at__isnull=True).order_by("name"),
            "method": Method.objects.for_org(org).filter(is_hidden=False),
        }
        for name, queryset in querysets.items():
            field: Any = self.fields[name]
            field.queryset = queryset
        method_field: Any = self.fields["method"]
        method_field.label_from_instance = lambda m: m.display_name

    def clean_dates(self) -> list[datetime.date]:
        return parse_dates(self.cleaned_data.get("dates", ""))

    def to_input(self) -> ActivityInput:
        d = self.cleaned_data
        return ActivityInput(
            arena=d["arena"],
            place=d["place"],
            method=d["method"],
            method_detail=d["method_detail"],
            responsible=d["responsible"],
            responsible_external=d["responsible_external"],
            participants_text=d["participants_text"],
            time_kind=d["time_kind"],
            dates=d["dates"],
            dates_are_alternatives=d["dates_are_alternatives"],
            recurrence=d["recurrence"],
            times_per_year=d["times_per_year"],
            deadline=d["deadline"],
            trigger=d["trigger"],
            time_text=d["time_text"],
            time_checked=bool(d.get("time_checked")),
            mandatory=d["mandatory"],
            open_to_others=d["open_to_others"],
            capacity=d["capacity"],
            hours=d["hours"],
            cost=d["cost"],
            **self.cleaned_participants(),
        )

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        return {
            "arena": activity.arena,
            "place": activity.place,
            "method": activity.method,
            "method_detail": activity.method_detail,
            "responsible": activity.responsible,
            "responsible_external": activity.responsible_external,
            **ActivityForm.initial_participants(activity),
            "participants_text": activity.participants_text,
            "time_kind": activity.time_kind,
            "dates": ", ".join(activity.dates),
            "dates_are_alternatives": activity.dates_are_alternatives,
            "recurrence": activity.recurrence,
            "times_per_year": activity.times_per_year,
            "deadline": activity.deadline,
            "trigger": activity.trigger,
            "time_text": activity.time_text,
            "mandatory": activity.mandatory,
            "open_to_others": activity.open_to_others,
            "capacity": activity.capacity,
            "hours": activity.hours,
            "cost": activity.cost,
            "version": activity.version,
        }


class SendForCommentsForm(StyledForm):
    comments_until = forms.DateField(
        label=_("Comments until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day readers can comment. It must be after today."),
    )
    comments_message = forms.CharField(
        label=_("Message to readers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown at the top of the plan, e.g. what you would most like comments on."),
    )
    version = VersionField()

    def clean_comments_until(self) -> datetime.date:
        until: datetime.date = self.cleaned_data["comments_until"]
        if until <= timezone.localdate():
            raise forms.ValidationError(_("The deadline for comments must be after today."))
        return until

    @staticmethod
    def initial_for(plan: Plan) -> dict[str, Any]:
        # A plan not yet sent out gets a proposed deadline two weeks ahead, which the sender can change.
        proposed = timezone.localdate() + datetime.timedelta(days=14)
        return {
            "comments_until": plan.comments_until or proposed,
            "comments_message": plan.comments_message,
            "version": plan.version,
        }


class CommentForm(StyledForm):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))
