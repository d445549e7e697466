"""`laera import-plan FILE --org SLUG [--unit NAME]`: a plan in the JSON exchange format, as a new draft.

The file is read within the upload limits (`laera.core.uploads`), every text is checked against the
field limits and text rules, and nothing is saved unless the whole plan, with its sub-plans, is good.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from laera.core.errors import ServiceError
from laera.core.uploads import ImportFileError, read_bytes
from laera.documents.exchange import ExchangeError, plan_from_json
from laera.organisations.models import Organisation, Unit
from laera.plans.exchange import plan_document_problems
from laera.plans.services import plan_import_with_children


class Command(BaseCommand):
    help = "Import a plan for learning from the JSON exchange format as a draft in an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="the organisation's short name")
        parser.add_argument(
            "--unit", help="the unit the plan belongs to (default: the organisation's top unit)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation with the short name {options['org']}.")
        try:
            with Path(options["file"]).open("rb") as fileobj:
                data = read_bytes(fileobj)
        except OSError as exc:
            raise CommandError(
                _("Cannot open %(path)s: %(reason)s")
                % {"path": options["file"], "reason": exc.strerror or exc}
            ) from exc
        except ImportFileError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            doc = plan_from_json(data)
        except ExchangeError as exc:
            raise CommandError(_("The file is not a valid plan:") + "\n" + "\n".join(exc.errors)) from exc
        problems = plan_document_problems(doc)
        if problems:
            raise CommandError(_("The file is not a valid plan:") + "\n" + "\n".join(problems))
        units = Unit.objects.for_org(organisation)
        unit = (
            units.filter(name=options["unit"]).first()
            if options["unit"]
            else units.filter(parent=None).first()
        )
        if unit is None:
            raise CommandError(f"There is no unit {options['unit']} in {organisation.name}.")
        try:
            plan = plan_import_with_children(actor=None, unit=unit, doc=doc)
        except ServiceError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Imported {plan.name} into {unit.name} ({organisation.slug}) as plan {plan.pk}, a draft."
        )
