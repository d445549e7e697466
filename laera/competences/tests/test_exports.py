"""The XLSX builders, opened back with openpyxl: pure functions over plain data."""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from django.utils import translation

from laera.competences.exports import FigureRow, heatmap_xlsx, unit_report_xlsx


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The labels are checked in English; pages default to Norwegian bokmål."""
    with translation.override("en"):
        yield


def _row(group: str, competence: str, **kwargs: object) -> FigureRow:
    values: dict[str, object] = {
        "area": "Metoder",
        "importance": "Critical",
        "required": 3,
        "assessed": 8,
        "average": 2.5,
        "below": 4,
        "above": 1,
        "wants": 4,
        "below_future": 0,
        **kwargs,
    }
    return FigureRow(group=group, competence=competence, **values)  # type: ignore[arg-type]


def test_heatmap_workbook_has_the_matrix_and_the_figures() -> None:
    groups = [
        (
            "Oppfølging",
            [_row("Oppfølging", "MI"), _row("Oppfølging", "Arbeidsrett", below=0, below_future=8)],
        ),
        (
            "Småteam",
            [_row("Småteam", "MI", suppressed=True), _row("Småteam", "Arbeidsrett", suppressed=True)],
        ),
    ]
    content = heatmap_xlsx(title="Gaps", competences=["MI", "Arbeidsrett"], groups=groups, threshold=5)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    matrix, figures = workbook.worksheets
    assert matrix["A1"].value == "Gaps"
    assert [c.value for c in matrix[5]] == ["Unit", "MI", "Arbeidsrett"]
    assert [c.value for c in matrix[6]] == ["Oppfølging", 4, 0]
    assert [c.value for c in matrix[7]] == ["Småteam", None, None]
    assert matrix["B7"].comment is not None and matrix["B7"].comment.text == "fewer than 5"
    assert matrix["B6"].comment is None
    header = [c.value for c in figures[4]]
    assert header[0] == "Unit" and header[-1] == "Note"
    rows = list(figures.iter_rows(min_row=5, values_only=True))
    assert rows[0][:9] == ("Oppfølging", "Metoder", "MI", "Critical", 3, 8, 2.5, 4, 1)
    small = [row for row in rows if row[0] == "Småteam"]
    assert len(small) == 2
    for row in small:
        assert row[4] == 3  # the requirement is not a figure about people
        assert all(value is None for value in row[5:13])
        assert row[13] == "fewer than 5"


def test_heatmap_workbook_future_view_counts_the_future_gap() -> None:
    groups = [("Oppfølging", [_row("Oppfølging", "Arbeidsrett", below=0, below_future=8)])]
    content = heatmap_xlsx(title="Gaps", competences=["Arbeidsrett"], groups=groups, threshold=5, future=True)
    matrix = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert matrix["B6"].value == 8
    assert matrix["A2"].value == "People below the future level"


def test_unit_report_keeps_the_order_and_the_change() -> None:
    rows = [
        _row("Oppfølging", "MI", change_average=0.66666, change_below=-2),
        _row("Oppfølging", "Arbeidsrett", importance="Important", below=0),
        _row("Oppfølging", "Tolk", suppressed=True, change_below=-1),
    ]
    content = unit_report_xlsx(title="Gaps in Oppfølging", rows=rows, threshold=7)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].value == "Figures about fewer than 7 people are left empty to protect privacy."
    data = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [row[2] for row in data] == ["MI", "Arbeidsrett", "Tolk"]
    assert data[0][11] == 0.67 and data[0][12] == -2
    assert data[2][5:13] == (None,) * 8 and data[2][13] == "fewer than 7"
