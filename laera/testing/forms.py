"""The forms of a rendered page, read as a browser would: their fields, and what submitting them sends.

Tests that walk the pages (every editing form must carry a version) fill in and post the forms they find
here, so a page added later is walked with its own fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "search", "tel", "url", ""}
SKIPPED_TYPES = {"submit", "button", "reset", "image", "file"}


@dataclass
class Control:
    """One named field: `kind` is the input type, "textarea" or "select"."""

    kind: str
    name: str
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected), for a select
    multiple: bool = False

    @property
    def is_text(self) -> bool:
        return self.kind == "textarea" or self.kind in TEXT_TYPES

    @property
    def is_version(self) -> bool:
        return self.kind == "hidden" and (self.name == "version" or self.name.endswith("-version"))

    def sent(self) -> list[str]:
        """What submitting the form sends for this field (nothing for an unticked box)."""
        if self.kind in ("checkbox", "radio"):
            return [self.value or "on"] if self.checked else []
        if self.kind == "select":
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options and not self.multiple:
                chosen = [self.options[0][0]]
            return chosen
        return [self.value]


@dataclass
class PageForm:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)

    @property
    def has_version(self) -> bool:
        return any(control.is_version for control in self.controls)

    def data(self, *, without_version: bool = False, **changes: str | list[str]) -> dict[str, list[str]]:
        """The fields as a browser sends them, with `changes` (name: value) applied."""
        sent: dict[str, list[str]] = {}
        for control in self.controls:
            if without_version and control.is_version:
                continue
            values = control.sent()
            if values:
                sent.setdefault(control.name, []).extend(values)
        for name, value in changes.items():
            sent[name] = value if isinstance(value, list) else [value]
        return sent

    def text_fields(self) -> list[Control]:
        return [control for control in self.controls if control.is_text]

    def choice_fields(self) -> list[Control]:
        """Selects with more than one choice and tick boxes: fields to change when there is no text."""
        return [
            control
            for control in self.controls
            if (control.kind == "select" and len(control.options) > 1) or control.kind == "checkbox"
        ]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: Control | None = None
        self._option: list[str] | None = None  # [value, text]
        self._option_given = False  # whether the option names its value, or its text is the value
        self._option_selected = False
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        present = {key for key, _value in attrs}
        if tag == "form":
            self._form = PageForm(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in present:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind not in SKIPPED_TYPES:
                self._form.controls.append(
                    Control(kind=kind, name=a["name"], value=a.get("value", ""), checked="checked" in present)
                )
        elif tag == "textarea" and a.get("name"):
            self._textarea = Control(kind="textarea", name=a["name"])
            self._form.controls.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = Control(kind="select", name=a["name"], multiple="multiple" in present)
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a["value"] if "value" in present else "", ""]
            self._option_given = "value" in present
            self._option_selected = "selected" in present

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]  # as browsers drop the first line break
            self._textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select":
            self._end_option()
            self._select = None

    def _end_option(self) -> None:
        if self._select is not None and self._option is not None:
            value = self._option[0] if self._option_given else self._option[1].strip()
            self._select.options.append((value, self._option_selected))
        self._option = None


def page_forms(html: str) -> list[PageForm]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.forms
