"""Form rendering in Designsystemet's markup, used by every form in Læra."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates


class LaeraFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class StyledFormMixin:
    """Adds Designsystemet's classes to every widget of the form."""

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
    from .errors import ServiceError

    try:
        return call()
    except ServiceError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
