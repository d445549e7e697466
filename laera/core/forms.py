"""Form rendering in Designsystemet's markup and the shared text rules, used by every form in Læra."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.forms.renderers import DjangoTemplates
from django.forms.utils import pretty_name
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .errors import ServiceError
from .limits import LINE_MAX_LENGTH, LONG_TEXT_MAX_LENGTH, SECRET_MAX_LENGTH, TextRulesValidator


class LaeraFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        # A select list is written here, exactly as Django's templates write it (test_form_select.py): they
        # include a template per option and another for each option's attributes, which made a matrix of
        # 80 select lists take most of its page's time.
        if template_name == SELECT_TEMPLATE:
            return select_markup(context["widget"])
        return super().render(template_name, context, request)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_markup(widget: dict[str, Any]) -> str:
    """Django's widgets/select.html with its select_option.html, for the context a Select widget gives."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION_TEMPLATE:
                raise ValueError(f"A select list of options written by {option['template_name']}")
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the template's last line break
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


# Text fields that keep validation of their own: an e-mail address has its rules, a UUID or JSON field
# holds a value that is not text once read.
TEXT_RULES_EXEMPT: tuple[type[forms.Field], ...] = (forms.EmailField, forms.UUIDField, forms.JSONField)


def text_rules_apply(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field, TEXT_RULES_EXEMPT)


def apply_text_rules(form: forms.BaseForm) -> None:
    """Give every text field of `form` the shared text rules (`laera.core.limits`) and a maximum length.

    A Textarea (multi-line: tab and line breaks allowed) without a length of its own gets the long-text
    ceiling, a password field the pass-phrase ceiling, any other single-line field the line ceiling.
    Applied when the form is made and again before it is cleaned, so fields added later count too.
    """
    for name, field in form.fields.items():
        if not text_rules_apply(field) or any(isinstance(v, TextRulesValidator) for v in field.validators):
            continue
        assert isinstance(field, forms.CharField)
        multiline = isinstance(field.widget, forms.Textarea)
        secret = isinstance(field.widget, forms.PasswordInput)
        if field.max_length is None:
            limit = LONG_TEXT_MAX_LENGTH if multiline else SECRET_MAX_LENGTH if secret else LINE_MAX_LENGTH
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(limit))
        label = field.label or pretty_name(name)
        # The shared rules refuse NUL too, with a message that names the field.
        field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        field.validators.append(TextRulesValidator(field=label, multiline=multiline, secret=secret))


class TextRulesMixin:
    """The shared text rules and limits on every text field of the form (see `apply_text_rules`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apply_text_rules(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        apply_text_rules(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]


class TextRulesForm(TextRulesMixin, forms.Form):
    """A form that renders its own markup but keeps the shared text rules."""


class StyledFormMixin(TextRulesMixin):
    """Adds Designsystemet's classes to every widget of the form, and the shared text rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.widget.attrs.setdefault("class", "ds-input")


class StyledForm(StyledFormMixin, forms.Form):
    pass


def apply_service(form: forms.BaseForm, call: Any) -> Any:
    """Run a service for a valid form; a ServiceError becomes a form error and the call returns None.

    The service's transaction has rolled back by then, so nothing is half-saved.
    """
    try:
        return call()
    except ServiceError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
