"""The plan as PDF, read back as text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pypdf
import pytest

from laera.documents.examples import rich_example, royken_example
from laera.documents.pdf import plan_pdf


def _pdf_text(data: bytes) -> str:
    """The PDF's text with poppler's pdftotext where it is installed, else with pypdf; hyphenation at line
    ends undone and white space collapsed."""
    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        text = result.stdout.decode("utf-8")
    else:
        text = "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"(\w)[-\u00ad\u2010]\s*\n\s*(\w)", r"\1\2", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def royken() -> bytes:
    return plan_pdf(royken_example())


def test_is_an_a4_pdf_with_the_plans_title(royken: bytes) -> None:
    assert royken.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(royken))
    assert len(reader.pages) >= 4
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    assert reader.metadata is not None and reader.metadata.title == royken_example().title
    catalogue = reader.trailer["/Root"]
    assert catalogue["/Lang"] == "nb"
    assert "/StructTreeRoot" in catalogue  # tagged, for screen readers


def test_text_has_the_headers_leader_and_page_numbers(royken: bytes) -> None:
    text = _pdf_text(royken)
    assert "Leder: Ole Petter Gravningen" in text
    for header in ("Læringsutbytte", "Arena", "Pedagogisk virkemiddel", "Deltakere", "Tid for gjennomføring"):
        assert header in text
    assert "Tema: Supported employment (SE)" in text
    assert "NAV Røyken" in text and "Høgskolen i Østfold" in text
    assert "Side 2" in text and "Side 3" in text


def test_sub_plans_are_in_the_pdf() -> None:
    text = _pdf_text(plan_pdf(rich_example()))
    assert "Delplan for oppfølgingsteamet våren 2015" in text
    assert "æøå ÆØÅ" in text
