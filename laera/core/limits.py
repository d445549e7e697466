"""Field limits and text rules: one set, used by every form, every import and the JSON exchange.

* Lengths: a name or title may be as long as its model field's `max_length`; a long text (a model's
  TextField, a form's Textarea) up to `LONG_TEXT_MAX_LENGTH`; a single-line form field that names no
  length of its own up to `LINE_MAX_LENGTH`.
* Characters that are refused everywhere: NUL and the other C0 and C1 control characters (tab, line feed
  and carriage return are allowed in multi-line text only), the bidirectional overrides and isolates
  (U+202A–U+202E, U+2066–U+2069, which make a name read differently from how it is stored), lone
  surrogates and Unicode non-characters.

`text_problem` finds the first problem in a value; `TextProblem.message` says what it is, naming the field,
in the active language. E-mail addresses keep their own validation and are not checked here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LONG_TEXT_MAX_LENGTH = 20_000
LINE_MAX_LENGTH = 1_000
SECRET_MAX_LENGTH = 4_096  # passwords: long pass phrases are fine, megabytes are not

# Non-characters: U+FDD0–U+FDEF and the last two code points of every plane.
_NON_CHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_DIRECTION = "\u202a-\u202e\u2066-\u2069"
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_LINE_BREAKS = "\t\n\r"
_SURROGATES = "\ud800-\udfff"

_REFUSED_MULTILINE = re.compile(f"[{_CONTROL}{_DIRECTION}{_SURROGATES}{_NON_CHARACTERS}]")
_REFUSED_LINE = re.compile(f"[{_CONTROL}{_LINE_BREAKS}{_DIRECTION}{_SURROGATES}{_NON_CHARACTERS}]")
_REFUSED_SECRET = re.compile(f"[{_CONTROL}{_LINE_BREAKS}{_SURROGATES}{_NON_CHARACTERS}]")
_DIRECTION_RE = re.compile(f"[{_DIRECTION}]")


class Kind:
    CONTROL = "control_character"
    LINE_BREAK = "line_break"
    DIRECTION = "direction_character"
    INVALID = "invalid_character"
    TOO_LONG = "too_long"


def excerpt(value: Any, limit: int = 80) -> str:
    """A cell or field value as an error message may quote it: at most `limit` characters, with every
    refused character shown as U+FFFD, so a message never repeats a 20,000-character cell or a direction
    override back to the reader."""
    text = _REFUSED_LINE.sub("\ufffd", str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code_point(character: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE: the code point and, where Unicode has one, its name."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X} {name}" if name else f"U+{ord(character):04X}"


@dataclass(frozen=True)
class TextProblem:
    kind: str
    character: str = ""
    length: int = 0
    max_length: int = 0

    def message(self, field: Any) -> str:
        """The problem as a sentence naming `field` (a label such as "Name", or a column's name)."""
        values = {"field": field, "character": code_point(self.character) if self.character else ""}
        if self.kind == Kind.TOO_LONG:
            text = ngettext(
                "%(field)s is longer than %(max)s character.",
                "%(field)s is longer than %(max)s characters.",
                self.max_length,
            ) % {**values, "max": self.max_length}
        elif self.kind == Kind.LINE_BREAK:
            text = _("%(field)s must be on one line: remove the line break or tab.") % values
        elif self.kind == Kind.DIRECTION:
            text = (
                _(
                    "%(field)s contains an invisible character that changes the direction of the text "
                    "(%(character)s). Remove it."
                )
                % values
            )
        elif self.kind == Kind.CONTROL:
            text = _("%(field)s contains a control character (%(character)s). Remove it.") % values
        else:
            text = _("%(field)s contains a code that is not a character (%(character)s). Remove it.") % values
        return capfirst(text)


def text_problem(
    value: str, *, max_length: int | None, multiline: bool = False, secret: bool = False
) -> TextProblem | None:
    """The first thing wrong with `value` under the rules above, or None.

    `multiline` allows tab and line breaks; `secret` (a password) allows the direction characters too,
    since a password is never shown.
    """
    if max_length is not None and len(value) > max_length:
        return TextProblem(Kind.TOO_LONG, length=len(value), max_length=max_length)
    pattern = _REFUSED_SECRET if secret else _REFUSED_MULTILINE if multiline else _REFUSED_LINE
    found = pattern.search(value)
    if found is None:
        return None
    character = found.group()
    if character in _LINE_BREAKS:
        return TextProblem(Kind.LINE_BREAK, character)
    if _DIRECTION_RE.match(character):
        return TextProblem(Kind.DIRECTION, character)
    if character <= "\x9f":
        return TextProblem(Kind.CONTROL, character)
    return TextProblem(Kind.INVALID, character)


def text_errors(value: str, *, field: Any, max_length: int | None, multiline: bool = False) -> list[str]:
    """`text_problem` as a list of zero or one message naming `field`."""
    problem = text_problem(value, max_length=max_length, multiline=multiline)
    return [problem.message(field)] if problem is not None else []


@dataclass(frozen=True)
class FieldLimit:
    """How long a model field's text may be, and whether it may hold line breaks."""

    max_length: int
    multiline: bool

    def errors(self, value: str, *, field: Any) -> list[str]:
        return text_errors(value, field=field, max_length=self.max_length, multiline=self.multiline)


def field_limit(model: type[models.Model], name: str) -> FieldLimit:
    """The limit of a model's text field: its `max_length` on one line, or a long text's ceiling."""
    model_field = model._meta.get_field(name)
    if isinstance(model_field, models.TextField):
        return FieldLimit(min(model_field.max_length or LONG_TEXT_MAX_LENGTH, LONG_TEXT_MAX_LENGTH), True)
    if isinstance(model_field, models.CharField) and model_field.max_length:
        return FieldLimit(model_field.max_length, False)
    raise TypeError(f"{model.__name__}.{name} is not a text field")


@deconstructible
class TextRulesValidator:
    """The character rules as a form validator; lengths are left to the field's own `max_length`."""

    def __init__(self, *, field: Any, multiline: bool = False, secret: bool = False) -> None:
        self.field = field
        self.multiline = multiline
        self.secret = secret

    def __call__(self, value: Any) -> None:
        problem = text_problem(str(value), max_length=None, multiline=self.multiline, secret=self.secret)
        if problem is not None:
            raise ValidationError(problem.message(self.field), code=problem.kind)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextRulesValidator) and (self.field, self.multiline, self.secret) == (
            other.field,
            other.multiline,
            other.secret,
        )

    def __hash__(self) -> int:
        return hash((str(self.field), self.multiline, self.secret))
