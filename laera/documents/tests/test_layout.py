"""The shared layout helpers and the NAV Røyken example they are tested with."""

from __future__ import annotations

import dataclasses
import datetime

from laera.documents import layout
from laera.documents.examples import NB_LABELS, rich_example, royken_example
from laera.documents.plan_data import ActivityData, ActivityTime


def test_royken_example_is_the_spring_2015_plan() -> None:
    doc = royken_example()
    assert doc.title == (
        "Plan for kunnskapsutvikling, kunnskapsdeling og kunnskapsspredning i NAV Røyken våren 2015"
    )
    assert doc.leader == "Ole Petter Gravningen"
    assert (doc.period_start, doc.period_end) == (datetime.date(2015, 1, 1), datetime.date(2015, 6, 30))
    assert [theme.title for theme in doc.themes] == [
        "Supported employment (SE)",
        "Arbeidsmarkedskompetanse",
        "Nasjonal kvalitetsstrategi",
    ]
    assert [len(theme.outcomes) for theme in doc.themes] == [4, 7, 1]
    assert len(doc.arenas) == 20
    assert doc.labels == NB_LABELS
    assert NB_LABELS.time == "Tid for gjennomføring"


def test_royken_example_rows_read_like_the_original() -> None:
    doc = royken_example()
    se = doc.themes[0]
    row = layout.theme_rows(doc, se)[1]
    assert row.outcome.text == "NAV-veiledere skal kjenne til grunnleggende forskning knyttet til SE"
    assert (row.arena, row.participants, row.time) == (
        "Personalseminar",
        "Alle ansatte i kontoret",
        "22. eller 23. april",
    )
    assert "HiØ" in row.method and row.method.startswith("Forelesning")
    activity = se.outcomes[1].activities[0]
    assert activity.time.either
    assert activity.time.dates == (datetime.date(2015, 4, 22), datetime.date(2015, 4, 23))
    deadline = doc.themes[1].outcomes[1].activities[0].time
    assert (deadline.kind, deadline.deadline) == ("deadline", datetime.date(2015, 5, 1))


def test_royken_example_dates_fall_in_the_period_and_keys_are_unique() -> None:
    doc = royken_example()
    keys = []
    for theme in doc.themes:
        for outcome in theme.outcomes:
            for activity in outcome.activities:
                keys.append(activity.key)
                days = [*activity.time.dates]
                if activity.time.deadline:
                    days.append(activity.time.deadline)
                assert all(doc.period_start <= day <= doc.period_end for day in days)
    assert len(keys) == len(set(keys)) == 14


def test_theme_rows_merge_outcomes_and_keep_outcomes_without_activities() -> None:
    doc = rich_example()
    rows = layout.theme_rows(doc, doc.themes[0])
    assert [(row.first, row.span) for row in rows] == [
        (True, 2),
        (False, 0),
        (True, 1),
        (True, 4),
        (False, 0),
        (False, 0),
        (False, 0),
    ]
    empty = rows[2]
    assert (empty.arena, empty.method, empty.participants, empty.time) == ("", "", "", "")
    assert layout.theme_rows(doc, doc.themes[1]) == []


def test_method_text_names_the_responsible_once() -> None:
    time = ActivityTime(kind="continuous", text="Løpende")
    activity = ActivityData(
        key="a", arena="", method="Forelesning", responsible="HiØ", participants="", time=time
    )
    assert layout.method_text(activity) == "Forelesning (HiØ)"
    named = dataclasses.replace(activity, method="Forelesning HiØ")
    assert layout.method_text(named) == "Forelesning HiØ"
    assert layout.method_text(dataclasses.replace(activity, responsible="")) == "Forelesning"


def test_time_text_falls_back_to_dates() -> None:
    doc = royken_example()
    time = ActivityTime(kind="dates", text="", dates=(datetime.date(2015, 3, 12),))
    activity = ActivityData(key="a", arena="", method="", responsible="", participants="", time=time)
    assert layout.time_text(doc, activity) == "12. mars 2015"


def test_dates_in_each_language() -> None:
    day = datetime.date(2015, 5, 1)
    assert layout.format_date(day, "nb") == "1. mai 2015"
    assert layout.format_date(day, "da") == "1. maj 2015"
    assert layout.format_date(day, "sv") == "1 maj 2015"
    assert layout.format_date(day, "en") == "1 May 2015"
    assert layout.period_text(royken_example()) == "Våren 2015 (1. januar 2015 – 30. juni 2015)"


def test_headings_list_the_sections_and_the_sub_plans() -> None:
    entries = list(layout.headings(rich_example()))
    assert [(entry.level, entry.text) for entry in entries] == [
        (1, "Innledning"),
        (1, "Oversikt over læringsarenaer og deltakere"),
        (1, "Læringstemaer"),
        (1, "Tema: Supported employment (SE)"),
        (1, "Tema: Et tema uten utbytter"),
        (1, "Evaluering"),
        (1, "Delplan for oppfølgingsteamet våren 2015 (Utkast – ikke publisert)"),
        (2, "Innledning"),
        (2, "Læringstemaer"),
        (2, "Tema: Motiverende intervju (MI)"),
        (2, "Evaluering"),
    ]
    assert len({entry.anchor for entry in entries}) == len(entries)
