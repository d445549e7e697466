"""The installation operator's admin site: staff only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from laera.accounts.models import User

pytestmark = pytest.mark.django_db


def test_operator_manages_organisations_in_the_admin_site(world: Any) -> None:
    User.objects.create_superuser(email="drift@laera.no", password="operator-password-1")
    client = Client()
    assert client.login(email="drift@laera.no", password="operator-password-1")
    for path in (
        "/admin/",
        "/admin/organisations/organisation/",
        "/admin/organisations/person/",
        "/admin/accounts/user/",
        "/admin/core/auditentry/",
        "/admin/accounts/user/add/",
        # Background work of every organisation: tasks, jobs, workers, the schedule, e-mails.
        "/admin/django_tasks_database/dbtaskresult/",
        "/admin/core/job/",
        f"/admin/core/job/{world.extra['job_id']}/change/",
        "/admin/core/workerbeat/",
        "/admin/core/scheduledjob/",
        "/admin/notifications/emaildelivery/",
    ):
        assert client.get(path).status_code == 200, path
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "ny@laera.no",
            "password1": "a-long-pass-123",
            "password2": "a-long-pass-123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="ny@laera.no").exists()


def test_organisation_users_cannot_open_the_admin_site(client_for: Any) -> None:
    response = client_for("admin").get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
