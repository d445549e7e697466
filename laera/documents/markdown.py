"""The plan as Markdown (GitHub-flavoured: the theme tables are pipe tables).

Markdown lets raw HTML through to whoever renders it, so every text from the plan is HTML-escaped: `<` and
`>` become `&lt;` and `&gt;`, and an `&` that would start a character reference becomes `&amp;`. A name
like `<img src=x onerror=...>` reads as written and never becomes a tag; ordinary text (æøå, quotes, a
lone `&`) stays as it is. The only tags in the file are the `<br>`s this module writes into table cells.
"""

from __future__ import annotations

import re

from laera.documents import layout
from laera.documents.plan_data import PlanDocument

_REFERENCE_START = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def escape_html(text: str) -> str:
    """`text` with nothing a Markdown renderer would pass on as HTML: no tags, no character references."""
    text = _REFERENCE_START.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def table_cell(text: str) -> str:
    """A table cell's text: HTML escaped, backslashes and pipes escaped, line breaks as <br>, so one cell
    stays one cell."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    text = escape_html(text.replace("\\", "\\\\").replace("|", "\\|"))
    return "<br>".join(line.strip() for line in text.split("\n"))


def _inline(text: str) -> str:
    """Text for a heading or a list item: on one line, HTML escaped."""
    return escape_html(" ".join(text.split()))


def _paragraph(text: str) -> str:
    """A paragraph, HTML escaped, its single line breaks kept as Markdown hard breaks."""
    return "  \n".join(escape_html(text).split("\n"))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _plan(doc: PlanDocument, level: int) -> list[str]:
    """The plan's body; `level` is the number of #s for its section headings."""
    hashes = "#" * level
    out: list[str] = []

    out += [f"{hashes} {_inline(doc.labels.introduction)}", ""]
    for paragraph in layout.paragraphs(doc.introduction):
        out += [_paragraph(paragraph), ""]

    if doc.arenas:
        out += [f"{hashes} {_inline(doc.labels.arenas_heading)}", ""]
        for line in doc.arenas:
            rest = layout.arena_line_text(line)
            item = f"**{_inline(line.name)}**" + (f" – {_inline(rest)}" if rest else "")
            out.append(f"- {item}")
        out.append("")

    if doc.themes:
        out += [f"{hashes} {_inline(doc.labels.themes_heading)}", ""]
        out += [f"- {_inline(theme.title)}" for theme in doc.themes]
        out.append("")

    headers = [table_cell(header) for header in layout.table_headers(doc)]
    for theme in doc.themes:
        out += [f"{hashes} {_inline(layout.theme_heading(doc, theme))}", ""]
        for text in (theme.description, theme.why):
            for paragraph in layout.paragraphs(text):
                out += [_paragraph(paragraph), ""]
        rows = layout.theme_rows(doc, theme)
        if not rows:
            continue
        out.append(_row(headers))
        out.append(_row(["---"] * len(headers)))
        for row in rows:
            outcome = table_cell(row.outcome.text) if row.first else ""
            out.append(
                _row(
                    [
                        outcome,
                        table_cell(row.arena),
                        table_cell(row.method),
                        table_cell(row.participants),
                        table_cell(row.time),
                    ]
                )
            )
        out.append("")

    if doc.evaluation_on is not None:
        out += [f"{hashes} {_inline(doc.labels.evaluation)}", "", _inline(layout.evaluation_text(doc)), ""]

    for child in doc.children:
        out += [f"{hashes} {_inline(layout.plan_heading(child))}", ""]
        out += _note(child)
        out += _front(child)
        out += _plan(child, level + 1)
    return out


def _note(doc: PlanDocument) -> list[str]:
    """The mark of a plan not yet published, as a quote block that stands out in any renderer."""
    note = layout.status_note(doc)
    return [f"> **{_inline(note)}**", ""] if note else []


def _front(doc: PlanDocument) -> list[str]:
    lines = [layout.period_text(doc)]
    if layout.leader_text(doc):
        lines.append(layout.leader_text(doc))
    return ["  \n".join(_inline(line) for line in lines), ""]


def plan_markdown(doc: PlanDocument) -> str:
    """The whole plan as Markdown: title, period, leader, introduction, arenas, themes and one table per
    theme, the evaluation date, then each team sub-plan under its own heading."""
    out = [f"# {_inline(doc.title)}", ""]
    out += _note(doc)
    out += _front(doc)
    out += _plan(doc, 2)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
