"""The plan as plain data: what every plan document is built from.

Selectors turn a plan and its themes, outcomes and activities into a `PlanDocument`; the builders in
this package (Markdown, DOCX, PDF, print page, iCalendar, XLSX, JSON exchange) read only this, never the
database. Every text here is final: already in the plan's language, names already resolved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ArenaLine:
    """One line of the plan's "overview of arenas and participants"."""

    name: str
    recurrence: str  # as the plan's language says it, e.g. "Hver 14. dag"
    participants: str
    purpose: str = ""


@dataclass(frozen=True)
class ActivityTime:
    """When an activity happens. `kind` is one of: dates, recurrence, deadline, continuous, trigger."""

    kind: str
    text: str  # how the plan says it: "22. og 23. april", "Innen 1. mai", "Nyansatt medarbeider"
    dates: tuple[datetime.date, ...] = ()  # the dated occurrences, for the calendar file
    either: bool = False  # True when the dates are alternatives ("22. eller 23. april")
    rrule: str = ""  # iCalendar RRULE for a recurrence, anchored at the first date in `dates`
    deadline: datetime.date | None = None


@dataclass(frozen=True)
class ActivityData:
    key: str  # stable within the document, e.g. "a-12"
    arena: str
    method: str
    responsible: str
    participants: str
    time: ActivityTime
    mandatory: bool = False
    open_to_others: bool = False
    capacity: int | None = None
    hours: float | None = None
    cost: float | None = None
    arena_is_mapped: bool = False
    method_key: str = ""  # the method bank's key when the method is a shipped one


@dataclass(frozen=True)
class OutcomeData:
    key: str
    text: str
    category: str  # "knowledge" | "skills" | "general_competence"
    category_label: str
    verb: str = ""  # NKR verb key, e.g. "know_of"
    activities: tuple[ActivityData, ...] = ()
    competences: tuple[str, ...] = ()  # names of the competences of the catalogue the outcome builds


@dataclass(frozen=True)
class ThemeData:
    key: str
    title: str
    description: str = ""
    why: str = ""
    outcomes: tuple[OutcomeData, ...] = ()


@dataclass(frozen=True)
class Labels:
    """Headings and words of the document in the plan's language."""

    plan: str  # "Plan for læring"
    leader: str  # "Leder"
    introduction: str  # "Innledning"
    arenas_heading: str  # "Oversikt over læringsarenaer og deltakere"
    themes_heading: str  # "Læringstemaer"
    theme: str  # "Tema"
    outcome: str  # "Læringsutbytte"
    arena: str  # "Arena"
    method: str  # "Pedagogisk virkemiddel"
    participants: str  # "Deltakere"
    time: str  # "Tid for gjennomføring"
    responsible: str  # "Ansvarlig"
    evaluation: str  # "Evaluering"
    contents: str  # "Innhold"
    page: str  # "Side"
    # The marks on a plan that is not published yet, so a preview is never mistaken for the plan itself.
    draft: str = ""  # "Utkast – ikke publisert"
    consultation: str = ""  # "Ute på høring – ikke publisert"


@dataclass(frozen=True)
class PlanDocument:
    title: str  # "Plan for kunnskapsutvikling, kunnskapsdeling og kunnskapsspredning i NAV Røyken våren 2015"
    name: str  # "Våren 2015"
    organisation: str
    unit: str
    language: str  # nb, nn, sv, da or en
    period_start: datetime.date
    period_end: datetime.date
    leader: str
    status: str
    introduction: str
    evaluation_on: datetime.date | None
    labels: Labels
    arenas: tuple[ArenaLine, ...] = ()
    themes: tuple[ThemeData, ...] = ()
    children: tuple[PlanDocument, ...] = field(default=())  # team sub-plans, shown after the office plan
