"""The plan as PDF: the standalone HTML of `html.py`, laid out by WeasyPrint."""

from __future__ import annotations

from laera.documents.html import plan_html
from laera.documents.plan_data import PlanDocument


def plan_pdf(doc: PlanDocument) -> bytes:
    """The plan as an A4 PDF with page numbers, in the plan's language, tagged (headings, lists and
    tables marked up) so that screen readers can read it.

    WeasyPrint is imported here, not at the top of the module, because it loads Pango through cffi on
    import; the other documents do not need it.
    """
    from weasyprint import HTML

    return bytes(HTML(string=plan_html(doc, standalone=True)).write_pdf(pdf_tags=True))
