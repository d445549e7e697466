"""`laera export-plan PLAN --format pdf|docx|md|ics|xlsx|json --output FILE`.

PLAN is a plan's id, or `latest` with --org: the organisation's newest plan that has left the draft stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laera.organisations.models import Organisation
from laera.plans import documents
from laera.plans.models import Plan, PlanStatus
from laera.plans.selectors import plan_tree_queryset


class Command(BaseCommand):
    help = "Write a plan for learning as PDF, DOCX, Markdown, iCalendar, XLSX or the JSON exchange format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="the plan's id, or 'latest' (the newest published plan of --org)")
        parser.add_argument("--org", help="the organisation's short name (needed with 'latest')")
        parser.add_argument("--format", required=True, choices=sorted(documents.FORMATS))
        parser.add_argument("--output", required=True, help="the file to write ('-' for standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self._plan(options["plan"], options["org"])
        chosen = documents.FORMATS[options["format"]]
        data = chosen.build(documents.document_for(plan))
        if options["output"] == "-":
            if options["format"] in ("pdf", "docx", "xlsx"):
                raise CommandError("PDF, DOCX and XLSX are binary: write them to a file with --output FILE.")
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"{plan.unit.name}, {plan.name}: {options['output']} ({len(data)} bytes)")

    def _plan(self, reference: str, org_slug: str | None) -> Plan:
        plans = plan_tree_queryset()
        if org_slug:
            if not Organisation.objects.filter(slug=org_slug).exists():
                raise CommandError(f"There is no organisation with the short name {org_slug}.")
            plans = plans.filter(organisation__slug=org_slug)
        if reference == "latest":
            if not org_slug:
                raise CommandError("Name the organisation with --org when asking for the latest plan.")
            plan = (
                plans.filter(parent__isnull=True)
                .exclude(status=PlanStatus.DRAFT)
                .order_by("-period_start", "-id")
                .first()
            )
            if plan is None:
                raise CommandError(f"{org_slug} has no plan that has left the draft stage.")
            return plan
        if not reference.isdigit():
            raise CommandError("PLAN must be a number or 'latest'.")
        found = plans.filter(pk=int(reference)).first()
        if found is None:
            raise CommandError(f"There is no plan {reference}.")
        return found
