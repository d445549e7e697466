"""The plan as a spreadsheet (XLSX): one row per activity, for sorting, filtering and sums.

Made with `laera.core.spreadsheets`, so no text of the plan can become a formula."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from laera.core.spreadsheets import new_workbook, workbook_bytes
from laera.documents import layout
from laera.documents.plan_data import ActivityData, OutcomeData, PlanDocument, ThemeData

# The columns in order, with their widths in characters.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("theme", 24),
    ("outcome", 48),
    ("category", 16),
    ("arena", 22),
    ("method", 24),
    ("responsible", 20),
    ("participants", 28),
    ("time", 20),
    ("mandatory", 12),
    ("open_to_others", 12),
    ("capacity", 10),
    ("hours", 9),
    ("cost", 12),
)

# Headings the plan's `Labels` do not have; callers pass them in the plan's language as `extra_labels`.
EXTRA_LABEL_DEFAULTS: dict[str, str] = {
    "category": "Category",
    "mandatory": "Mandatory",
    "open_to_others": "Open to other teams",
    "capacity": "Capacity",
    "hours": "Hours",
    "cost": "Cost",
}

SHEET_TITLE = "Plan"
HEADER_FILL = PatternFill("solid", start_color="DFE6EE", end_color="DFE6EE")
TOP = Alignment(vertical="top", wrap_text=True)


def column_labels(doc: PlanDocument, extra_labels: Mapping[str, str] | None = None) -> list[str]:
    """The header row: the plan's own labels, and `extra_labels` (or English) for the other columns."""
    unknown = set(extra_labels or {}) - set(EXTRA_LABEL_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown extra labels: {', '.join(sorted(unknown))}")
    labels = doc.labels
    names = {
        "theme": labels.theme,
        "outcome": labels.outcome,
        "arena": labels.arena,
        "method": labels.method,
        "responsible": labels.responsible,
        "participants": labels.participants,
        "time": labels.time,
        **EXTRA_LABEL_DEFAULTS,
        **(extra_labels or {}),
    }
    return [names[key] for key, _width in COLUMNS]


def _row(
    doc: PlanDocument, theme: ThemeData, outcome: OutcomeData, activity: ActivityData | None
) -> list[Any]:
    row: list[Any] = [theme.title, outcome.text, outcome.category_label]
    if activity is None:
        return row + [None] * (len(COLUMNS) - len(row))
    return row + [
        activity.arena,
        activity.method,
        activity.responsible,
        activity.participants,
        layout.time_text(doc, activity),
        activity.mandatory,
        activity.open_to_others,
        activity.capacity,
        activity.hours,
        activity.cost,
    ]


def _rows(doc: PlanDocument) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for theme in doc.themes:
        for outcome in theme.outcomes:
            if not outcome.activities:
                rows.append(_row(doc, theme, outcome, None))
            rows += [_row(doc, theme, outcome, activity) for activity in outcome.activities]
    return rows


def _write_table(sheet: Worksheet, doc: PlanDocument, headers: list[str], start: int) -> int:
    """Write the header row at `start` and the plan's rows below it; return the last row written."""
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=start, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = TOP
    row_number = start
    for row in _rows(doc):
        row_number += 1
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            cell.alignment = TOP
            key = COLUMNS[column - 1][0]
            if key == "hours":
                cell.number_format = "0.0#"
            elif key == "cost":
                cell.number_format = "#,##0.00"
    return row_number


def _write_front(sheet: Worksheet, doc: PlanDocument, row: int) -> None:
    title = sheet.cell(row=row, column=1, value=doc.title)
    title.font = Font(bold=True, size=14)
    front = " · ".join(filter(None, (layout.period_text(doc), layout.leader_text(doc))))
    sheet.cell(row=row + 1, column=1, value=front)


def plan_xlsx(doc: PlanDocument, *, extra_labels: Mapping[str, str] | None = None) -> bytes:
    """The plan as XLSX: one sheet "Plan" with the title, then a table with one row per activity (an
    outcome without activities gets a row of its own) and the header frozen; team sub-plans follow
    below, each with its title and its own header row.

    `extra_labels` gives the headings of the columns the plan's labels do not cover (category, mandatory,
    open_to_others, capacity, hours, cost) in the plan's language; English is used for any left out.
    """
    headers = column_labels(doc, extra_labels)
    workbook = new_workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = SHEET_TITLE
    workbook.properties.title = doc.title
    workbook.properties.language = layout.language_tag(doc.language)
    workbook.properties.creator = doc.organisation

    _write_front(sheet, doc, 1)
    header_row = 4
    last = _write_table(sheet, doc, headers, header_row)
    sheet.freeze_panes = f"A{header_row + 1}"
    last_column = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{max(last, header_row + 1)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"

    for child in list(layout.all_plans(doc))[1:]:
        start = last + 2
        _write_front(sheet, child, start)
        last = _write_table(sheet, child, headers, start + 3)

    for index, (_key, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    return workbook_bytes(workbook)
