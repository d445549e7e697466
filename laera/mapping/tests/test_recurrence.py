from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from laera.mapping.models import Recurrence
from laera.mapping.recurrence import build_rrule, describe, occurrences

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


TUESDAY = D(2015, 1, 13)  # the demo's MI guidance groups meet first on this Tuesday


@pytest.mark.parametrize(
    ("rule", "starts", "sentence"),
    [
        ("FREQ=WEEKLY", TUESDAY, "Every week on Tuesday"),
        ("FREQ=WEEKLY", None, "Every week"),
        ("FREQ=WEEKLY;INTERVAL=2", TUESDAY, "Every 14 days on Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=3", TUESDAY, "Every third week on Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=3", None, "Every third week"),
        ("FREQ=WEEKLY;INTERVAL=6", TUESDAY, "Every sixth week on Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=20", TUESDAY, "Every 20 weeks"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", TUESDAY, "Every week on Monday and Thursday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;WKST=MO", None, "Every 14 days on Friday"),
        ("FREQ=DAILY", None, "Every day"),
        ("FREQ=DAILY;INTERVAL=14", None, "Every 14 days"),
        ("FREQ=MONTHLY", TUESDAY, "Every month on day 13"),
        ("FREQ=MONTHLY", None, "Every month"),
        ("FREQ=MONTHLY;INTERVAL=3", D(2015, 1, 8), "Every third month on day 8"),
        ("FREQ=MONTHLY;INTERVAL=24", None, "Every 24 months"),
        ("FREQ=MONTHLY;BYDAY=1MO", TUESDAY, "Every month on the first Monday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", None, "Every month on the last Friday"),
        ("FREQ=MONTHLY;BYDAY=WE;BYSETPOS=2", None, "Every month on the second Wednesday"),
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=TU;BYSETPOS=-1", None, "Every second month on the last Tuesday"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", TUESDAY, "Every month on day 15"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", None, "Every month on days 1 and 15"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", None, "Every month on the last day"),
        ("FREQ=YEARLY", D(2015, 3, 5), "Once a year, in March"),
        ("FREQ=YEARLY", None, "Once a year"),
        ("FREQ=YEARLY;BYMONTH=3,9", D(2015, 3, 5), "Twice a year, in March and September"),
        ("FREQ=YEARLY;BYMONTH=1,5,9", None, "3 times a year, in January, May and September"),
        ("freq=weekly; interval=3", TUESDAY, "Every third week on Tuesday"),
    ],
)
def test_sentences(rule: str, starts: datetime.date | None, sentence: str) -> None:
    with translation.override("en"):
        assert describe(rule, starts) == sentence


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "FREQ=WEEKLY;COUNT=10",
        "FREQ=HOURLY",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=MONTHLY;BYDAY=1MO,-1FR",
        "FREQ=MONTHLY;BYDAY=9MO",
        "FREQ=WEEKLY;INTERVAL=x",
        "not a rule",
    ],
)
def test_a_rule_it_cannot_word_gives_nothing(rule: str) -> None:
    assert describe(rule, TUESDAY) == ""


def test_every_rule_an_arena_can_have_is_worded() -> None:
    for choice in Recurrence:
        for times in range(1, 13) if choice == Recurrence.TIMES_PER_YEAR else [None]:
            rule = build_rrule(choice, starts_on=TUESDAY, times_per_year=times)
            assert bool(describe(rule, TUESDAY)) == bool(rule), (choice, times, rule)
