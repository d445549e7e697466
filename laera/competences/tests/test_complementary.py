"""Complementary suppression: a hidden group must not be computable from a total, a derived row or a list.

The world: the gap world with a two-person team ("Ungdomsteam", both rated 1 in Motiverende intervju)
under Oppfølging, so that in the column of Motiverende intervju exactly one unit's cell is hidden. The
coordinator plans for Oppfølging and the units below it; the leader of Mottak also sits in Oppfølging's
working group, so they read Oppfølging's group figures without leading its people.
"""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest

from laera.competences.selectors import gaps as selectors
from laera.competences.selectors.gaps import Figures, complementary_hidden
from laera.testing.shared import shared_data
from laera.testing.world import World

from .gap_world import GapWorld, build_gap_world, english
from .test_privacy import _small_sub_unit

THRESHOLD = 5
SMALL = ("Ung 0", "Ung 1")


# The rule itself ---------------------------------------------------------------------------------------


def _f(assessed: int, below: int = 0) -> Figures:
    return Figures(assessed=assessed, level_sum=assessed * 2, below=below, required=3)


def test_exactly_one_hidden_cell_hides_the_total() -> None:
    total = _f(12, 5)
    assert complementary_hidden(total, [_f(10, 3), _f(2, 2)], THRESHOLD).suppressed
    # Still hidden when overlapping memberships make the subtraction come out at nothing.
    assert complementary_hidden(_f(10, 3), [_f(10, 3), _f(2, 2)], THRESHOLD).suppressed


def test_several_hidden_cells_with_enough_people_leave_the_total() -> None:
    total = _f(18, 6)
    shown = complementary_hidden(total, [_f(10, 3), _f(4, 2), _f(4, 1)], THRESHOLD)
    assert shown is total and not shown.suppressed


def test_several_hidden_cells_with_too_few_people_hide_the_total() -> None:
    assert complementary_hidden(_f(13, 4), [_f(10, 3), _f(2, 1), _f(1, 0)], THRESHOLD).suppressed


def test_empty_cells_are_not_hidden_groups() -> None:
    total = _f(10, 3)
    assert complementary_hidden(total, [_f(10, 3), _f(0)], THRESHOLD) is total


def test_a_hidden_total_stays_hidden() -> None:
    hidden = _f(3).hidden(THRESHOLD)
    assert complementary_hidden(hidden, [_f(3)], THRESHOLD) is hidden


# Over the data -----------------------------------------------------------------------------------------


def _build(world: World) -> GapWorld:
    from laera.organisations import services as org

    built = build_gap_world(world)
    _small_sub_unit(built, built.round)
    org.working_group_member_add(actor=None, unit=world.team, person=world.people["other_leader"])
    return built


gaps = shared_data("gaps", _build)


READERS = ["coordinator", "other_leader"]


@pytest.mark.parametrize("role", READERS)
def test_selector_totals_hide_the_only_hidden_group(gaps: GapWorld, role: str) -> None:
    actor = gaps.world.actor(role)
    heatmap = selectors.heatmap_by_units(actor, gaps.round)
    column = next(i for i, c in enumerate(heatmap.columns) if c.competence.pk == gaps.competence.pk)
    cells = [row.cells[column] for row in heatmap.rows]
    assert sum(cell.suppressed for cell in cells) == 1  # Ungdomsteam only
    assert heatmap.totals[column].suppressed
    assert selectors.gap_figures(actor, gaps.round, gaps.competence).suppressed
    report = selectors.unit_gap_report(actor, gaps.world.team, gaps.round)
    assert next(g for g in report if g.column.competence.pk == gaps.competence.pk).now.suppressed
    # Those who lead everyone behind the figures keep them: the leader of Oppfølging and its sub-team.
    leader = selectors.unit_gap_report(gaps.world.actor("leader"), gaps.world.team, gaps.round)
    assert next(g for g in leader if g.column.competence.pk == gaps.competence.pk).now.assessed == 10


def _numbers(html: str) -> dict[str, list[str]]:
    """{row header: [cell texts]} of the numbers table, the column headings under "Unit"."""
    table = re.search(r'<table class="ds-table gap-numbers".*?</table>', html, re.S)
    assert table, "no numbers table"
    rows: dict[str, list[str]] = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S):
        cells = [
            re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0] or ""] = cells[1:]
    return rows


def _row_of(html: str, competence: str) -> re.Match[str] | None:
    """The table row whose row header holds the competence's name."""
    for match in re.finditer(r"<tr[^>]*>.*?</tr>", html, re.S):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', match.group(0), re.S)
        if header and competence in re.sub(r"<[^>]+>", "", header.group(1)):
            return match
    return None


def _pair(text: str) -> tuple[int, int] | None:
    """(below, assessed) of a shown cell "b of a"; None for a hidden or empty one."""
    match = re.fullmatch(r"(\d+) of (\d+)", " ".join(text.split()))
    return (int(match.group(1)), int(match.group(2))) if match else None


def _assert_not_computable(units: dict[str, list[Any]], total: list[Any], hidden: dict[str, int]) -> None:
    """For each column with a shown total: the total less the unit cells shown leaves nobody or a group
    at the threshold or above (for both people assessed and people below), and never a hidden group's
    own count."""
    for column, value in enumerate(total):
        if value is None:
            continue
        shown = [cells[column] for cells in units.values() if cells[column] is not None]
        hidden_here = [
            n for name, n in hidden.items() if units.get(name, [None] * len(total))[column] is None
        ]
        if not hidden_here:
            continue
        for part in (0, 1):
            residual = value[part] - sum(cell[part] for cell in shown)
            assert residual == 0 or residual >= THRESHOLD, (column, part, residual)
        assert value[1] - sum(cell[1] for cell in shown) not in hidden_here


@pytest.mark.parametrize("role", READERS)
def test_page_and_export_do_not_give_the_hidden_group_away(
    gaps: GapWorld, client_for: Any, role: str
) -> None:
    client = english(client_for(role))
    # Oppfølging's level: its own members and the small team below it.
    html = client.get(gaps.url("gap_overview"), {"unit": gaps.world.team.pk}).content.decode()
    rows = _numbers(html)
    total = [_pair(t) for t in rows.pop("All units shown")]
    rows.pop("Unit")
    units = {name: [_pair(t) for t in cells] for name, cells in rows.items()}
    assert "Ungdomsteam" in units and all(cell is None for cell in units["Ungdomsteam"][:1])
    assert "fewer than 5 people" in " ".join(rows["Ungdomsteam"])
    assert total[0] is None  # Motiverende intervju: the only hidden group's column
    _assert_not_computable(units, total, {"Ungdomsteam": 2})
    # The critical-gaps table (the totals as rows) and the hidden-competence list say no more.
    critical = html[html.index('id="critical-heading"') : html.index('id="heatmap-heading"')]
    row = _row_of(critical, "Motiverende intervju")
    assert row and "hidden to protect privacy" in row.group(0)
    assert re.findall(r"<td>(\d+)</td>", row.group(0)) == ["3"]  # the required level, no count
    hidden = html[html.index('id="hidden-heading"') : html.index('id="units-heading"')]
    for item in re.split(r"<li><strong>", hidden)[1:]:
        if "Motiverende intervju" in item.split("</strong>")[0]:
            assert "fewer than 5 people" in item
            assert not re.search(r"(?<!than )\b\d+ (person|people)\b", item.split("</li>")[0])
    for name in SMALL:
        assert name not in html
    # The spreadsheet: the same suppression in the matrix and in the figures.
    content = client.get(gaps.url("gap_export")).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    figures: dict[str, dict[str, tuple[int, int] | None]] = {}
    for line in workbook.worksheets[1].iter_rows(values_only=True):
        if not line or not isinstance(line[5], int | type(None)) or line[2] is None:
            continue
        pair = (line[7], line[5]) if isinstance(line[5], int) and isinstance(line[7], int) else None
        figures.setdefault(str(line[0]), {})[str(line[2])] = pair
    assert figures["All units shown"]["Motiverende intervju"] is None
    assert figures["Ungdomsteam"]["Motiverende intervju"] is None
    names = sorted(figures["All units shown"])
    x_units = {g: [figures[g].get(n) for n in names] for g in figures if g != "All units shown"}
    _assert_not_computable(x_units, [figures["All units shown"][n] for n in names], {"Ungdomsteam": 2})
    text = " ".join(
        str(v) for sheet in workbook.worksheets for r in sheet.iter_rows(values_only=True) for v in r if v
    )
    for name in SMALL:
        assert name not in text
    # The unit report of Oppfølging (its people and the sub-team's) is hidden too, on the page and in the
    # export, since less the Oppfølging row it would be the sub-team's figures.
    report = client.get(gaps.url("unit_gaps", unit_id=gaps.world.team.pk)).content.decode()
    line = _row_of(report, "Motiverende intervju")
    assert line and "hidden to protect privacy" in line.group(0)
    for name in SMALL:
        assert name not in report


def test_another_units_leader_sees_only_their_own_people_named_and_is_told_why(
    gaps: GapWorld, client_for: Any
) -> None:
    """The leader of Mottak reads the Oppfølging figures as a working-group member: the total of
    Motiverende intervju is hidden, and the hidden-competence list names only Mottak's own people (m3 is
    above the requirement), with the words that say why they see names others do not."""
    who = {"who": gaps.competence.pk}
    html = english(client_for("other_leader")).get(gaps.url("gap_overview"), who).content.decode()
    hidden = html[html.index('id="hidden-heading"') : html.index('id="units-heading"')]
    assert "Person m3" in hidden
    assert "Person e1" not in hidden and "Person employee" not in hidden
    assert "only because you may read these people's assessments" in hidden
    coordinator = english(client_for("coordinator")).get(gaps.url("gap_overview"), who).content.decode()
    assert "Person m3" not in coordinator and "Person e1" not in coordinator
    assert "only because you may read" not in coordinator
