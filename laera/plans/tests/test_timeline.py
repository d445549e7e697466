"""The timeline's facts for every kind of time an activity holds, its chart and its month list."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from laera.plans import services, timeline
from laera.plans.models import Plan, TimeKind
from laera.plans.selectors import plan_tree_queryset

pytestmark = pytest.mark.django_db
D = datetime.date
NS = "{http://www.w3.org/2000/svg}"
OUTCOME = "NAV-veiledere skal kjenne til grunnleggende forskning om supported employment"


@pytest.fixture
def plan(world: Any) -> Plan:
    plan = services.plan_create(
        actor=None,
        unit=world.team,
        data=services.PlanInput(name="Våren 2026", period_start=D(2026, 1, 1), period_end=D(2026, 6, 30)),
    )
    services.theme_create(actor=None, plan=plan, title="Supported employment (SE)", why="Innspill")
    return plan


def _add(plan: Plan, theme_index: int = 0, outcome_text: str = OUTCOME, **time: Any) -> None:
    theme = plan.themes.all()[theme_index]
    outcome = theme.outcomes.filter(text=outcome_text).first() or services.outcome_create(
        actor=None, theme=theme, text=outcome_text, category="knowledge"
    )
    services.activity_create(
        actor=None,
        outcome=outcome,
        data=services.ActivityInput(method_detail=time.pop("method_detail", "Forelesning"), **time),
    )


def _rows(plan: Plan) -> list[timeline.TimelineRow]:
    return timeline.timeline_rows(plan_tree_queryset().get(pk=plan.pk))


def _one(plan: Plan, **time: Any) -> timeline.TimelineRow:
    _add(plan, **time)
    (row,) = _rows(plan)
    return row


def test_single_dates_are_dots(plan: Plan) -> None:
    row = _one(plan, dates=[D(2026, 3, 12), D(2026, 5, 7)])
    assert row.marks == (timeline.Mark("date", D(2026, 3, 12)), timeline.Mark("date", D(2026, 5, 7)))
    assert row.bands == () and row.note == ""


def test_days_in_a_row_are_a_range(plan: Plan) -> None:
    row = _one(plan, dates=[D(2026, 4, 22), D(2026, 4, 23), D(2026, 5, 7)])
    assert row.bands == (timeline.Band("range", D(2026, 4, 22), D(2026, 4, 23)),)
    assert row.marks == (timeline.Mark("date", D(2026, 5, 7)),)
    assert row.dates == (D(2026, 5, 7), D(2026, 4, 22), D(2026, 4, 23))


def test_alternative_dates_are_rings(plan: Plan) -> None:
    row = _one(plan, dates=[D(2026, 4, 22), D(2026, 4, 23)], dates_are_alternatives=True)
    assert [m.kind for m in row.marks] == ["alternative", "alternative"]
    assert row.bands == ()


def test_a_recurrence_with_a_first_date_is_expanded_over_the_period(plan: Plan) -> None:
    row = _one(plan, time_kind=TimeKind.RECURRENCE, recurrence="every_3_weeks", dates=[D(2026, 1, 13)])
    days = [m.day for m in row.marks]
    assert {m.kind for m in row.marks} == {"occurrence"}
    assert days[0] == D(2026, 1, 13) and days[-1] <= D(2026, 6, 30)
    assert all((b - a).days == 21 for a, b in zip(days, days[1:], strict=False))
    assert len(days) == 9


def test_weekly_recurrence(plan: Plan) -> None:
    row = _one(plan, time_kind=TimeKind.RECURRENCE, recurrence="weekly", dates=[D(2026, 1, 5)])
    assert len(row.marks) == 26 and row.marks[-1].day == D(2026, 6, 29)


@pytest.mark.parametrize(
    ("rule", "words", "expected"),
    [
        (
            "FREQ=MONTHLY;INTERVAL=3",
            "Hvert kvartal",
            [(D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 6, 30))],
        ),
        (
            "FREQ=MONTHLY",
            "En gang pr. mnd.",
            [(D(2026, m, 1), D(2026, m + 1, 1) - datetime.timedelta(1)) for m in range(1, 7)],
        ),
    ],
)
def test_a_recurrence_without_a_day_is_one_segment_per_repetition(
    plan: Plan, rule: str, words: str, expected: list[tuple[datetime.date, datetime.date]]
) -> None:
    row = _one(plan, time_kind=TimeKind.RECURRENCE, rrule=rule, time_text=words)
    assert [(b.start, b.end) for b in row.bands] == expected
    assert {b.kind for b in row.bands} == {"interval"}
    assert row.when == words and row.note == ""


def test_recurrence_on_demand_is_a_note(plan: Plan) -> None:
    row = _one(plan, time_kind=TimeKind.RECURRENCE, recurrence="on_demand")
    assert row.marks == () and row.bands == () and row.note == row.when != ""


@pytest.mark.parametrize(
    ("words", "month"),
    [("Mai", 5), ("juni 2026", 6), ("May", 5), ("Mars.", 3)],
)
def test_a_month_alone_is_a_band_over_that_month(plan: Plan, words: str, month: int) -> None:
    row = _one(plan, time_text=words)
    (band,) = row.bands
    assert band.kind == "month" and band.start == D(2026, month, 1)
    assert band.end.month == month and (band.end + datetime.timedelta(days=1)).day == 1
    assert row.when == words


def test_words_that_are_not_a_month_are_a_note(plan: Plan) -> None:
    row = _one(plan, time_text="Etter avtale")
    assert row.bands == () and row.note == "Etter avtale"
    assert timeline.month_of_text("Mai 2019", "nb", D(2026, 1, 1), D(2026, 6, 30)) is None


def test_a_deadline_is_a_diamond_after_the_time_before_it(plan: Plan) -> None:
    row = _one(plan, time_kind=TimeKind.DEADLINE, deadline=D(2026, 3, 1))
    assert row.marks == (timeline.Mark("deadline", D(2026, 3, 1)),)
    assert row.bands == (timeline.Band("until", D(2026, 1, 1), D(2026, 3, 1)),)
    assert row.deadline == D(2026, 3, 1) and row.dates == ()


def test_continuous_is_a_bar_through_the_period(plan: Plan) -> None:
    row = _one(plan, time_kind=TimeKind.CONTINUOUS)
    assert row.bands == (timeline.Band("continuous", D(2026, 1, 1), D(2026, 6, 30)),)


def test_a_trigger_is_a_note(plan: Plan) -> None:
    row = _one(plan, time_kind=TimeKind.TRIGGER, trigger="Nyansatt medarbeider")
    assert row.note == "Nyansatt medarbeider" and not row.marks and not row.bands


def test_rows_are_numbered_and_told_apart(plan: Plan) -> None:
    services.theme_create(actor=None, plan=plan, title="Arbeidsmarkedskompetanse", why="Innspill")
    _add(plan, dates=[D(2026, 3, 12)], method_detail="Forelesning/innlegg")
    _add(plan, outcome_text=OUTCOME + " i praksis", dates=[D(2026, 3, 13)], method_detail="Hospitering")
    _add(plan, theme_index=1, outcome_text=OUTCOME, time_kind=TimeKind.CONTINUOUS, method_detail="")
    rows = _rows(plan)
    assert [row.number for row in rows] == ["1.1", "1.2", "2.1"]
    assert [row.label for row in rows][:2] == ["1.1 Forelesning/innlegg", "1.2 Hospitering"]
    # No method: the label falls back to the outcome, cut to fit, with its full text in the title.
    assert rows[2].label.startswith("2.1 NAV-veiledere") and rows[2].label.endswith("…")
    assert len(rows[2].label) <= timeline.LABEL_CHARS
    assert OUTCOME in rows[2].full_text and "Arbeidsmarkedskompetanse" in rows[2].full_text
    assert len({row.label for row in rows}) == 3


def test_svg_draws_every_row_with_its_full_text(plan: Plan) -> None:
    _add(plan, dates=[D(2026, 3, 12)])
    _add(plan, time_text="Mai")
    _add(plan, time_kind=TimeKind.RECURRENCE, rrule="FREQ=MONTHLY;INTERVAL=3", time_text="Hvert kvartal")
    _add(plan, time_kind=TimeKind.DEADLINE, deadline=D(2026, 5, 1))
    _add(plan, time_kind=TimeKind.CONTINUOUS)
    _add(plan, time_kind=TimeKind.TRIGGER, trigger="Nyansatt medarbeider")
    rows = _rows(plan)
    svg = str(
        timeline.timeline_svg(rows, D(2026, 1, 1), D(2026, 6, 30), title="Tidslinje", description="Seks")
    )
    root = ET.fromstring(svg)  # noqa: S314 - our own markup
    assert root.get("role") == "img" and root.get("aria-labelledby") == "timeline-title timeline-desc"
    assert root.find(f"{NS}title").text == "Tidslinje" and root.find(f"{NS}desc").text == "Seks"
    groups = [g for g in root.iter(f"{NS}g") if g.get("id", "").startswith("timeline-a")]
    assert len(groups) == 6
    for group, row in zip(groups, rows, strict=True):
        assert group.find(f"{NS}title").text == row.full_text
        drawn = [e for e in group if e.tag in (f"{NS}circle", f"{NS}rect", f"{NS}path")]
        notes = [e for e in group.findall(f"{NS}text") if e.get("font-style") == "italic"]
        assert drawn or notes, row.number
    assert " style=" not in svg  # presentation attributes only: the CSP allows no inline style


def test_month_list_reads_the_period_month_by_month(plan: Plan) -> None:
    _add(plan, dates=[D(2026, 3, 12)])
    _add(plan, time_text="Mai")
    _add(plan, time_kind=TimeKind.DEADLINE, deadline=D(2026, 5, 1))
    _add(plan, time_kind=TimeKind.CONTINUOUS)
    _add(plan, time_kind=TimeKind.TRIGGER, trigger="Nyansatt medarbeider")
    rows = _rows(plan)
    months = timeline.month_list(rows, D(2026, 1, 1), D(2026, 6, 30))
    assert [item.month.month for item in months.months] == [1, 2, 3, 4, 5, 6]
    by_month = {item.month.month: [entry.row.number for entry in item.entries] for item in months.months}
    assert by_month[3] == ["1.1"] and by_month[5] == ["1.2", "1.3"] and by_month[1] == []
    assert [row.number for row in months.throughout] == ["1.4"]
    assert [row.number for row in months.unplaced] == ["1.5"]
