"""`laera import-people FILE --org SLUG`: add and update people from an HR-system export.

Checks every row first and imports nothing when any row is wrong; `--dry-run` only checks. Messages
are in the organisation's language unless `--language` says otherwise. People who cannot sign in yet
get an invitation by e-mail, with a link to `LAERA_SITE_URL`, unless `--no-invitations` is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.organisations.imports import (
    ImportFileError,
    ImportResult,
    ImportValidationError,
    read_people_file,
)
from laera.organisations.models import Organisation
from laera.organisations.services import people_import


class Command(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = _(
            "Import people from a CSV or Excel (.xlsx) file: name, e-mail and optionally job role, "
            "units and role. Nothing is imported when any row is wrong."
        )
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the .csv or .xlsx file to import"))
        parser.add_argument(
            "--org",
            help=_("short name of the organisation to import into; may be left out when there is only one"),
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help=_("language of the messages; the organisation's language if left out"),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check the file and show what would change, without saving anything"),
        )
        parser.add_argument(
            "--no-invitations",
            action="store_true",
            help=_(
                "add people without e-mailing them an invitation to sign in; send it later from each "
                "person's page"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["language"]
        with translation.override(language or settings.LANGUAGE_CODE):
            if options["org"]:
                organisation = Organisation.objects.filter(slug=options["org"]).first()
            else:
                only = list(Organisation.objects.filter(is_active=True)[:2])
                if len(only) != 1:
                    raise CommandError(_("There are several organisations here: name one with --org SLUG."))
                organisation = only[0]
            if organisation is None:
                raise CommandError(
                    _("There is no organisation with the short name %(slug)s.") % {"slug": options["org"]}
                )
        with translation.override(language or organisation.default_language):
            self._import(
                organisation,
                Path(options["file"]),
                dry_run=options["dry_run"],
                invitations=not options["no_invitations"],
            )

    def _import(self, organisation: Organisation, path: Path, *, dry_run: bool, invitations: bool) -> None:
        try:
            fileobj = path.open("rb")
        except OSError as exc:
            raise CommandError(
                _("Cannot open %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror or exc}
            ) from exc
        try:
            with fileobj:
                rows = read_people_file(fileobj, path.name)
            result = people_import(
                actor=None, organisation=organisation, rows=rows, dry_run=dry_run, invitations=invitations
            )
        except ImportFileError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except ImportValidationError as exc:
            for error in exc.errors:
                self.stderr.write(error.text)
            count = len(exc.errors)
            raise CommandError(
                ngettext(
                    "Nothing was imported: the file has %(count)s problem. Correct it and try again.",
                    "Nothing was imported: the file has %(count)s problems. Correct them and try again.",
                    count,
                )
                % {"count": count}
            ) from exc

        if dry_run:
            self.stdout.write(
                _("Dry run: the file has no problems, and nothing was saved. Importing it would give:")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "Imported %(count)s row into %(organisation)s.",
                        "Imported %(count)s rows into %(organisation)s.",
                        len(rows),
                    )
                    % {"count": len(rows), "organisation": organisation.name}
                )
            )
        for line in self._summary(result, dry_run=dry_run, invitations=invitations):
            self.stdout.write("  " + line)

    @staticmethod
    def _summary(result: ImportResult, *, dry_run: bool, invitations: bool) -> list[str]:
        lines = [
            _("New people: %(count)s") % {"count": result.created},
            _("Updated people: %(count)s") % {"count": result.updated},
            _("Unchanged people: %(count)s") % {"count": result.unchanged},
            _("New units: %(count)s") % {"count": result.units_created},
            _("New job roles: %(count)s") % {"count": result.job_roles_created},
        ]
        if not invitations:
            lines.append(_("Invitations: none sent (--no-invitations)"))
        elif dry_run:
            lines.append(_("Invitations to send: %(count)s") % {"count": result.invitations})
        else:
            lines.append(_("Invitations sent: %(count)s") % {"count": result.invitations})
        return lines
