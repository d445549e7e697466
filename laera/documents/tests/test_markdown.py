"""The plan as Markdown."""

from __future__ import annotations

import dataclasses
import re

from laera.documents import layout
from laera.documents.examples import rich_example, royken_example
from laera.documents.markdown import escape_html, plan_markdown, table_cell
from laera.documents.plan_data import PlanDocument

HEADER = "| Læringsutbytte | Arena | Pedagogisk virkemiddel | Deltakere | Tid for gjennomføring |"


def _cells(line: str) -> list[str]:
    """The cells of a pipe-table row, split at the pipes that are not escaped."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]


def _table_after(text: str, heading: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(heading)
    table: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            table.append(line)
    return table


def test_front_matter() -> None:
    text = plan_markdown(royken_example())
    lines = text.splitlines()
    assert lines[0] == (
        "# Plan for kunnskapsutvikling, kunnskapsdeling og kunnskapsspredning i NAV Røyken våren 2015"
    )
    assert lines[2] == "Våren 2015 (1. januar 2015 – 30. juni 2015)  "
    assert lines[3] == "Leder: Ole Petter Gravningen"
    assert "## Innledning" in lines
    assert "- **Kontormøte** – Hver 14. dag (alle deltar). Temaer i kontormøte er saker som angår hele " in (
        text
    )
    themes = lines.index("## Læringstemaer")
    assert lines[themes + 2 : themes + 5] == [
        "- Supported employment (SE)",
        "- Arbeidsmarkedskompetanse",
        "- Nasjonal kvalitetsstrategi",
    ]
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_one_table_per_theme_with_one_row_per_activity() -> None:
    doc = royken_example()
    text = plan_markdown(doc)
    for theme in doc.themes:
        table = _table_after(text, f"## Tema: {theme.title}")
        assert table[0] == HEADER
        assert table[1] == "| --- | --- | --- | --- | --- |"
        rows = table[2:]
        assert len(rows) == sum(max(1, len(outcome.activities)) for outcome in theme.outcomes)
        assert all(len(_cells(row)) == 5 for row in table)


def test_the_outcome_stands_on_its_first_row_only() -> None:
    text = plan_markdown(royken_example())
    rows = _table_after(text, "## Tema: Arbeidsmarkedskompetanse")[2:]
    assert _cells(rows[4])[0].startswith("NAV-veiledere skal kjenne til og samarbeide med kommunale")
    assert _cells(rows[5]) == [
        "",
        "Ansattes 10 minutter",
        "Kurs (Fylkesmannen)",
        "NAV-veiledere avhengig av saksområde",
        "Mai",
    ]
    se = _table_after(text, "## Tema: Supported employment (SE)")
    assert (
        "| NAV-veiledere skal kjenne til grunnleggende forskning knyttet til SE | Personalseminar "
        "| Forelesning (Christian Ebeltoft, HiØ) | Alle ansatte i kontoret | 22. eller 23. april |"
    ) in se


def test_pipes_backslashes_and_line_breaks_stay_inside_their_cell() -> None:
    assert table_cell("a | b") == "a \\| b"
    assert table_cell("a\\b") == "a\\\\b"
    assert table_cell("one\ntwo\r\nthree") == "one<br>two<br>three"
    text = plan_markdown(rich_example())
    rows = _table_after(text, "## Tema: Supported employment (SE)")[2:]
    tricky = rows[3]
    cells = _cells(tricky)
    assert len(cells) == 5
    assert (
        cells[0]
        == cells[1]
        == ('Sikkerhet \\| «rutiner»; "sitat", komma\\\\skråstrek<br>og ny linje – æøå ÆØÅ')
    )
    # Every line of a table is one row.
    assert all(line.count("<br>") == 0 for line in rows if "Sikkerhet" not in line)


def test_an_outcome_without_activities_gets_a_row_of_empty_cells() -> None:
    rows = _table_after(plan_markdown(rich_example()), "## Tema: Supported employment (SE)")[2:]
    assert _cells(rows[2]) == ["Et utbytte uten aktiviteter ennå", "", "", "", ""]


def test_evaluation_and_sub_plans_follow_the_office_plan() -> None:
    doc = rich_example()
    text = plan_markdown(doc)
    lines = text.splitlines()
    evaluation = lines.index("## Evaluering")
    child = lines.index("## Delplan for oppfølgingsteamet våren 2015 (Utkast – ikke publisert)")
    assert lines[evaluation + 2] == "20. juni 2015"
    assert evaluation < child
    assert lines[child + 2] == "> **Utkast – ikke publisert**"
    assert lines[child + 4 : child + 6] == [
        "Våren 2015 (1. januar 2015 – 30. juni 2015)  ",
        "Leder: Kari Nordmann",
    ]
    assert lines.index("### Tema: Motiverende intervju (MI)") > child
    assert lines.index("### Evaluering") > child
    assert "| Veiledere kan anvende MI i samtaler | Veiledningsgrupper |" in text
    # A theme without outcomes has a heading but no table.
    assert _table_after(text, "## Tema: Et tema uten utbytter") == []
    # The same sections, in the same order, as the contents of the other documents.
    section_lines = [line.lstrip("#").strip() for line in lines if line.startswith(("## ", "### "))]
    assert section_lines == [heading.text for heading in layout.headings(doc)]


def test_no_evaluation_heading_without_a_date() -> None:
    assert "## Evaluering" not in plan_markdown(royken_example())


def _with_html(doc: PlanDocument) -> PlanDocument:
    """The rich example with tags in every kind of text the Markdown shows."""
    theme = doc.themes[0]
    outcome = theme.outcomes[0]
    activity = dataclasses.replace(
        outcome.activities[0], arena="<b>Arena</b>", method="<iframe src=//x.example>", participants="A & B"
    )
    outcome = dataclasses.replace(outcome, text="<svg onload=alert(1)>", activities=(activity,))
    theme = dataclasses.replace(
        theme,
        title="<script>alert(1)</script>",
        description="Les <img src=x onerror=alert(1)> her\n\n- punkt én\n- punkt to &amp; &#60;tre&#62;",
        outcomes=(outcome, *theme.outcomes[1:]),
    )
    arena = dataclasses.replace(doc.arenas[0], name="<a href=javascript:alert(1)>x</a>", purpose="1 < 2 > 0")
    child = dataclasses.replace(doc.children[0], title="<style>body{}</style>")
    return dataclasses.replace(
        doc,
        title="<h1>Plan</h1>",
        leader="Ola <b>Nordmann</b>",
        introduction="Første linje <br> med tag\nandre linje\n\n<div>blokk</div>",
        arenas=(arena, *doc.arenas[1:]),
        themes=(theme, *doc.themes[1:]),
        children=(child,),
    )


def test_html_in_the_plans_texts_is_escaped_not_passed_on() -> None:
    text = plan_markdown(_with_html(rich_example()))
    # The only tags in the file are the line breaks inside table cells.
    assert set(re.findall(r"<[^>]*>", text)) == {"<br>"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Les &lt;img src=x onerror=alert(1)&gt; her" in text
    assert "# &lt;h1&gt;Plan&lt;/h1&gt;" in text.splitlines()
    assert "Leder: Ola &lt;b&gt;Nordmann&lt;/b&gt;" in text
    assert "Første linje &lt;br&gt; med tag  \nandre linje" in text
    assert "&lt;div&gt;blokk&lt;/div&gt;" in text
    assert "**&lt;a href=javascript:alert(1)&gt;x&lt;/a&gt;**" in text
    assert "1 &lt; 2 &gt; 0" in text
    assert "## &lt;style&gt;body{}&lt;/style&gt; (Utkast – ikke publisert)" in text.splitlines()
    # A character reference would turn back into a tag when rendered; it is kept as the text it is.
    assert "&amp;amp; &amp;#60;tre&amp;#62;" in text


def test_escaped_plans_still_read_like_the_original() -> None:
    text = plan_markdown(_with_html(rich_example()))
    rows = _table_after(text, "## Tema: &lt;script&gt;alert(1)&lt;/script&gt;")[2:]
    outcome, arena, method, participants, _time = _cells(rows[0])
    assert (outcome, arena) == ("&lt;svg onload=alert(1)&gt;", "&lt;b&gt;Arena&lt;/b&gt;")
    assert method.startswith("&lt;iframe src=//x.example&gt;")
    assert participants == "A & B"  # an ampersand that starts no reference stays as it is
    lines = text.splitlines()
    assert "- punkt én  " in lines and "- punkt to &amp;amp; &amp;#60;tre&amp;#62;" in lines
    # A plan without tags reads exactly as the original: nothing in it is escaped.
    plain = plan_markdown(royken_example())
    assert "&lt;" not in plain and "&gt;" not in plain and "&amp;" not in plain


def test_escaping_keeps_nordic_letters_and_punctuation() -> None:
    assert escape_html("Æøå «sitat» \"x\" 'y' – 50 % & co.") == "Æøå «sitat» \"x\" 'y' – 50 % & co."
    assert escape_html("&lt; &#x3C; &#60; &nbsp;") == "&amp;lt; &amp;#x3C; &amp;#60; &amp;nbsp;"
    assert table_cell("<b>a</b> | b\nc") == "&lt;b&gt;a&lt;/b&gt; \\| b<br>c"
