"""The plan as XLSX, opened back with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from laera.documents.examples import rich_example, royken_example
from laera.documents.xlsx import plan_xlsx

NB_EXTRA = {
    "category": "Kategori",
    "mandatory": "Obligatorisk",
    "open_to_others": "Åpen for andre team",
    "capacity": "Kapasitet",
    "hours": "Timer",
    "cost": "Kostnad",
}


def _sheet(data: bytes) -> Worksheet:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Plan"]
    sheet = workbook["Plan"]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_title_header_and_frozen_panes() -> None:
    sheet = _sheet(plan_xlsx(royken_example(), extra_labels=NB_EXTRA))
    assert sheet["A1"].value == royken_example().title
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "Våren 2015 (1. januar 2015 – 30. juni 2015) · Leder: Ole Petter Gravningen"
    header = [cell.value for cell in sheet[4]]
    assert header == [
        "Tema",
        "Læringsutbytte",
        "Kategori",
        "Arena",
        "Pedagogisk virkemiddel",
        "Ansvarlig",
        "Deltakere",
        "Tid for gjennomføring",
        "Obligatorisk",
        "Åpen for andre team",
        "Kapasitet",
        "Timer",
        "Kostnad",
    ]
    assert all(cell.font.bold for cell in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet.column_dimensions["B"].width >= 40
    assert sheet["B5"].alignment.wrap_text


def test_one_row_per_activity() -> None:
    doc = royken_example()
    sheet = _sheet(plan_xlsx(doc))
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 14
    assert rows[1] == (
        "Supported employment (SE)",
        "NAV-veiledere skal kjenne til grunnleggende forskning knyttet til SE",
        "Kunnskap",
        "Personalseminar",
        "Forelesning",
        "Christian Ebeltoft, HiØ",
        "Alle ansatte i kontoret",
        "22. eller 23. april",
        True,
        False,
        None,
        None,
        None,
    )


def test_english_defaults_and_unknown_labels() -> None:
    sheet = _sheet(plan_xlsx(royken_example(), extra_labels={"hours": "Timar"}))
    header = [cell.value for cell in sheet[4]]
    assert header[2] == "Category" and header[11] == "Timar" and header[12] == "Cost"
    with pytest.raises(ValueError, match="colour"):
        plan_xlsx(royken_example(), extra_labels={"colour": "Farge"})


def test_numbers_empty_outcomes_and_sub_plans() -> None:
    sheet = _sheet(plan_xlsx(rich_example()))
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows[0][10:] == (None, 1.5, 12500)
    assert rows[2][:3] == ("Supported employment (SE)", "Et utbytte uten aktiviteter ennå", "Ferdigheter")
    assert rows[2][3:] == (None,) * 10
    assert rows[3][1] == 'Sikkerhet | «rutiner»; "sitat", komma\\skråstrek\nog ny linje – æøå ÆØÅ'
    assert rows[3][8:] == (False, True, 0, 0.25, 0)
    values = [row[0] for row in rows]
    child = values.index("Delplan for oppfølgingsteamet våren 2015")
    assert rows[child + 3][0] == "Tema"
    assert rows[child + 4][:2] == ("Motiverende intervju (MI)", "Veiledere kan anvende MI i samtaler")
    assert rows[child + 4][10:12] == (8, 2)
