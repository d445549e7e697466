"""The plan's dated activities as an iCalendar file (RFC 5545), for calendars to import or subscribe to.

Every event is an all-day event:
- time kind "dates": one event per date; when the dates are alternatives ("22. eller 23. april") each event
  says so in its description and is TENTATIVE;
- "recurrence": one event on the first date, repeated by the activity's RRULE, ending with the plan's
  period unless the rule itself says when it ends;
- "deadline": one event on the deadline;
- "continuous" and "trigger" have no date, so no event.
Team sub-plans' activities are included. UIDs are stable: the same plan, activity and date always give the
same UID, so a calendar that subscribes updates its events instead of doubling them.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator

from laera.documents import layout
from laera.documents.plan_data import ActivityData, OutcomeData, PlanDocument, ThemeData

# "One of several alternative dates", in the plan's language.
ALTERNATIVE = {
    "nb": "alternativ dato",
    "nn": "alternativ dato",
    "sv": "alternativt datum",
    "da": "alternativ dato",
    "en": "alternative date",
}

SUMMARY_OUTCOME_LENGTH = 60
MAX_LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets (RFC 5545 3.1), never inside a UTF-8 character;
    the continuation lines start with a space."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_LINE_OCTETS - 1  # the leading space takes one octet
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _shorten(text: str, length: int) -> str:
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def _uid(doc: PlanDocument, activity: ActivityData, day: datetime.date) -> str:
    plan = "\x1f".join((doc.organisation, doc.unit, doc.period_start.isoformat(), doc.period_end.isoformat()))
    digest = hashlib.sha256(f"{plan}\x1e{activity.key}\x1e{day.isoformat()}".encode()).hexdigest()[:32]
    return f"{digest}@laera"


def _description(
    doc: PlanDocument, theme: ThemeData, outcome: OutcomeData, activity: ActivityData, alternative: bool
) -> str:
    labels = doc.labels
    lines = []
    if alternative:
        lines.append(f"({ALTERNATIVE.get(doc.language, ALTERNATIVE['en'])})")
    for label, value in (
        (labels.arena, activity.arena),
        (labels.method, activity.method),
        (labels.participants, activity.participants),
        (labels.responsible, activity.responsible),
        (labels.time, activity.time.text),
        (labels.theme, theme.title),
        (labels.outcome, outcome.text),
    ):
        if value.strip():
            lines.append(f"{label}: {value.strip()}")
    lines.append(f"{labels.plan}: {doc.title}")
    return "\n".join(lines)


def _occurrences(activity: ActivityData) -> Iterator[tuple[datetime.date, str, bool]]:
    """(date, RRULE or "", is an alternative) for each event the activity makes."""
    time = activity.time
    if time.kind == "dates":
        for day in time.dates:
            yield day, "", time.either and len(time.dates) > 1
    elif time.kind == "recurrence" and time.dates and time.rrule.strip():
        # No white space can be part of a rule; dropping it also keeps a line break from starting a property.
        yield time.dates[0], "".join(time.rrule.split()), False
    elif time.kind == "recurrence" and time.dates:
        yield from ((day, "", False) for day in time.dates)
    elif time.kind == "deadline" and time.deadline is not None:
        yield time.deadline, "", False


def _bounded(rrule: str, until: datetime.date) -> str:
    """The rule, ending with the plan's period unless it already has an end."""
    parts = {part.split("=", 1)[0].upper() for part in rrule.split(";") if part}
    if "UNTIL" in parts or "COUNT" in parts:
        return rrule
    return f"{rrule};UNTIL={_date(until)}"


def _events(doc: PlanDocument, stamp: str) -> Iterator[list[str]]:
    for plan in layout.all_plans(doc):
        for theme in plan.themes:
            for outcome in theme.outcomes:
                for activity in outcome.activities:
                    for day, rrule, alternative in _occurrences(activity):
                        summary = _shorten(outcome.text, SUMMARY_OUTCOME_LENGTH)
                        if activity.method.strip():
                            summary = f"{summary} – {activity.method.strip()}"
                        lines = [
                            "BEGIN:VEVENT",
                            f"UID:{_uid(plan, activity, day)}",
                            f"DTSTAMP:{stamp}",
                            f"DTSTART;VALUE=DATE:{_date(day)}",
                            f"DTEND;VALUE=DATE:{_date(day + datetime.timedelta(days=1))}",
                        ]
                        if rrule:
                            lines.append(f"RRULE:{_bounded(rrule, plan.period_end)}")
                        lines.append(f"SUMMARY:{escape_text(summary)}")
                        description = _description(plan, theme, outcome, activity, alternative)
                        lines.append(f"DESCRIPTION:{escape_text(description)}")
                        if activity.arena.strip():
                            lines.append(f"LOCATION:{escape_text(activity.arena.strip())}")
                        lines.append("STATUS:TENTATIVE" if alternative else "STATUS:CONFIRMED")
                        lines.append("TRANSP:TRANSPARENT")
                        lines.append("END:VEVENT")
                        yield lines


def plan_ics(
    doc: PlanDocument,
    *,
    prodid: str = "-//Læra//Plan//NB",
    dtstamp: datetime.datetime | None = None,
) -> str:
    """The plan as a VCALENDAR with one all-day VEVENT per dated occurrence (see the module's docstring).

    `dtstamp` is when the calendar was made (now by default; a naive value is taken as UTC). Lines end
    with CRLF and are folded at 75 octets.
    """
    stamp_at = dtstamp or datetime.datetime.now(tz=datetime.UTC)
    if stamp_at.tzinfo is not None:
        stamp_at = stamp_at.astimezone(datetime.UTC)
    stamp = stamp_at.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(prodid)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(doc.title)}",
    ]
    for event in _events(doc, stamp):
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
