"""`laera send-round-reminders [--dry-run]`, meant for a daily cron job.

For every open mapping round whose reminder is due (its reminder days before the deadline, or later),
e-mails the participants who have not answered, once each, in their own language.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from laera.competences.models import MappingRound, RoundParticipant
from laera.competences.services.rounds import reminders_due, round_send_reminders


class Command(BaseCommand):
    help = "E-mail a reminder to those who have not answered an open mapping round whose reminder is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only count whom a reminder would go to; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        candidates = MappingRound.objects.filter(
            closed_at__isnull=True, opens_on__lte=today, deadline__gte=today, organisation__is_active=True
        ).select_related("organisation")
        total = 0
        for round in candidates:
            if not reminders_due(round, today):
                continue
            if options["dry_run"]:
                count = (
                    RoundParticipant.objects.filter(
                        round=round, submitted_at__isnull=True, reminded_at__isnull=True
                    )
                    .filter(person__is_active=True)
                    .exclude(Q(person__email="") | Q(person__email__isnull=True))
                    .count()
                )
            else:
                count = round_send_reminders(actor=None, round=round)
            total += count
            if count:
                self.stdout.write(f"{round.organisation.slug}: {round.name}: {count}")
        verb = "would be sent" if options["dry_run"] else "sent"
        self.stdout.write(f"{total} reminders {verb}.")
