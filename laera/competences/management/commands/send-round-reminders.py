"""`laera send-round-reminders [--dry-run]`: send now the reminders that the workers send every hour.

For every open mapping round whose reminder is due (its reminder days before the deadline, or later),
e-mails the participants who have not answered, once each, in their own language. The workers run the
same as a periodic task (`round_reminders_task`); this command is for sending at once, or counting.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laera.competences.services.rounds import rounds_send_due_reminders


class Command(BaseCommand):
    help = "E-mail a reminder to those who have not answered an open mapping round whose reminder is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only count whom a reminder would go to; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for round, count in rounds_send_due_reminders(dry_run=options["dry_run"]):
            total += count
            if count:
                self.stdout.write(f"{round.organisation.slug}: {round.name}: {count}")
        verb = "would be sent" if options["dry_run"] else "sent"
        self.stdout.write(f"{total} reminders {verb}.")
