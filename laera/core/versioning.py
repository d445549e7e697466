"""No lost updates: every object edited in a form carries a version.

A form is opened with the object's `version` in a hidden field; the service locks the row, compares, and
refuses a save made from an older version — or from no version at all — with `ConflictError`, which
carries the saved object so the page can show what the other person wrote. A successful save adds one.

    form field:  version = VersionField()
    service:     locked = Model.objects.select_for_update().get(pk=obj.pk)
                 check_version(locked, version, _("unit"))
                 ... change locked ...
                 bump(locked); locked.save()
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ServiceError


class VersionedModel(models.Model):
    """A row edited in forms: `version` goes up by one on every save made through a service."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class ConflictError(ServiceError):
    """Someone else saved the same object after this form was opened, or the form sent no version.

    `current` is the object as it is saved now, for the page to show beside the refused change.
    """

    def __init__(self, message: str, *, current: Any = None) -> None:
        super().__init__(message)
        self.current = current


def check_version(obj: Any, version: int | None, what: str) -> None:
    """Refuse a save unless `version` is the saved one. `obj` should be locked (select_for_update).

    `what` names the object in the user's language ("unit", "working group").
    """
    if version is None:
        raise ConflictError(
            _(
                "This form was sent without the version of the %(what)s it changes, so it could "
                "overwrite someone else's work. The saved %(what)s is shown; make your change again."
            )
            % {"what": what},
            current=obj,
        )
    if obj.version != version:
        raise ConflictError(
            _(
                "Someone else saved this %(what)s while you were editing it. Their version is shown; "
                "make your change again on top of it."
            )
            % {"what": what},
            current=obj,
        )


def bump(obj: Any) -> None:
    """Count a save; call before `save()`."""
    obj.version = (obj.version or 0) + 1


class VersionField(forms.IntegerField):
    """The hidden version every editing form carries. Required: a form without it is refused."""

    default_error_messages = {
        "required": gettext_lazy(
            "The form is out of date or incomplete. Open the page again and make your change there."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", True)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
