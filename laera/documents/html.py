"""The plan as semantic HTML: the print page in the app and, standalone, the source of the PDF."""

from __future__ import annotations

from html import escape

from laera.documents import layout
from laera.documents.plan_data import PlanDocument


def _text(text: str) -> str:
    """Escaped text whose line breaks stay line breaks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return "<br>".join(escape(line.strip()) for line in lines)


def _paragraphs(text: str, css_class: str = "") -> list[str]:
    attribute = f' class="{css_class}"' if css_class else ""
    return [f"<p{attribute}>{_text(paragraph)}</p>" for paragraph in layout.paragraphs(text)]


def _css_string(text: str) -> str:
    """A CSS string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def plan_print_css(doc: PlanDocument) -> str:
    """The print stylesheet: A4 portrait, page numbers ("Side 3") in the footer, DejaVu fonts so that
    æøå and the Nordic quotes always render, and tables that keep their header on every page."""
    page = _css_string(doc.labels.page + " ")
    return _BASE_CSS.replace("{page}", page) + _unpublished_css(doc)


def _unpublished_css(doc: PlanDocument) -> str:
    """Every page of a plan that is not published carries its mark at the top: the whole document for a
    draft plan, the pages of a draft sub-plan (a named page) inside a published one."""
    rules = []
    note = layout.status_note(doc)
    if note:
        rules.append(f"@page {{ @top-center {{ content: {_css_string(note)}; {_MARK_STYLE} }} }}")
    for status in ("draft", "consultation"):
        notes = {layout.status_note(child) for child in layout.all_plans(doc) if child.status == status}
        notes.discard("")
        if notes and not note:
            rules.append(
                f"@page {status} {{ @top-center {{ content: {_css_string(notes.pop())}; {_MARK_STYLE} }} }}\n"
                f".plan-child.plan-{status} {{ page: {status}; }}"
            )
    return "\n".join(rules) + ("\n" if rules else "")


_MARK_STYLE = 'font-family: "DejaVu Sans", sans-serif; font-size: 9pt; font-weight: bold; color: #8a2a00;'

_BASE_CSS = """
@page {
  size: A4 portrait;
  margin: 22mm 18mm 24mm 18mm;
  @bottom-center {
    content: {page} counter(page);
    font-family: "DejaVu Sans", sans-serif;
    font-size: 8.5pt;
    color: #444;
  }
}
@page :first {
  @bottom-center { content: none; }
}
html { font-family: "DejaVu Sans", "DejaVu Sans Condensed", sans-serif; font-size: 10pt; line-height: 1.4;
  color: #111; }
body { margin: 0; }
@media screen { body { max-width: 62rem; margin: 1rem auto; padding: 0 1rem; } }
.plan h1, .plan h2, .plan h3, .plan h4 { font-family: "DejaVu Sans", sans-serif; line-height: 1.25;
  break-after: avoid; page-break-after: avoid; }
.plan h2 { font-size: 14pt; margin: 1.4em 0 0.5em; }
.plan h3 { font-size: 12pt; margin: 1.2em 0 0.4em; }
.plan h4 { font-size: 11pt; margin: 1em 0 0.4em; }
.plan p { margin: 0 0 0.6em; orphans: 2; widows: 2; }
.plan-title-page { min-height: 230mm; display: flex; flex-direction: column; justify-content: center;
  text-align: center; break-after: page; page-break-after: always; }
.plan-title-page h1 { font-size: 22pt; margin: 0 0 1.2em; }
.plan-title-page .plan-kicker { font-size: 11pt; letter-spacing: 0.08em; text-transform: uppercase;
  color: #444; margin-bottom: 1.5em; }
.plan-title-page p { font-size: 13pt; margin: 0 0 0.5em; }
.plan-contents { break-after: page; page-break-after: always; }
.plan-contents ol { list-style: none; padding: 0; margin: 0; }
.plan-contents li { margin: 0 0 0.35em; }
.plan-contents li.level-2 { margin-left: 1.5em; }
.plan-contents li.level-3 { margin-left: 3em; }
.plan-contents a { color: inherit; text-decoration: none; }
.plan-contents a::after { content: leader(".") target-counter(attr(href), page); }
.plan-arenas li, .plan-themes li { margin: 0 0 0.3em; }
.plan-table { width: 100%; border-collapse: collapse; margin: 0.4em 0 1.2em; font-size: 8.5pt;
  line-height: 1.3; table-layout: fixed; }
.plan-table thead { display: table-header-group; }
.plan-table th, .plan-table td { border: 0.6pt solid #555; padding: 3pt 4pt; text-align: left;
  vertical-align: top; overflow-wrap: break-word; hyphens: auto; }
.plan-table thead th { background: #dfe6ee; font-weight: bold; }
.plan-table tbody th { font-weight: normal; }
.plan-table tr { break-inside: avoid; page-break-inside: avoid; }
.plan-table .col-outcome { width: 29%; }
.plan-table .col-arena { width: 16%; }
.plan-table .col-method { width: 19%; }
.plan-table .col-participants { width: 19%; }
.plan-table .col-time { width: 17%; }
.plan-child { break-before: page; page-break-before: always; }
.plan-child-front p { margin: 0 0 0.3em; }
.plan-title-page .plan-status-note { align-self: center; font-size: 13pt; }
.plan-status-note { display: inline-block; margin: 0 0 1em; padding: 3pt 8pt; border: 1.5pt solid #8a2a00;
  color: #8a2a00; font-weight: bold; }
"""


def _plan_body(doc: PlanDocument, level: int, prefix: str) -> list[str]:
    """The sections of a plan; `level` is the heading level of its section headings."""
    h = f"h{min(level, 6)}"
    out: list[str] = []

    def section(css_class: str, heading_id: str) -> str:
        # Only the plan's own sections are named regions: a sub-plan's "Introduction" or "Themes" would
        # repeat the names of the main plan's, and its section as a whole is already a named region.
        if level > 2:
            return f'<section class="{css_class}">'
        return f'<section class="{css_class}" aria-labelledby="{heading_id}">'

    out.append(section("plan-introduction", f"{prefix}-introduction"))
    out.append(f'<{h} id="{prefix}-introduction">{escape(doc.labels.introduction)}</{h}>')
    out += _paragraphs(doc.introduction)
    out.append("</section>")

    if doc.arenas:
        out.append(section("plan-arenas", f"{prefix}-arenas"))
        out.append(f'<{h} id="{prefix}-arenas">{escape(doc.labels.arenas_heading)}</{h}>')
        out.append("<ul>")
        for line in doc.arenas:
            rest = layout.arena_line_text(line)
            item = f"<strong>{escape(line.name)}</strong>" + (f" – {escape(rest)}" if rest else "")
            out.append(f"<li>{item}</li>")
        out.append("</ul>")
        out.append("</section>")

    if doc.themes:
        out.append(section("plan-themes", f"{prefix}-themes"))
        out.append(f'<{h} id="{prefix}-themes">{escape(doc.labels.themes_heading)}</{h}>')
        out.append("<ul>")
        out += [f"<li>{escape(theme.title)}</li>" for theme in doc.themes]
        out.append("</ul>")
        out.append("</section>")

    headers = layout.table_headers(doc)
    columns = ("outcome", "arena", "method", "participants", "time")
    for theme in doc.themes:
        anchor = layout.theme_anchor(prefix, theme)
        heading = layout.theme_heading(doc, theme)
        out.append(section("plan-theme", anchor))
        out.append(f'<{h} id="{anchor}">{escape(heading)}</{h}>')
        out += _paragraphs(theme.description, "plan-theme-description")
        out += _paragraphs(theme.why, "plan-theme-why")
        rows = layout.theme_rows(doc, theme)
        if rows:
            out.append('<table class="plan-table">')
            out.append("<colgroup>")
            out += [f'<col class="col-{column}">' for column in columns]
            out.append("</colgroup>")
            out.append("<thead><tr>")
            out += [f'<th scope="col">{escape(header)}</th>' for header in headers]
            out.append("</tr></thead>")
            for row in rows:
                if row.first:
                    # One row group per outcome: its cell is the header of all of its activities' rows.
                    if row is not rows[0]:
                        out.append("</tbody>")
                    out.append("<tbody>")
                out.append("<tr>")
                if row.first:
                    span = f' rowspan="{row.span}"' if row.span > 1 else ""
                    out.append(f'<th scope="rowgroup"{span}>{_text(row.outcome.text)}</th>')
                out += [
                    f"<td>{_text(cell)}</td>" for cell in (row.arena, row.method, row.participants, row.time)
                ]
                out.append("</tr>")
            out.append("</tbody>")
            out.append("</table>")
        out.append("</section>")

    if doc.evaluation_on is not None:
        out.append(section("plan-evaluation", f"{prefix}-evaluation"))
        out.append(f'<{h} id="{prefix}-evaluation">{escape(doc.labels.evaluation)}</{h}>')
        iso = doc.evaluation_on.isoformat()
        out.append(f'<p><time datetime="{iso}">{escape(layout.evaluation_text(doc))}</time></p>')
        out.append("</section>")

    for index, child in enumerate(doc.children, start=1):
        child_prefix = f"{prefix}-{index}"
        note = layout.status_note(child)
        css_class = f"plan-child plan-{escape(child.status)}" if note else "plan-child"
        out.append(
            f'<section class="{css_class}" lang="{escape(child.language)}" aria-labelledby="{child_prefix}">'
        )
        out.append(f'<{h} id="{child_prefix}">{escape(layout.plan_heading(child))}</{h}>')
        out.append('<div class="plan-child-front">')
        if note:
            out.append(f'<p class="plan-status-note">{escape(note)}</p>')
        out.append(f"<p>{escape(layout.period_text(child))}</p>")
        if layout.leader_text(child):
            out.append(f"<p>{escape(layout.leader_text(child))}</p>")
        out.append("</div>")
        out += _plan_body(child, level + 1, child_prefix)
        out.append("</section>")
    return out


def _fragment(doc: PlanDocument) -> str:
    prefix = "plan"
    out = [f'<article class="plan" lang="{escape(doc.language)}" aria-labelledby="{prefix}-title">']
    out.append('<header class="plan-title-page">')
    if doc.labels.plan.casefold() not in doc.title.casefold():
        out.append(f'<p class="plan-kicker">{escape(doc.labels.plan)}</p>')
    out.append(f'<h1 id="{prefix}-title">{escape(doc.title)}</h1>')
    if layout.status_note(doc):
        out.append(f'<p class="plan-status-note">{escape(layout.status_note(doc))}</p>')
    out.append(f'<p class="plan-period">{escape(layout.period_text(doc))}</p>')
    if layout.leader_text(doc):
        out.append(f'<p class="plan-leader">{escape(layout.leader_text(doc))}</p>')
    out.append("</header>")

    out.append(f'<nav class="plan-contents" aria-labelledby="{prefix}-contents">')
    out.append(f'<h2 id="{prefix}-contents">{escape(doc.labels.contents)}</h2>')
    out.append("<ol>")
    for heading in layout.headings(doc, prefix=prefix):
        out.append(
            f'<li class="level-{heading.level}"><a href="#{heading.anchor}">{escape(heading.text)}</a></li>'
        )
    out.append("</ol>")
    out.append("</nav>")

    out += _plan_body(doc, 2, prefix)
    out.append("</article>")
    return "\n".join(out) + "\n"


def plan_html(doc: PlanDocument, *, standalone: bool) -> str:
    """The plan as HTML in the plan's language.

    With `standalone=False`, an `<article>` to put inside the app's page (which brings its own styles;
    `plan_print_css` is there for it to embed); with `standalone=True`, a whole document with the print
    stylesheet embedded and the plan in its `<main>` landmark, as the print page serves it and WeasyPrint
    turns it into the PDF.
    """
    fragment = _fragment(doc)
    if not standalone:
        return fragment
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(doc.language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n"
        f"<style>{plan_print_css(doc)}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"{fragment}"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
