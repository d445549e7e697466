"""The competence heatmap (units or people × competences) drawn as server-side SVG.

Pure functions over plain data, no database access, like `laera.mapping.diagram`. The SVG uses
presentation attributes only, so it passes a Content-Security-Policy without 'unsafe-inline'.

Colour is never the only signal: every cell carries its number, people above what is required carry a
"+" and people below a "−" marker, and a suppressed cell (a group smaller than the organisation's
threshold) is hatched and shows "–" instead of a number. Text colours are chosen per fill for at least
4.5:1 contrast. The numbers are in a table next to the drawing, which is the accessible equivalent; the
SVG itself is one image with a title and a description.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .selectors.gaps import Figures, PersonCell

# Geometry, in viewBox units.
CELL_W, CELL_H = 44.0, 32.0
LABEL_W = 220.0
LEGEND_ROW_H = 36.0
PAD = 8.0
FONT = "system-ui, sans-serif"
TEXT_SIZE = 15
LABEL_SIZE = 14
MAX_LABEL = 26  # characters of a row or column label before it is shortened with "…"

# Drawn at most; the table and the XLSX export have the rest. Filtering by area narrows the columns.
MAX_ROWS = 60
MAX_COLUMNS = 40

DARK, LIGHT = "#1b1b1b", "#ffffff"
GRID = "#6f6f6f"
HATCH_STROKE = "#595959"

# tone: (fill, text colour). Each pair has at least 4.5:1 contrast.
TONES: dict[str, tuple[str, str]] = {
    "ok": ("#d4edda", DARK),  # nobody below the requirement / meets it
    "low": ("#fff0b3", DARK),  # under a quarter below
    "mid": ("#f6b26b", DARK),  # a quarter to a half below
    "high": ("#a51d1d", LIGHT),  # half or more below / this person is below
    "above": ("#1f5fa8", LIGHT),  # above the requirement and proficient: could teach others
    "none": ("#ffffff", "#4a4a4a"),  # nothing required
    "empty": ("#f2f2f2", "#4a4a4a"),  # nobody assessed / not rated
    "suppressed": ("#ffffff", DARK),  # fewer people than the threshold: hatched
}


@dataclass(frozen=True)
class HeatColumn:
    label: str
    critical: bool = False


@dataclass(frozen=True)
class HeatCell:
    text: str
    tone: str
    note: str = ""  # shown as the cell's tooltip

    @property
    def suppressed(self) -> bool:
        return self.tone == "suppressed"


@dataclass(frozen=True)
class HeatRow:
    label: str
    cells: Sequence[HeatCell]
    is_total: bool = False


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


# The column labels are slanted at SLANT degrees; sin and cos of it, for the room they take.
SLANT = 50
_SIN, _COS = 0.766, 0.643
# A generous width per character of the label font, so the room never falls short: wide letters
# (m, w, Æ, Ø) and bold text are wider than the average.
CHAR_W = {False: LABEL_SIZE * 0.62, True: LABEL_SIZE * 0.68}


def text_width(text: str, *, bold: bool = False) -> float:
    """An upper estimate of the drawn width of `text` at LABEL_SIZE, in viewBox units."""
    return len(text) * CHAR_W[bold]


def _column_text(column: HeatColumn) -> str:
    return ("! " if column.critical else "") + _short(column.label)


def header_room(columns: Sequence[HeatColumn]) -> tuple[float, float]:
    """(height above the grid, width right of the grid) that the slanted column labels need: the longest
    drawn label, so that no label is clipped at the top or the right edge of the drawing."""
    longest = max((text_width(_column_text(c), bold=c.critical) for c in columns), default=0.0)
    return max(48.0, longest * _SIN + 12), max(0.0, longest * _COS - CELL_W / 2 + PAD)


def _concat(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def share_tone(below: int, assessed: int) -> str:
    """The tone of a group cell from the share of people below the level."""
    if assessed == 0:
        return "empty"
    share = below / assessed
    if share == 0:
        return "ok"
    if share < 0.25:
        return "low"
    if share < 0.5:
        return "mid"
    return "high"


def group_cell(figures: Figures, *, future: bool = False, threshold: int = 5) -> HeatCell:
    """A unit's cell: how many people are below the level required now (or later, with `future`)."""
    if figures.suppressed:
        return HeatCell(
            "–",
            "suppressed",
            gettext("Fewer than %(threshold)s people: not shown") % {"threshold": threshold},
        )
    if figures.assessed == 0:
        return HeatCell("·", "empty", gettext("Nobody assessed"))
    below = figures.below_future if future else figures.below
    average = figures.average or 0.0
    note = gettext("%(below)s of %(assessed)s below the level; average %(average)s; %(above)s above") % {
        "below": below,
        "assessed": figures.assessed,
        "average": f"{average:.1f}",
        "above": figures.above,
    }
    if not future and figures.required == 0:
        return HeatCell(str(below), "none", note)
    return HeatCell(str(below), share_tone(below, figures.assessed), note)


def person_cell(cell: PersonCell, *, source: str, proficient: int, future: bool = False) -> HeatCell:
    """One person's cell: their level (by `source`) against what is required of them."""
    if not cell.assessed:
        return HeatCell("·", "empty", gettext("Not in the mapping"))
    level = cell.level(source)
    if level is None:
        return HeatCell("·", "empty", gettext("Not rated"))
    required = (cell.future or 0) if future else cell.required
    note = gettext("Own rating %(own)s, leader's %(leader)s, required %(required)s") % {
        "own": "–" if cell.self_level is None else cell.self_level,
        "leader": "–" if cell.leader_level is None else cell.leader_level,
        "required": required,
    }
    if required > 0 and level < required:
        return HeatCell(f"{level}−", "high", note)
    if level > required and level >= proficient:
        return HeatCell(f"{level}+", "above", note)
    if required == 0:
        return HeatCell(str(level), "none", note)
    return HeatCell(str(level), "ok", note)


def legend_entries(*, people: bool, threshold: int) -> list[tuple[str, str, str]]:
    """(tone, sample text, explanation) for the legend under the drawing and beside the table."""
    if people:
        return [
            ("high", "2−", gettext("Below the required level")),
            ("ok", "3", gettext("Meets the required level")),
            ("above", "4+", gettext("Above the requirement: could teach others")),
            ("none", "1", gettext("Nothing required")),
            ("empty", "·", gettext("Not rated")),
        ]
    return [
        ("ok", "0", gettext("Nobody below the required level")),
        ("low", "1", gettext("Under a quarter below")),
        ("mid", "3", gettext("A quarter to a half below")),
        ("high", "6", gettext("Half or more below")),
        ("none", "0", gettext("Nothing required")),
        ("empty", "·", gettext("Nobody assessed")),
        (
            "suppressed",
            "–",
            gettext("Fewer than %(threshold)s people: hidden to protect privacy") % {"threshold": threshold},
        ),
    ]


def _cell(cell: HeatCell, x: float, y: float, prefix: str) -> SafeString:
    fill, ink = TONES.get(cell.tone, TONES["empty"])
    if cell.suppressed:
        fill = f"url(#{prefix}-hatch)"
    return format_html(
        '<g data-tone="{}"><title>{}</title>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1"/>'
        '<text x="{}" y="{}" dy="0.35em" fill="{}">{}</text></g>',
        cell.tone, cell.note or cell.text, _n(x), _n(y), _n(CELL_W), _n(CELL_H), fill, GRID,
        _n(x + CELL_W / 2), _n(y + CELL_H / 2), ink, cell.text,
    )  # fmt: skip


def _cells(cells: list[SafeString]) -> SafeString:
    """Cells in a group that gives their numbers the font, size, weight and centring they share: written
    once, not on each of hundreds of cells."""
    return format_html(
        '<g text-anchor="middle" font-size="{}" font-weight="600">{}</g>', TEXT_SIZE, _concat(cells)
    )


def _hatch(prefix: str) -> SafeString:
    return format_html(
        '<pattern id="{}-hatch" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="{}" stroke-width="2"/></pattern>',
        prefix, HATCH_STROKE,
    )  # fmt: skip


def heatmap_svg(
    columns: Sequence[HeatColumn],
    rows: Sequence[HeatRow],
    *,
    title: str,
    description: str,
    legend: Sequence[tuple[str, str, str]],
    id_prefix: str = "heatmap",
) -> SafeString:
    """Rows × columns of cells, column labels slanted above, row labels on the left, the legend below.

    At most MAX_ROWS rows and MAX_COLUMNS columns are drawn; callers say so next to the drawing (see
    `clipped`). Critical competences are marked with "!" before their label.
    """
    columns = list(columns)[:MAX_COLUMNS]
    rows = list(rows)[:MAX_ROWS]
    grid_w = CELL_W * max(1, len(columns))
    header_h, right = header_room(columns)
    label_w = max((text_width(_short(row.label), bold=row.is_total) + 12 for row in rows), default=LABEL_W)
    legend_w = max((CELL_W + 8 + text_width(text) for _tone, _sample, text in legend), default=0.0)
    width = max(PAD + label_w + grid_w + right + PAD, PAD + legend_w + PAD)
    legend_y = PAD + header_h + CELL_H * len(rows) + 2 * PAD
    height = legend_y + LEGEND_ROW_H * len(legend) + PAD
    heads = []
    for i, column in enumerate(columns):
        x = PAD + label_w + CELL_W * (i + 0.5)
        y = PAD + header_h - 6
        heads.append(
            format_html(
                '<text x="{}" y="{}" transform="rotate(-{} {} {})" font-size="{}" '
                'font-weight="{}" fill="{}"><title>{}</title>{}</text>',
                _n(x),
                _n(y),
                SLANT,
                _n(x),
                _n(y),
                LABEL_SIZE,
                "700" if column.critical else "400",
                DARK,
                column.label,
                _column_text(column),
            )  # fmt: skip
        )
    body = []
    cells: list[SafeString] = []
    for r, row in enumerate(rows):
        y = PAD + header_h + CELL_H * r
        body.append(
            format_html(
                '<text x="{}" y="{}" dy="0.35em" text-anchor="end" font-size="{}" '
                'font-weight="{}" fill="{}"><title>{}</title>{}</text>',
                _n(PAD + label_w - 6),
                _n(y + CELL_H / 2),
                LABEL_SIZE,
                "700" if row.is_total else "400",
                DARK,
                row.label,
                _short(row.label),
            )  # fmt: skip
        )
        if row.is_total:
            body.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>',
                    _n(PAD),
                    _n(y),
                    _n(PAD + label_w + grid_w),
                    _n(y),
                    DARK,
                )  # fmt: skip
            )
        for c, cell in enumerate(list(row.cells)[: len(columns)]):
            cells.append(_cell(cell, PAD + label_w + CELL_W * c, y, id_prefix))
    body.append(_cells(cells))
    samples: list[SafeString] = []
    keys = []
    for i, (tone, sample, text) in enumerate(legend):
        y = legend_y + LEGEND_ROW_H * i
        samples.append(_cell(HeatCell(sample, tone, text), PAD, y - 3, id_prefix))
        keys.append(
            format_html(
                '<text x="{}" y="{}" dy="0.35em" font-size="{}" fill="{}">{}</text>',
                _n(PAD + CELL_W + 8),
                _n(y - 3 + CELL_H / 2),
                LABEL_SIZE,
                DARK,
                text,
            )  # fmt: skip
        )
    keys.append(_cells(samples))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{}-title {}-desc" '
        'viewBox="0 0 {} {}" width="{}" height="{}" preserveAspectRatio="xMinYMin meet" font-family="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc><defs>{}</defs>{}{}{}</svg>',
        id_prefix, id_prefix, _n(width), _n(height), _n(width), _n(height), FONT, id_prefix, title, id_prefix,
        description, _hatch(id_prefix), _concat(heads), _concat(body), _concat(keys),
    )  # fmt: skip


def clipped(rows: int, columns: int) -> tuple[bool, bool]:
    """Whether the drawing leaves out rows, columns."""
    return rows > MAX_ROWS, columns > MAX_COLUMNS
