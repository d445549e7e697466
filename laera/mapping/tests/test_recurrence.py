from __future__ import annotations

import datetime

import pytest

from laera.mapping.models import Recurrence
from laera.mapping.recurrence import build_rrule, occurrences

D = datetime.date


@pytest.mark.parametrize(
    ("recurrence", "times", "rule"),
    [
        (Recurrence.WEEKLY, None, "FREQ=WEEKLY"),
        (Recurrence.EVERY_2_WEEKS, None, "FREQ=WEEKLY;INTERVAL=2"),
        (Recurrence.EVERY_3_WEEKS, None, "FREQ=WEEKLY;INTERVAL=3"),
        (Recurrence.MONTHLY, None, "FREQ=MONTHLY"),
        (Recurrence.EVERY_6_WEEKS, None, "FREQ=WEEKLY;INTERVAL=6"),
        (Recurrence.TIMES_PER_YEAR, 2, "FREQ=YEARLY;BYMONTH=3,9"),
        (Recurrence.TIMES_PER_YEAR, 6, "FREQ=YEARLY;BYMONTH=1,3,5,7,9,11"),
        (Recurrence.TIMES_PER_YEAR, 1, "FREQ=YEARLY"),
        (Recurrence.TIMES_PER_YEAR, 12, "FREQ=MONTHLY"),
        (Recurrence.YEARLY, None, "FREQ=YEARLY"),
        (Recurrence.ON_DEMAND, None, ""),
    ],
)
def test_rules(recurrence: str, times: int | None, rule: str) -> None:
    starts = D(2015, 3, 5) if times == 2 else D(2015, 1, 8)
    assert build_rrule(recurrence, starts_on=starts, times_per_year=times) == rule


def test_times_per_year_outside_one_to_twelve_is_refused() -> None:
    with pytest.raises(ValueError):
        build_rrule(Recurrence.TIMES_PER_YEAR, starts_on=D(2015, 1, 1), times_per_year=13)


def test_every_14_days_in_spring_2015() -> None:
    dates = occurrences("FREQ=WEEKLY;INTERVAL=2", D(2015, 1, 8), D(2015, 1, 1), D(2015, 2, 28))
    assert dates == [D(2015, 1, 8), D(2015, 1, 22), D(2015, 2, 5), D(2015, 2, 19)]


def test_every_third_week_and_twice_a_year() -> None:
    assert len(occurrences("FREQ=WEEKLY;INTERVAL=3", D(2015, 1, 6), D(2015, 1, 1), D(2015, 6, 30))) == 9
    assert occurrences("FREQ=YEARLY;BYMONTH=3,9", D(2015, 3, 12), D(2015, 1, 1), D(2015, 12, 31)) == [
        D(2015, 3, 12),
        D(2015, 9, 12),
    ]


def test_no_rule_or_no_start_gives_no_dates() -> None:
    assert occurrences("", D(2015, 1, 1), D(2015, 1, 1), D(2015, 12, 31)) == []
    assert occurrences("FREQ=WEEKLY", None, D(2015, 1, 1), D(2015, 12, 31)) == []
    assert occurrences("FREQ=WEEKLY", D(2015, 1, 1), D(2015, 2, 1), D(2015, 1, 1)) == []
