"""The half-year timeline of a plan's activities: server-side SVG, and the same facts as table rows.

Pure over plans loaded by `selectors.plan_tree_queryset`; presentation attributes only (the pages' CSP
allows no inline style).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from laera.mapping.recurrence import occurrences

from . import presentation
from .models import Activity, Plan, TimeKind

WIDTH, LABEL_WIDTH, ROW, TOP = 760, 250, 28, 34
COLOURS = {"line": "#6a7b8c", "mark": "#1f5fa8", "deadline": "#b3470b", "bar": "#9fc0e6", "text": "#102a43"}


@dataclass(frozen=True)
class TimelineRow:
    theme: str
    label: str
    kind: str
    dates: tuple[datetime.date, ...]
    deadline: datetime.date | None
    when: str


def timeline_rows(plan: Plan) -> list[TimelineRow]:
    rows = []
    for theme in plan.themes.all():
        for outcome in theme.outcomes.all():
            for activity in outcome.activities.all():
                rows.append(_row(plan, theme.title, outcome.text, activity))
    return rows


def _row(plan: Plan, theme: str, outcome: str, activity: Activity) -> TimelineRow:
    dates = tuple(datetime.date.fromisoformat(d) for d in activity.dates)
    if activity.time_kind == TimeKind.RECURRENCE and activity.rrule:
        start = dates[0] if dates else plan.period_start
        dates = tuple(occurrences(activity.rrule, start, plan.period_start, plan.period_end))
    method = presentation.method_label(activity)
    label = f"{outcome[:60]}{'…' if len(outcome) > 60 else ''}" + (f" — {method}" if method else "")
    return TimelineRow(
        theme=theme,
        label=label,
        kind=activity.time_kind,
        dates=dates,
        deadline=activity.deadline,
        when=presentation.time_label(activity, plan.language),
    )


def _x(day: datetime.date, start: datetime.date, end: datetime.date) -> float:
    span = max((end - start).days, 1)
    return LABEL_WIDTH + (WIDTH - LABEL_WIDTH - 10) * min(max((day - start).days, 0), span) / span


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, day = [], datetime.date(start.year, start.month, 1)
    while day <= end:
        months.append(day)
        day = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def timeline_svg(
    rows: list[TimelineRow],
    start: datetime.date,
    end: datetime.date,
    *,
    title: str,
    description: str,
    id_prefix: str = "timeline",
) -> SafeString:
    height = TOP + ROW * max(len(rows), 1) + 10
    parts: list[SafeString] = []
    for month in _months(start, end):
        x = _x(max(month, start), start, end)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                f"{x:.1f}",
                TOP - 6,
                f"{x:.1f}",
                height - 6,
                COLOURS["line"],
                f"{x + 3:.1f}",
                TOP - 12,
                COLOURS["text"],
                formats.date_format(month, "M"),
            )
        )
    for index, row in enumerate(rows):
        y = TOP + ROW * index + ROW / 2
        label = row.label if len(row.label) <= 38 else row.label[:37] + "…"
        parts.append(
            format_html(
                '<text x="4" y="{}" font-size="11" fill="{}">{}</text>',
                f"{y + 4:.1f}",
                COLOURS["text"],
                label,
            )
        )
        if row.kind == TimeKind.CONTINUOUS:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="8" rx="4" fill="{}"/>',
                    f"{_x(start, start, end):.1f}",
                    f"{y - 4:.1f}",
                    f"{_x(end, start, end) - _x(start, start, end):.1f}",
                    COLOURS["bar"],
                )
            )
        for day in row.dates:
            if start <= day <= end:
                parts.append(
                    format_html(
                        '<circle cx="{}" cy="{}" r="5" fill="{}"/>',
                        f"{_x(day, start, end):.1f}",
                        f"{y:.1f}",
                        COLOURS["mark"],
                    )
                )
        if row.deadline is not None and start <= row.deadline <= end:
            x = _x(row.deadline, start, end)
            parts.append(
                format_html(
                    '<path d="M {} {} l 6 6 l -6 6 l -6 -6 z" fill="{}"/>',
                    f"{x:.1f}",
                    f"{y - 6:.1f}",
                    COLOURS["deadline"],
                )
            )
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


def when_text(row: TimelineRow) -> str:
    """The dates of a row for the table, in the active language."""
    if row.dates:
        return ", ".join(str(formats.date_format(d, "j. M")) for d in row.dates)
    return row.when
