"""The shared field limits and text rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laera.core.limits import (
    LONG_TEXT_MAX_LENGTH,
    FieldLimit,
    Kind,
    TextRulesValidator,
    excerpt,
    field_limit,
    text_errors,
    text_problem,
)


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("character", "kind"),
    [
        ("\x00", Kind.CONTROL),
        ("\x01", Kind.CONTROL),
        ("\x1b", Kind.CONTROL),
        ("\x1f", Kind.CONTROL),
        ("\x7f", Kind.CONTROL),
        ("\x85", Kind.CONTROL),
        ("\x9f", Kind.CONTROL),
        *((chr(code), Kind.DIRECTION) for code in range(0x202A, 0x202F)),
        *((chr(code), Kind.DIRECTION) for code in range(0x2066, 0x206A)),
        ("\ud800", Kind.INVALID),
        ("\udfff", Kind.INVALID),
        ("\ufdd0", Kind.INVALID),
        ("\ufdef", Kind.INVALID),
        ("\ufffe", Kind.INVALID),
        ("\uffff", Kind.INVALID),
        ("\U0001fffe", Kind.INVALID),
        ("\U0010ffff", Kind.INVALID),
    ],
)
def test_refused_everywhere(character: str, kind: str) -> None:
    for multiline in (False, True):
        problem = text_problem(f"før{character}etter", max_length=None, multiline=multiline)
        assert problem is not None and problem.kind == kind and problem.character == character


@pytest.mark.parametrize("character", ["\t", "\n", "\r"])
def test_tab_and_line_breaks_only_in_multi_line_text(character: str) -> None:
    assert text_problem(f"a{character}b", max_length=None, multiline=True) is None
    problem = text_problem(f"a{character}b", max_length=None)
    assert problem is not None and problem.kind == Kind.LINE_BREAK


@pytest.mark.parametrize(
    "text",
    [
        "Kåre Ødegård Æsøy",
        "Åsa Öberg – «sitat» “quote” ‘x’ ½ € §",
        "Supported Employment (SE) / NAV-veileder; 50 %",
        "שלום עליכם",  # right-to-left script itself is fine: only the invisible overrides are refused
        "a\u200eb\u200fc",  # left-to-right and right-to-left marks
        "👩‍💻 zero\u200dwidth joiner",
        "\U0001f600",
        "\ufffd replacement character",
    ],
)
def test_ordinary_text_passes(text: str) -> None:
    assert text_problem(text, max_length=200) is None


def test_length_is_counted_in_characters() -> None:
    assert text_problem("æ" * 200, max_length=200) is None
    problem = text_problem("æ" * 201, max_length=200)
    assert problem is not None and (problem.kind, problem.length, problem.max_length) == (
        Kind.TOO_LONG,
        201,
        200,
    )


def test_messages_name_the_field_and_the_character() -> None:
    assert text_errors("a\u202eb", field="Name", max_length=None) == [
        "Name contains an invisible character that changes the direction of the text "
        "(U+202E RIGHT-TO-LEFT OVERRIDE). Remove it."
    ]
    assert text_errors("a\x00b", field="the arena's name", max_length=None) == [
        "The arena's name contains a control character (U+0000). Remove it."
    ]
    assert text_errors("x" * 3, field="The name", max_length=2) == ["The name is longer than 2 characters."]
    assert text_errors("a\nb", field="Title", max_length=None) == [
        "Title must be on one line: remove the line break or tab."
    ]
    assert text_errors("\ufffe", field="Title", max_length=None) == [
        "Title contains a code that is not a character (U+FFFE). Remove it."
    ]
    assert text_errors("ok", field="Title", max_length=None) == []


def test_limits_come_from_the_model_fields() -> None:
    from laera.mapping.models import Arena
    from laera.plans.models import Plan, Theme

    assert field_limit(Plan, "name") == FieldLimit(120, multiline=False)
    assert field_limit(Arena, "participant_groups") == FieldLimit(300, multiline=False)
    assert field_limit(Theme, "description") == FieldLimit(LONG_TEXT_MAX_LENGTH, multiline=True)
    with pytest.raises(TypeError):
        field_limit(Plan, "period_start")


def test_the_form_validator() -> None:
    validator = TextRulesValidator(field="Name")
    validator("Kari Nordmann")
    with pytest.raises(ValidationError) as refused:
        validator("Kari\u202e")
    assert refused.value.code == Kind.DIRECTION
    TextRulesValidator(field="Notes", multiline=True)("one\ntwo")
    TextRulesValidator(field="Password", secret=True)("pass\u202eword")
    with pytest.raises(ValidationError):
        TextRulesValidator(field="Password", secret=True)("pass\x00word")
    assert validator == TextRulesValidator(field="Name")
    assert validator != TextRulesValidator(field="Name", multiline=True)
    assert validator.deconstruct()[0] == "laera.core.limits.TextRulesValidator"


def test_an_error_message_quotes_a_value_short_and_without_hidden_characters() -> None:
    assert excerpt("ukentlig") == "ukentlig"
    long = excerpt("x" * 20_000)
    assert len(long) == 80 and long.endswith("…")
    assert excerpt("abc\u202edef\x00") == "abc\ufffddef\ufffd"


@pytest.mark.django_db
def test_the_arena_import_does_not_echo_a_huge_cell(world: Any) -> None:
    import io

    from laera.mapping.imports import arenas_import, read_arena_file
    from laera.organisations.imports import ImportValidationError

    text = "Navn;Type;Hyppighet\nTeammøte;intern;" + "z" * 15_000 + "\n"
    rows = read_arena_file(io.BytesIO(text.encode()), "arenaer.csv")
    with pytest.raises(ImportValidationError) as refused:
        arenas_import(actor=world.actor("admin"), unit=world.team, rows=rows)
    assert refused.value.errors and all(len(error.text) < 300 for error in refused.value.errors)
