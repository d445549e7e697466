"""Dates and times: one style per language, from laera/config/formats, in templates and in code alike."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from laera.core.versioning import display_value
from laera.documents import layout

DAY = datetime.date(2026, 12, 6)
# 14:40 UTC is 15:40 in Oslo in winter: datetimes are shown in Europe/Oslo.
MOMENT = datetime.datetime(2026, 12, 6, 14, 40, tzinfo=datetime.UTC)

EXPECTED = {
    #      date                short date    datetime                    short datetime       month-day
    "nb": ("6. desember 2026", "06.12.2026", "6. desember 2026 15:40", "06.12.2026 15:40", "6. desember"),
    "nn": ("6. desember 2026", "06.12.2026", "6. desember 2026 15:40", "06.12.2026 15:40", "6. desember"),
    "da": ("6. december 2026", "06.12.2026", "6. december 2026 15:40", "06.12.2026 15:40", "6. december"),
    "sv": ("6 december 2026", "2026-12-06", "6 december 2026 15:40", "2026-12-06 15:40", "6 december"),
    "en": ("6 December 2026", "6 Dec 2026", "6 December 2026 15:40", "6 Dec 2026 15:40", "6 December"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_template_filter_writes_the_languages_dates(language: str) -> None:
    template = Template(
        '{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ moment|date:"DATETIME_FORMAT" }}|'
        '{{ moment|date:"SHORT_DATETIME_FORMAT" }}|{{ day|date:"MONTH_DAY_FORMAT" }}|'
        '{{ moment|time:"TIME_FORMAT" }}'
    )
    with translation.override(language):
        rendered = template.render(Context({"day": DAY, "moment": MOMENT}))
    assert rendered.split("|") == [*EXPECTED[language], "15:40"]


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_python_writes_the_languages_dates(language: str) -> None:
    date, short_date, _datetime, short_datetime, month_day = EXPECTED[language]
    with translation.override(language):
        assert date_format(DAY, "DATE_FORMAT") == date
        assert date_format(DAY, "MONTH_DAY_FORMAT") == month_day
        # What an edit conflict shows: the form's dates and datetimes, datetimes in Oslo time.
        assert display_value(forms.DateField(), DAY) == short_date
        assert display_value(forms.DateTimeField(), MOMENT) == short_datetime
    # Documents write the plan's language whatever language is active.
    with translation.override("en" if language != "en" else "nb"):
        assert layout.format_date(DAY, language) == date


def test_a_language_block_writes_the_blocks_language() -> None:
    """A plan in bokmål shown to an English-speaking user: the plan's own dates follow the plan."""
    template = Template(
        '{% load i18n %}{{ day|date:"DATE_FORMAT" }}|'
        '{% language "sv" %}{{ day|date:"DATE_FORMAT" }}{% endlanguage %}'
    )
    with translation.override("en"):
        assert template.render(Context({"day": DAY})) == "6 December 2026|6 december 2026"


def test_month_names_are_lower_case_in_the_nordic_languages() -> None:
    for language in ("nb", "nn", "da", "sv"):
        with translation.override(language):
            for month in range(1, 13):
                text = date_format(datetime.date(2026, month, 1), "YEAR_MONTH_FORMAT")
                assert text == text.lower(), (language, text)


# Formats a template may spell out: machine formats (datetime attributes, query strings) and a weekday's name.
_ALLOWED = {"Y-m-d", "c", "U", "l", "D"}
_NAMED = {
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "TIME_FORMAT",
}
_FILTER = re.compile(r"""\|\s*(date|time)\s*(?::\s*(["'])(?P<fmt>.*?)\2)?""")
_ROOT = Path(__file__).resolve().parents[2]


def _templates() -> list[Path]:
    return sorted(p for p in _ROOT.glob("*/templates/**/*") if p.suffix in {".html", ".txt"})


def test_templates_name_their_date_formats() -> None:
    """No template spells out a display format ("j. F Y", "D j.n.", "F"): it names one of the language's
    formats, so a new page cannot bring back a date style of its own."""
    assert len(_templates()) > 50
    found = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in _FILTER.finditer(line):
                fmt = match.group("fmt")
                if fmt is None:
                    continue  # the default, DATE_FORMAT or TIME_FORMAT
                if fmt not in _NAMED and fmt not in _ALLOWED:
                    found.append(f"{path.relative_to(_ROOT)}:{number}: {match.group(0)}")
    assert found == []


_PY_FORMAT = re.compile(r"""date_format\([^)]*?,\s*(["'])(?P<fmt>[^"']*)\1""")


def test_code_names_its_date_formats() -> None:
    """The same rule in Python: `date_format` with a named format, no `strftime` for people to read.
    A timeline's month axis writes the month's name alone ("F"): no date style of its own."""
    found = []
    for path in sorted(_ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in _PY_FORMAT.finditer(text):
            if match.group("fmt") not in _NAMED | {"F"}:
                found.append(f"{path.relative_to(_ROOT)}: {match.group(0)}")
        for match in re.finditer(r"""strftime\((["'])(?P<fmt>.*?)\1""", text):
            if re.search(r"%[dbBaAmyI]", match.group("fmt")) and not re.fullmatch(
                r"%Y%m%d(T%H%M%SZ)?", match.group("fmt")
            ):
                found.append(f"{path.relative_to(_ROOT)}: {match.group(0)}")
    assert found == []


def test_the_forbidden_format_check_catches_a_hard_coded_format() -> None:
    line = '<td>{{ r.deadline|date:"j. M Y" }}</td> <time datetime="{{ d|date:\'Y-m-d\' }}">'
    formats = [m.group("fmt") for m in _FILTER.finditer(line)]
    assert formats == ["j. M Y", "Y-m-d"]
    assert [f for f in formats if f not in _NAMED | _ALLOWED] == ["j. M Y"]
