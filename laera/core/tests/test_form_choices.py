"""Checkboxes and radio buttons are written by the field template itself (core/forms/field.html), not
through Django's three nested option templates per choice, which made a form with 400 units slow: the
markup must stay exactly what Django's own widgets give."""

from __future__ import annotations

from django import forms

from laera.core.forms import StyledForm


class Filterable(forms.CheckboxSelectMultiple):
    filterable = True


CHOICES = [(1, "Første"), (2, 'Andre <b>"fet"</b>'), (3, "Tredje & siste")]


class ChoiceForm(StyledForm):
    plain = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)
    filtered = forms.MultipleChoiceField(
        choices=CHOICES, widget=Filterable(attrs={"data-x": "y", "disabled": True}), required=False
    )
    one = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, help_text="Velg én")


def test_each_choice_is_the_markup_of_djangos_own_widget() -> None:
    form = ChoiceForm(data={"plain": ["2"], "filtered": ["1", "3"], "one": "3"})
    html = str(form)
    for name in ("plain", "filtered", "one"):
        choices = list(form[name])
        assert len(choices) == 3
        for choice in choices:
            tag = str(choice.tag()).strip()
            assert html.count(tag) == 1, (name, tag)
    assert html.count(" checked") == 4
    assert 'value="2" class="ds-input" id="id_plain_1" checked>' in html
    assert "Andre &lt;b&gt;&quot;fet&quot;&lt;/b&gt;" in html
    assert html.count('data-x="y" disabled') == 3
