"""The JSON exchange format: lossless round trips and strict reading."""

from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from laera.documents.examples import rich_example, royken_example
from laera.documents.exchange import SCHEMA, ExchangeError, plan_from_json, plan_to_json
from laera.documents.plan_data import PlanDocument


def _errors(data: Any) -> list[str]:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    with pytest.raises(ExchangeError) as raised:
        plan_from_json(text)
    assert str(raised.value) == "\n".join(raised.value.errors)
    return raised.value.errors


def _data(doc: PlanDocument | None = None) -> Any:
    return json.loads(plan_to_json(doc or rich_example()))


@pytest.mark.parametrize("make", [royken_example, rich_example])
def test_round_trip(make: Any) -> None:
    doc = make()
    text = plan_to_json(doc)
    assert plan_from_json(text) == doc
    assert plan_from_json(text.encode("utf-8")) == doc
    assert plan_to_json(plan_from_json(text)) == text


def test_round_trip_of_edge_values() -> None:
    doc = rich_example()
    child = dataclasses.replace(
        doc.children[0], children=(dataclasses.replace(doc.children[0], title="Barnebarn"),)
    )
    edge = dataclasses.replace(
        doc,
        title='«Sitater» og "quotes" \\ æøå ÆØÅ\ttab\nny linje',
        leader="",
        evaluation_on=None,
        children=(child,),
        arenas=(),
    )
    assert plan_from_json(plan_to_json(edge)) == edge
    minimal = PlanDocument(
        title="",
        name="",
        organisation="",
        unit="",
        language="en",
        period_start=datetime.date(2015, 1, 1),
        period_end=datetime.date(2015, 1, 1),
        leader="",
        status="draft",
        introduction="",
        evaluation_on=None,
        labels=doc.labels,
    )
    assert plan_from_json(plan_to_json(minimal)) == minimal


def test_text_is_sorted_indented_utf8_with_iso_dates() -> None:
    text = plan_to_json(rich_example())
    data = json.loads(text, object_pairs_hook=lambda pairs: pairs)
    names = [name for name, _value in data]
    assert names == sorted(names)
    assert ("format", "laera-plan") in data and ("version", 1) in data
    assert text.startswith('{\n  "arenas": [\n    {\n      "name"')
    assert "æøå" in text and "\\u00e6" not in text
    assert '"period_start": "2015-01-01"' in text
    assert '"dates": [\n' in text and '"2015-04-22"' in text
    assert '"deadline": null' in text
    assert text.endswith("}\n")


def test_schema_covers_every_field_of_the_plan_data() -> None:
    for cls, fields in SCHEMA.items():
        declared = {field.name: field for field in dataclasses.fields(cls)}
        assert [field.name for field in fields] == list(declared), cls.__name__
        for field in fields:
            has_default = (
                declared[field.name].default is not dataclasses.MISSING
                or declared[field.name].default_factory is not dataclasses.MISSING
            )
            assert field.required is not has_default, f"{cls.__name__}.{field.name}"


def test_every_problem_is_reported_with_its_path() -> None:
    data = _data()
    activity = data["themes"][0]["outcomes"][2]["activities"][1]
    activity["time"]["kind"] = "sometimes"
    activity["capacity"] = -1
    activity["hours"] = "2"
    data["themes"][0]["outcomes"][0]["category"] = "wisdom"
    data["themes"][0]["colour"] = "red"
    data["period_end"] = "2015-02-30"
    del data["labels"]["page"]
    data["children"][0]["themes"][0]["outcomes"][0]["activities"][0]["time"]["dates"] = ["1. mai"]
    assert _errors(data) == [
        "period_end: '2015-02-30' is not a date in the calendar",
        "labels.page: missing",
        "themes[0].colour: unknown field",
        "themes[0].outcomes[0].category: must be one of: knowledge, skills, general_competence",
        "themes[0].outcomes[2].activities[1].time.kind: "
        "must be one of: dates, recurrence, deadline, continuous, trigger",
        "themes[0].outcomes[2].activities[1].capacity: must not be negative",
        "themes[0].outcomes[2].activities[1].hours: must be a number or null",
        "children[0].themes[0].outcomes[0].activities[0].time.dates[0]: must be a date as YYYY-MM-DD",
    ]


def test_types_are_checked_strictly() -> None:
    data = _data()
    data["title"] = 3
    data["themes"] = {}
    data["arenas"][0] = "Kontormøte"
    data["labels"]["plan"] = None
    data["children"][0]["themes"][0]["outcomes"][0]["activities"][0]["mandatory"] = 1
    data["children"][0]["themes"][0]["outcomes"][0]["activities"][0]["capacity"] = 8.5
    data["children"][0]["themes"][0]["outcomes"][0]["activities"][0]["time"]["rrule"] = "every week"
    data["children"][0]["evaluation_on"] = 20150615
    assert _errors(data) == [
        "title: must be a string",
        "labels.plan: must be a string",
        "arenas[0]: must be an object",
        "themes: must be a list",
        "children[0].evaluation_on: must be a date as YYYY-MM-DD",
        "children[0].themes[0].outcomes[0].activities[0].time.rrule: "
        "must be an iCalendar RRULE such as FREQ=WEEKLY;INTERVAL=2, or empty",
        "children[0].themes[0].outcomes[0].activities[0].mandatory: must be true or false",
        "children[0].themes[0].outcomes[0].activities[0].capacity: must be a whole number or null",
    ]


def test_versions_and_format_are_checked_first() -> None:
    data = _data()
    data["version"] = 2
    data["title"] = 3  # not reported: a version 2 plan may mean something else by it
    assert _errors(data) == ["version: version 2 is not supported (this reader knows 1)"]
    data["version"] = True
    assert _errors(data) == ["version: must be a whole number"]
    del data["version"]
    data["format"] = "other"
    assert _errors(data) == ["format: must be 'laera-plan'", "version: missing"]


def test_not_json_or_not_an_object() -> None:
    assert _errors("{")[0].startswith("$: not valid JSON")
    assert _errors("[]") == ["$: must be an object"]
    text = plan_to_json(rich_example()).replace('"hours": 1.5', '"hours": NaN')
    assert _errors(text)[0].startswith("$: not valid JSON")


def test_duplicates_are_rejected() -> None:
    text = plan_to_json(rich_example()).replace(
        '"leader": "Ole Petter Gravningen"', '"leader": "A", "leader": "B"'
    )
    assert _errors(text) == ["leader: appears more than once"]
    data = _data()
    data["themes"][0]["outcomes"][2]["activities"][1]["key"] = "a-1"
    data["themes"][0]["outcomes"][1]["key"] = "o-1"
    assert _errors(data) == [
        "themes[0].outcomes[1].key: 'o-1' is used twice (also at themes[0].outcomes[0].key)",
        "themes[0].outcomes[2].activities[1].key: 'a-1' is used twice "
        "(also at themes[0].outcomes[0].activities[0].key)",
    ]


def test_period_must_run_forwards_and_keys_must_not_be_empty() -> None:
    data = _data()
    data["period_end"] = "2014-12-31"
    data["themes"][1]["key"] = " "
    assert _errors(data) == ["themes[1].key: must not be empty"]
    data["themes"][1]["key"] = "t-2"
    assert _errors(data) == ["period_end: must not be before period_start"]


def test_fields_with_defaults_may_be_left_out() -> None:
    data = _data(royken_example())
    for theme in data["themes"]:
        del theme["description"], theme["why"]
        for outcome in theme["outcomes"]:
            for activity in outcome["activities"]:
                for name in ("mandatory", "open_to_others", "capacity", "hours", "cost", "method_key"):
                    del activity[name]
                del activity["time"]["dates"], activity["time"]["either"]
    del data["children"], data["arenas"]
    doc = plan_from_json(json.dumps(data))
    first = doc.themes[0].outcomes[0].activities[0]
    assert (first.mandatory, first.capacity, first.time.dates) == (False, None, ())
    assert doc.arenas == () and doc.children == ()
    assert doc.themes[1].outcomes[1].activities[0].time.deadline == datetime.date(2015, 5, 1)


def test_numbers_are_read_as_numbers() -> None:
    data = _data()
    data["themes"][0]["outcomes"][0]["activities"][0]["cost"] = 12500
    doc = plan_from_json(json.dumps(data))
    cost = doc.themes[0].outcomes[0].activities[0].cost
    assert cost == 12500.0 and isinstance(cost, float)


def test_writing_rejects_values_json_cannot_hold() -> None:
    doc = rich_example()
    theme = doc.themes[0]
    outcome = theme.outcomes[0]
    activity = dataclasses.replace(outcome.activities[0], hours=float("nan"))
    outcome = dataclasses.replace(outcome, activities=(activity,))
    theme = dataclasses.replace(theme, outcomes=(outcome,))
    with pytest.raises(ExchangeError) as raised:
        plan_to_json(dataclasses.replace(doc, themes=(theme,)))
    assert raised.value.errors == ["themes[0].outcomes[0].activities[0].hours: must be a finite number"]


def test_the_example_in_the_format_description_is_valid() -> None:
    description = Path(__file__).resolve().parents[3] / "docs" / "plan-exchange-format.md"
    text = description.read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    doc = plan_from_json(example)
    assert doc.leader == "Ole Petter Gravningen"
    assert doc.themes[0].outcomes[0].activities[0].time.either
    assert plan_to_json(doc) == example


def test_every_string_follows_the_text_rules() -> None:
    data = _data()
    data["themes"][0]["outcomes"][0]["text"] = "Utbytte\u202e"
    data["labels"]["plan"] = "Plan\x07"
    data["arenas"][0]["purpose"] = "x" * 20_001
    data["themes"][0]["key"] = "t\x00"
    with translation.override("en"):
        errors = _errors(data)
    assert sorted(errors) == [
        "arenas[0].purpose: The text is longer than 20000 characters.",
        "labels.plan: The text contains a control character (U+0007). Remove it.",
        "themes[0].key: The text contains a control character (U+0000). Remove it.",
        "themes[0].outcomes[0].text: The text contains an invisible character that changes the direction "
        "of the text (U+202E RIGHT-TO-LEFT OVERRIDE). Remove it.",
    ]


def test_deep_or_binary_text_is_refused_before_it_is_parsed() -> None:
    with translation.override("en"):
        assert _errors("[" * 100_000 + "]" * 100_000) == [
            "$: The file nests lists and objects more than 32 levels deep, deeper than any file Læra reads."
        ]
        assert _errors(plan_to_json(rich_example()).replace("Ole", "O\x00le"))[0].startswith(
            "$: The file contains NUL characters"
        )
