"""The plan as HTML: the app's print page (a fragment) and the PDF's source (a whole document)."""

from __future__ import annotations

import dataclasses

import lxml.html

from laera.documents.examples import rich_example, royken_example
from laera.documents.html import plan_html

HEADERS = ["Læringsutbytte", "Arena", "Pedagogisk virkemiddel", "Deltakere", "Tid for gjennomføring"]


def test_fragment_is_an_article_in_the_plans_language() -> None:
    fragment = plan_html(royken_example(), standalone=False)
    assert fragment.startswith('<article class="plan" lang="nb"')
    assert "<html" not in fragment and "<style" not in fragment
    article = lxml.html.fragment_fromstring(fragment)
    assert article.tag == "article" and article.get("lang") == "nb"
    assert [h.text_content() for h in article.iter("h1")] == [royken_example().title]


def test_standalone_document_has_the_print_stylesheet() -> None:
    page = plan_html(royken_example(), standalone=True)
    assert page.startswith('<!DOCTYPE html>\n<html lang="nb">')
    root = lxml.html.document_fromstring(page)
    assert root.get("lang") == "nb"
    style = root.find(".//style").text_content()
    assert "size: A4 portrait" in style
    assert 'content: "Side " counter(page)' in style
    assert '"DejaVu Sans"' in style
    assert root.find(".//title").text_content() == royken_example().title
    (main,) = root.findall(".//main")
    assert [child.tag for child in main] == ["article"]


def test_tables_have_column_headers_and_outcome_row_groups() -> None:
    doc = royken_example()
    article = lxml.html.fragment_fromstring(plan_html(doc, standalone=False))
    tables = article.findall(".//table")
    assert len(tables) == 3
    for table, theme in zip(tables, doc.themes, strict=True):
        headers = table.findall("./thead/tr/th")
        assert [th.text_content() for th in headers] == HEADERS
        assert {th.get("scope") for th in headers} == {"col"}
        assert len(table.findall("./tbody")) == len(theme.outcomes)
        rows = table.findall("./tbody/tr")
        assert len(rows) == sum(max(1, len(outcome.activities)) for outcome in theme.outcomes)
    merged = tables[1].findall("./tbody")[4]
    outcome_cell = merged.find("./tr/th")
    assert outcome_cell.get("rowspan") == "2" and outcome_cell.get("scope") == "rowgroup"
    assert len(merged.findall("./tr")) == 2 and len(merged.findall("./tr")[1].findall("./td")) == 4


def test_headings_are_in_order_and_contents_link_to_them() -> None:
    article = lxml.html.fragment_fromstring(plan_html(rich_example(), standalone=False))
    levels = [int(element.tag[1]) for element in article.iter("h1", "h2", "h3", "h4")]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    ids = {element.get("id") for element in article.iter() if element.get("id")}
    links = [a.get("href") for a in article.find(".//nav").iter("a")]
    assert links and all(link[1:] in ids for link in links)
    assert "Delplan for oppfølgingsteamet våren 2015 (Utkast – ikke publisert)" in [
        h.text_content() for h in article.iter("h2")
    ]
    assert "Tema: Motiverende intervju (MI)" in [h.text_content() for h in article.iter("h3")]


def test_text_is_escaped_and_line_breaks_kept() -> None:
    doc = dataclasses.replace(rich_example(), title="<script>alert('x')</script> & co")
    fragment = plan_html(doc, standalone=False)
    assert "<script>" not in fragment
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in fragment
    assert "komma\\skråstrek<br>og ny linje" in fragment
    standalone = plan_html(doc, standalone=True)
    assert "<title>&lt;script&gt;" in standalone
