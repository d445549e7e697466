"""The knowledge-flow diagram: Sveiby's three families and nine transfers, drawn as server-side SVG.

Pure functions, no database access. The SVG uses presentation attributes only (no style attribute or
element), so it passes a Content-Security-Policy without 'unsafe-inline'.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from laera.mapping.sveiby import TRANSFERS, Family

Point = tuple[float, float]

# Geometry, in viewBox units. The drawing scales to its container (width="100%").
VIEW_W, VIEW_H = 520.0, 560.0
NODE_R = 66.0
NODES: dict[str, Point] = {"C": (260.0, 150.0), "I": (84.0, 404.0), "E": (436.0, 404.0)}
# Direction (degrees, screen coordinates) in which each family's self-loop points.
LOOP_ANGLE = {"C": -90.0, "I": 90.0, "E": 90.0}
LOOP_SPREAD = 27.0  # degrees either side of the loop's axis where it leaves and re-enters the shape
LOOP_REACH = 74.0  # how far the loop's control points stand out from the shape
PAIR_OFFSET = 12.0  # half the distance between the two arrows of a pair
LABEL_GAP = 12.0  # clearance between a label and the thickest possible arrow
# Labels inside the triangle on its slanted sides sit this far down the side, where the triangle is wide
# enough for two labels side by side and still clear of the label above the base.
INNER_LABEL_AT = 0.66
MIN_STROKE, MAX_STROKE = 2.0, 12.0

FONT = "system-ui, sans-serif"
NODE_FILL, NODE_STROKE, NODE_TEXT = "#eef4fb", "#1f4e79", "#102a43"
FLOW_COLOUR = "#1f5fa8"  # 6.4:1 on white
GAP_COLOUR = "#b3470b"  # 5.5:1 on white
HALO = "#ffffff"
LABEL_SIZE = 18
NODE_TEXT_SIZE = 18.0


@dataclass(frozen=True)
class FlowRow:
    number: int
    name: str
    source_label: str
    target_label: str
    count: int
    is_gap: bool
    example: str
    gap_advice: str


def flow_table_rows(counts: Mapping[int, int]) -> list[FlowRow]:
    """The nine transfers in order, with their counts, for the table beside the diagram."""
    rows = []
    for t in TRANSFERS:
        count = _count(counts, t.number)
        rows.append(
            FlowRow(
                number=t.number,
                name=str(t.name),
                source_label=str(Family(t.source).label),
                target_label=str(Family(t.target).label),
                count=count,
                is_gap=count == 0,
                example=str(t.example),
                gap_advice=str(t.gap_advice),
            )
        )
    return rows


def _count(counts: Mapping[int, int], number: int) -> int:
    return max(0, int(counts.get(number, 0)))


def _concat(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _pt(point: Point) -> str:
    return f"{_n(point[0])},{_n(point[1])}"


def _unit(angle_deg: float) -> Point:
    rad = math.radians(angle_deg)
    return math.cos(rad), math.sin(rad)


def _at(origin: Point, direction: Point, distance: float) -> Point:
    return origin[0] + direction[0] * distance, origin[1] + direction[1] * distance


def _wrap(label: str) -> list[str]:
    """One line if short, else two lines split at the space nearest the middle."""
    if len(label) <= 12 or " " not in label:
        return [label]
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(len(label) - 2 * i))
    return [label[:cut], label[cut + 1 :]]


def _node(family: Family) -> SafeString:
    cx, cy = NODES[family.value]
    lines = _wrap(str(family.label))
    size = min(NODE_TEXT_SIZE, 2 * NODE_R * 0.82 / (0.6 * max(len(line) for line in lines)))
    first_dy = -(len(lines) - 1) * 0.6 + 0.35  # centre the block of lines vertically, in em
    tspans = format_html_join(
        "",
        '<tspan x="{}" dy="{}em">{}</tspan>',
        ((_n(cx), f"{first_dy if i == 0 else 1.2:.2f}", line) for i, line in enumerate(lines)),
    )
    return format_html(
        '<g><circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="2"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-family="{}" font-size="{}" font-weight="700" '
        'fill="{}">{}</text></g>',
        _n(cx), _n(cy), _n(NODE_R), NODE_FILL, NODE_STROKE,
        _n(cx), _n(cy), FONT, _n(size), NODE_TEXT, tspans,
    )  # fmt: skip


@dataclass(frozen=True)
class _Arrow:
    number: int
    count: int
    width: float
    prefix: str

    @property
    def colour(self) -> str:
        return GAP_COLOUR if self.count == 0 else FLOW_COLOUR

    @property
    def head(self) -> float:
        """Length of the arrowhead, which grows with the stroke so thick arrows keep a visible head."""
        return 9.0 + 1.1 * self.width

    def marker(self) -> SafeString:
        h = self.head
        half = h * 0.45
        return format_html(
            '<marker id="{}-head-{}" markerUnits="userSpaceOnUse" markerWidth="{}" markerHeight="{}" '
            'refX="0" refY="{}" orient="auto"><path d="M0,0 L{},{} L0,{} Z" fill="{}"/></marker>',
            self.prefix, self.number, _n(h), _n(2 * half), _n(half), _n(h), _n(half), _n(2 * half),
            self.colour,
        )  # fmt: skip

    def label_text(self) -> str:
        if self.count == 0:
            # Translators: label on a diagram arrow for a knowledge transfer with no activities.
            gap = gettext("gap")
            return f"{self.number}: {gap}!"
        return f"{self.number}: {self.count}"

    def render(self, path_d: str, label_at: Point, anchor: str) -> SafeString:
        dash = format_html(' stroke-dasharray="{}"', "7 5") if self.count == 0 else ""
        weight = "700" if self.count == 0 else "600"
        return format_html(
            '<g data-transfer="{}" data-count="{}"><path d="{}" fill="none" stroke="{}" stroke-width="{}"'
            '{} stroke-linecap="butt" marker-end="url(#{}-head-{})"/>'
            '<text x="{}" y="{}" dy="0.35em" text-anchor="{}" font-family="{}" font-size="{}" '
            'font-weight="{}" fill="{}" stroke="{}" stroke-width="4" stroke-linejoin="round" '
            'paint-order="stroke">{}</text></g>',
            self.number, self.count, path_d, self.colour, _n(self.width), dash, self.prefix, self.number,
            _n(label_at[0]), _n(label_at[1]), anchor, FONT, LABEL_SIZE, weight, self.colour, HALO,
            self.label_text(),
        )  # fmt: skip


def _anchor(direction: Point) -> str:
    """Text anchor that keeps a label on the far side of a point in the given direction."""
    if direction[0] > 0.35:
        return "start"
    if direction[0] < -0.35:
        return "end"
    return "middle"


def _loop(arrow: _Arrow, family: str) -> SafeString:
    """A self-loop leaving and re-entering the family's shape, pointing away from the triangle."""
    centre, axis = NODES[family], LOOP_ANGLE[family]
    out_dir, in_dir = _unit(axis - LOOP_SPREAD), _unit(axis + LOOP_SPREAD)
    start, end = _at(centre, out_dir, NODE_R), _at(centre, in_dir, NODE_R + arrow.head)
    c1, c2 = _at(centre, out_dir, NODE_R + LOOP_REACH), _at(centre, in_dir, NODE_R + LOOP_REACH)
    d = f"M{_pt(start)} C{_pt(c1)} {_pt(c2)} {_pt(end)}"
    axis_dir = _unit(axis)
    # A symmetric cubic peaks at a quarter of its end points plus three quarters of its control points.
    apex = (0.25 * NODE_R + 0.75 * (NODE_R + LOOP_REACH)) * math.cos(math.radians(LOOP_SPREAD))
    label = _at(centre, axis_dir, apex + MAX_STROKE / 2 + LABEL_GAP + LABEL_SIZE / 2)
    return arrow.render(d, label, "middle")


def _straight(arrow: _Arrow, source: str, target: str) -> SafeString:
    """One of a pair of parallel arrows; each keeps to its own left, so the pair never overlaps."""
    (ax, ay), (bx, by) = NODES[source], NODES[target]
    length = math.hypot(bx - ax, by - ay)
    u = ((bx - ax) / length, (by - ay) / length)
    normal = (u[1], -u[0])  # left of the direction of travel (y points down)
    along = math.sqrt(NODE_R**2 - PAIR_OFFSET**2)
    start = _at(_at((ax, ay), normal, PAIR_OFFSET), u, along)
    end = _at(_at((bx, by), normal, PAIR_OFFSET), u, -(along + arrow.head))
    d = f"M{_pt(start)} L{_pt(end)}"
    centroid = (sum(x for x, _ in NODES.values()) / 3, sum(y for _, y in NODES.values()) / 3)
    inward = normal[0] * (centroid[0] - ax) + normal[1] * (centroid[1] - ay) > 0
    at = 0.5
    if inward and abs(normal[0]) > 0.35:
        at = INNER_LABEL_AT if by > ay else 1 - INNER_LABEL_AT
    on_side = (ax + (bx - ax) * at, ay + (by - ay) * at)
    label = _at(on_side, normal, PAIR_OFFSET + MAX_STROKE / 2 + LABEL_GAP)
    return arrow.render(d, label, _anchor(normal))


def knowledge_flow_svg(
    counts: Mapping[int, int], *, title: str, description: str, id_prefix: str = "flow"
) -> SafeString:
    """The three families as circles in a triangle and the nine transfers as arrows weighted by count.

    A transfer with no activities is a gap: a dashed arrow in a warning colour, labelled as a gap.
    """
    most = max((_count(counts, t.number) for t in TRANSFERS), default=0)
    arrows = {
        t.number: _Arrow(
            number=t.number,
            count=(c := _count(counts, t.number)),
            width=min(MAX_STROKE, MIN_STROKE + (MAX_STROKE - MIN_STROKE) * c / most) if most else MIN_STROKE,
            prefix=id_prefix,
        )
        for t in TRANSFERS
    }
    markers = _concat(a.marker() for a in arrows.values())
    paths = _concat(
        _loop(arrows[t.number], t.source)
        if t.source == t.target
        else _straight(arrows[t.number], t.source, t.target)
        for t in TRANSFERS
    )
    nodes = _concat(_node(f) for f in Family)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{}-title {}-desc" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMidYMid meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc><defs>{}</defs>{}{}</svg>',
        id_prefix, id_prefix, _n(VIEW_W), _n(VIEW_H), id_prefix, title, id_prefix, description,
        markers, nodes, paths,
    )  # fmt: skip
