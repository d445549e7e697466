"""Health, headers, production settings and the audit log."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from laera.accounts.models import User
from laera.core.models import AuditEntry
from laera.core.permissions import descendants


@pytest.mark.django_db
def test_healthz_reports_the_database_to_operators_only() -> None:
    # Anonymous callers learn only whether Læra is well; the database and its vendor are for operators.
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    operator = Client()
    operator.force_login(User.objects.create_user("drift@laera.no", "operator-pass-1", is_staff=True))
    body = operator.get("/healthz").json()
    assert body == {"status": "ok", "database": "ok", "vendor": connection.vendor}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(settings: Any) -> None:
    settings.LAERA_HEALTH_TOKEN = "monitoring-token-0123456789"
    with mock.patch("laera.core.views.connection.cursor", side_effect=RuntimeError("down")):
        anonymous = Client().get("/healthz")
        monitoring = Client().get("/healthz", headers={"X-Health-Token": "monitoring-token-0123456789"})
    assert anonymous.status_code == 503
    assert anonymous.json() == {"status": "degraded"}
    assert monitoring.status_code == 503
    assert monitoring.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_every_page_sends_a_content_security_policy() -> None:
    response = Client().get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style() -> None:
    content = Client().get(reverse("accounts:login")).content.decode()
    assert "<script>" not in content and "style=" not in content and "<style" not in content


@pytest.mark.django_db
def test_csrf_is_enforced() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"email": "a@b.no", "password": "x"})
    assert response.status_code == 403


def test_passwords_are_hashed_with_argon2() -> None:
    from django.conf import settings

    base = __import__("laera.config.settings.base", fromlist=["PASSWORD_HASHERS"])
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "accounts.User"


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="laera.config.settings.production",
        SECRET_KEY="a-long-and-random-production-secret-key-0123456789-abcdefghijklmnop",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/laera-deploy-check.sqlite3"),
        ALLOWED_HOSTS="laera.example.no",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "laera", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = _production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-m", "laera", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_read_the_environment() -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.CACHES['default']['BACKEND'],"
        " s.EMAIL_HOST, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=_production_env(EMAIL_HOST="smtp.example.no"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert (
        result.stdout.strip()
        == "['laera.example.no'] True True django.core.cache.backends.redis.RedisCache smtp.example.no False"
    )


def test_descendants_walks_the_tree() -> None:
    tree: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: 1, 5: None}
    assert descendants(tree, {2}) == {2, 3}
    assert descendants(tree, {1}) == {1, 2, 3, 4}
    assert descendants(tree, {99}) == set()


@pytest.mark.django_db
def test_services_write_the_audit_log(world: Any) -> None:
    from laera.organisations import services

    actor = world.actor("admin")
    services.unit_update(
        actor=actor,
        unit=world.team,
        name="Oppfølgingsteam",
        parent=world.top,
        leader=world.people["leader"],
        description="",
        version=world.team.version,
    )
    entry = AuditEntry.objects.filter(organisation=world.organisation, action="unit.update").get()
    assert entry.actor == world.user("admin")
    assert entry.before["name"] == "Oppfølging"
    assert entry.after["name"] == "Oppfølgingsteam"
    assert entry.object_id == str(world.team.pk)


@pytest.mark.parametrize(("value", "expected"), [(None, "60 True"), ("0", "0 True"), ("300", "300 True")])
def test_production_keeps_database_connections_between_requests(value: str | None, expected: str) -> None:
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    extra = {"DATABASE_CONN_MAX_AGE": value} if value is not None else {}
    env = _production_env(**extra)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == expected, result.stderr


def test_a_connection_age_that_is_not_a_whole_number_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=_production_env(DATABASE_CONN_MAX_AGE="a minute"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DATABASE_CONN_MAX_AGE must be a whole number" in result.stderr


def test_the_wsgi_application_keeps_what_it_loaded_out_of_the_collectors_reach() -> None:
    code = (
        "import gc; before = gc.get_freeze_count(); import laera.config.wsgi as w;"
        "print(before, gc.get_freeze_count() > 1000, callable(w.application), gc.get_threshold()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=_production_env(), capture_output=True, text=True, check=True
    )
    # Frozen, and young objects collected far less often than Python's default of every 700.
    assert result.stdout.split() == ["0", "True", "True", "50000"]
