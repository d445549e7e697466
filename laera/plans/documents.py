"""The plan's documents: which builder makes which format, and the plan as plain data for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from laera.core.text import nordic_slug
from laera.documents.docx import plan_docx
from laera.documents.exchange import plan_to_json
from laera.documents.ics import plan_ics
from laera.documents.markdown import plan_markdown
from laera.documents.pdf import plan_pdf
from laera.documents.plan_data import PlanDocument
from laera.documents.xlsx import plan_xlsx
from laera.mapping.models import Arena

from .exchange import plan_document
from .models import Plan
from .selectors import plan_tree_queryset


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    build: Callable[[PlanDocument], bytes]


def _text(builder: Callable[[PlanDocument], str]) -> Callable[[PlanDocument], bytes]:
    return lambda doc: builder(doc).encode("utf-8")


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", "application/pdf", plan_pdf),
    "docx": Format(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", plan_docx
    ),
    "md": Format("md", "text/markdown; charset=utf-8", _text(plan_markdown)),
    "ics": Format("ics", "text/calendar; charset=utf-8", _text(plan_ics)),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", plan_xlsx),
    "json": Format("json", "application/json", _text(plan_to_json)),
}


def document_for(plan: Plan, *, children: list[Plan] | None = None) -> PlanDocument:
    """The plan with its sub-plans as plain data. `plan` must come from `plan_tree_queryset`."""
    arenas = list(
        Arena.objects.for_org(plan.organisation)
        .filter(unit=plan.unit, archived_at__isnull=True)
        .select_related("unit")
        .prefetch_related("participant_units")
    )
    if children is None:
        children = list(plan_tree_queryset().filter(parent=plan))
    return plan_document(plan, arenas=arenas, children=children)


def filename(plan: Plan, extension: str) -> str:
    return f"{nordic_slug(f'{plan.unit.name} {plan.name}', 'plan')}.{extension}"
