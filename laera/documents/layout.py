"""What every plan document shows, and in which order: shared by the Markdown, DOCX and HTML builders.

NAV Røyken's plan is the model: a title page (title, period, leader), the contents, the introduction, the
overview of arenas and participants, the list of themes, and then one table per theme with the columns
outcome | arena | method | participants | time, where an outcome's text stands once, beside all of its
activities. Team sub-plans follow the office plan, each under its own heading, laid out the same way.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import formats, translation

from laera.documents.plan_data import ActivityData, ArenaLine, OutcomeData, PlanDocument, ThemeData

# Spell-checking and hyphenation tags for the plan's language (BCP 47).
LANGUAGE_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "sv": "sv-SE", "da": "da-DK", "en": "en-GB"}


def language_tag(language: str) -> str:
    return LANGUAGE_TAGS.get(language, language)


def format_date(day: datetime.date, language: str) -> str:
    """A date the way the plan's language writes it in running text: "22. april 2015", "22 april 2015".

    The language's DATE_FORMAT (laera/config/formats), so documents and pages write dates alike."""
    with translation.override(language):
        return str(formats.date_format(day, "DATE_FORMAT"))


def period_text(doc: PlanDocument) -> str:
    """'Våren 2015 (1. januar 2015 – 30. juni 2015)'."""
    span = f"{format_date(doc.period_start, doc.language)} – {format_date(doc.period_end, doc.language)}"
    return f"{doc.name} ({span})" if doc.name else span


def leader_text(doc: PlanDocument) -> str:
    return f"{doc.labels.leader}: {doc.leader}" if doc.leader else ""


def status_note(doc: PlanDocument) -> str:
    """The mark a plan carries while it is not published ("Utkast – ikke publisert"), or "" once it is.

    Only people who may edit a draft get documents with drafts in them (the selectors decide); the mark
    keeps such a preview, printed or passed on, from being read as the plan in force.
    """
    if doc.status == "draft":
        return doc.labels.draft
    if doc.status == "consultation":
        return doc.labels.consultation
    return ""


def plan_heading(doc: PlanDocument) -> str:
    """A sub-plan's heading: its title, with the mark of a plan not yet published."""
    note = status_note(doc)
    return f"{doc.title} ({note})" if note else doc.title


def evaluation_text(doc: PlanDocument) -> str:
    return format_date(doc.evaluation_on, doc.language) if doc.evaluation_on else ""


def theme_heading(doc: PlanDocument, theme: ThemeData) -> str:
    """'Tema: Supported employment (SE)', as in the original plan."""
    return f"{doc.labels.theme}: {theme.title}"


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text: blocks separated by blank lines, single line breaks kept inside."""
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return [block.strip() for block in blocks if block.strip()]


def arena_line_text(line: ArenaLine) -> str:
    """One line of the arena overview after its name: 'hver 14. dag (alle deltar). Temaer i ...'."""
    text = line.recurrence.strip()
    if line.participants.strip():
        text = f"{text} ({line.participants.strip()})" if text else f"({line.participants.strip()})"
    if line.purpose.strip():
        purpose = line.purpose.strip()
        text = f"{text}. {purpose}" if text and not text.endswith((".", ":")) else f"{text} {purpose}".strip()
    return text


def method_text(activity: ActivityData) -> str:
    """The method column: the method and, as in the original ("Forelesning/innlegg Merethe"), who gives it.

    The responsible is added in brackets unless the method's own words already name them.
    """
    method = activity.method.strip()
    responsible = activity.responsible.strip()
    if not responsible or responsible.casefold() in method.casefold():
        return method
    return f"{method} ({responsible})" if method else responsible


def time_text(doc: PlanDocument, activity: ActivityData) -> str:
    """The time column: the plan's own words, or the dates when there are no words."""
    time = activity.time
    if time.text.strip():
        return time.text.strip()
    if time.deadline is not None:
        return format_date(time.deadline, doc.language)
    return ", ".join(format_date(day, doc.language) for day in time.dates)


@dataclass(frozen=True)
class TableRow:
    """One row of a theme's table. `outcome` is set on an outcome's first row only; `span` is the number of
    rows the outcome's cell covers (1 or more) on that row and 0 on the rows below it."""

    outcome: OutcomeData
    first: bool
    span: int
    arena: str
    method: str
    participants: str
    time: str


def theme_rows(doc: PlanDocument, theme: ThemeData) -> list[TableRow]:
    """The rows of a theme's table: one per activity; an outcome without activities still gets one row."""
    rows: list[TableRow] = []
    for outcome in theme.outcomes:
        if not outcome.activities:
            rows.append(TableRow(outcome, True, 1, "", "", "", ""))
            continue
        span = len(outcome.activities)
        for index, activity in enumerate(outcome.activities):
            rows.append(
                TableRow(
                    outcome=outcome,
                    first=index == 0,
                    span=span if index == 0 else 0,
                    arena=activity.arena.strip(),
                    method=method_text(activity),
                    participants=activity.participants.strip(),
                    time=time_text(doc, activity),
                )
            )
    return rows


def table_headers(doc: PlanDocument) -> tuple[str, str, str, str, str]:
    labels = doc.labels
    return (labels.outcome, labels.arena, labels.method, labels.participants, labels.time)


@dataclass(frozen=True)
class Heading:
    """A heading of the document: `level` 1 for the office plan's sections, 2 for a sub-plan's sections."""

    level: int
    text: str
    anchor: str


def _slug(text: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z_-]+", "-", text).strip("-").lower()
    return slug or "x"


def theme_anchor(prefix: str, theme: ThemeData) -> str:
    return f"{prefix}-theme-{_slug(theme.key)}"


def headings(doc: PlanDocument, *, level: int = 1, prefix: str = "plan") -> Iterator[Heading]:
    """The headings of the plan in order, for the contents list; sub-plans' headings one level deeper."""
    yield Heading(level, doc.labels.introduction, f"{prefix}-introduction")
    if doc.arenas:
        yield Heading(level, doc.labels.arenas_heading, f"{prefix}-arenas")
    if doc.themes:
        yield Heading(level, doc.labels.themes_heading, f"{prefix}-themes")
    for theme in doc.themes:
        yield Heading(level, theme_heading(doc, theme), theme_anchor(prefix, theme))
    if doc.evaluation_on is not None:
        yield Heading(level, doc.labels.evaluation, f"{prefix}-evaluation")
    for index, child in enumerate(doc.children, start=1):
        child_prefix = f"{prefix}-{index}"
        yield Heading(level, plan_heading(child), child_prefix)
        yield from headings(child, level=level + 1, prefix=child_prefix)


def all_plans(doc: PlanDocument) -> Iterator[PlanDocument]:
    """The plan and its sub-plans, depth first."""
    yield doc
    for child in doc.children:
        yield from all_plans(child)
