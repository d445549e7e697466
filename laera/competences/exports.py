"""The gap analysis as spreadsheets (XLSX): the heatmap's numbers and a unit's gap report.

Pure functions over plain data; no database access. Suppressed figures (a group smaller than the
organisation's threshold) are written as empty cells with the note "fewer than N", never as numbers.
Made with `laera.core.spreadsheets`, so no name can become a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from laera.core.spreadsheets import new_workbook, workbook_bytes

HEADER_FILL = PatternFill("solid", start_color="DFE6EE", end_color="DFE6EE")
TOP = Alignment(vertical="top", wrap_text=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class FigureRow:
    """One group's figures for one competence, as plain values (None where there is nothing to show)."""

    group: str
    area: str
    competence: str
    importance: str
    required: int
    assessed: int | None = None
    average: float | None = None
    below: int | None = None
    above: int | None = None
    wants: int | None = None
    below_future: int | None = None
    change_average: float | None = None
    change_below: int | None = None
    suppressed: bool = False


def suppressed_note(threshold: int) -> str:
    return gettext("fewer than %(threshold)s") % {"threshold": threshold}


def _headers() -> list[str]:
    return [
        gettext("Unit"),
        gettext("Area"),
        gettext("Competence"),
        gettext("Importance"),
        gettext("Required level"),
        gettext("People assessed"),
        gettext("Average now"),
        gettext("Below the requirement"),
        gettext("Above (mobilise)"),
        gettext("Want to learn"),
        gettext("Below the future level"),
        gettext("Change in average"),
        gettext("Change in people below"),
        gettext("Note"),
    ]


def _values(row: FigureRow, threshold: int) -> list[object]:
    if row.suppressed:
        figures: list[object] = [None] * 8
        note = suppressed_note(threshold)
    else:
        figures = [
            row.assessed,
            None if row.average is None else round(row.average, 2),
            row.below,
            row.above,
            row.wants,
            row.below_future,
            None if row.change_average is None else round(row.change_average, 2),
            row.change_below,
        ]
        note = ""
    return [row.group, row.area, row.competence, row.importance, row.required, *figures, note]


def _header(sheet: Worksheet, row: int, labels: Sequence[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=col, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = TOP


def _figures_sheet(sheet: Worksheet, title: str, rows: Sequence[FigureRow], threshold: int) -> None:
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    sheet.cell(
        row=2,
        column=1,
        value=gettext("Figures about fewer than %(threshold)s people are left empty to protect privacy.")
        % {"threshold": threshold},
    )
    labels = _headers()
    _header(sheet, 4, labels)
    for r, row in enumerate(rows, start=5):
        for c, value in enumerate(_values(row, threshold), start=1):
            sheet.cell(row=r, column=c, value=value).alignment = TOP  # type: ignore[call-overload]
    widths = [24, 20, 32, 12, 10, 10, 10, 12, 12, 10, 12, 10, 10, 16]
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "D5"


def heatmap_xlsx(
    *,
    title: str,
    competences: Sequence[str],
    groups: Sequence[tuple[str, Sequence[FigureRow]]],
    threshold: int,
    future: bool = False,
) -> bytes:
    """Two sheets: the heatmap as a matrix (people below the level now, or the future level), and every
    figure of every group and competence as a list. `groups` are (name, one row per competence)."""
    workbook = new_workbook()
    matrix = workbook.active
    assert matrix is not None
    matrix.title = gettext("Heatmap")[:31]
    matrix.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    measure = (
        gettext("People below the future level") if future else gettext("People below the required level")
    )
    matrix.cell(row=2, column=1, value=measure)
    matrix.cell(
        row=3,
        column=1,
        value=gettext("Empty cells with a note: fewer than %(threshold)s people, hidden to protect privacy.")
        % {"threshold": threshold},
    )
    _header(matrix, 5, [gettext("Unit"), *competences])
    note = suppressed_note(threshold)
    for r, (name, rows) in enumerate(groups, start=6):
        matrix.cell(row=r, column=1, value=name).font = Font(bold=True)
        for c, row in enumerate(rows, start=2):
            cell = matrix.cell(row=r, column=c)
            if row.suppressed:
                cell.value = None
                cell.comment = Comment(note, "Læra")
            else:
                cell.value = row.below_future if future else row.below
    matrix.column_dimensions["A"].width = 28
    for col in range(2, len(competences) + 2):
        matrix.column_dimensions[get_column_letter(col)].width = 14
    matrix.freeze_panes = "B6"
    figures = workbook.create_sheet(gettext("Figures")[:31])
    _figures_sheet(figures, title, [row for _name, rows in groups for row in rows], threshold)
    return workbook_bytes(workbook)


def unit_report_xlsx(*, title: str, rows: Sequence[FigureRow], threshold: int) -> bytes:
    """One sheet: the unit's gap report, critical gaps first, as on the page."""
    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = gettext("Gap report")[:31]
    _figures_sheet(sheet, title, rows, threshold)
    return workbook_bytes(workbook)
