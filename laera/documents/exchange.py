"""The JSON exchange format for plans ("laera-plan", version 1), described in docs/plan-exchange-format.md.

`plan_to_json` writes a `PlanDocument` and `plan_from_json` reads one back, so that
`plan_from_json(plan_to_json(doc)) == doc`. Reading is strict: every problem in the text is reported, each
with the JSON path where it is ("themes[0].outcomes[2].activities[1].time.kind: must be one of …"), and
nothing is returned unless there are none.

The schema below is written out by hand rather than derived from the dataclasses, so that a change to
`plan_data.py` cannot change the format unnoticed: a test checks that the two cover the same fields.

The text is read through `laera.core.uploads.load_json` (size, nesting depth and NUL checked before it is
parsed), and every string follows the shared text rules (`laera.core.limits`): no control characters
other than tab and line breaks, no direction overrides, at most the long-text ceiling. The receiving
side (`laera.plans.services.plan_import`) checks each field's own length.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from laera.core.limits import LONG_TEXT_MAX_LENGTH, text_problem
from laera.core.uploads import ImportFileError, load_json
from laera.documents.plan_data import (
    ActivityData,
    ActivityTime,
    ArenaLine,
    Labels,
    OutcomeData,
    PlanDocument,
    ThemeData,
)

FORMAT = "laera-plan"
VERSION = 1
SUPPORTED_VERSIONS = (1,)

LANGUAGES = ("nb", "nn", "sv", "da", "en")
STATUSES = ("draft", "consultation", "published", "running", "evaluation", "closed")
CATEGORIES = ("knowledge", "skills", "general_competence")
TIME_KINDS = ("dates", "recurrence", "deadline", "continuous", "trigger")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RRULE = re.compile(r"[A-Z][A-Z-]*=[^;=\s]+(;[A-Z][A-Z-]*=[^;=\s]+)*")


class ExchangeError(ValueError):
    """The text is not a valid plan in the exchange format; `errors` lists every problem with its path."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


_INVALID: Any = object()  # what a reader returns for a value it has reported as wrong


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> Any:
        self.items.append(f"{path or '$'}: {message}")
        return _INVALID


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# --- Value kinds: each knows how to write a value and how to read (and check) one. ---------------------


@dataclass(frozen=True)
class _Kind:
    dump: Callable[[Any, str], Any]
    load: Callable[[Any, str, _Errors], Any]


def _dump_plain(value: Any, path: str) -> Any:
    return value


def _check_text(value: str, path: str, errors: _Errors) -> Any:
    problem = text_problem(value, max_length=LONG_TEXT_MAX_LENGTH, multiline=True)
    return value if problem is None else errors.add(path, problem.message(_("The text")))


def _load_str(value: Any, path: str, errors: _Errors) -> Any:
    return (
        _check_text(value, path, errors) if isinstance(value, str) else errors.add(path, "must be a string")
    )


def _load_bool(value: Any, path: str, errors: _Errors) -> Any:
    return value if isinstance(value, bool) else errors.add(path, "must be true or false")


def _load_count(value: Any, path: str, errors: _Errors) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return errors.add(path, "must be a whole number or null")
    return value if value >= 0 else errors.add(path, "must not be negative")


def _dump_amount(value: Any, path: str) -> Any:
    if value is not None and not math.isfinite(value):
        raise ExchangeError([f"{path}: must be a finite number"])
    return value


def _load_amount(value: Any, path: str, errors: _Errors) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return errors.add(path, "must be a number or null")
    return float(value) if value >= 0 else errors.add(path, "must not be negative")


def _dump_date(value: Any, path: str) -> Any:
    return None if value is None else value.isoformat()


def _parse_date(value: Any, path: str, errors: _Errors) -> Any:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return errors.add(path, "must be a date as YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return errors.add(path, f"{value!r} is not a date in the calendar")


def _load_date_or_null(value: Any, path: str, errors: _Errors) -> Any:
    return None if value is None else _parse_date(value, path, errors)


def _dump_dates(value: Any, path: str) -> Any:
    return [day.isoformat() for day in value]


def _load_dates(value: Any, path: str, errors: _Errors) -> Any:
    if not isinstance(value, list):
        return errors.add(path, "must be a list of dates")
    days = [_parse_date(item, f"{path}[{index}]", errors) for index, item in enumerate(value)]
    return _INVALID if any(day is _INVALID for day in days) else tuple(days)


def _load_strings(value: Any, path: str, errors: _Errors) -> Any:
    if not isinstance(value, list):
        return errors.add(path, "must be a list of strings")
    items = [_load_str(item, f"{path}[{index}]", errors) for index, item in enumerate(value)]
    return _INVALID if any(item is _INVALID for item in items) else tuple(items)


def _one_of(choices: Sequence[str]) -> _Kind:
    def load(value: Any, path: str, errors: _Errors) -> Any:
        if isinstance(value, str) and value in choices:
            return value
        return errors.add(path, f"must be one of: {', '.join(choices)}")

    return _Kind(_dump_plain, load)


def _load_key(value: Any, path: str, errors: _Errors) -> Any:
    if not isinstance(value, str):
        return errors.add(path, "must be a string")
    return _check_text(value, path, errors) if value.strip() else errors.add(path, "must not be empty")


def _load_rrule(value: Any, path: str, errors: _Errors) -> Any:
    if not isinstance(value, str):
        return errors.add(path, "must be a string")
    if value and (not _RRULE.fullmatch(value) or "FREQ=" not in value):
        return errors.add(path, "must be an iCalendar RRULE such as FREQ=WEEKLY;INTERVAL=2, or empty")
    return value


STR = _Kind(_dump_plain, _load_str)
BOOL = _Kind(_dump_plain, _load_bool)
KEY = _Kind(_dump_plain, _load_key)
COUNT = _Kind(_dump_plain, _load_count)
AMOUNT = _Kind(_dump_amount, _load_amount)
DATE = _Kind(_dump_date, _parse_date)
DATE_OR_NULL = _Kind(_dump_date, _load_date_or_null)
DATES = _Kind(_dump_dates, _load_dates)
RRULE = _Kind(_dump_plain, _load_rrule)
STRS = _Kind(lambda value, path: list(value), _load_strings)


@dataclass(frozen=True)
class _Field:
    name: str
    kind: _Kind | type  # a dataclass named here is an object; (cls,) in `many` is a list of them
    required: bool = True
    many: bool = False


def _object(cls: type) -> _Kind:
    def dump(value: Any, path: str) -> Any:
        return _dump_object(cls, value, path)

    def load(value: Any, path: str, errors: _Errors) -> Any:
        return _load_object(cls, value, path, errors)

    return _Kind(dump, load)


def _objects(cls: type) -> _Kind:
    def dump(value: Any, path: str) -> Any:
        return [_dump_object(cls, item, f"{path}[{index}]") for index, item in enumerate(value)]

    def load(value: Any, path: str, errors: _Errors) -> Any:
        if not isinstance(value, list):
            return errors.add(path, "must be a list")
        items = [_load_object(cls, item, f"{path}[{index}]", errors) for index, item in enumerate(value)]
        return _INVALID if any(item is _INVALID for item in items) else tuple(items)

    return _Kind(dump, load)


SCHEMA: dict[type, tuple[_Field, ...]] = {
    Labels: tuple(
        _Field(name, STR)
        for name in (
            "plan",
            "leader",
            "introduction",
            "arenas_heading",
            "themes_heading",
            "theme",
            "outcome",
            "arena",
            "method",
            "participants",
            "time",
            "responsible",
            "evaluation",
            "contents",
            "page",
        )
    )
    + (_Field("draft", STR, required=False), _Field("consultation", STR, required=False)),
    ArenaLine: (
        _Field("name", STR),
        _Field("recurrence", STR),
        _Field("participants", STR),
        _Field("purpose", STR, required=False),
    ),
    ActivityTime: (
        _Field("kind", _one_of(TIME_KINDS)),
        _Field("text", STR),
        _Field("dates", DATES, required=False),
        _Field("either", BOOL, required=False),
        _Field("rrule", RRULE, required=False),
        _Field("deadline", DATE_OR_NULL, required=False),
    ),
    ActivityData: (
        _Field("key", KEY),
        _Field("arena", STR),
        _Field("method", STR),
        _Field("responsible", STR),
        _Field("participants", STR),
        _Field("time", ActivityTime),
        _Field("mandatory", BOOL, required=False),
        _Field("open_to_others", BOOL, required=False),
        _Field("capacity", COUNT, required=False),
        _Field("hours", AMOUNT, required=False),
        _Field("cost", AMOUNT, required=False),
        _Field("arena_is_mapped", BOOL, required=False),
        _Field("method_key", STR, required=False),
    ),
    OutcomeData: (
        _Field("key", KEY),
        _Field("text", STR),
        _Field("category", _one_of(CATEGORIES)),
        _Field("category_label", STR),
        _Field("verb", STR, required=False),
        _Field("activities", ActivityData, required=False, many=True),
        _Field("competences", STRS, required=False),
    ),
    ThemeData: (
        _Field("key", KEY),
        _Field("title", STR),
        _Field("description", STR, required=False),
        _Field("why", STR, required=False),
        _Field("outcomes", OutcomeData, required=False, many=True),
    ),
    PlanDocument: (
        _Field("title", STR),
        _Field("name", STR),
        _Field("organisation", STR),
        _Field("unit", STR),
        _Field("language", _one_of(LANGUAGES)),
        _Field("period_start", DATE),
        _Field("period_end", DATE),
        _Field("leader", STR),
        _Field("status", _one_of(STATUSES)),
        _Field("introduction", STR),
        _Field("evaluation_on", DATE_OR_NULL),
        _Field("labels", Labels),
        _Field("arenas", ArenaLine, required=False, many=True),
        _Field("themes", ThemeData, required=False, many=True),
        _Field("children", PlanDocument, required=False, many=True),
    ),
}


def _kind(field: _Field) -> _Kind:
    if isinstance(field.kind, _Kind):
        return field.kind
    return _objects(field.kind) if field.many else _object(field.kind)


def _dump_object(cls: type, value: Any, path: str) -> dict[str, Any]:
    return {
        field.name: _kind(field).dump(getattr(value, field.name), _join(path, field.name))
        for field in SCHEMA[cls]
    }


class _Object(dict[str, Any]):
    """A JSON object that remembers the names it had more than once."""

    duplicates: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        duplicates: list[str] = []
        for name, _value in pairs:
            if name in seen and name not in duplicates:
                duplicates.append(name)
            seen.add(name)
        result.duplicates = tuple(duplicates)
    return result


def _load_object(cls: type, value: Any, path: str, errors: _Errors) -> Any:
    if not isinstance(value, dict):
        return errors.add(path, "must be an object")
    fields = SCHEMA[cls]
    known = {field.name for field in fields}
    for name in getattr(value, "duplicates", ()):
        errors.add(_join(path, name), "appears more than once")
    for name in value:
        if name not in known and not (cls is PlanDocument and not path and name in ("format", "version")):
            errors.add(_join(path, name), "unknown field")
    arguments: dict[str, Any] = {}
    ok = True
    for field in fields:
        if field.name not in value:
            if field.required:
                errors.add(_join(path, field.name), "missing")
                ok = False
            continue
        loaded = _kind(field).load(value[field.name], _join(path, field.name), errors)
        ok = ok and loaded is not _INVALID
        arguments[field.name] = loaded
    if not ok:
        return _INVALID
    if cls is PlanDocument:
        _check_plan(arguments, path, errors)
    return cls(**arguments)


def _check_plan(values: Mapping[str, Any], path: str, errors: _Errors) -> None:
    """What no single field shows: the period runs forwards; keys are unique within the plan."""
    if values["period_end"] < values["period_start"]:
        errors.add(_join(path, "period_end"), "must not be before period_start")
    seen: dict[tuple[str, str], str] = {}

    def claim(kind: str, key: str, where: str) -> None:
        if (kind, key) in seen:
            errors.add(where, f"{key!r} is used twice (also at {seen[kind, key]})")
        else:
            seen[kind, key] = where

    for t, theme in enumerate(values.get("themes", ())):
        theme_path = _join(path, f"themes[{t}]")
        claim("theme", theme.key, f"{theme_path}.key")
        for o, outcome in enumerate(theme.outcomes):
            outcome_path = f"{theme_path}.outcomes[{o}]"
            claim("outcome", outcome.key, f"{outcome_path}.key")
            for a, activity in enumerate(outcome.activities):
                claim("activity", activity.key, f"{outcome_path}.activities[{a}].key")


def plan_to_json(doc: PlanDocument) -> str:
    """The plan in the exchange format: UTF-8 text, keys sorted, indented by 2, dates as YYYY-MM-DD."""
    data = _dump_object(PlanDocument, doc, "")
    data["format"] = FORMAT
    data["version"] = VERSION
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def plan_from_json(text: str | bytes) -> PlanDocument:
    """Read a plan in the exchange format; raise `ExchangeError` listing every problem with its path."""
    try:
        data = load_json(text, object_pairs_hook=_pairs, parse_constant=_reject_constant)
    except ImportFileError as error:
        raise ExchangeError([f"$: {message}" for message in error.messages]) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ExchangeError([f"$: not valid JSON: {error}"]) from error
    errors = _Errors()
    if not isinstance(data, dict):
        errors.add("", "must be an object")
        raise ExchangeError(errors.items)
    if data.get("format") != FORMAT:
        errors.add("format", f"must be {FORMAT!r}")
    version = data.get("version")
    if "version" not in data:
        errors.add("version", "missing")
    elif isinstance(version, bool) or not isinstance(version, int):
        errors.add("version", "must be a whole number")
    elif version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(number) for number in SUPPORTED_VERSIONS)
        errors.add("version", f"version {version} is not supported (this reader knows {supported})")
    if errors.items:
        # What the rest means depends on the format and version, so it is not checked.
        raise ExchangeError(errors.items)
    doc = _load_object(PlanDocument, data, "", errors)
    if errors.items or doc is _INVALID:
        raise ExchangeError(errors.items or ["$: not a valid plan"])
    assert isinstance(doc, PlanDocument)
    return doc
