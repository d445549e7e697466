"""Spreadsheets that open safely: every CSV and XLSX file Læra writes is made here.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (or their full-width forms, and
also after leading spaces), or with a tab or a line break, as a formula, which can fetch web pages or
start programs (DDE). Names and texts in Læra come from people, so no text is ever written as a formula:

* XLSX: `new_workbook()` gives a workbook whose `save` first turns every formula or error cell into a
  plain text cell and gives each text cell that looks like a formula Excel's quote-prefix style, so it
  shows exactly as typed and stays text when edited. Numbers stay numbers. Characters XML cannot hold
  are replaced by U+FFFD instead of failing the export.
* CSV: `csv_bytes` puts an apostrophe before such a text (OWASP's advice); `csv_unescape` takes exactly
  that apostrophe away again, so an exported file imports unchanged.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText
from openpyxl.worksheet.worksheet import Worksheet

# First characters a spreadsheet reads as the start of a formula: ASCII, full-width and small forms.
FORMULA_STARTS = frozenset("=+-@" + "\uff1d\uff0b\uff0d\uff20" + "\ufe66\ufe62\ufe63\ufe6b")
# Leading characters that are triggers themselves (OWASP: tab and carriage return; a line feed too).
_CONTROL_STARTS = frozenset("\t\r\n")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could run `text` as a formula."""
    if not text:
        return False
    if text[0] in _CONTROL_STARTS:
        return True
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_STARTS


def _needs_apostrophe(text: str) -> bool:
    # Apostrophes already in front count as part of the text, so that unescaping is exact.
    return formula_like(text.lstrip("'"))


def csv_escape(text: str) -> str:
    """`text` as a CSV cell: with an apostrophe in front when a spreadsheet could run it."""
    return f"'{text}" if _needs_apostrophe(text) else text


def csv_unescape(text: str) -> str:
    """The text `csv_escape` was given: the one apostrophe it added, removed."""
    if text.startswith("'") and _needs_apostrophe(text[1:]):
        return text[1:]
    return text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_escape(str(value))


def csv_bytes(rows: Iterable[Sequence[Any]], *, delimiter: str = ";", bom: bool = True) -> bytes:
    """Rows as CSV in UTF-8, with a byte order mark and `;` by default, as Excel in the Nordic countries
    opens it. Texts are escaped as above; numbers and dates are written as they are."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


class SafeWorksheet(Worksheet):
    """A worksheet that replaces characters XML cannot hold when a cell is written."""

    def cell(self, row: int, column: int, value: Any = None) -> Any:
        return super().cell(row=row, column=column, value=_storable(value))

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, _storable(value))

    def append(self, iterable: Any) -> None:
        if isinstance(iterable, dict):
            super().append({key: _storable(value) for key, value in iterable.items()})
        else:
            super().append([_storable(value) for value in iterable])


class SafeWorkbook(Workbook):
    """A workbook that holds no formulas when saved (see the module's description)."""

    def __init__(self) -> None:
        super().__init__()
        self._sheets = []
        self._sheets.append(SafeWorksheet(self))

    def create_sheet(self, title: Any = None, index: int | None = None) -> Any:
        sheet = SafeWorksheet(parent=self, title=title)
        workbook: Any = self  # openpyxl's own way of adding a sheet, which its type stubs leave out
        workbook._add_sheet(sheet=sheet, index=index)
        return sheet

    def save(self, filename: Any) -> None:
        make_inert(self)
        super().save(filename)


def make_inert(workbook: Workbook) -> None:
    """Turn every formula or error cell into text and mark every formula-like text as typed text."""
    for sheet in workbook.worksheets:
        cells: dict[Any, Any] = sheet._cells
        for cell in cells.values():
            value = cell._value
            if cell.data_type in ("f", "e"):
                if not isinstance(value, str | CellRichText):
                    value = getattr(value, "text", None) or str(value)
                cell._value = _storable(value)
                cell.data_type = "s"
            if cell.data_type == "s" and formula_like(str(cell._value)):
                cell.quotePrefix = True


def new_workbook() -> SafeWorkbook:
    """An empty workbook with one sheet, for every XLSX export."""
    return SafeWorkbook()


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file, made inert first."""
    make_inert(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
