"""The person and unit pickers: one form field for choosing people or units, whatever the size of the
organisation.

A select of everyone makes a form as large as the organisation (20,000 options, megabytes of HTML; 400 unit
checkboxes, 150 KB). The picker renders only what is already chosen, and beside it a search box:

- with JavaScript (laera.js), typing asks the field's search (`organisations:person_search` or
  `organisations:unit_search`, which offer the same as the field) for up to 15 matches, shown as buttons;
  choosing one adds it to the chosen as a hidden input of the field's own name, with a button to remove it
  (a single choice replaces the one before), and the search box itself is left out of the form;
- without it, the chosen are ticked checkboxes (radio buttons for a single choice) and the search box is
  posted with the form: the form comes back with the matches as more boxes to tick, and is not saved while
  a search it has not shown yet is in the box.

Either way the form posts what a select of the same name posted, and the field validates it against the
whole of what it offers (`offer`), so nothing else can be saved. A unit field keeps plain checkboxes while
the organisation has few units (`selectors.UNIT_CHECKBOXES_UP_TO`): a list of them is quicker to tick than
names are to search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy, ngettext_lazy

from .models import Person, Unit
from .selectors import (
    PERSON_SEARCH_LIMIT,
    UNIT_CHECKBOXES_UP_TO,
    Choice,
    Matches,
    PersonScope,
    UnitScope,
    people_matching,
    person_choice,
    person_choices,
    person_labels,
    unit_choice,
    unit_choices,
    unit_labels,
    units_matching,
)
from .tenancy import Actor

QUERY_SUFFIX = "__q"  # the search box: `<field>__q`
SHOWN_SUFFIX = "__shown"  # the search whose matches the form showed (without JavaScript)
PERSON_SEARCH_CODE = "person_search"
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
NO_ONE = gettext_lazy("(no one)")


def picker_name(value: str) -> str:
    """A field name from the search's query string, for the inputs it renders; anything else is refused."""
    return value if _NAME.match(value) else "person"


def chosen_ids(values: Any) -> set[int]:
    """The ids among posted values (one, or a list)."""
    items = values if isinstance(values, list | tuple) else [values]
    return {int(str(item)) for item in items if str(item).isdigit()}


def search_pending(form: forms.BaseForm) -> bool:
    """The form was sent with a search to show (no JavaScript), rather than to be saved."""
    return any(
        error.code == PERSON_SEARCH_CODE for errors in form.errors.as_data().values() for error in errors
    )


def search_answer(kind: PickerKind, offered: QuerySet[Any], data: Any) -> dict[str, Any]:
    """The context of a picker search's answer (organisations/widgets/picker_results.html): the matches of
    what was typed in the box of the field named `name`, leaving out those already chosen."""
    name = picker_name(data.get("name", ""))
    matches = kind.matching(offered, typed(data, name), chosen_ids(data.getlist(name)))
    return {"matches": matches, "count": kind.count(matches), "field_name": name, "id": f"id_{name}"}


def typed(data: Any, name: str) -> str:
    """What was typed in the search box of the field named `name` (or in a page's own search, `q`)."""
    return str(data.get(name + QUERY_SUFFIX, data.get("q", "")))


@dataclass(frozen=True)
class PickerKind:
    """What a picker searches (the choices of the ids chosen, the matches of a search) and the words it uses.
    The counts are plural forms counted by `count`."""

    choices: Callable[[QuerySet[Any], set[int]], list[Choice]]
    matching: Callable[[QuerySet[Any], str, set[int]], Matches]
    search_label: Any
    nothing_chosen: Any
    noscript_hint: Any
    too_short: Any
    none_found: Any
    more_found: Any
    found: Any
    choose_found: Any
    none_found_for: Any

    def count(self, matches: Matches) -> str:
        """How many the search found, announced above the matches."""
        if matches.too_short:
            return str(self.too_short)
        if not matches.found:
            return str(self.none_found)
        if matches.more:
            return str(self.more_found % {"count": PERSON_SEARCH_LIMIT})
        return str(self.found % {"count": len(matches.found)})

    def refusal(self, matches: Matches) -> str:
        """Why a form without JavaScript is shown again instead of saved: the matches of its search."""
        if matches.too_short:
            return str(self.too_short)
        message = self.choose_found if matches.found else self.none_found_for
        return str(message) % {"query": matches.query}


PERSON = PickerKind(
    choices=lambda queryset, ids: [person_choice(row) for row in person_labels(queryset.filter(pk__in=ids))],
    matching=lambda queryset, query, exclude: people_matching(queryset, query, exclude=exclude),
    search_label=gettext_lazy("Search by name or e-mail"),
    nothing_chosen=gettext_lazy("No one is chosen."),
    noscript_hint=gettext_lazy(
        "Type part of a name and press Enter: the form comes back with the people found, to choose from."
    ),
    too_short=gettext_lazy("Type at least two letters of the name."),
    none_found=gettext_lazy("No one matches."),
    more_found=ngettext_lazy(
        "More than %(count)s person found: type more of the name.",
        "More than %(count)s people found: type more of the name.",
        "count",
    ),
    found=ngettext_lazy("%(count)s person found", "%(count)s people found", "count"),
    choose_found=gettext_lazy("Choose from the people found for “%(query)s”."),
    none_found_for=gettext_lazy("No one matches “%(query)s”."),
)
UNIT = PickerKind(
    choices=lambda queryset, ids: [unit_choice(row) for row in unit_labels(queryset.filter(pk__in=ids))],
    matching=lambda queryset, query, exclude: units_matching(queryset, query, exclude=exclude),
    search_label=gettext_lazy("Search by the unit's name"),
    nothing_chosen=gettext_lazy("No unit is chosen."),
    noscript_hint=gettext_lazy(
        "Type part of a unit's name and press Enter: the form comes back with the units found, "
        "to choose from."
    ),
    too_short=gettext_lazy("Type at least two letters of the unit's name."),
    none_found=gettext_lazy("No unit matches."),
    more_found=ngettext_lazy(
        "More than %(count)s unit found: type more of the name.",
        "More than %(count)s units found: type more of the name.",
        "count",
    ),
    found=ngettext_lazy("%(count)s unit found", "%(count)s units found", "count"),
    choose_found=gettext_lazy("Choose from the units found for “%(query)s”."),
    none_found_for=gettext_lazy("No unit matches “%(query)s”."),
)


class Picker(forms.Widget):
    """What is chosen, a search box and its matches (organisations/widgets/picker.html)."""

    template_name = "organisations/widgets/picker.html"
    in_fieldset = True  # core/forms/field.html puts it in a fieldset, the field's label as the legend
    multiple = False
    kind: PickerKind = PERSON

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices: Any = ()  # the field's ModelChoiceIterator: only its queryset is read
        self.search_url = ""
        self.search_params: dict[str, Any] = {}
        self.empty_label: str | None = None
        self.query = ""
        self.shown = ""
        self.matches: Matches | None = None

    @property
    def pending(self) -> bool:
        """A search was typed that the form has not shown the matches of."""
        return bool(self.query) and self.query != self.shown

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # the search box is not the value: `required` on it would block a form without a name

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        self.query = " ".join(str(data.get(name + QUERY_SUFFIX) or "").split())
        self.shown = " ".join(str(data.get(name + SHOWN_SUFFIX) or "").split())
        if self.multiple:
            getlist = getattr(data, "getlist", None)
            return getlist(name) if getlist is not None else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False if self.multiple else name not in data

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(item) for item in values if item not in (None, "")]

    def search(self, value: Any) -> Matches:
        """The matches of the typed search among what the field offers, leaving out those chosen."""
        if self.matches is None or self.matches.query != self.query:
            self.matches = self.kind.matching(self._offered(), self.query, chosen_ids(value))
        return self.matches

    def _offered(self) -> Any:
        queryset = getattr(self.choices, "queryset", None)
        return queryset if queryset is not None else Person.objects.none()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        ids = chosen_ids(widget["value"])
        chosen = self.kind.choices(self._offered(), ids) if ids else []
        matches = self.search(widget["value"]) if self.query else None
        widget.update(
            id=widget["attrs"].get("id") or f"id_{name}",
            kind=self.kind,
            multiple=self.multiple,
            input_type="checkbox" if self.multiple else "radio",
            chosen=chosen,
            query=self.query if matches is not None else "",
            matches=matches,
            count=self.kind.count(matches) if matches is not None else "",
            offer_none=not self.multiple
            and not self.is_required
            and bool(chosen or (matches and matches.found)),
            empty_label=self.empty_label or NO_ONE,
            search_url=f"{self.search_url}?{urlencode({**self.search_params, 'name': name})}"
            if self.search_url
            else "",
        )
        return context


class PersonPicker(Picker):
    pass


class PersonMultiplePicker(Picker):
    multiple = True


class UnitMultiplePicker(Picker):
    multiple = True
    kind = UNIT


def _offer(field: forms.ModelChoiceField, actor: Actor, scope: str, unit_id: int | None) -> None:
    field.queryset = person_choices(actor, scope, unit_id=unit_id)
    widget: Any = field.widget
    widget.search_url = reverse("organisations:person_search", kwargs={"org_slug": actor.organisation.slug})
    widget.search_params = {"field": str(scope), **({"unit": unit_id} if unit_id is not None else {})}


def _refuse_pending(field: forms.ModelChoiceField, value: Any) -> None:
    """A search typed without JavaScript: show its matches instead of saving."""
    widget: Any = field.widget
    if not isinstance(widget, Picker) or not widget.pending:
        return
    raise forms.ValidationError(widget.kind.refusal(widget.search(value)), code=PERSON_SEARCH_CODE)


class PersonChoiceField(forms.ModelChoiceField):
    """One person: renders the chosen one and a search, validates against everyone `offer` gives."""

    widget = PersonPicker

    def __init__(self, *, empty_label: Any = NO_ONE, **kwargs: Any) -> None:
        super().__init__(queryset=Person.objects.none(), empty_label=empty_label, **kwargs)
        widget: Any = self.widget
        widget.empty_label = empty_label

    def offer(self, actor: Actor, scope: str = PersonScope.ACTIVE, *, unit_id: int | None = None) -> None:
        """Offer the people of `scope` (`selectors.PersonScope`), to choose and to search."""
        _offer(self, actor, scope, unit_id)

    def clean(self, value: Any) -> Any:
        _refuse_pending(self, value)
        return super().clean(value)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Any number of people: renders those chosen and a search, validates against everyone `offer` gives."""

    widget = PersonMultiplePicker

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Person.objects.none(), **kwargs)

    def offer(self, actor: Actor, scope: str = PersonScope.ACTIVE, *, unit_id: int | None = None) -> None:
        """Offer the people of `scope` (`selectors.PersonScope`), to choose and to search."""
        _offer(self, actor, scope, unit_id)

    def clean(self, value: Any) -> Any:
        _refuse_pending(self, value)
        return super().clean(value)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Any number of units: a checkbox each in a small organisation, the unit picker in a larger one;
    validates against every unit `offer` gives."""

    widget: type[forms.Widget] | forms.Widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Unit.objects.none(), **kwargs)

    def offer(self, actor: Actor, scope: str = UnitScope.ALL) -> None:
        """Offer the units of `scope` (`selectors.UnitScope`): as checkboxes while there are at most
        `UNIT_CHECKBOXES_UP_TO` of them, otherwise to search."""
        units = unit_choices(actor, scope)
        if len(units[: UNIT_CHECKBOXES_UP_TO + 1].values_list("pk", flat=True)) > UNIT_CHECKBOXES_UP_TO:
            picker = UnitMultiplePicker(attrs=self.widget.attrs)
            picker.search_url = reverse(
                "organisations:unit_search", kwargs={"org_slug": actor.organisation.slug}
            )
            picker.search_params = {"field": str(scope)}
            picker.is_required = self.required
            self.widget = picker
        self.queryset = units

    def clean(self, value: Any) -> Any:
        _refuse_pending(self, value)
        return super().clean(value)
