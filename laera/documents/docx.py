"""The plan as a Word document (DOCX), laid out like NAV Røyken's plan."""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.styles import CT_Style
from docx.oxml.table import CT_Row, CT_Tc
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from laera.documents import layout
from laera.documents.plan_data import PlanDocument

FONT = "Arial"  # on every office desktop; LibreOffice uses the metric-compatible Liberation Sans
BODY_SIZE = Pt(10.5)
TABLE_SIZE = Pt(9)
TABLE_STYLE = "Plan table text"
HEADER_FILL = "DFE6EE"
# Column widths of a theme's table: outcome, arena, method, participants, time (174 mm in all).
COLUMN_WIDTHS = (Mm(50), Mm(28), Mm(33), Mm(33), Mm(30))
CONTENTS_STYLE = "TOC Heading"
# Word's contents field: heading levels 1–3, entries as links, no tab leaders on the web, outline levels.
TOC_FIELD = 'TOC \\o "1-3" \\h \\z \\u'
MARK_COLOUR = RGBColor(0x8A, 0x2A, 0x00)


def _set_font(element: CT_Style, name: str) -> None:
    """Set the font of a style's or run's properties, dropping the theme fonts that would override it."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _set_styles(document: DocxDocument, language: str) -> None:
    styles = document.styles
    # The document's language, for spelling and hyphenation.
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), layout.language_tag(language))

    normal = styles["Normal"]
    _set_font(normal.element, FONT)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11.5)):
        style = styles[name]
        _set_font(style.element, FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
        style.paragraph_format.space_before = Pt(14 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    # The Title style of Word's template has a border and tight spacing; the title page wants neither.
    title_ppr = styles["Title"].element.pPr
    if title_ppr is not None:
        border = title_ppr.find(qn("w:pBdr"))
        if border is not None:
            title_ppr.remove(border)

    for name in ("List Bullet", "List Bullet 2"):
        _set_font(styles[name].element, FONT)

    table_text = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = TABLE_SIZE
    table_text.paragraph_format.space_before = Pt(1)
    table_text.paragraph_format.space_after = Pt(1)
    table_text.paragraph_format.line_spacing = 1.0


def _set_page(document: DocxDocument, doc: PlanDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.footer_distance = Mm(10)
    # The title page has no page number; the others have "Side N" at the bottom.
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label = footer.add_run(f"{doc.labels.page} ")
    label.font.size = Pt(8.5)
    _add_field(footer, "PAGE")


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """A field (e.g. the page number) that Word and LibreOffice fill in when they lay out the page."""
    run = paragraph.add_run()
    run.font.size = Pt(8.5)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


def _add_lines(paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    """Text whose line breaks stay line breaks, in one paragraph."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line.strip())
        run.bold = bold or None
        if index < len(lines) - 1:
            run.add_break()


def _add_paragraphs(document: DocxDocument, text: str) -> None:
    for block in layout.paragraphs(text):
        _add_lines(document.add_paragraph(), block)


def _page_break(document: DocxDocument) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _repeat_as_header(row_element: CT_Row) -> None:
    """Mark a table row as the header row Word and LibreOffice repeat at the top of each page."""
    trpr = row_element.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _cant_split(row_element: CT_Row) -> None:
    trpr = row_element.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _shade(cell_element: CT_Tc, fill: str) -> None:
    tcpr = cell_element.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _theme_table(document: DocxDocument, doc: PlanDocument, rows: list[layout.TableRow]) -> Table:
    table = document.add_table(rows=1 + len(rows), cols=5)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width

    header = table.rows[0]
    _repeat_as_header(header._tr)
    _cant_split(header._tr)
    for cell, text in zip(header.cells, layout.table_headers(doc), strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.style = document.styles[TABLE_STYLE]
        _add_lines(paragraph, text, bold=True)
        _shade(cell._tc, HEADER_FILL)

    for index, row in enumerate(rows, start=1):
        cells = table.rows[index].cells
        texts = ("" if not row.first else row.outcome.text, row.arena, row.method, row.participants, row.time)
        for cell, text in zip(cells, texts, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[TABLE_STYLE]
            if text:
                _add_lines(paragraph, text)
        if row.span == 1 or row.span == 0:
            _cant_split(table.rows[index]._tr)

    # The outcome's cell covers the rows of all of its activities, as in the original plan.
    for index, row in enumerate(rows, start=1):
        if row.first and row.span > 1:
            table.cell(index, 0).merge(table.cell(index + row.span - 1, 0))

    for table_row in table.rows:
        for cell, width in zip(table_row.cells, COLUMN_WIDTHS, strict=True):
            cell.width = width
    return table


def _heading(document: DocxDocument, text: str, level: int, *, page_break: bool = False) -> None:
    heading = document.add_heading(text, level=min(level, 9))
    if page_break:
        heading.paragraph_format.page_break_before = True


def _plan_body(document: DocxDocument, doc: PlanDocument, level: int, marked: str) -> None:
    """The sections of a plan; `marked` is the mark of the whole document when it is not published."""
    _heading(document, doc.labels.introduction, level)
    _add_paragraphs(document, doc.introduction)

    if doc.arenas:
        _heading(document, doc.labels.arenas_heading, level)
        for line in doc.arenas:
            item = document.add_paragraph(style="List Bullet")
            item.add_run(line.name.strip()).bold = True
            rest = layout.arena_line_text(line)
            if rest:
                item.add_run(f" – {rest}")

    if doc.themes:
        _heading(document, doc.labels.themes_heading, level)
        for theme in doc.themes:
            document.add_paragraph(theme.title.strip(), style="List Bullet")

    for theme in doc.themes:
        _heading(document, layout.theme_heading(doc, theme), level)
        _add_paragraphs(document, theme.description)
        _add_paragraphs(document, theme.why)
        rows = layout.theme_rows(doc, theme)
        if rows:
            _theme_table(document, doc, rows)
            document.add_paragraph()

    if doc.evaluation_on is not None:
        _heading(document, doc.labels.evaluation, level)
        document.add_paragraph(layout.evaluation_text(doc))

    for child in doc.children:
        # Each sub-plan is a section of its own, so that a draft's pages carry its mark at the top.
        section = document.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        _mark_pages(section, marked or layout.status_note(child))
        _heading(document, layout.plan_heading(child), level)
        if layout.status_note(child):
            _note(document, layout.status_note(child))
        front = document.add_paragraph()
        _add_lines(front, "\n".join(filter(None, (layout.period_text(child), layout.leader_text(child)))))
        _plan_body(document, child, level + 1, marked)


def _title_page(document: DocxDocument, doc: PlanDocument) -> None:
    for _ in range(8):
        document.add_paragraph()
    if doc.labels.plan.casefold() not in doc.title.casefold():
        kicker = document.add_paragraph()
        kicker.alignment = WD_ALIGN_PARAGRAPH.CENTER
        kicker.add_run(doc.labels.plan.upper()).font.size = Pt(11)
    title = document.add_paragraph(doc.title.strip(), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(24)
    if layout.status_note(doc):
        note = document.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = note.add_run(layout.status_note(doc))
        run.bold = True
        run.font.size = Pt(13)
        run.font.color.rgb = MARK_COLOUR
    for text in (layout.period_text(doc), layout.leader_text(doc)):
        if text:
            line = document.add_paragraph()
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            line.add_run(text).font.size = Pt(13)
    _page_break(document)


def _field_char(kind: str) -> BaseOxmlElement:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _contents(document: DocxDocument, doc: PlanDocument, entries: Iterable[layout.Heading]) -> None:
    """The contents as Word's own table-of-contents field over Heading 1–3, with page numbers and links.

    Word fills it in when the document opens (`w:updateFields` in the settings); until then, and in
    programs that do not update fields, the entries written here stand in its place.
    """
    title = document.add_paragraph(doc.labels.contents, style=CONTENTS_STYLE)
    title.paragraph_format.space_after = Pt(10)
    lines = [document.add_paragraph(entry.text, style=f"toc {min(entry.level, 3)}") for entry in entries]
    if not lines:
        lines = [document.add_paragraph()]
    first, last = lines[0], lines[-1]
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {TOC_FIELD} "
    start = [OxmlElement("w:r") for _ in range(3)]
    start[0].append(_field_char("begin"))
    start[1].append(code)
    start[2].append(_field_char("separate"))
    anchor = first._p.find(qn("w:pPr"))
    for offset, run in enumerate(start):
        if anchor is not None:
            first._p.insert(first._p.index(anchor) + 1 + offset, run)
        else:
            first._p.insert(offset, run)
    end = OxmlElement("w:r")
    end.append(_field_char("end"))
    last._p.append(end)
    _page_break(document)


def _update_fields_on_open(document: DocxDocument) -> None:
    """Ask Word to fill in the fields (the contents, page numbers) when the document is opened."""
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        # Word reads the settings in the schema's order: updateFields comes before these.
        following = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
        if following is not None:
            following.addprevious(update)
        else:
            settings.append(update)
    update.set(qn("w:val"), "true")


_AFTER_UPDATE_FIELDS = {
    qn(f"w:{name}")
    for name in (
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    )
} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}


def _set_contents_styles(document: DocxDocument) -> None:
    styles = document.styles
    heading = styles[CONTENTS_STYLE]
    _set_font(heading.element, FONT)
    heading.font.size = Pt(15)
    heading.font.bold = True
    heading.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
    for level in (1, 2, 3):
        style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.paragraph_format.left_indent = Mm(8 * (level - 1))
        style.paragraph_format.space_after = Pt(3)


def _mark_pages(section: Section, note: str) -> None:
    """The mark of a plan not yet published at the top of every page of `section`; "" for none."""
    for header in (section.header, section.first_page_header):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if note:
            run = paragraph.add_run(note)
            run.bold = True
            run.font.size = Pt(9)
            run.font.color.rgb = MARK_COLOUR


def _note(document: DocxDocument, note: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(note)
    run.bold = True
    run.font.color.rgb = MARK_COLOUR


def plan_docx(doc: PlanDocument) -> bytes:
    """The plan as DOCX: a title page, the contents, the introduction, the arenas, the themes and one
    table per theme (header row repeated on each page, outcome cell merged over its activities), then the
    evaluation date and the team sub-plans. A4 portrait, in the plan's language."""
    document = Document()
    _set_styles(document, doc.language)
    _set_page(document, doc)

    properties = document.core_properties
    properties.title = doc.title
    properties.subject = layout.period_text(doc)
    properties.language = layout.language_tag(doc.language)
    properties.author = doc.organisation
    properties.last_modified_by = doc.organisation
    properties.keywords = doc.labels.plan
    properties.comments = ""
    properties.category = doc.labels.plan

    _set_contents_styles(document)
    _update_fields_on_open(document)
    marked = layout.status_note(doc)
    if marked:
        _mark_pages(document.sections[0], marked)

    _title_page(document, doc)
    _contents(document, doc, layout.headings(doc))
    _plan_body(document, doc, 1, marked)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
