"""How often an arena meets, as an iCalendar RRULE, and its dates in a period."""

from __future__ import annotations

import datetime

from dateutil.rrule import rrulestr

from .models import Recurrence

WEEKLY_INTERVALS = {
    Recurrence.WEEKLY: 1,
    Recurrence.EVERY_2_WEEKS: 2,
    Recurrence.EVERY_3_WEEKS: 3,
    Recurrence.EVERY_6_WEEKS: 6,
}


def build_rrule(
    recurrence: str, *, starts_on: datetime.date | None, times_per_year: int | None = None
) -> str:
    """The RRULE (without DTSTART, which is `starts_on`) for a recurrence chosen in the form.

    "n times a year" spreads the meetings evenly over the year from the first meeting's month,
    e.g. twice a year from March gives BYMONTH=3,9. On demand has no rule.
    """
    if recurrence == Recurrence.ON_DEMAND:
        return ""
    if recurrence in WEEKLY_INTERVALS:
        interval = WEEKLY_INTERVALS[Recurrence(recurrence)]
        return "FREQ=WEEKLY" if interval == 1 else f"FREQ=WEEKLY;INTERVAL={interval}"
    if recurrence == Recurrence.MONTHLY:
        return "FREQ=MONTHLY"
    if recurrence == Recurrence.YEARLY:
        return "FREQ=YEARLY"
    if recurrence == Recurrence.TIMES_PER_YEAR:
        n = times_per_year or 1
        if not 1 <= n <= 12:
            raise ValueError(n)
        if n == 1:
            return "FREQ=YEARLY"
        if n == 12:
            return "FREQ=MONTHLY"
        first = starts_on.month if starts_on else 1
        months = sorted({(first - 1 + round(i * 12 / n)) % 12 + 1 for i in range(n)})
        return f"FREQ=YEARLY;BYMONTH={','.join(str(m) for m in months)}"
    raise ValueError(recurrence)


def occurrences(
    rrule: str, starts_on: datetime.date | None, period_start: datetime.date, period_end: datetime.date
) -> list[datetime.date]:
    """The dates from `period_start` to `period_end` (both included) on which the rule falls."""
    if not rrule or starts_on is None or period_end < period_start:
        return []
    rule = rrulestr(rrule, dtstart=datetime.datetime.combine(starts_on, datetime.time()))  # noqa: DTZ001
    after = datetime.datetime.combine(period_start, datetime.time())  # noqa: DTZ001
    before = datetime.datetime.combine(period_end, datetime.time())  # noqa: DTZ001
    return [moment.date() for moment in rule.between(after, before, inc=True)]
