from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from laera.core.errors import ServiceError
from laera.organisations import services


class Command(BaseCommand):
    help = "Create an organisation and its first admin; prints a one-time password and a reset link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--slug", default=None, help="short name used in addresses (default: from NAME)")
        parser.add_argument("--admin", required=True, metavar="EMAIL", help="e-mail of the first admin")
        parser.add_argument("--admin-name", default="", help="full name of the first admin")
        parser.add_argument("--language", default="nb", choices=[code for code, _ in settings.LANGUAGES])
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="for the reset link")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation, person, password = services.organisation_create(
                name=options["name"],
                slug=options["slug"],
                admin_email=options["admin"],
                admin_name=options["admin_name"],
                default_language=options["language"],
            )
        except ServiceError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user = person.user
        assert user is not None
        link = options["base_url"].rstrip("/") + reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        self.stdout.write(self.style.SUCCESS(f"Created {organisation.name} ({organisation.slug})"))
        self.stdout.write(f"Admin:              {user.email}")
        if password:
            self.stdout.write(f"One-time password:  {password}")
        else:
            self.stdout.write("The admin already has an account and keeps its password.")
        self.stdout.write(f"Or choose one here: {link}")
