"""The spreadsheet-safe writer: no text becomes a formula, numbers stay numbers, CSV escaping is exact."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from laera.core.spreadsheets import (
    SafeWorksheet,
    csv_bytes,
    csv_escape,
    csv_unescape,
    formula_like,
    new_workbook,
    workbook_bytes,
)

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://x.example","click")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "\n=1",
    "  =1+1",
    "\u00a0=1",
    "\uff1d1+1",  # full-width equals sign
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(1)",
    "\ufe661",  # small equals sign
]
TEXTS = ["", "Kari", "1+1", "a=b", "Nivå 5.1", "'quoted'", "«=sitat»", "#N/A", "e-post", "(-1)"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_starts(text: str) -> None:
    assert formula_like(text)


@pytest.mark.parametrize("text", TEXTS)
def test_ordinary_texts(text: str) -> None:
    assert not formula_like(text)


@pytest.mark.parametrize("text", [*FORMULAS, *TEXTS, "'=1", "''=1", "'", "'a", "' =1", "'\t=1"])
def test_csv_escaping_is_exact(text: str) -> None:
    escaped = csv_escape(text)
    assert csv_unescape(escaped) == text
    assert not formula_like(escaped)


def test_csv_texts_are_escaped_and_numbers_are_not() -> None:
    data = csv_bytes(
        [["name", "level", "count", "cost", "flag", "none"], ["=1+1", "-5", -5, 2.5, True, None]]
    )
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["name", "level", "count", "cost", "flag", "none"],
        ["'=1+1", "'-5", "-5", "2.5", "1", ""],
    ]
    assert csv_bytes([["a", "b"]], delimiter=",", bom=False) == b"a,b\r\n"


def _cells(data: bytes) -> dict[str, object]:
    sheet = load_workbook(io.BytesIO(data)).active
    return {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}


def test_workbook_text_never_becomes_a_formula() -> None:
    workbook = new_workbook()
    sheet = workbook.active
    assert isinstance(sheet, SafeWorksheet)
    sheet.append([*FORMULAS[:4], "#N/A", 42, -3.5, "Kari"])
    sheet.cell(row=2, column=1, value="=2+2")
    sheet["B2"] = "=3+3"  # assigned directly, past the worksheet's own methods
    sheet["C2"] = ArrayFormula("C2:C2", "=SUM(1)")
    other = workbook.create_sheet("Andre")
    assert isinstance(other, SafeWorksheet)
    other.append(["@x"])
    data = workbook_bytes(workbook)

    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    cells = _cells(data)
    for coordinate in ("A1", "B1", "C1", "D1", "A2", "B2", "C2"):
        cell = cells[coordinate]
        assert cell.data_type == "s" and cell.quotePrefix, coordinate  # type: ignore[attr-defined]
    assert cells["A1"].value == "=1+1" and cells["B2"].value == "=3+3"  # type: ignore[attr-defined]
    assert cells["E1"].value == "#N/A" and cells["E1"].data_type == "s"  # type: ignore[attr-defined]
    assert cells["F1"].value == 42 and cells["G1"].value == -3.5  # type: ignore[attr-defined]
    assert not cells["H1"].quotePrefix  # type: ignore[attr-defined]
    assert load_workbook(io.BytesIO(data))["Andre"]["A1"].quotePrefix


def test_saving_the_workbook_directly_is_safe_too() -> None:
    workbook = new_workbook()
    workbook.active["A1"] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = load_workbook(buffer).active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)


def test_characters_xml_cannot_hold_do_not_fail_the_export() -> None:
    workbook = new_workbook()
    workbook.active.append(["Kari\x01Nordmann"])
    workbook.active.cell(row=2, column=1, value="Ola\x1b")
    workbook.active["A3"] = "Per\x00"
    cells = _cells(workbook_bytes(workbook))
    assert cells["A1"].value == "Kari\ufffdNordmann"  # type: ignore[attr-defined]
    assert cells["A2"].value == "Ola\ufffd"  # type: ignore[attr-defined]
    assert cells["A3"].value == "Per\ufffd"  # type: ignore[attr-defined]
