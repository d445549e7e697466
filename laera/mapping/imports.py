"""Importing arenas from CSV or Excel: every row checked first, every problem reported by line,
nothing saved unless all rows are good. Texts follow the shared field limits and text rules
(`laera.core.limits`): a name no longer than an arena's name may be, no control or direction characters."""

from __future__ import annotations

import contextlib
import datetime
import re
from dataclasses import asdict, dataclass
from typing import Any, BinaryIO

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from laera.core.limits import excerpt, field_limit
from laera.core.models import Job
from laera.core.services.jobs import JobProgress, JobRefused, Progress, job_run, job_start
from laera.organisations.imports import (
    ImportFileError,
    ImportValidationError,
    RowError,
    choice_labels,
    header_key,
    import_in_job,
    read_table,
)
from laera.organisations.models import Person, Unit
from laera.organisations.tenancy import Actor

from . import services
from .models import Arena, Recurrence
from .policies import arena_policy

MAX_ROWS = 2_000

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "navn", "namn", "arena"),
    "kind": ("kind", "type", "internexternal", "internellerekstern", "interntellereksternt"),
    "recurrence": (
        "recurrence",
        "howoften",
        "hyppighet",
        "frekvens",
        "hvorofte",
        "korofte",
        "hurofta",
        "hvorofte",
    ),
    "times_per_year": (
        "timesperyear",
        "gangeriaret",
        "gongeriaret",
        "gangeråret",
        "gangeriåret",
        "gongeriåret",
        "gångerperår",
        "gangeomaret",
        "gangeomåret",
    ),
    "starts_on": ("startson", "date", "dato", "datum", "førstemøte", "fyrstemøte", "förstamöte"),
    "duration": (
        "duration",
        "durationminutes",
        "varighet",
        "varigheit",
        "varaktighet",
        "varighed",
        "minutter",
        "minutt",
        "minuter",
    ),
    "purpose": ("purpose", "formål", "føremål", "syfte"),
    "responsible": ("responsible", "ansvarlig", "ansvar", "ansvarig"),
    "participants": ("participants", "deltakere", "deltakarar", "deltagare", "deltagere"),
}
_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
EVERYONE = {
    "all",
    "everyone",
    "alle",
    "alla",
    "alle ansatte",
    "alle tilsette",
    "alla medarbetare",
    "alle medarbejdere",
    "all employees",
}
RECURRENCE_PHRASES = {
    "ukentlig": Recurrence.WEEKLY,
    "vekentleg": Recurrence.WEEKLY,
    "hver uke": Recurrence.WEEKLY,
    "1 gang pr. uke": Recurrence.WEEKLY,
    "varje vecka": Recurrence.WEEKLY,
    "ugentlig": Recurrence.WEEKLY,
    "hver 14. dag": Recurrence.EVERY_2_WEEKS,
    "annenhver uke": Recurrence.EVERY_2_WEEKS,
    "var 14:e dag": Recurrence.EVERY_2_WEEKS,
    "hver 3. uke": Recurrence.EVERY_3_WEEKS,
    "kvar 3. veke": Recurrence.EVERY_3_WEEKS,
    "var tredje vecka": Recurrence.EVERY_3_WEEKS,
    "månedlig": Recurrence.MONTHLY,
    "1 gang pr. mnd": Recurrence.MONTHLY,
    "månadleg": Recurrence.MONTHLY,
    "månatlig": Recurrence.MONTHLY,
    "månedligt": Recurrence.MONTHLY,
    "hver 6. uke": Recurrence.EVERY_6_WEEKS,
    "årlig": Recurrence.YEARLY,
    "årleg": Recurrence.YEARLY,
    "årligen": Recurrence.YEARLY,
    "årligt": Recurrence.YEARLY,
    "etter behov": Recurrence.ON_DEMAND,
    "ved behov": Recurrence.ON_DEMAND,
    "efter behov": Recurrence.ON_DEMAND,
    "vid behov": Recurrence.ON_DEMAND,
}


@dataclass
class ArenaRow:
    line: int
    values: dict[str, str]


def read_arena_file(fileobj: BinaryIO, filename: str) -> list[ArenaRow]:
    records = read_table(fileobj, filename)
    rows: list[ArenaRow] = []
    columns: dict[str, int] | None = None
    with contextlib.closing(records):
        for line, raw in records:
            cells = [c.strip() for c in raw]
            if not any(cells):
                continue
            if columns is None:
                columns = {}
                for index, cell in enumerate(cells):
                    column = _ALIASES.get(header_key(cell))
                    if column and column not in columns:
                        columns[column] = index
                if "name" not in columns:
                    raise ImportFileError(_("The first row must name the columns, and one must be name."))
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(_("The file has more than %(max)s arenas.") % {"max": MAX_ROWS})
            rows.append(ArenaRow(line, {c: cells[i] if i < len(cells) else "" for c, i in columns.items()}))
    if columns is None:
        raise ImportFileError(_("The file is empty."))
    return rows


def _parse_date(text: str) -> datetime.date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _plan(actor: Actor, unit: Unit, rows: list[ArenaRow]) -> tuple[list[services.ArenaInput], list[RowError]]:
    kinds = choice_labels(Arena.Kind.choices) | {
        "intern": "internal",
        "ekstern": "external",
        "extern": "external",
    }
    recurrences = choice_labels(Recurrence.choices) | RECURRENCE_PHRASES
    people = list(Person.objects.for_org(actor.organisation).filter(is_active=True))
    by_name = {p.full_name.lower(): p for p in people} | {p.email.lower(): p for p in people if p.email}
    units = {u.name.lower(): u for u in Unit.objects.for_org(actor.organisation)}
    limits = {
        "name": (field_limit(Arena, "name"), _("The name")),
        "purpose": (field_limit(Arena, "purpose"), _("The purpose")),
        "responsible": (field_limit(Arena, "responsible_external"), _("The responsible person")),
    }
    groups_limit = field_limit(Arena, "participant_groups")
    inputs: list[services.ArenaInput] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        v = row.values
        problems: list[str] = []
        for column, (limit, label) in limits.items():
            problems += limit.errors(v.get(column, ""), field=label)
        name = v.get("name", "")
        if not name:
            problems.append(_("The name is missing."))
        elif name.lower() in seen:
            problems.append(
                _("The arena %(name)s is also on line %(line)s.")
                % {"name": excerpt(name), "line": seen[name.lower()]}
            )
        else:
            seen[name.lower()] = row.line
        kind = kinds.get(v.get("kind", "").lower() or "internal")
        if kind is None:
            problems.append(
                _("Unknown kind %(value)s: write internal or external.") % {"value": excerpt(v["kind"])}
            )
        recurrence = recurrences.get(v.get("recurrence", "").lower() or "on_demand")
        if recurrence is None:
            problems.append(_("Unknown recurrence %(value)s.") % {"value": excerpt(v["recurrence"])})
        times: int | None = None
        if v.get("times_per_year"):
            if v["times_per_year"].isdigit() and 1 <= int(v["times_per_year"]) <= 12:
                times = int(v["times_per_year"])
                recurrence = recurrence if recurrence != Recurrence.ON_DEMAND else Recurrence.TIMES_PER_YEAR
            else:
                problems.append(_("Times a year must be a number from 1 to 12."))
        elif recurrence == Recurrence.TIMES_PER_YEAR:
            problems.append(_("Say how many times a year: a number from 1 to 12."))
        starts_on = _parse_date(v["starts_on"]) if v.get("starts_on") else None
        if v.get("starts_on") and starts_on is None:
            problems.append(
                _("%(value)s is not a date. Write it as 2015-03-12 or 12.03.2015.")
                % {"value": excerpt(v["starts_on"])}
            )
        if recurrence not in (None, Recurrence.ON_DEMAND) and starts_on is None and not problems:
            problems.append(_("Give the date of a meeting, so Læra can tell when the arena meets."))
        duration: int | None = None
        if v.get("duration"):
            if v["duration"].isdigit() and int(v["duration"]) > 0:
                duration = int(v["duration"])
            else:
                problems.append(_("The duration must be a whole number of minutes."))
        responsible = by_name.get(v.get("responsible", "").lower())
        participants = [p.strip() for p in re.split(r"[;,]", v.get("participants", "")) if p.strip()]
        everyone = any(p.lower() in EVERYONE for p in participants)
        part_units = [units[p.lower()] for p in participants if p.lower() in units]
        groups = [p for p in participants if p.lower() not in units and p.lower() not in EVERYONE]
        problems += groups_limit.errors(
            ", ".join(groups), field=_("The external groups among the participants")
        )
        if problems:
            errors.extend(RowError(line=row.line, message=p) for p in problems)
            continue
        inputs.append(
            services.ArenaInput(
                name=name,
                kind=str(kind),
                recurrence=str(recurrence),
                times_per_year=times,
                starts_on=starts_on,
                duration_minutes=duration,
                purpose=v.get("purpose", ""),
                participants_all=everyone,
                participant_units=part_units,
                participant_groups=", ".join(groups),
                responsible=responsible,
                responsible_external="" if responsible else v.get("responsible", ""),
            )
        )
    return inputs, errors


def arenas_import(*, actor: Actor, unit: Unit, rows: list[ArenaRow], progress: Progress | None = None) -> int:
    """Check every row, then create one arena per row in `unit`, all or none (`services.arenas_create`).
    Returns how many were created."""
    inputs = _checked(actor, unit, rows)
    return len(services.arenas_create(actor=actor, unit=unit, inputs=inputs, progress=progress))


def _checked(actor: Actor, unit: Unit, rows: list[ArenaRow]) -> list[services.ArenaInput]:
    arena_policy.require_in_unit(actor, unit.pk)
    inputs, errors = _plan(actor, unit, rows)
    if errors:
        raise ImportValidationError(errors)
    existing = {a.lower() for a in Arena.objects.filter(unit=unit).values_list("name", flat=True)}
    clashes = [
        RowError(line=r.line, message=_("The unit already has an arena called %(name)s.") % {"name": i.name})
        for r, i in zip(rows, inputs, strict=True)
        if i.name.lower() in existing
    ]
    if clashes:
        raise ImportValidationError(clashes)
    return inputs


# Importing in the background ------------------------------------------------------------------------

ARENA_IMPORT = "arena_import"


def arenas_import_start(*, actor: Actor, unit: Unit, rows: list[ArenaRow]) -> Job:
    """Check the rows at once (every problem raised, as `arenas_import`), then import them in the
    background, for the actor to follow on the job's page."""
    _checked(actor, unit, rows)
    return job_start(
        organisation_id=actor.organisation.pk,
        person_id=actor.person.pk,
        kind=ARENA_IMPORT,
        task=arenas_import_task,
        input={"unit_id": unit.pk, "rows": [asdict(row) for row in rows]},
        total=len(rows),
        link=lambda job: reverse(
            "mapping:arena_import_job", kwargs={"org_slug": actor.organisation.slug, "job_id": job.pk}
        ),
    )


@task()
def arenas_import_task(*, job_id: int) -> dict[str, Any] | None:
    return job_run(job_id, _arenas_import_work)


def _arenas_import_work(job: Job, progress: JobProgress) -> dict[str, Any]:
    unit = Unit.objects.filter(organisation_id=job.organisation_id, pk=job.input["unit_id"]).first()
    if unit is None:
        raise JobRefused([], message=_("The unit was deleted before the import could start."))
    rows = [ArenaRow(**row) for row in job.input["rows"]]
    result = import_in_job(
        job, lambda actor: arenas_import(actor=actor, unit=unit, rows=rows, progress=progress)
    )
    return {**result, "unit_id": unit.pk}
