"""The timeline of a plan's activities over its period: the facts per activity, an SVG, and a month list.

Every kind of time an activity holds is drawn: single dates (dots), consecutive dates (a bar), alternative
dates (rings), a recurrence expanded over the period (small dots on its dates, or, when the plan names no
first date, one segment per repetition: "once a quarter" is a segment per quarter), a month given alone
("Mai") as a band over that month, a deadline as a diamond after a pale band for the time before it,
"continuously" as a bar through the period, and a trigger ("when a new employee starts") as a note in the
row. Rows are told apart by number (theme.activity) and a short text; the full texts are in each row's
SVG <title> and in the table beside it.

Pure over plans loaded by `selectors.plan_tree_queryset`; presentation attributes only (the pages' CSP
allows no inline style).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import formats, translation
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.mapping.recurrence import occurrences

from . import presentation
from .models import Activity, Plan, TimeKind

WIDTH, LABEL_WIDTH, ROW, TOP, THEME_ROW = 760, 230, 28, 34, 24
LABEL_CHARS = 34
COLOURS = {
    "line": "#6a7b8c",
    "mark": "#1f5fa8",
    "deadline": "#b3470b",
    "bar": "#5b8fd0",
    "pale": "#b9cde6",
    "text": "#102a43",
    "theme": "#eef2f6",
}
LANGUAGES = ("nb", "nn", "sv", "da", "en")


@dataclass(frozen=True)
class Mark:
    """A point in time: kind is "date", "alternative" (one of several dates), "occurrence" (a
    recurrence's date) or "deadline"."""

    kind: str
    day: datetime.date


@dataclass(frozen=True)
class Band:
    """A stretch of time, both ends included: kind is "range" (consecutive dates), "month" (a month
    named alone), "interval" (one repetition of a recurrence with no first date), "until" (the time before a
    deadline) or "continuous" (the whole period)."""

    kind: str
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class TimelineRow:
    key: str  # "a12", unique on the page
    number: str  # "2.3": the third activity of the second theme
    theme: str
    outcome: str
    activity: str  # what the activity is, shortly: its method, else its arena, else the outcome
    kind: str
    when: str  # the plan's words for the time
    marks: tuple[Mark, ...] = ()
    bands: tuple[Band, ...] = ()
    note: str = ""  # the time in words when it has no place on the line (a trigger, "on demand")
    details: tuple[str, ...] = field(default=())  # arena and method, for the full text

    @property
    def label(self) -> str:
        """The row's label on the chart: number and short text, cut to fit."""
        text = f"{self.number} {self.activity}".strip()
        return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"

    @property
    def full_text(self) -> str:
        parts = [f"{self.number} {self.theme}", self.outcome, *self.details, self.when or self.note]
        return " — ".join(part for part in parts if part)

    @property
    def dates(self) -> tuple[datetime.date, ...]:
        """The fixed dates of the row (dates, alternatives and a recurrence's dates)."""
        return tuple(m.day for m in self.marks if m.kind != "deadline") + tuple(
            day for band in self.bands if band.kind == "range" for day in _days(band.start, band.end)
        )

    @property
    def deadline(self) -> datetime.date | None:
        return next((m.day for m in self.marks if m.kind == "deadline"), None)

    @property
    def drawn(self) -> bool:
        return bool(self.marks or self.bands or self.note)


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _month_end(day: datetime.date) -> datetime.date:
    following = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def month_of_text(text: str, language: str, start: datetime.date, end: datetime.date) -> Band | None:
    """A time given as a month alone ("Mai", "juni 2015", "May") as a band over that month in the period;
    None when the text is something else. The plan's language is tried first, then the other four."""
    match = re.fullmatch(r"\s*(\w+)\.?(?:\s+(\d{4}))?\s*", text)
    if match is None:
        return None
    word = match.group(1).casefold()
    number = None
    for code in (language, *[c for c in LANGUAGES if c != language]):
        with translation.override(code):
            names = {str(name).casefold(): n for n, name in MONTHS.items()}
        number = names.get(word)
        if number is not None:
            break
    if number is None:
        return None
    years = [int(match.group(2))] if match.group(2) else list(range(start.year, end.year + 1))
    for year in years:
        first = datetime.date(year, number, 1)
        last = _month_end(first)
        if last >= start and first <= end:
            return Band("month", max(first, start), min(last, end))
    return None


def _runs(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days grouped: [22, 23 April, 9 May] gives (22–23 April), (9–9 May)."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] == datetime.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _time(plan: Plan, activity: Activity, when: str) -> tuple[tuple[Mark, ...], tuple[Band, ...], str]:
    start, end = plan.period_start, plan.period_end
    days = sorted(datetime.date.fromisoformat(d) for d in activity.dates)
    kind = activity.time_kind
    if kind == TimeKind.DATES:
        if activity.dates_are_alternatives and len(days) > 1:
            return tuple(Mark("alternative", d) for d in days), (), ""
        if days:
            marks, bands = [], []
            for first, last in _runs(days):
                if first == last:
                    marks.append(Mark("date", first))
                else:
                    bands.append(Band("range", first, last))
            return tuple(marks), tuple(bands), ""
        month = month_of_text(activity.time_text, plan.language, start, end)
        return ((), (month,), "") if month else ((), (), when)
    if kind == TimeKind.RECURRENCE:
        if activity.rrule:
            if days:
                dates = occurrences(activity.rrule, days[0], start, end)
                return tuple(Mark("occurrence", d) for d in dates), (), "" if dates else when
            # No first date: the plan says how often, not on which day. One segment per repetition.
            dates = occurrences(activity.rrule, start, start, end)
            bounds = [*dates[1:], end + datetime.timedelta(days=1)]
            intervals = tuple(
                Band("interval", first, following - datetime.timedelta(days=1))
                for first, following in zip(dates, bounds, strict=True)
            )
            return (), intervals, "" if intervals else when
        return tuple(Mark("date", d) for d in days), (), "" if days else when
    if kind == TimeKind.DEADLINE:
        if activity.deadline is None:
            return (), (), when
        until = (Band("until", start, activity.deadline),) if activity.deadline > start else ()
        return (Mark("deadline", activity.deadline),), until, ""
    if kind == TimeKind.CONTINUOUS:
        return (), (Band("continuous", start, end),), ""
    return (), (), when or activity.trigger


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timeline_rows(plan: Plan) -> list[TimelineRow]:
    """One row per activity, in the plan's order, numbered by theme and activity."""
    rows = []
    for theme_number, theme in enumerate(plan.themes.all(), start=1):
        activity_number = 0
        for outcome in theme.outcomes.all():
            for activity in outcome.activities.all():
                activity_number += 1
                rows.append(
                    _row(plan, f"{theme_number}.{activity_number}", theme.title, outcome.text, activity)
                )
    return rows


def _row(plan: Plan, number: str, theme: str, outcome: str, activity: Activity) -> TimelineRow:
    when = presentation.time_label(activity, plan.language)
    marks, bands, note = _time(plan, activity, when)
    method = presentation.method_label(activity)
    arena = presentation.arena_label(activity)
    return TimelineRow(
        key=f"a{activity.pk}",
        number=number,
        theme=theme,
        outcome=outcome,
        activity=_short(method or arena or outcome),
        kind=activity.time_kind,
        when=when,
        marks=marks,
        bands=bands,
        note=note,
        details=tuple(part for part in (arena, method) if part),
    )


def _x(day: datetime.date, start: datetime.date, end: datetime.date) -> float:
    span = max((end - start).days + 1, 1)
    return LABEL_WIDTH + (WIDTH - LABEL_WIDTH - 10) * min(max((day - start).days, 0), span) / span


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, day = [], datetime.date(start.year, start.month, 1)
    while day <= end:
        months.append(day)
        day = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _band(band: Band, y: float, start: datetime.date, end: datetime.date) -> SafeString:
    first, last = max(band.start, start), min(band.end, end)
    x1 = _x(first, start, end)
    x2 = _x(last + datetime.timedelta(days=1), start, end)
    if band.kind == "until":
        height, colour, top = 4, COLOURS["pale"], y - 2
    elif band.kind == "interval":
        # One segment per repetition, with a gap so that the repetitions can be counted.
        x1, x2 = x1 + 1.5, max(x2 - 1.5, x1 + 3)
        height, colour, top = 8, COLOURS["bar"], y - 4
    else:
        height, colour, top = 10 if band.kind != "continuous" else 8, COLOURS["bar"], y - 5
    if band.kind in ("range", "month"):
        colour = COLOURS["mark"] if band.kind == "range" else COLOURS["bar"]
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}"/>',
        f"{x1:.1f}",
        f"{top:.1f}",
        f"{max(x2 - x1, 2):.1f}",
        height,
        min(height // 2, 4),
        colour,
    )


def _mark(mark: Mark, y: float, start: datetime.date, end: datetime.date) -> SafeString:
    x = _x(mark.day, start, end) + 0.5 * (WIDTH - LABEL_WIDTH - 10) / max((end - start).days + 1, 1)
    if mark.kind == "deadline":
        return format_html(
            '<path d="M {} {} l 6 6 l -6 6 l -6 -6 z" fill="{}"/>',
            f"{x:.1f}",
            f"{y - 6:.1f}",
            COLOURS["deadline"],
        )
    if mark.kind == "alternative":
        return format_html(
            '<circle cx="{}" cy="{}" r="5" fill="#ffffff" stroke="{}" stroke-width="2"/>',
            f"{x:.1f}",
            f"{y:.1f}",
            COLOURS["mark"],
        )
    radius = 3.5 if mark.kind == "occurrence" else 5
    return format_html(
        '<circle cx="{}" cy="{}" r="{}" fill="{}"/>', f"{x:.1f}", f"{y:.1f}", radius, COLOURS["mark"]
    )


def timeline_svg(
    rows: list[TimelineRow],
    start: datetime.date,
    end: datetime.date,
    *,
    title: str,
    description: str,
    id_prefix: str = "timeline",
) -> SafeString:
    """The chart: a heading row per theme, then one row per activity, months as columns."""
    themes = len({row.theme for row in rows}) if rows else 0
    height = TOP + ROW * max(len(rows), 1) + THEME_ROW * themes + 10
    parts: list[SafeString] = []
    months = _months(start, end)
    every = 1 if len(months) <= 8 else 2
    for index, month in enumerate(months):
        x = _x(max(month, start), start, end)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
                f"{x:.1f}",
                TOP - 6,
                f"{x:.1f}",
                height - 6,
                COLOURS["line"],
            )
        )
        if index % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                    f"{x + 3:.1f}",
                    TOP - 12,
                    COLOURS["text"],
                    # The month's name alone, as the locale writes it: the page title gives the year.
                    formats.date_format(month, "F"),
                )
            )
    y = float(TOP)
    theme = None
    for row in rows:
        if row.theme != theme:
            theme = row.theme
            parts.append(
                format_html(
                    '<g><rect x="0" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="4" y="{}" font-size="12" font-weight="bold" fill="{}">{}</text></g>',
                    f"{y + 2:.1f}",
                    WIDTH,
                    THEME_ROW - 4,
                    COLOURS["theme"],
                    f"{y + THEME_ROW / 2 + 4:.1f}",
                    COLOURS["text"],
                    _short(f"{row.number.split('.')[0]} {theme}", 90),
                )
            )
            y += THEME_ROW
        middle = y + ROW / 2
        shapes = [_band(band, middle, start, end) for band in row.bands]
        shapes += [_mark(mark, middle, start, end) for mark in row.marks if start <= mark.day <= end]
        if row.note:
            shapes.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" font-style="italic" fill="{}">{}</text>',
                    LABEL_WIDTH + 4,
                    f"{middle + 4:.1f}",
                    COLOURS["text"],
                    _short(row.note, 70),
                )
            )
        parts.append(
            format_html(
                '<g id="{}-{}"><title>{}</title><text x="4" y="{}" font-size="11" fill="{}">{}</text>{}</g>',
                id_prefix,
                row.key,
                row.full_text,
                f"{middle + 4:.1f}",
                COLOURS["text"],
                row.label,
                mark_safe("".join(shapes)),  # noqa: S308 - every shape is built with format_html
            )
        )
        y += ROW
    body = mark_safe("".join(parts))  # noqa: S308 - every part above is built with format_html
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" font-family="system-ui, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        id_prefix,
        id_prefix,
        id_prefix,
        title,
        id_prefix,
        description,
        body,
    )


def _day(day: datetime.date) -> str:
    return str(formats.date_format(day, "MONTH_DAY_FORMAT"))


def _span(first: datetime.date, last: datetime.date) -> str:
    return _day(first) if first == last else f"{_day(first)}–{_day(last)}"


def when_text(row: TimelineRow) -> str:
    """When the row's activity happens, for the table and the month list, in the active language: the
    plan's own words, and the dates they come to on the line where they differ from them."""
    dates = [m.day for m in row.marks if m.kind in ("date", "alternative", "occurrence")]
    ranges = [_span(b.start, b.end) for b in row.bands if b.kind == "range"]
    shown = ", ".join([*ranges, *(_day(d) for d in dates)])
    if row.when and shown and row.kind == TimeKind.RECURRENCE:
        return f"{row.when}: {shown}"
    return row.when or shown


@dataclass(frozen=True)
class MonthEntry:
    row: TimelineRow
    text: str  # when in the month: "22. april", "3 times: 13. januar, 3. februar", "the whole month"


@dataclass(frozen=True)
class MonthItems:
    month: datetime.date
    entries: tuple[MonthEntry, ...]


@dataclass(frozen=True)
class MonthList:
    """The timeline read month by month, for a narrow screen: what happens in each month, what runs
    through the whole period, and what has no time on the line."""

    months: tuple[MonthItems, ...]
    throughout: tuple[TimelineRow, ...]
    unplaced: tuple[TimelineRow, ...]


def month_list(rows: list[TimelineRow], start: datetime.date, end: datetime.date) -> MonthList:
    months = []
    for month in _months(start, end):
        first, last = max(month, start), min(_month_end(month), end)
        entries = []
        for row in rows:
            if any(b.kind == "continuous" for b in row.bands):
                continue
            texts = _month_texts(row, first, last)
            if texts:
                entries.append(MonthEntry(row, ", ".join(texts)))
        months.append(MonthItems(month, tuple(entries)))
    throughout = tuple(row for row in rows if any(b.kind == "continuous" for b in row.bands))
    unplaced = tuple(row for row in rows if not (row.marks or row.bands))
    return MonthList(tuple(months), throughout, unplaced)


def _month_texts(row: TimelineRow, first: datetime.date, last: datetime.date) -> list[str]:
    texts = []
    for band in row.bands:
        if band.end < first or band.start > last:
            continue
        if band.kind == "range":
            texts.append(_span(max(band.start, first), min(band.end, last)))
        elif band.kind == "month":
            texts.append(_("some time this month"))
        elif band.kind == "interval" and band.start >= first:
            texts.append(row.when or _("once in this period"))
    days = [m for m in row.marks if first <= m.day <= last]
    alternatives = [_day(m.day) for m in days if m.kind == "alternative"]
    if alternatives:
        texts.append(_("one of %(dates)s") % {"dates": ", ".join(alternatives)})
    for mark in days:
        if mark.kind == "deadline":
            texts.append(_("deadline %(date)s") % {"date": _day(mark.day)})
        elif mark.kind != "alternative":
            texts.append(_day(mark.day))
    return texts


def timeline_context(plan: Plan) -> dict[str, object]:
    """What the timeline page shows: the chart, the table rows with their times, and the month list."""
    rows = timeline_rows(plan)
    placed = sum(1 for row in rows if row.marks or row.bands)
    count = len(rows)
    description = ngettext(
        "%(count)s activity over the period.", "%(count)s activities over the period.", count
    ) % {"count": count}
    if count:
        description += " " + ngettext(
            "%(placed)s of them has a time on the line.",
            "%(placed)s of them have a time on the line.",
            placed,
        ) % {"placed": placed}
    svg = timeline_svg(
        rows,
        plan.period_start,
        plan.period_end,
        title=_("When the activities of %(plan)s happen") % {"plan": plan.name},
        description=description,
    )
    return {
        "svg": svg,
        "table": [(row, when_text(row)) for row in rows],
        "months": month_list(rows, plan.period_start, plan.period_end),
    }
