"""Moving a plan to its next period the way offices write periods: half-years, whole months, same weekdays.

Pure date arithmetic for `services.plan_copy` and the copy form; nothing here queries.
"""

from __future__ import annotations

import calendar
import datetime
import re

from django.utils import translation
from django.utils.dates import MONTHS

_DAYS_PER_MONTH = 365.25 / 12


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_month_end(day: datetime.date) -> bool:
    return day == month_end(day)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months; a day the target month lacks (31 April) becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    first = datetime.date(index // 12, index % 12 + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


def next_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period after `start`–`end`: spring (1.1–30.6) is followed by autumn (1.7–31.12) and autumn by the
    next spring; any other period by one of the same length starting the day after it ends, ending on a
    month's last day when the original did."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 6, 30) and start.year == end.year:
        return datetime.date(start.year, 7, 1), datetime.date(start.year, 12, 31)
    if (start.month, start.day, end.month, end.day) == (7, 1, 12, 31) and start.year == end.year:
        return datetime.date(start.year + 1, 1, 1), datetime.date(start.year + 1, 6, 30)
    new_start = end + datetime.timedelta(days=1)
    new_end = new_start + (end - start)
    if is_month_end(end):
        # The nearer of the two month ends around the same-length end.
        before = new_end.replace(day=1) - datetime.timedelta(days=1)
        after = month_end(new_end)
        new_end = before if (new_end - before) < (after - new_end) and before >= new_start else after
    return new_start, new_end


def whole_weeks(delta: datetime.timedelta) -> datetime.timedelta:
    """The shift in whole weeks closest to `delta`, so a moved date keeps its weekday."""
    return datetime.timedelta(weeks=round(delta.days / 7))


def whole_months(delta: datetime.timedelta) -> int:
    """The number of whole months closest to `delta` (1 January to 1 July is six)."""
    return round(delta.days / _DAYS_PER_MONTH)


def move_period_day(day: datetime.date, months: int) -> datetime.date:
    """A period's first or last day moved by whole months; a month's last day stays a month's last day."""
    moved = add_months(day, months)
    return month_end(moved) if is_month_end(day) else moved


def move_month_text(text: str, months: int, language: str) -> str | None:
    """A time given as a month only ("Mai", "juni 2015") in `language`, moved by `months` and written the
    same way; None when `text` is not a month alone."""
    match = re.fullmatch(r"\s*(\w+)\.?(?:\s+(\d{4}))?\s*", text)
    if match is None:
        return None
    with translation.override(language):
        names = {str(name).casefold(): number for number, name in MONTHS.items()}
        number = names.get(match.group(1).casefold())
        if number is None:
            return None
        year = int(match.group(2)) if match.group(2) else 2000
        moved = add_months(datetime.date(year, number, 1), months)
        name = str(MONTHS[moved.month])
    if match.group(1)[0].isupper():
        name = name[0].upper() + name[1:]
    return f"{name} {moved.year}" if match.group(2) else name
