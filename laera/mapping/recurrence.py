"""How often an arena meets, as an iCalendar RRULE: its dates in a period and a sentence for people."""

from __future__ import annotations

import datetime

from dateutil.rrule import rrulestr
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext, pgettext

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


_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _ordinal(n: int) -> str | None:
    """'third' for 3, 'last' for -1: the word for counting weeks, months and weekdays in a month."""
    words = {
        -1: pgettext("ordinal", "last"),
        1: pgettext("ordinal", "first"),
        2: pgettext("ordinal", "second"),
        3: pgettext("ordinal", "third"),
        4: pgettext("ordinal", "fourth"),
        5: pgettext("ordinal", "fifth"),
        6: pgettext("ordinal", "sixth"),
        7: pgettext("ordinal", "seventh"),
        8: pgettext("ordinal", "eighth"),
        9: pgettext("ordinal", "ninth"),
        10: pgettext("ordinal", "tenth"),
        11: pgettext("ordinal", "eleventh"),
        12: pgettext("ordinal", "twelfth"),
    }
    return words.get(n)


def _and(items: list[str]) -> str:
    return str(get_text_list(items, gettext("and")))


def _weekdays(values: list[str]) -> tuple[str, int | None] | None:
    """The weekday names of a BYDAY value, and the position they all share (1MO, -1FR), if any."""
    names, positions = [], set()
    for value in values:
        code, number = value[-2:].upper(), value[:-2]
        if code not in _WEEKDAY_CODES or (number and not number.lstrip("+-").isdigit()):
            return None
        names.append(str(WEEKDAYS[_WEEKDAY_CODES.index(code)]))
        positions.add(int(number) if number else None)
    if len(positions) != 1:
        return None
    return _and(names), positions.pop()


def describe(rrule: str, starts_on: datetime.date | None = None) -> str:
    """How often a rule meets, as a sentence in the active language ("Every third week on Tuesday").

    Covers what arenas and plan activities use: DAILY, WEEKLY, MONTHLY and YEARLY with INTERVAL, BYDAY
    (also with a position, 1MO or BYSETPOS), BYMONTHDAY and BYMONTH. The day, weekday or month not in the
    rule comes from `starts_on`, where the rule is anchored. Returns "" for an empty rule or one it cannot
    put into words, so the caller can fall back to its own label.
    """
    try:
        parts = dict(part.split("=", 1) for part in rrule.upper().replace(" ", "").split(";") if part)
    except ValueError:
        return ""
    freq = parts.pop("FREQ", "")
    parts.pop("WKST", None)
    try:
        interval = int(parts.pop("INTERVAL", "1"))
        setpos = int(parts.pop("BYSETPOS")) if "BYSETPOS" in parts else None
        monthdays = [int(v) for v in parts.pop("BYMONTHDAY").split(",")] if "BYMONTHDAY" in parts else []
        months = [int(v) for v in parts.pop("BYMONTH").split(",")] if "BYMONTH" in parts else []
    except ValueError:
        return ""
    byday = _weekdays(parts.pop("BYDAY").split(",")) if "BYDAY" in parts else ("", None)
    if parts or byday is None or interval < 1 or not all(1 <= m <= 12 for m in months):
        return ""  # COUNT, UNTIL, BYHOUR... are not used by Læra and are left to the calendar program
    weekday, position = byday
    if setpos is not None:
        if position is not None or not weekday:
            return ""
        position = setpos
    if freq == "DAILY" and not (weekday or monthdays or months):
        if interval == 1:
            return gettext("Every day")
        return ngettext("Every %(count)s day", "Every %(count)s days", interval) % {"count": interval}
    if freq == "WEEKLY" and position is None and not (monthdays or months):
        return _weekly(interval, weekday or (str(WEEKDAYS[starts_on.weekday()]) if starts_on else ""))
    if freq == "MONTHLY" and not months:
        return _monthly(interval, weekday, position, monthdays, starts_on)
    if freq == "YEARLY" and not (weekday or monthdays) and interval == 1:
        return _yearly(months or ([starts_on.month] if starts_on else []))
    return ""


def _weekly(interval: int, weekday: str) -> str:
    if interval == 1:
        if weekday:
            return gettext("Every week on %(weekday)s") % {"weekday": weekday}
        return gettext("Every week")
    if interval == 2:
        if weekday:
            return gettext("Every 14 days on %(weekday)s") % {"weekday": weekday}
        return gettext("Every 14 days")
    ordinal = _ordinal(interval)
    if ordinal is None:
        return ngettext("Every %(count)s week", "Every %(count)s weeks", interval) % {"count": interval}
    if weekday:
        return gettext("Every %(ordinal)s week on %(weekday)s") % {"ordinal": ordinal, "weekday": weekday}
    return gettext("Every %(ordinal)s week") % {"ordinal": ordinal}


def _monthly(
    interval: int, weekday: str, position: int | None, monthdays: list[int], starts_on: datetime.date | None
) -> str:
    if interval == 1:
        every = gettext("Every month")
    else:
        ordinal = _ordinal(interval)
        if ordinal is None:
            return ngettext("Every %(count)s month", "Every %(count)s months", interval) % {"count": interval}
        every = gettext("Every %(ordinal)s month") % {"ordinal": ordinal}
    if weekday:
        which = _ordinal(position) if position is not None and -1 <= position <= 5 else None
        if which is None:
            return ""
        return gettext("%(every)s on the %(ordinal)s %(weekday)s") % {
            "every": every,
            "ordinal": which,
            "weekday": weekday,
        }
    if monthdays == [-1]:
        return gettext("%(every)s on the last day") % {"every": every}
    if not monthdays and starts_on:
        monthdays = [starts_on.day]
    if not monthdays:
        return every
    if not all(1 <= d <= 31 for d in monthdays):
        return ""
    return ngettext("%(every)s on day %(days)s", "%(every)s on days %(days)s", len(monthdays)) % {
        "every": every,
        "days": _and([str(d) for d in sorted(monthdays)]),
    }


def _yearly(months: list[int]) -> str:
    count = len(months) or 1
    if count == 2:
        often = gettext("Twice a year")
    else:
        often = ngettext("Once a year", "%(counter)s times a year", count) % {"counter": count}
    if not months:
        return often
    return gettext("%(often)s, in %(months)s") % {
        "often": often,
        "months": _and([str(MONTHS[m]) for m in sorted(set(months))]),
    }
