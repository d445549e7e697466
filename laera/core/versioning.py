"""No lost updates: every object edited in a form carries a version.

A form is opened with the object's `version` in a hidden field; the service locks the row, compares, and
refuses a save made from an older version — or from no version at all — with `ConflictError`, which
carries the saved object so the page can show what the other person wrote. A successful save adds one.

    form field:  version = VersionField()
    service:     locked = Model.objects.select_for_update().get(pk=obj.pk)
                 check_version(locked, version, _("unit"))
                 ... change locked ...
                 bump(locked); locked.save()
    view:        saved, conflict = save_versioned(form, lambda: service(..., version=d["version"]),
                                                  reload=..., fresh=lambda current: Form(initial=...))

Only the operator — no actor: the command line, the demo loader — may skip the check, by passing
`version=None` to a service that uses `check_version_as`; a person's save never skips it.

On a refusal the view re-renders the form with what the person sent, shows what is saved now where it
differs (`Conflict.values`), and re-binds the form to the saved version, so that saving again is a
deliberate choice to replace the other person's work.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ServiceError

T = TypeVar("T")


class VersionedModel(models.Model):
    """A row edited in forms: `version` goes up by one on every save made through a service."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class ConflictError(ServiceError):
    """Someone else saved the same object after this form was opened, or the form sent no version.

    `current` is the object as it is saved now, for the page to show beside the refused change, and
    `version` its saved version, for the form to be re-bound to.
    """

    def __init__(self, message: str, *, current: Any = None, version: int | None = None) -> None:
        super().__init__(message)
        self.current = current
        self.version = version if version is not None else getattr(current, "version", None)


def check_version(obj: Any, version: int | None, what: str, *, field: str = "version") -> None:
    """Refuse a save unless `version` is the saved one. `obj` should be locked (select_for_update).

    `what` names the object in the user's language ("unit", "working group"); `field` is the column
    that holds the version, for objects with more than one (a catalogue's scale and requirements).
    """
    saved = getattr(obj, field)
    if version is None:
        raise ConflictError(
            _(
                "This form was sent without the version of the %(what)s it changes, so it could "
                "overwrite someone else's work. The saved %(what)s is shown; make your change again."
            )
            % {"what": what},
            current=obj,
            version=saved,
        )
    if saved != version:
        raise ConflictError(
            _(
                "Someone else saved this %(what)s while you were editing it. Their version is shown; "
                "make your change again on top of it."
            )
            % {"what": what},
            current=obj,
            version=saved,
        )


def check_version_as(
    actor: object | None, obj: Any, version: int | None, what: str, *, field: str = "version"
) -> None:
    """`check_version` for a service the operator calls too (the command line, the demo loader, data
    set up in tests): with no actor, `version=None` says explicitly that there is no form to compare
    with, and the check is skipped. A person's save (an actor) is always checked."""
    if actor is None and version is None:
        return
    check_version(obj, version, what, field=field)


def bump(obj: Any, field: str = "version") -> None:
    """Count a save; call before `save()`."""
    setattr(obj, field, (getattr(obj, field) or 0) + 1)


_MISSING = gettext_lazy(
    "The form was sent without the version it was opened with, so saving it could overwrite someone "
    "else's work. What is saved now is shown; check it and save again."
)


class VersionedFormMixin:
    """For a form that both adds and edits: made with `creating=True` (a new object, which has no saved
    version yet), it leaves out the hidden `version`. Put it before the form class in the bases."""

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            form: Any = self
            form.fields.pop("version", None)


class VersionField(forms.IntegerField):
    """The hidden version every editing form carries. Required: a form without it is refused."""

    default_error_messages = {"required": _MISSING, "invalid": _MISSING, "min_value": _MISSING}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", True)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


# Views ----------------------------------------------------------------------------------------------


@dataclass
class Conflict:
    """A save refused for its version: the message, the object as saved now and its version, and the
    form's fields where what is saved differs from what was sent, as (label, saved value as text)."""

    message: str
    current: Any
    version: int | None
    values: list[tuple[str, str]] = field(default_factory=list)


def rebind_version(form: forms.BaseForm, version: int | None) -> None:
    """Put the saved version into the bound form, so the page offers to save on top of it."""
    if version is None:
        return
    sent: Any = form.data
    data = sent.copy() if hasattr(sent, "copy") else dict(sent)  # a QueryDict's copy can be changed
    data[form.add_prefix("version")] = str(version)
    form.data = data


def version_error(form: forms.BaseForm) -> str:
    """Why the form's version was refused (none sent, or not a number), as one message."""
    return " ".join(str(message) for message in form.errors.get("version", []))


def _raw(value: Any) -> Any:
    """A field's value as the text a browser would send, to compare what was sent with what is saved."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted(str(_raw(item)) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    text = str(value).replace("\r\n", "\n").strip()
    try:
        return str(Decimal(text).normalize()) if text and any(c.isdigit() for c in text) else text
    except ArithmeticError:
        return text


def _python(field: forms.Field, value: Any) -> Any:
    """An initial value (an object, an id, a text) as the field cleans it, for showing."""
    if value is None:
        return None
    try:
        return field.clean(field.prepare_value(value))
    except (forms.ValidationError, TypeError, ValueError):
        return value


def _choice_labels(field: forms.Field) -> dict[str, str]:
    labels: dict[str, str] = {}
    for key, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):  # a group of choices
            labels.update({str(k): str(v) for k, v in label})
        else:
            labels[str(key)] = str(label)
    return labels


def display_value(field: forms.Field, value: Any) -> str:
    """A field's value as the page shows it: choices by their label, dates in the user's format."""
    if (
        value is None
        or value == ""
        or (isinstance(value, Iterable) and not isinstance(value, str) and not list(value))
    ):
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, models.Model):
        label_from_instance = getattr(field, "label_from_instance", str)
        return str(label_from_instance(value))
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ", ".join(display_value(field, item) for item in value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return _choice_labels(field).get(str(value), str(value))
    if isinstance(value, datetime.datetime):
        shown = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(shown, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def saved_differences(sent: forms.BaseForm, saved: forms.BaseForm) -> list[tuple[str, str]]:
    """The visible fields of `saved` (an unbound form opened on the object as saved now) whose value
    differs from what `sent` (the refused, bound form) carries: (label, saved value as text).

    A form may name its fields for this list with `conflict_label(name, field)`, where the label alone
    does not say which row it belongs to.
    """
    label_for = getattr(saved, "conflict_label", None)
    rows: list[tuple[str, str]] = []
    for name, saved_field in saved.fields.items():
        if saved_field.widget.is_hidden:
            continue
        saved_value = saved[name].value()
        sent_value = sent[name].value() if name in sent.fields else None
        if _raw(saved_value) == _raw(sent_value):
            continue
        label = label_for(name, saved_field) if callable(label_for) else saved_field.label
        shown = display_value(saved_field, _python(saved_field, saved[name].initial))
        rows.append((str(label or name), shown))
    return rows


def conflict_for(
    form: forms.BaseForm,
    message: str,
    current: Any,
    version: int | None,
    fresh: Callable[[Any], forms.BaseForm] | None,
) -> Conflict:
    """The conflict to show for a refused form; re-binds the form to the saved version.

    `fresh(current)` opens an unbound form on the saved object (on None: on nothing saved yet)."""
    rebind_version(form, version)
    values = saved_differences(form, fresh(current)) if fresh is not None else []
    return Conflict(message=message, current=current, version=version, values=values)


def save_versioned(
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    reload: Callable[[], Any],
    fresh: Callable[[Any], forms.BaseForm] | None = None,
    version_of: Callable[[Any], int] | None = None,
) -> tuple[T | None, Conflict | None]:
    """Validate a bound editing form and run its service, `save`.

    Returns (what the service returned, None) when saved. When refused it returns None and — if the
    refusal is about the version (none sent, or an older one) — a `Conflict` with the object as saved
    now (`reload` loads it when the service was not reached), the fields where it differs from what was
    sent (`fresh` makes an unbound form on a saved object) and the form re-bound to the saved version.
    The message goes on the form's `version` field; other service errors become the form's own errors.
    """
    if not form.is_valid():
        if "version" not in form.errors:
            return None, None
        current = reload()
        version = version_of(current) if version_of is not None else getattr(current, "version", None)
        return None, conflict_for(form, version_error(form), current, version, fresh)
    try:
        return save(), None
    except ConflictError as exc:
        message = exc.messages[0]
        current = exc.current if exc.current is not None else reload()
        version = exc.version
        if version is None and current is not None:
            version = version_of(current) if version_of is not None else getattr(current, "version", None)
        form.add_error("version", message)
        return None, conflict_for(form, message, current, version, fresh)
    except ServiceError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None, None
