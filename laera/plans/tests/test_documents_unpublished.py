"""Who gets a published plan's draft sub-plans in the documents, and how they are marked."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from laera.plans import services
from laera.plans.exchange import labels
from laera.plans.models import Plan, PlanStatus

pytestmark = pytest.mark.django_db
SUB_PLAN = "Våren 2026 – teamets delplan"
DRAFT = labels("nb").draft  # the plan's language, not the reader's


def url(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"plans:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


@pytest.fixture
def published(world: Any) -> Plan:
    """The world's plan, published, with a draft sub-plan of the same team."""
    plan = world.extra_objects["plan"]
    services.plan_set_status(actor=None, plan=plan, status=PlanStatus.PUBLISHED)
    child = services.plan_create(
        actor=None,
        unit=world.team,
        parent=plan,
        data=services.PlanInput(
            name=SUB_PLAN,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
            language="nb",
        ),
    )
    services.theme_create(actor=None, plan=child, title="Motiverende intervju", why="Fra teammøtet")
    return plan


def _download(client: Any, world: Any, plan: Plan, fmt: str) -> bytes:
    response = client.get(url(world, "plan_download", plan_id=plan.pk, fmt=fmt))
    assert response.status_code == 200
    return bytes(response.content)


@pytest.mark.parametrize("role", ["employee", "other_leader"])
def test_readers_get_the_published_plan_without_the_draft(
    role: str, world: Any, client_for: Any, published: Plan
) -> None:
    client = client_for(role)
    markdown = _download(client, world, published, "md").decode()
    assert "Supported Employment" in markdown
    assert SUB_PLAN not in markdown and "Motiverende intervju" not in markdown
    assert DRAFT not in markdown
    with zipfile.ZipFile(io.BytesIO(_download(client, world, published, "docx"))) as archive:
        body = archive.read("word/document.xml").decode()
    assert SUB_PLAN not in body
    page = client.get(url(world, "plan_print", plan_id=published.pk)).content.decode()
    assert SUB_PLAN not in page and "plan-status-note" not in page.split("</style>")[-1]


@pytest.mark.parametrize("role", ["coordinator", "leader"])
def test_those_who_may_edit_the_draft_see_it_marked(
    role: str, world: Any, client_for: Any, published: Plan
) -> None:
    client = client_for(role)
    markdown = _download(client, world, published, "md").decode()
    lines = markdown.splitlines()
    (heading,) = [
        i for i, line in enumerate(lines) if line.startswith("## ") and line.endswith(f"{SUB_PLAN} ({DRAFT})")
    ]
    assert lines[heading + 2] == f"> **{DRAFT}**"
    # The office plan itself is published: no mark on its title.
    assert lines[2] != f"> **{DRAFT}**"
    with zipfile.ZipFile(io.BytesIO(_download(client, world, published, "docx"))) as archive:
        body = archive.read("word/document.xml").decode()
        headers = "".join(
            archive.read(name).decode() for name in archive.namelist() if name.startswith("word/header")
        )
    assert f"{SUB_PLAN} ({DRAFT})" in body and DRAFT in headers
    page = client.get(url(world, "plan_print", plan_id=published.pk)).content.decode()
    assert f'<p class="plan-status-note">{DRAFT}</p>' in page
    pdf = _download(client, world, published, "pdf")
    assert pdf.startswith(b"%PDF")


def test_a_draft_previewed_by_its_coordinator_is_marked_in_every_format(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    assert plan.status == PlanStatus.DRAFT
    client = client_for("coordinator")
    assert f"> **{DRAFT}**" in _download(client, world, plan, "md").decode().splitlines()[:4]
    page = client.get(url(world, "plan_print", plan_id=plan.pk)).content.decode()
    assert f'<p class="plan-status-note">{DRAFT}</p>' in page
    assert f'@top-center {{ content: "{DRAFT}"' in page


def test_the_mark_is_in_the_plans_language() -> None:
    assert labels("nb").draft == "Utkast – ikke publisert"
    assert labels("nn").draft == "Utkast – ikkje publisert"
    assert labels("sv").draft == "Utkast – inte publicerad"
    assert labels("da").draft == "Udkast – ikke offentliggjort"
    assert labels("en").draft == "Draft — not published"
    assert labels("nb").consultation == "På høring – ikke publisert"
