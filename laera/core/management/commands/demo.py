from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from laera.core.demo import demo_accounts, load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo organisation NAV Røyken. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = load_demo(stdout=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Demo organisation loaded: {organisation.name} ({organisation.slug})")
        )
        self.stdout.write("Demo accounts (password: demo):")
        for email, role in demo_accounts():
            self.stdout.write(f"  {email:<28} {role}")
