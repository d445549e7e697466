"""Plans that are not published carry a mark in every document; the DOCX contents are a Word field."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import lxml.etree
import lxml.html
import pytest

from laera.documents import layout
from laera.documents.docx import plan_docx
from laera.documents.examples import rich_example, royken_example
from laera.documents.html import plan_html, plan_print_css
from laera.documents.markdown import plan_markdown
from laera.documents.plan_data import PlanDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DRAFT = "Utkast – ikke publisert"


def _published_with_draft_child() -> PlanDocument:
    """NAV Røyken's published plan with the team's draft sub-plan in it, as its coordinator downloads it."""
    child = dataclasses.replace(rich_example().children[0], status="draft")
    return dataclasses.replace(royken_example(), children=(child,))


def _part(data: bytes, name: str) -> lxml.etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return lxml.etree.fromstring(archive.read(name))  # noqa: S320 - our own document


def _texts(element: lxml.etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def test_status_note_by_status() -> None:
    doc = royken_example()
    assert layout.status_note(doc) == ""
    assert layout.status_note(dataclasses.replace(doc, status="draft")) == DRAFT
    assert layout.status_note(dataclasses.replace(doc, status="consultation")) == "På høring – ikke publisert"
    for status in ("running", "evaluation", "closed"):
        assert layout.status_note(dataclasses.replace(doc, status=status)) == ""


def test_docx_contents_is_a_word_toc_field_filled_on_open() -> None:
    data = plan_docx(royken_example())
    body = _part(data, "word/document.xml")
    codes = [code.text for code in body.iter(f"{W}instrText")]
    assert ' TOC \\o "1-3" \\h \\z \\u ' in codes
    # begin, the instruction, separate, the entries, end: in this order, in the body.
    kinds = [
        element.get(f"{W}fldCharType") if element.tag == f"{W}fldChar" else "code"
        for element in body.iter(f"{W}fldChar", f"{W}instrText")
        if element.tag == f"{W}fldChar" or "TOC" in (element.text or "")
    ]
    assert kinds[:4] == ["begin", "code", "separate", "end"]
    paragraphs = list(body.iter(f"{W}p"))
    begin = next(
        i for i, p in enumerate(paragraphs) if p.find(f".//{W}fldChar[@{W}fldCharType='begin']") is not None
    )
    end = next(
        i for i, p in enumerate(paragraphs) if p.find(f".//{W}fldChar[@{W}fldCharType='end']") is not None
    )
    entries = [_texts(p) for p in paragraphs[begin : end + 1]]
    assert entries == [heading.text for heading in layout.headings(royken_example())]
    styles = {p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in paragraphs[begin : end + 1]}
    assert styles == {"toc1"}
    settings = _part(data, "word/settings.xml")
    update = settings.find(f"{W}updateFields")
    assert update is not None and update.get(f"{W}val") == "true"
    # The headings the field collects use Word's Heading 1–3 styles; the contents' own title does not.
    used = {
        p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        for p in paragraphs
        if p.find(f"{W}pPr/{W}pStyle") is not None
    }
    assert {"Heading1"} <= used
    assert "TOCHeading" in used
    styles_xml = _part(data, "word/styles.xml")
    (toc_heading,) = [s for s in styles_xml.iter(f"{W}style") if s.get(f"{W}styleId") == "TOCHeading"]
    assert toc_heading.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "9"  # not listed in the contents
    # Word reads the settings in schema order: updateFields comes before the compatibility settings.
    names = [child.tag for child in settings]
    assert names.index(f"{W}updateFields") < names.index(f"{W}compat")


def test_docx_toc_entries_of_sub_plans_are_one_level_down() -> None:
    body = _part(plan_docx(rich_example()), "word/document.xml")
    styles = [p.find(f"{W}pPr/{W}pStyle") for p in body.iter(f"{W}p")]
    names = [style.get(f"{W}val") for style in styles if style is not None]
    assert names.count("toc2") == 4 and "Heading2" in names


def test_docx_draft_sub_plan_is_marked_on_its_heading_and_every_page() -> None:
    data = plan_docx(_published_with_draft_child())
    body = _part(data, "word/document.xml")
    text = "\n".join(_texts(p) for p in body.iter(f"{W}p"))
    assert f"Delplan for oppfølgingsteamet våren 2015 ({DRAFT})" in text
    assert f"\n{DRAFT}\n" in text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        headers = [name for name in archive.namelist() if re.fullmatch(r"word/header\d+\.xml", name)]
        header_texts = [_texts(_part(data, name)) for name in headers]
    assert DRAFT in header_texts
    # The office plan's title page says nothing about drafts, and its pages have no header.
    title_page = text[: text.index("Innhold")]
    assert DRAFT not in title_page
    first_section = next(
        p.find(f"{W}pPr/{W}sectPr") for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None
    )
    assert first_section.find(f"{W}headerReference") is None


def test_published_plan_carries_no_mark_anywhere() -> None:
    doc = royken_example()
    assert DRAFT not in plan_markdown(doc)
    assert "plan-status-note" not in plan_html(doc, standalone=True).split("</style>")[1]
    assert "@top-center" not in plan_print_css(doc)
    data = plan_docx(doc)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "ikke publisert" not in b"".join(archive.read(name) for name in archive.namelist()).decode(
            "utf-8", "replace"
        )


def test_html_and_pdf_stylesheet_mark_a_draft_sub_plan() -> None:
    doc = _published_with_draft_child()
    article = lxml.html.fragment_fromstring(plan_html(doc, standalone=False))
    (child,) = article.find_class("plan-child")
    assert "plan-draft" in child.get("class").split()
    assert child.find_class("plan-status-note")[0].text_content() == DRAFT
    assert [a.text_content() for a in article.find(".//nav").iter("a")][-5] == (
        f"Delplan for oppfølgingsteamet våren 2015 ({DRAFT})"
    )
    css = plan_print_css(doc)
    assert f'@page draft {{ @top-center {{ content: "{DRAFT}";' in css
    assert ".plan-child.plan-draft { page: draft; }" in css


def test_a_draft_plan_is_marked_on_the_title_page_and_at_the_top_of_every_page() -> None:
    doc = dataclasses.replace(royken_example(), status="draft")
    css = plan_print_css(doc)
    assert f'@page {{ @top-center {{ content: "{DRAFT}";' in css
    page = lxml.html.document_fromstring(plan_html(doc, standalone=True))
    header = page.find_class("plan-title-page")[0]
    assert header.find_class("plan-status-note")[0].text_content() == DRAFT
    markdown = plan_markdown(doc).splitlines()
    assert markdown[2] == f"> **{DRAFT}**"
    data = plan_docx(doc)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [name for name in archive.namelist() if re.fullmatch(r"word/header\d+\.xml", name)]
    assert names and all(_texts(_part(data, name)) == DRAFT for name in names)


@pytest.mark.parametrize("status", ["draft", "consultation"])
def test_markdown_marks_an_unpublished_sub_plan(status: str) -> None:
    doc = _published_with_draft_child()
    doc = dataclasses.replace(doc, children=(dataclasses.replace(doc.children[0], status=status),))
    note = doc.labels.draft if status == "draft" else doc.labels.consultation
    lines = plan_markdown(doc).splitlines()
    heading = lines.index(f"## Delplan for oppfølgingsteamet våren 2015 ({note})")
    assert lines[heading + 2] == f"> **{note}**"
