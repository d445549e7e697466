"""Importing and exporting a competence catalogue as CSV or Excel.

The columns are area, competence, description, category and NKR level, with their names in English or a
Nordic language. Every row is checked first and every problem reported by line; nothing is saved unless
all rows are good. A competence already in the catalogue (the same name) is updated, the others added;
areas are found by name or created. Names and descriptions follow the shared field limits and text rules
(`laera.core.limits`). An export has the same columns, and is written by `laera.core.spreadsheets`, so it
can be imported again: the import takes away exactly the escaping the CSV export adds.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass
from pathlib import PurePath
from typing import Any, BinaryIO

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from laera.core import spreadsheets
from laera.core.limits import excerpt, field_limit
from laera.core.models import Job
from laera.core.nkr import Category
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
from laera.organisations.tenancy import Actor

from .models import Area, Catalogue, Competence, NkrLevel
from .policies import CatalogueAction, catalogue_policy
from .services import catalogues as services
from .services.catalogues import CatalogueImportResult as CatalogueImportResult
from .services.catalogues import PlannedCompetence

MAX_ROWS = 5_000

# The export's column names, and what the import also accepts (compared lower-cased, without spaces,
# hyphens, underscores, full stops and brackets).
EXPORT_COLUMNS: tuple[str, ...] = ("area", "competence", "description", "category", "nkr_level")
COLUMNS: dict[str, tuple[str, ...]] = {
    "area": (
        "area",
        "competencearea",
        "område",
        "kompetanseområde",
        "kompetansområde",
        "kompetensområde",
        "kompetenceområde",
        "omrade",
    ),
    "name": (
        "competence",
        "name",
        "competencename",
        "kompetanse",
        "kompetens",
        "kompetence",
        "navn",
        "namn",
        "kompetansenavn",
    ),
    "description": ("description", "beskrivelse", "beskriving", "beskrivning", "skildring"),
    "category": ("category", "kategori", "type", "kind", "art"),
    "nkr_level": (
        "nkrlevel",
        "nkr",
        "nkrnivå",
        "nkrniva",
        "nivå",
        "level",
        "sqfnivå",
        "skrnivå",
        "dkrniveau",
        "niveau",
        "kvalifikasjonsnivå",
    ),
}
_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}


@dataclass
class CatalogueRow:
    line: int
    values: dict[str, str]


def read_catalogue_file(fileobj: BinaryIO, filename: str) -> list[CatalogueRow]:
    """The rows of a CSV or XLSX catalogue file; raises `ImportFileError` for a file that cannot be used."""
    records = read_table(fileobj, filename)
    # A CSV export escapes texts a spreadsheet could run as formulas; an XLSX export marks them instead.
    unescape = spreadsheets.csv_unescape if PurePath(filename).suffix.lower() == ".csv" else str
    rows: list[CatalogueRow] = []
    columns: dict[str, int] | None = None
    with contextlib.closing(records):
        for line, raw in records:
            cells = [unescape(c.strip()) for c in raw]
            if not any(cells):
                continue
            if columns is None:
                columns = {}
                for index, cell in enumerate(cells):
                    column = _ALIASES.get(header_key(cell))
                    if column and column not in columns:
                        columns[column] = index
                if "name" not in columns or "area" not in columns:
                    raise ImportFileError(
                        _("The first row must name the columns, and two of them must be area and competence.")
                    )
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(_("The file has more than %(max)s competences.") % {"max": MAX_ROWS})
            rows.append(
                CatalogueRow(line, {c: cells[i] if i < len(cells) else "" for c, i in columns.items()})
            )
    if columns is None:
        raise ImportFileError(_("The file is empty."))
    return rows


def plan_rows(rows: list[CatalogueRow]) -> tuple[list[PlannedCompetence], list[RowError]]:
    """The competences the rows describe, checked; every problem as a `RowError` by line."""
    categories = choice_labels(Category.choices) | {
        "kunnskap": Category.KNOWLEDGE,
        "kunnskaper": Category.KNOWLEDGE,
        "kunnskapar": Category.KNOWLEDGE,
        "kunskap": Category.KNOWLEDGE,
        "kunskaper": Category.KNOWLEDGE,
        "viden": Category.KNOWLEDGE,
        "ferdigheter": Category.SKILLS,
        "ferdigheiter": Category.SKILLS,
        "färdigheter": Category.SKILLS,
        "færdigheder": Category.SKILLS,
        "generell kompetanse": Category.GENERAL_COMPETENCE,
        "kompetens": Category.GENERAL_COMPETENCE,
        "kompetencer": Category.GENERAL_COMPETENCE,
        "general competence": Category.GENERAL_COMPETENCE,
    }
    levels = {value.lower(): value for value in NkrLevel.values}
    area_limit = field_limit(Area, "name")
    name_limit = field_limit(Competence, "name")
    description_limit = field_limit(Competence, "description")
    planned: list[PlannedCompetence] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        v = row.values
        problems: list[str] = []
        area = v.get("area", "")
        name = v.get("name", "")
        area_problems = area_limit.errors(area, field=_("The area's name"))
        name_problems = name_limit.errors(name, field=_("The competence's name"))
        if not area:
            problems.append(_("The area is missing."))
        problems += area_problems
        if not name:
            problems.append(_("The competence's name is missing."))
        elif name_problems:
            problems += name_problems
        elif name.lower() in seen:
            problems.append(
                _("The competence %(name)s is also on line %(line)s.")
                % {"name": name, "line": seen[name.lower()]}
            )
        else:
            seen[name.lower()] = row.line
        problems += description_limit.errors(v.get("description", ""), field=_("The description"))
        category_text = v.get("category", "")
        category = categories.get(category_text.lower()) if category_text else Category.KNOWLEDGE
        if category is None:
            problems.append(
                _("Unknown category %(value)s: write knowledge, skills or general competence.")
                % {"value": excerpt(category_text)}
            )
        level_text = v.get("nkr_level", "").replace(",", ".").strip()
        if level_text.lower().startswith("nkr"):
            level_text = level_text[3:].strip()
        nkr_level = levels.get(level_text.lower(), None) if level_text else ""
        if nkr_level is None:
            problems.append(
                _("%(value)s is not an NKR level. Use 2, 3, 4A, 4B, 5.1, 5.2, 6, 7 or 8.")
                % {"value": excerpt(v.get("nkr_level", ""))}
            )
        if problems:
            errors.extend(RowError(line=row.line, message=p) for p in problems)
            continue
        planned.append(
            PlannedCompetence(
                line=row.line,
                area=area,
                data=services.CompetenceInput(
                    name=name,
                    description=v.get("description", ""),
                    category=str(category),
                    nkr_level=str(nkr_level),
                ),
            )
        )
    return planned, errors


def catalogue_import(
    *, actor: Actor, catalogue: Catalogue, rows: list[CatalogueRow], progress: Progress | None = None
) -> CatalogueImportResult:
    """Check the rows, then add or update one competence per row, all or none (the service
    `catalogue_import_competences` saves them). Raises `ImportValidationError` with every row's problem."""
    planned = _checked(actor, rows)
    return services.catalogue_import_competences(
        actor=actor, catalogue=catalogue, planned=planned, progress=progress
    )


def _checked(actor: Actor, rows: list[CatalogueRow]) -> list[PlannedCompetence]:
    catalogue_policy.require(actor, CatalogueAction.MANAGE)
    planned, errors = plan_rows(rows)
    if errors:
        raise ImportValidationError(errors)
    if not planned:
        raise ImportFileError(_("The file has no competences under its column names."))
    return planned


# Importing in the background ------------------------------------------------------------------------

CATALOGUE_IMPORT = "catalogue_import"


def catalogue_import_start(*, actor: Actor, catalogue: Catalogue, rows: list[CatalogueRow]) -> Job:
    """Check the rows at once (every problem raised, as `catalogue_import`), then import them in the
    background, for the actor to follow on the job's page."""
    _checked(actor, rows)
    return job_start(
        organisation_id=actor.organisation.pk,
        person_id=actor.person.pk,
        kind=CATALOGUE_IMPORT,
        task=catalogue_import_task,
        input={"catalogue_id": catalogue.pk, "rows": [asdict(row) for row in rows]},
        total=len(rows),
        link=lambda job: reverse(
            "competences:catalogue_import_job",
            kwargs={"org_slug": actor.organisation.slug, "catalogue_id": catalogue.pk, "job_id": job.pk},
        ),
    )


@task()
def catalogue_import_task(*, job_id: int) -> dict[str, Any] | None:
    return job_run(job_id, _catalogue_import_work)


def _catalogue_import_work(job: Job, progress: JobProgress) -> dict[str, Any]:
    catalogue = Catalogue.objects.filter(
        organisation_id=job.organisation_id, pk=job.input["catalogue_id"]
    ).first()
    if catalogue is None:
        raise JobRefused([], message=_("The catalogue was deleted before the import could start."))
    rows = [CatalogueRow(**row) for row in job.input["rows"]]
    return import_in_job(
        job, lambda actor: catalogue_import(actor=actor, catalogue=catalogue, rows=rows, progress=progress)
    )


# Export ---------------------------------------------------------------------------------------------


def export_rows(catalogue: Catalogue) -> list[list[str]]:
    """The header and one row per competence, areas in their order; the category in the active language."""
    competences = Competence.objects.filter(catalogue=catalogue).select_related("area")
    ordered = sorted(competences, key=lambda c: (c.area.position, c.area_id, c.position, c.pk))
    rows: list[list[str]] = [list(EXPORT_COLUMNS)]
    for competence in ordered:
        rows.append(
            [
                competence.area.name,
                competence.name,
                competence.description,
                str(competence.get_category_display()),
                competence.nkr_level,
            ]
        )
    return rows


def export_csv(catalogue: Catalogue) -> bytes:
    """Semicolon-separated UTF-8 with a byte order mark, as Excel in the Nordic countries opens it."""
    return spreadsheets.csv_bytes(export_rows(catalogue))


def export_xlsx(catalogue: Catalogue) -> bytes:
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = _("Competences")[:31]
    for index, row in enumerate(export_rows(catalogue)):
        sheet.append(row)
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    for cell in sheet["E"]:
        cell.number_format = "@"
    for letter, width in zip("ABCDE", (30, 40, 60, 22, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    return spreadsheets.workbook_bytes(workbook)
