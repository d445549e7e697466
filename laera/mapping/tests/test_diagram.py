"""The knowledge-flow diagram is well-formed, accessible SVG that shows counts and gaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from laera.mapping.diagram import flow_table_rows, knowledge_flow_svg
from laera.mapping.sveiby import Family

SVG = "{http://www.w3.org/2000/svg}"
COUNTS = {1: 4, 2: 0, 3: 3, 4: 1, 5: 2, 6: 0, 7: 1, 8: 0, 9: 2}


def render(counts: dict[int, int] = COUNTS, *, title: str = "Flow", prefix: str = "flow") -> str:
    with translation.override("en"):
        return str(knowledge_flow_svg(counts, title=title, description="Nine transfers", id_prefix=prefix))


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 (markup we generated ourselves)


def arrows(root: ET.Element) -> dict[int, ET.Element]:
    return {int(g.attrib["data-transfer"]): g for g in root.iter(f"{SVG}g") if "data-transfer" in g.attrib}


def stroke_width(group: ET.Element) -> float:
    path = group.find(f"{SVG}path")
    assert path is not None
    return float(path.attrib["stroke-width"])


def label(group: ET.Element) -> str:
    text = group.find(f"{SVG}text")
    assert text is not None
    return "".join(text.itertext())


def test_nine_arrows_carry_their_numbers_and_counts() -> None:
    found = arrows(parse(render()))
    assert sorted(found) == list(range(1, 10))
    assert {n: int(g.attrib["data-count"]) for n, g in found.items()} == COUNTS
    for n, g in found.items():
        assert label(g).startswith(f"{n}: ")
        if COUNTS[n]:
            assert label(g) == f"{n}: {COUNTS[n]}"


def test_stroke_width_grows_with_the_count() -> None:
    found = arrows(parse(render()))
    by_count = sorted(found, key=lambda n: COUNTS[n])
    widths = [stroke_width(found[n]) for n in by_count]
    assert widths == sorted(widths)
    assert stroke_width(found[1]) > stroke_width(found[3]) > stroke_width(found[5]) > stroke_width(found[4])
    assert stroke_width(found[5]) == stroke_width(found[9])


def test_gaps_are_dashed_and_labelled_not_only_coloured() -> None:
    found = arrows(parse(render()))
    for n, g in found.items():
        path = g.find(f"{SVG}path")
        assert path is not None
        if COUNTS[n] == 0:
            assert "stroke-dasharray" in path.attrib
            assert "gap" in label(g)
            assert "!" in label(g)
        else:
            assert "stroke-dasharray" not in path.attrib
            assert "gap" not in label(g)


def test_title_and_description_are_referenced_and_escaped() -> None:
    markup = render(title='Flow <b>&"')
    assert "<b>" not in markup
    assert "&lt;b&gt;&amp;&quot;" in markup
    root = parse(markup)
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-labelledby"] == "flow-title flow-desc"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert (title.attrib["id"], title.text) == ("flow-title", 'Flow <b>&"')
    assert (desc.attrib["id"], desc.text) == ("flow-desc", "Nine transfers")


def test_scales_to_its_container() -> None:
    root = parse(render())
    assert root.attrib["width"] == "100%"
    assert "viewBox" in root.attrib
    assert "height" not in root.attrib


def test_no_inline_styles_for_the_content_security_policy() -> None:
    root = parse(render())
    assert root.find(f".//{SVG}style") is None
    assert all("style" not in element.attrib for element in root.iter())


def test_markers_are_prefixed_so_two_diagrams_can_share_a_page() -> None:
    root = parse(render(prefix="team-a"))
    marker_ids = {m.attrib["id"] for m in root.iter(f"{SVG}marker")}
    assert marker_ids
    assert all(marker_id.startswith("team-a-") for marker_id in marker_ids)
    for g in arrows(root).values():
        path = g.find(f"{SVG}path")
        assert path is not None
        referenced = path.attrib["marker-end"].removeprefix("url(#").removesuffix(")")
        assert referenced in marker_ids
    assert root.attrib["aria-labelledby"] == "team-a-title team-a-desc"


@pytest.mark.parametrize("counts", [{}, dict.fromkeys(range(1, 10), 0)])
def test_all_zero_counts_are_all_gaps(counts: dict[int, int]) -> None:
    found = arrows(parse(render(counts)))
    assert len(found) == 9
    assert all(g.attrib["data-count"] == "0" for g in found.values())
    assert len({stroke_width(g) for g in found.values()}) == 1
    assert all("gap" in label(g) for g in found.values())


def test_family_labels_are_in_the_active_language() -> None:
    text = " ".join(parse(render()).itertext())
    with translation.override("en"):
        english = [str(f.label) for f in Family]
    for family_label in english:
        assert all(word in text for word in family_label.split())

    with translation.override("nb"):
        norwegian = str(Family.COMPETENCE.label)
        nb_text = " ".join(parse(str(knowledge_flow_svg({}, title="t", description="d"))).itertext())
    assert all(word in nb_text for word in norwegian.split())
    if norwegian != english[0]:
        assert english[0].split()[-1] not in nb_text


def test_long_family_labels_wrap_onto_two_lines() -> None:
    root = parse(render())
    node_texts = [t for t in root.iter(f"{SVG}text") if t.findall(f"{SVG}tspan")]
    assert len(node_texts) == 3
    assert all(len(t.findall(f"{SVG}tspan")) == 2 for t in node_texts)


def test_flow_table_rows_follow_transfer_order() -> None:
    with translation.override("en"):
        rows = flow_table_rows(COUNTS)
    assert [r.number for r in rows] == list(range(1, 10))
    assert [r.count for r in rows] == [COUNTS[n] for n in range(1, 10)]
    assert [r.number for r in rows if r.is_gap] == [2, 6, 8]
    assert (rows[1].source_label, rows[1].target_label) == ("Individual competence", "External structure")
    assert rows[0].name == "Between individuals"
    assert all(r.example and r.gap_advice for r in rows)


def test_flow_table_rows_treat_missing_counts_as_gaps() -> None:
    rows = flow_table_rows({3: 5})
    assert [r.is_gap for r in rows] == [n != 3 for n in range(1, 10)]
