"""Forms for the catalogue, its scale, areas, competences, import and the requirement matrix."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from laera.core.forms import StyledForm, TextRulesForm
from laera.core.nkr import Category
from laera.core.permissions import Role
from laera.core.versioning import VersionedFormMixin, VersionField
from laera.organisations.models import JobRole, Unit
from laera.organisations.tenancy import Actor

from ..catalogue_templates import TEMPLATES
from ..models import Area, Catalogue, Competence, Importance, NkrLevel, Requirement, ScaleLevel
from ..scale import LANGUAGE_CODES
from ..services.catalogues import CompetenceInput, RequirementRow, ScaleInput

BLANK = ""


class CatalogueForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = VersionField()

    @staticmethod
    def initial_for(catalogue: Catalogue) -> dict[str, Any]:
        return {"name": catalogue.name, "description": catalogue.description, "version": catalogue.version}


def template_choices() -> list[tuple[str, Any]]:
    return [(BLANK, _("Blank: start with an empty catalogue"))] + [
        (key, template.name) for key, template in TEMPLATES.items()
    ]


class CatalogueCreateForm(StyledForm):
    template = forms.ChoiceField(
        label=_("Start from"), choices=(), required=False, widget=forms.RadioSelect, initial=BLANK
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the template's name."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the template's texts"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The areas and competences of a template are written in this language."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = template_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("template") and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the catalogue a name, or choose a template."))
        return data


class AreaForm(VersionedFormMixin, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = VersionField()

    @staticmethod
    def initial_for(area: Area) -> dict[str, Any]:
        return {"name": area.name, "description": area.description, "version": area.version}


def nkr_choices() -> list[tuple[str, Any]]:
    return [(BLANK, _("(none)")), *NkrLevel.choices]


class CompetenceForm(VersionedFormMixin, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.KNOWLEDGE)
    nkr_level = forms.ChoiceField(
        label=_("NKR level"),
        choices=nkr_choices,
        required=False,
        help_text=_("The level in the Norwegian qualifications framework, if the competence has one."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = VersionField()

    def __init__(self, *args: Any, catalogue: Catalogue, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, creating=creating, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(catalogue=catalogue)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(competence: Competence) -> dict[str, Any]:
        return {
            "name": competence.name,
            "area": competence.area_id,
            "category": competence.category,
            "nkr_level": competence.nkr_level,
            "description": competence.description,
            "version": competence.version,
        }

    def to_input(self) -> CompetenceInput:
        d = self.cleaned_data
        return CompetenceInput(
            name=d["name"],
            description=d["description"],
            category=d["category"],
            nkr_level=d["nkr_level"] or "",
        )


class InlineCompetenceForm(CompetenceForm):
    """The short "add competence" form under each area of the catalogue page."""

    def __init__(self, *args: Any, catalogue: Catalogue, area: Area, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"area{area.pk}-%s")
        kwargs.setdefault("initial", {"area": area.pk, "category": Category.KNOWLEDGE})
        super().__init__(*args, catalogue=catalogue, creating=True, **kwargs)
        self.fields["area"].widget = forms.HiddenInput()
        del self.fields["description"]
        self.fields["nkr_level"].help_text = ""


class CatalogueImportForm(StyledForm):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ScaleForm(TextRulesForm):
    """One label input per step and language, the proficient step, and adding or removing the top step.

    Its version is the scale's own (`Catalogue.scale_version`)."""

    version = VersionField()

    def __init__(self, *args: Any, catalogue: Catalogue, levels: list[ScaleLevel], **kwargs: Any) -> None:
        initial: dict[str, Any] = {
            "proficient_level": catalogue.proficient_level,
            "version": catalogue.scale_version,
        }
        for level in levels:
            for code in LANGUAGE_CODES:
                initial[f"label_{level.value}_{code}"] = getattr(level, f"label_{code}")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.levels = levels
        names = dict(settings.LANGUAGES)
        for level in levels:
            for code in LANGUAGE_CODES:
                self.fields[f"label_{level.value}_{code}"] = forms.CharField(
                    label=_("Step %(step)s, %(language)s") % {"step": level.value, "language": names[code]},
                    max_length=100,
                    widget=forms.TextInput(attrs={"class": "ds-input", "lang": code}),
                )
        self.fields["proficient_level"] = forms.TypedChoiceField(
            label=_("Proficient step"),
            choices=[(level.value, str(level.value)) for level in levels if level.value > 0],
            coerce=int,
            widget=forms.RadioSelect,
        )

    def rows(self) -> list[dict[str, Any]]:
        """For the template: each step with its five label fields and its proficient radio button."""
        radios = {int(choice.data["value"]): choice for choice in self["proficient_level"]}
        return [
            {
                "level": level,
                "fields": [self[f"label_{level.value}_{code}"] for code in LANGUAGE_CODES],
                "radio": radios.get(level.value),
            }
            for level in self.levels
        ]

    def to_input(self, *, add_step: bool = False, remove_top_step: bool = False) -> ScaleInput:
        d = self.cleaned_data
        return ScaleInput(
            labels={
                level.value: {code: d[f"label_{level.value}_{code}"] for code in LANGUAGE_CODES}
                for level in self.levels
            },
            proficient_level=d["proficient_level"],
            add_step=add_step,
            remove_top_step=remove_top_step,
        )


class ProfileForm(forms.Form):
    """Which job role and/or unit the requirement matrix shows (a GET form)."""

    job_role = forms.ModelChoiceField(
        label=_("Job role"), queryset=JobRole.objects.none(), required=False, empty_label=_("(any job role)")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("(any unit)")
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")
        self.fields["job_role"].queryset = JobRole.objects.for_org(actor.organisation).order_by("name")  # type: ignore[attr-defined]
        units = Unit.objects.for_org(actor.organisation).order_by("name")
        if actor.role == Role.LEADER:
            # Leaders pick among the units they lead: those are the requirements they set.
            units = units.filter(pk__in=actor.led_unit_ids)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class RequirementMatrixForm(forms.Form):
    """Level, importance, later level and its date for every competence of the catalogue.

    Its version is the catalogue's requirements version (`Catalogue.requirements_version`)."""

    version = VersionField()

    def __init__(
        self,
        *args: Any,
        catalogue: Catalogue,
        competences: list[Competence],
        levels: list[ScaleLevel],
        existing: dict[int, Requirement],
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {"version": catalogue.requirements_version}
        for competence in competences:
            found = existing.get(competence.pk)
            initial[f"level_{competence.pk}"] = found.level if found else 0
            initial[f"importance_{competence.pk}"] = found.importance if found else Importance.IMPORTANT
            initial[f"future_level_{competence.pk}"] = (
                found.future_level if found and found.future_level is not None else ""
            )
            initial[f"future_by_{competence.pk}"] = found.future_by if found else None
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.competences = competences
        self.names = {c.pk: c.name for c in competences}
        steps = [(level.value, f"{level.value} {level.label}") for level in levels]
        for competence in competences:
            pk = competence.pk
            self.fields[f"level_{pk}"] = forms.TypedChoiceField(
                label=_("Level needed now"), choices=steps, coerce=int
            )
            self.fields[f"importance_{pk}"] = forms.ChoiceField(
                label=_("Importance"), choices=Importance.choices
            )
            self.fields[f"future_level_{pk}"] = forms.TypedChoiceField(
                label=_("Level needed later"),
                choices=[(BLANK, _("(same)")), *steps],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"future_by_{pk}"] = forms.DateField(
                label=_("Needed by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for competence in self.competences:
            pk = competence.pk
            later, by = data.get(f"future_level_{pk}"), data.get(f"future_by_{pk}")
            if later is not None and by is None:
                self.add_error(f"future_by_{pk}", _("Say by when the later level is needed."))
            if by is not None and later is None:
                self.add_error(f"future_level_{pk}", _("Say which level is needed by that date."))
        return data

    def conflict_label(self, name: str, field: forms.Field) -> str:
        """A field named with its competence, for the list of what someone else saved."""
        competence = self.names.get(int(name.rsplit("_", 1)[1]), "")
        return f"{competence}: {field.label}"

    def bound_rows(self) -> dict[int, list[Any]]:
        """{competence id: [level, importance, later level, needed by]} bound fields, for the template."""
        return {
            c.pk: [self[f"{name}_{c.pk}"] for name in ("level", "importance", "future_level", "future_by")]
            for c in self.competences
        }

    def to_rows(self) -> list[RequirementRow]:
        d = self.cleaned_data
        return [
            RequirementRow(
                competence=c,
                level=d[f"level_{c.pk}"],
                importance=d[f"importance_{c.pk}"],
                future_level=d[f"future_level_{c.pk}"],
                future_by=d[f"future_by_{c.pk}"],
            )
            for c in self.competences
        ]
