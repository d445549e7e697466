from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from laera.core.demo import load_demo
from laera.organisations.selectors import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Load (or refresh) the demo organisation NAV Røyken. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            organisation = load_demo(stdout=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Demo organisation loaded: {organisation.name} ({organisation.slug})")
        )
        self.stdout.write("Demo accounts (password: demo):")
        for email, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<28} {role}")
