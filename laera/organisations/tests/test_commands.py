from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from laera.accounts.models import User
from laera.core.models import AuditEntry
from laera.core.permissions import Role
from laera.organisations.models import Organisation, Person, Unit, WorkingGroup, WorkingGroupMeeting

pytestmark = pytest.mark.django_db


def test_createorg_prints_a_one_time_password_that_works() -> None:
    out = io.StringIO()
    call_command("createorg", "NAV Moss", "--admin", "hr@moss.no", "--slug", "moss", stdout=out)
    text = out.getvalue()
    org = Organisation.objects.get(slug="moss")
    assert org.name == "NAV Moss"
    password = re.search(r"One-time password:\s+(\S+)", text).group(1)  # type: ignore[union-attr]
    assert Client().login(email="hr@moss.no", password=password)
    assert "/accounts/password-reset/" in text
    assert Person.objects.get(organisation=org, email="hr@moss.no").role == Role.ADMIN


@pytest.mark.empty_database  # counts the organisations there are
def test_createorg_refuses_a_taken_slug() -> None:
    call_command("createorg", "NAV Moss", "--admin", "hr@moss.no", "--slug", "moss", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("createorg", "Annet", "--admin", "x@moss.no", "--slug", "moss", stdout=io.StringIO())
    assert Organisation.objects.count() == 1


def _demo_counts() -> dict[str, int]:
    return {
        "orgs": Organisation.objects.count(),
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "users": User.objects.count(),
        "meetings": WorkingGroupMeeting.objects.count(),
    }


def test_demo_is_nav_royken_and_idempotent() -> None:
    call_command("demo", stdout=io.StringIO())
    first = _demo_counts()
    audit = AuditEntry.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert _demo_counts() == first
    assert AuditEntry.objects.count() == audit  # nothing changed, so nothing logged
    org = Organisation.objects.get(slug="nav-royken")
    assert org.is_demo
    assert first["people"] >= 20
    top = Unit.objects.get(organisation=org, parent=None)
    assert top.name == "NAV Røyken"
    assert top.leader.full_name == "Ole Petter Gravningen"  # type: ignore[union-attr]
    names = set(Unit.objects.filter(organisation=org).values_list("name", flat=True))
    assert {"Oppfølgingsteam", "Mottaksteam", "Sykefraværsteam"} <= names
    group = WorkingGroup.objects.get(unit=top)
    assert 3 <= group.members.count() <= 5
    assert group.lead.user.email == "koordinator@demo.laera.no"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("admin@demo.laera.no", Role.ADMIN),
        ("leder@demo.laera.no", Role.LEADER),
        ("koordinator@demo.laera.no", Role.COORDINATOR),
        ("ansatt@demo.laera.no", Role.EMPLOYEE),
    ],
)
def test_demo_accounts_sign_in_with_demo(email: str, role: str) -> None:
    call_command("demo", stdout=io.StringIO())
    client = Client()
    assert client.login(email=email, password="demo")
    assert Person.objects.get(email=email).role == role
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/o/nav-royken/"


def test_demo_restores_a_changed_demo_password() -> None:
    call_command("demo", stdout=io.StringIO())
    user = User.objects.get(email="ansatt@demo.laera.no")
    user.set_password("something-else")
    user.save()
    call_command("demo", stdout=io.StringIO())
    assert Client().login(email="ansatt@demo.laera.no", password="demo")


def test_demo_prints_the_accounts() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    for email in (
        "admin@demo.laera.no",
        "leder@demo.laera.no",
        "koordinator@demo.laera.no",
        "ansatt@demo.laera.no",
    ):
        assert email in out.getvalue()


def test_compilecatalogues_writes_mo_files(tmp_path: Any, settings: Any) -> None:
    import shutil

    locale = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], locale, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [locale]
    call_command("compilecatalogues", stdout=io.StringIO())
    for code in ("nb", "nn", "sv", "da", "en"):
        assert (locale / code / "LC_MESSAGES" / "django.mo").stat().st_size > 0
