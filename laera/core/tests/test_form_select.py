"""Select lists are written by Læra's form renderer in Python (laera/core/forms.py), not through Django's
option templates: the markup must stay exactly what Django's own templates give, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from laera.core.forms import SELECT_TEMPLATE, LaeraFormRenderer, StyledForm

CHOICES = [("", "–"), (1, "Første"), (2, 'Andre <b>"fet"</b>'), ("3 & 4", "Tredje & siste")]
GROUPED = [("Nord <1>", [(1, "Tromsø"), (2, "Bodø")]), ("Sør", [(3, "Kristiansand")]), (4, "Oslo")]


class SelectForm(StyledForm):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    chosen = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"data-x": 'a"b', "disabled": True})
    )
    grouped = forms.ChoiceField(choices=GROUPED, help_text="Velg én")
    many = forms.MultipleChoiceField(choices=GROUPED, required=False)
    maybe = forms.NullBooleanField(required=False)
    empty = forms.ChoiceField(choices=[], required=False)


def _both(form: forms.Form, name: str) -> tuple[str, str]:
    """The widget as Django's own templates write it and as Læra's renderer writes it."""
    bound = form[name]
    widget = bound.field.widget
    context = widget.get_context(
        bound.html_name, bound.value(), bound.build_widget_attrs({"id": bound.auto_id})
    )
    return DjangoTemplates().render(SELECT_TEMPLATE, context), LaeraFormRenderer().render(
        SELECT_TEMPLATE, context
    )


@pytest.mark.parametrize(
    "data", [None, {"plain": "2", "chosen": "3 & 4", "grouped": "3", "many": ["1", "4"], "maybe": "true"}]
)
@pytest.mark.parametrize("name", ["plain", "chosen", "grouped", "many", "maybe", "empty"])
def test_a_select_list_is_exactly_what_djangos_templates_write(data: Any, name: str) -> None:
    django_markup, ours = _both(SelectForm(data=data), name)
    assert ours == django_markup
    assert ours.startswith("<select") and ours.endswith("</select>")


def test_the_form_shows_the_same_select_lists_with_escaping_and_choices() -> None:
    html = str(SelectForm(data={"chosen": "3 & 4", "many": ["1", "4"]}))
    assert html.count("<select") == 6
    assert 'data-x="a&quot;b" disabled' in html
    assert '<option value="3 &amp; 4" selected>Tredje &amp; siste</option>' in html
    assert "Andre &lt;b&gt;&quot;fet&quot;&lt;/b&gt;" in html
    assert '<optgroup label="Nord &lt;1&gt;">' in html
    # The one chosen, the two of many, and the empty choice of plain and "Unknown" of maybe, unanswered.
    assert html.count(" selected>") == 5


def test_other_widgets_are_still_rendered_by_their_templates() -> None:
    class Other(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    form = SelectForm()
    form.fields["plain"].widget = Other(choices=CHOICES)
    with pytest.raises(ValueError, match="input_option"):
        str(form["plain"])
