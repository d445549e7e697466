"""The plan as DOCX, opened back with python-docx."""

from __future__ import annotations

import io

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from laera.documents import layout
from laera.documents.docx import plan_docx
from laera.documents.examples import rich_example, royken_example

HEADERS = ["Læringsutbytte", "Arena", "Pedagogisk virkemiddel", "Deltakere", "Tid for gjennomføring"]


@pytest.fixture(scope="module")
def royken() -> DocxDocument:
    return docx.Document(io.BytesIO(plan_docx(royken_example())))


@pytest.fixture(scope="module")
def rich() -> DocxDocument:
    return docx.Document(io.BytesIO(plan_docx(rich_example())))


def _texts(document: DocxDocument) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def test_title_page_contents_and_properties(royken: DocxDocument) -> None:
    texts = [text for text in _texts(royken) if text]
    doc = royken_example()
    assert texts[0] == "PLAN FOR LÆRING"
    assert texts[1] == doc.title
    assert texts[2] == "Våren 2015 (1. januar 2015 – 30. juni 2015)"
    assert texts[3] == "Leder: Ole Petter Gravningen"
    assert texts[4] == "Innhold"
    assert texts[5 : 5 + 6] == [heading.text for heading in layout.headings(doc)]
    assert royken.core_properties.title == doc.title
    assert royken.core_properties.language == "nb-NO"
    section = royken.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_headings_and_arena_list(royken: DocxDocument) -> None:
    headings = [p.text for p in royken.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [
        "Innledning",
        "Oversikt over læringsarenaer og deltakere",
        "Læringstemaer",
        "Tema: Supported employment (SE)",
        "Tema: Arbeidsmarkedskompetanse",
        "Tema: Nasjonal kvalitetsstrategi",
    ]
    bullets = [p for p in royken.paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert len(bullets) == 20 + 3
    assert bullets[0].runs[0].bold and bullets[0].runs[0].text == "Kontormøte"


def test_one_table_per_theme_with_bold_repeated_header(royken: DocxDocument) -> None:
    doc = royken_example()
    assert len(royken.tables) == len(doc.themes)
    for table, theme in zip(royken.tables, doc.themes, strict=True):
        header = table.rows[0]
        assert [cell.text for cell in header.cells] == HEADERS
        assert header._tr.trPr is not None and header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
        assert len(table.rows) == 1 + sum(max(1, len(outcome.activities)) for outcome in theme.outcomes)


def test_the_outcome_cell_spans_its_activities(royken: DocxDocument) -> None:
    table = royken.tables[1]  # Arbeidsmarkedskompetanse: the fifth outcome has two activities
    top, below = table.cell(5, 0), table.cell(6, 0)
    assert top._tc is below._tc
    assert top.text.startswith("NAV-veiledere skal kjenne til og samarbeide med kommunale")
    merges = [
        tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
        for tc in (row._tr.tc_lst[0] for row in table.rows[5:7])
    ]
    assert merges[0] is not None and merges[0].get(qn("w:val")) == "restart"
    assert merges[1] is not None and merges[1].get(qn("w:val")) in (None, "continue")
    assert [table.cell(6, column).text for column in range(1, 5)] == [
        "Ansattes 10 minutter",
        "Kurs (Fylkesmannen)",
        "NAV-veiledere avhengig av saksområde",
        "Mai",
    ]
    # A single-activity outcome is not merged.
    assert table.cell(1, 0)._tc is not table.cell(2, 0)._tc


def test_nordic_letters_and_line_breaks(royken: DocxDocument) -> None:
    table = royken.tables[2]
    outcome = table.cell(1, 0).text
    assert "helse- og sosialtjenestene" in outcome
    assert "Være trygge og sikre\nVære virkningsfulle" in outcome
    assert table.cell(2, 1).text == "Lokalt brukerutvalg, ledermøte"
    assert "Høgskole" in royken.tables[0].cell(4, 1).text


def test_sub_plans_empty_outcomes_and_tricky_text(rich: DocxDocument) -> None:
    texts = _texts(rich)
    assert "Delplan for oppfølgingsteamet våren 2015 (Utkast – ikke publisert)" in texts
    assert "Utkast – ikke publisert" in texts
    assert "Leder: Kari Nordmann" in "\n".join(texts)
    assert "20. juni 2015" in texts
    table = rich.tables[0]
    assert [cell.text for cell in table.rows[3].cells] == ["Et utbytte uten aktiviteter ennå", "", "", "", ""]
    assert table.cell(4, 1).text == 'Sikkerhet | «rutiner»; "sitat", komma\\skråstrek\nog ny linje – æøå ÆØÅ'
    assert table.cell(4, 0)._tc is table.cell(7, 0)._tc
    child_headings = [p.text for p in rich.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert child_headings == ["Innledning", "Læringstemaer", "Tema: Motiverende intervju (MI)", "Evaluering"]
    assert len(rich.tables) == 2  # the theme without outcomes has no table


def test_page_numbers_in_the_footer(royken: DocxDocument) -> None:
    footer = royken.sections[0].footer._element
    assert "Side" in "".join(t.text or "" for t in footer.iter(qn("w:t")))
    assert any("PAGE" in (code.text or "") for code in footer.iter(qn("w:instrText")))
    assert royken.sections[0].different_first_page_header_footer
