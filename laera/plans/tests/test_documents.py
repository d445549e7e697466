"""The plan's documents from the pages and the command line, and the JSON exchange across organisations."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx import Document

from laera.organisations import services as org_services
from laera.plans.models import Activity, Plan, PlanStatus

pytestmark = pytest.mark.django_db


def url(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"plans:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


@pytest.mark.parametrize(
    ("fmt", "start"),
    [
        ("pdf", b"%PDF"),
        ("docx", b"PK"),
        ("xlsx", b"PK"),
        ("md", b"# "),
        ("ics", b"BEGIN:VCALENDAR"),
        ("json", b"{"),
    ],
)
def test_downloads(fmt: str, start: bytes, world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    response = client_for("coordinator").get(url(world, "plan_download", plan_id=plan.pk, fmt=fmt))
    assert response.status_code == 200
    assert response.content.startswith(start)
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_unknown_format_is_404(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    assert (
        client_for("coordinator").get(url(world, "plan_download", plan_id=plan.pk, fmt="exe")).status_code
        == 404
    )


def test_readers_cannot_download_a_draft(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    assert (
        client_for("employee").get(url(world, "plan_download", plan_id=plan.pk, fmt="md")).status_code == 404
    )


def test_print_page_allows_only_its_own_stylesheet(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    response = client_for("coordinator").get(url(world, "plan_print", plan_id=plan.pk))
    policy = response["Content-Security-Policy"]
    assert "'sha256-" in policy and "unsafe-inline" not in policy
    assert "Supported Employment" in response.content.decode()


def test_print_page_has_one_main_landmark_around_the_plan(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    response = client_for("coordinator").get(url(world, "plan_print", plan_id=plan.pk))
    page = lxml.html.document_fromstring(response.content.decode())
    mains = page.findall(".//main")
    assert len(mains) == 1
    assert [child.tag for child in mains[0]] == ["article"]
    assert mains[0].getparent().tag == "body"


def test_export_the_demo_plan_as_docx(tmp_path: Path) -> None:
    call_command("demo", stdout=io.StringIO())
    target = tmp_path / "plan.docx"
    call_command(
        "export-plan",
        "latest",
        "--org",
        "nav-royken",
        "--format",
        "docx",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    document = Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Ole Petter Gravningen" in text and "Tema: Supported employment (SE)" in text
    headers = [c.text for c in document.tables[0].rows[0].cells]
    assert headers == [
        "Læringsutbytte",
        "Arena",
        "Pedagogisk virkemiddel",
        "Deltakere",
        "Tid for gjennomføring",
    ]
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "NAV-veiledere skal kjenne til grunnleggende forskning knyttet til SE" in cells
    assert "22. eller 23. april" in cells


def test_json_round_trip_through_the_command_line(tmp_path: Path) -> None:
    call_command("demo", stdout=io.StringIO())
    first = tmp_path / "first.json"
    call_command(
        "export-plan",
        "latest",
        "--org",
        "nav-royken",
        "--format",
        "json",
        "--output",
        str(first),
        stdout=io.StringIO(),
    )
    org_services.organisation_create(name="NAV Hurum", slug="nav-hurum", admin_email="hr@hurum.no")
    call_command("import-plan", str(first), "--org", "nav-hurum", stdout=io.StringIO())
    copy = Plan.objects.get(organisation__slug="nav-hurum", parent=None)
    assert copy.status == PlanStatus.DRAFT
    second = tmp_path / "second.json"
    call_command(
        "export-plan", str(copy.pk), "--format", "json", "--output", str(second), stdout=io.StringIO()
    )

    def normalised(path: Path) -> Any:
        data = json.loads(path.read_text(encoding="utf-8"))

        def strip(node: Any) -> Any:
            if isinstance(node, dict):
                return {
                    k: strip(v)
                    for k, v in node.items()
                    # Ids, and what belongs to the receiving organisation: its name, unit, leader, status,
                    # whether it has mapped an arena of the same name, and which of the outcomes'
                    # competences its own catalogue has (a new organisation has none).
                    if k
                    not in (
                        "key",
                        "status",
                        "organisation",
                        "leader",
                        "unit",
                        "arena_is_mapped",
                        "competences",
                    )
                }
            if isinstance(node, list):
                return [strip(v) for v in node]
            return node

        return strip(data)

    assert normalised(first) == normalised(second)
    assert Activity.objects.filter(outcome__theme__plan=copy).count() >= 12


def test_import_refuses_a_broken_file(tmp_path: Path) -> None:
    org_services.organisation_create(name="NAV Hurum", slug="nav-hurum", admin_email="hr@hurum.no")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "laera-plan", "version": 99}), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import-plan", str(bad), "--org", "nav-hurum", stdout=io.StringIO())
    assert not Plan.objects.filter(organisation__slug="nav-hurum").exists()


def test_export_needs_an_organisation_for_latest() -> None:
    with pytest.raises(CommandError):
        call_command("export-plan", "latest", "--format", "md", "--output", "-", stdout=io.StringIO())
