"""The heatmap SVG builder: pure functions over plain data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from django.utils import translation

from laera.competences import heatmap
from laera.competences.heatmap import HeatCell, HeatColumn, HeatRow
from laera.competences.selectors.gaps import Figures, PersonCell


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The labels are checked in English; pages default to Norwegian bokmål."""
    with translation.override("en"):
        yield


SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (markup we generated ourselves)


def _draw(rows: list[HeatRow], columns: list[HeatColumn] | None = None) -> str:
    columns = columns or [HeatColumn("Motiverende intervju", critical=True), HeatColumn("Arbeidsrett")]
    return str(
        heatmap.heatmap_svg(
            columns,
            rows,
            title="Gaps <by> unit",
            description="Numbers & more",
            legend=heatmap.legend_entries(people=False, threshold=5),
            id_prefix="t",
        )
    )


def test_svg_is_an_image_with_title_desc_and_no_style() -> None:
    svg = _draw([HeatRow("Oppfølging", [HeatCell("4", "high"), HeatCell("0", "ok")])])
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t-title t-desc"
    assert root.find(f"{SVG}title").text == "Gaps <by> unit"  # escaped in the markup, read back as text
    assert root.find(f"{SVG}desc").text == "Numbers & more"
    assert "style" not in svg and "<script" not in svg


def test_every_cell_carries_its_number_and_tone() -> None:
    svg = _draw([HeatRow("Oppfølging", [HeatCell("4", "high", "4 of 8"), HeatCell("0", "ok")])])
    root = _parse(svg)
    cells = [g for g in root.iter(f"{SVG}g") if g.get("data-tone")]
    texts = [(g.get("data-tone"), g.find(f"{SVG}text").text) for g in cells]
    assert ("high", "4") in texts and ("ok", "0") in texts
    high = next(g for g in cells if g.get("data-tone") == "high")
    assert high.find(f"{SVG}rect").get("fill") == heatmap.TONES["high"][0]
    assert high.find(f"{SVG}text").get("fill") == "#ffffff"
    assert high.find(f"{SVG}title").text == "4 of 8"


def test_suppressed_cells_are_hatched_and_show_a_dash() -> None:
    cell = heatmap.group_cell(Figures(assessed=2, below=1).hidden(5), threshold=5)
    assert cell.suppressed and cell.text == "–"
    svg = _draw([HeatRow("Småteam", [cell, cell])])
    root = _parse(svg)
    assert root.find(f".//{SVG}pattern").get("id") == "t-hatch"
    suppressed = [g for g in root.iter(f"{SVG}g") if g.get("data-tone") == "suppressed"]
    assert len(suppressed) >= 2
    assert all(g.find(f"{SVG}rect").get("fill") == "url(#t-hatch)" for g in suppressed)
    assert all(g.find(f"{SVG}text").text == "–" for g in suppressed)
    # No figure of the small group is anywhere in the drawing.
    assert "1 of 2" not in svg


def test_group_cell_tones_follow_the_share_below() -> None:
    assert heatmap.group_cell(Figures(assessed=10, below=0, required=3)).tone == "ok"
    assert heatmap.group_cell(Figures(assessed=10, below=2, required=3)).tone == "low"
    assert heatmap.group_cell(Figures(assessed=10, below=3, required=3)).tone == "mid"
    assert heatmap.group_cell(Figures(assessed=10, below=5, required=3)).tone == "high"
    assert heatmap.group_cell(Figures(assessed=10, below=0, required=0)).tone == "none"
    assert heatmap.group_cell(Figures()).tone == "empty"
    future = heatmap.group_cell(Figures(assessed=10, below=0, below_future=6, required=2), future=True)
    assert future.text == "6" and future.tone == "high"


def test_person_cell_marks_below_and_above_without_colour() -> None:
    below = heatmap.person_cell(
        PersonCell(self_level=1, required=3, assessed=True), source="self", proficient=3
    )
    above = heatmap.person_cell(
        PersonCell(self_level=4, required=3, assessed=True), source="self", proficient=3
    )
    meets = heatmap.person_cell(
        PersonCell(self_level=3, required=3, assessed=True), source="self", proficient=3
    )
    assert (below.text, below.tone) == ("1−", "high")
    assert (above.text, above.tone) == ("4+", "above")
    assert (meets.text, meets.tone) == ("3", "ok")
    leader = heatmap.person_cell(
        PersonCell(self_level=4, leader_level=2, required=3, assessed=True), source="leader", proficient=3
    )
    assert leader.text == "2−" and "Own rating 4, leader's 2" in leader.note
    agreed = PersonCell(self_level=4, leader_level=2, agreed_level=3, required=3, assessed=True)
    assert heatmap.person_cell(agreed, source="agreed", proficient=3).text == "3"
    assert heatmap.person_cell(PersonCell(), source="agreed", proficient=3).tone == "empty"


def test_critical_columns_are_marked_and_long_labels_shortened() -> None:
    long = "Kunnskap om arbeidsmarkedet i regionen og tiltakene"
    svg = _draw([HeatRow("A", [HeatCell("1", "low")])], [HeatColumn(long, critical=True)])
    root = _parse(svg)
    heads = [t for t in root.iter(f"{SVG}text") if t.get("transform")]
    assert heads[0].get("font-weight") == "700"
    assert "".join(heads[0].itertext()).startswith(long)  # the <title> holds the full name
    assert "! " + long[: heatmap.MAX_LABEL - 1].rstrip() + "…" in "".join(heads[0].itertext())


def test_drawing_is_capped_in_rows_and_columns() -> None:
    columns = [HeatColumn(f"C{i}") for i in range(heatmap.MAX_COLUMNS + 5)]
    rows = [HeatRow(f"Unit {r}", [HeatCell("0", "ok")] * len(columns)) for r in range(heatmap.MAX_ROWS + 7)]
    svg = _draw(rows, columns)
    root = _parse(svg)
    data_cells = [g for g in root.iter(f"{SVG}g") if g.get("data-tone") == "ok"]
    legend = 1  # one legend sample has the tone "ok"
    assert len(data_cells) == heatmap.MAX_ROWS * heatmap.MAX_COLUMNS + legend
    assert heatmap.clipped(len(rows), len(columns)) == (True, True)
    assert heatmap.clipped(3, 3) == (False, False)


def test_legend_explains_each_tone_including_suppression() -> None:
    svg = _draw([HeatRow("A", [HeatCell("1", "low")])])
    assert "Fewer than 5 people: hidden to protect privacy" in svg
    assert "Half or more below" in svg
    people = heatmap.legend_entries(people=True, threshold=5)
    assert {tone for tone, _sample, _text in people} >= {"high", "above", "ok"}


def test_text_colours_have_enough_contrast() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for tone, (fill, ink) in heatmap.TONES.items():
        light, dark = sorted([luminance(fill), luminance(ink)], reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, tone
    assert re.fullmatch(r"#[0-9a-f]{6}", heatmap.GRID)


def test_signed_changes_round_before_taking_the_sign() -> None:
    from django.utils import translation

    from laera.competences.templatetags.gap_tags import signed

    with translation.override("en"):
        assert signed(-0.04) == "0.0"
        assert signed(0.66) == "+0.7"
        assert signed(-2) == "−2"
        assert signed(None) == "–"


def test_slanted_labels_have_room_for_the_longest_critical_label() -> None:
    """A critical competence's label ("! " and bold) must fit above the grid and inside the right edge,
    with its full name in the label's title (issue: "! Vurdering av bistandsbehc" was clipped)."""
    import math

    long = "Vurdering av bistandsbehov og arbeidsevne"
    columns = [HeatColumn(label="Kort"), HeatColumn(label=long, critical=True)]
    rows = [HeatRow(label="Oppfølging", cells=[HeatCell("1", "low"), HeatCell("2", "high")])]
    svg = _parse(
        str(heatmap.heatmap_svg(columns, rows, title="T", description="D", legend=[], id_prefix="t"))
    )
    width = float(svg.get("width") or 0)
    heads = [t for t in svg.findall(f"{SVG}text") if t.get("transform")]
    assert len(heads) == 2
    last = heads[-1]
    assert last.findtext(f"{SVG}title") == long
    drawn = "".join(last.itertext())[len(long) :]
    assert drawn.startswith("! ")
    x, y = float(last.get("x") or 0), float(last.get("y") or 0)
    extent = heatmap.text_width(drawn, bold=True)
    angle = math.radians(heatmap.SLANT)
    assert y - extent * math.sin(angle) >= 0  # not clipped at the top
    assert x + extent * math.cos(angle) <= width  # nor at the right edge
    # A short-labelled drawing does not reserve that room.
    short = _parse(str(heatmap.heatmap_svg(columns[:1], rows, title="T", description="D", legend=[])))
    assert float(short.get("height") or 0) < float(svg.get("height") or 0)


def test_cells_share_their_text_style_through_their_group() -> None:
    """The cells' numbers take their font, size, weight and centring from the group around all cells,
    and every text its font from the drawing: written once, not on each of hundreds of cells."""
    rows = [HeatRow(f"R{r}", [HeatCell(str(c), "ok", f"note {r}.{c}") for c in range(4)]) for r in range(3)]
    svg = _draw(rows, [HeatColumn(f"C{c}") for c in range(4)])
    root = _parse(svg)
    assert root.get("font-family") == heatmap.FONT
    assert not [t for t in root.iter(f"{SVG}text") if t.get("font-family")]
    groups = [g for g in root.iter(f"{SVG}g") if g.get("text-anchor") == "middle"]
    assert [g.get("font-weight") for g in groups] == ["600", "600"]  # the cells, and the legend's samples
    cells = [g for g in groups[0] if g.get("data-tone")]
    assert len(cells) == 12 and all(c.find(f"{SVG}text").get("text-anchor") is None for c in cells)
    assert [c.find(f"{SVG}title").text for c in cells][:2] == ["note 0.0", "note 0.1"]
    assert svg.count('font-size="15"') == 2
