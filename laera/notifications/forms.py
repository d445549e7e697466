from __future__ import annotations

from typing import Any

from django import forms

from laera.core.forms import StyledForm
from laera.core.notices import NoticeKind
from laera.core.versioning import VersionField

from .models import EmailChoice


class NotificationSettingsForm(StyledForm):
    """One choice per kind of notice: e-mail at once, in the daily e-mail, or only in Læra (a select
    each, so that the seven kinds fit a phone's screen)."""

    version = VersionField()

    def __init__(self, *args: Any, kinds: dict[str, NoticeKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, kind in kinds.items():
            self.fields[field_name(key)] = forms.ChoiceField(
                label=str(kind.label),
                choices=EmailChoice.choices,
                widget=forms.Select(attrs={"class": "ds-input"}),
                initial=EmailChoice.NOW,
            )
        # The version last, after the choices.
        self.fields["version"] = self.fields.pop("version")

    def choices(self, kinds: dict[str, NoticeKind]) -> dict[str, str]:
        return {key: self.cleaned_data[field_name(key)] for key in kinds}


def field_name(key: str) -> str:
    return "email_" + key.replace(".", "_")
