"""The mapping pages as each role, the quick entry, the import and query counts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from laera.mapping import services
from laera.mapping.models import Arena, KnowledgeFlow, Method

pytestmark = pytest.mark.django_db
ROLES = ["admin", "leader", "coordinator", "employee", "external"]


def url(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"mapping:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


def _english(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


READERS = {"admin", "leader", "coordinator", "employee"}
PAGES = {
    "arena_list": ({}, READERS),
    "arena_detail": ({"arena_id": "arena"}, READERS),
    "arena_create": ({}, {"admin", "leader", "coordinator"}),
    "arena_edit": ({"arena_id": "arena"}, {"admin", "leader", "coordinator"}),
    "arena_import": ({}, {"admin", "leader", "coordinator"}),
    "arena_calendar": ({}, READERS),
    "flow_overview": ({}, READERS),
    "unit_flows": ({"unit_id": "team"}, READERS),
    "unit_diagram": ({"unit_id": "team"}, READERS),
    "unit_responsibility": ({"unit_id": "team"}, READERS),
    "flow_edit": ({"flow_id": "flow"}, {"admin", "leader", "coordinator"}),
    "method_list": ({}, READERS),
    "method_detail": ({"method_id": "method"}, READERS),
    "method_create": ({}, {"admin", "leader"}),
    "method_edit": ({"method_id": "method"}, {"admin", "leader"}),
}


def _kwargs(world: Any, spec: dict[str, str]) -> dict[str, int]:
    objects = {"team": world.team.pk, **{k: v.pk for k, v in world.extra_objects.items()}}
    return {key: objects[value] for key, value in spec.items()}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(page: str, role: str, world: Any, client_for: Any) -> None:
    spec, allowed = PAGES[page]
    response = client_for(role).get(url(world, page, **_kwargs(world, spec)))
    assert response.status_code == (200 if role in allowed else 403), (page, role)


def test_coordinator_of_another_unit_cannot_edit(world: Any, client_for: Any) -> None:
    arena = world.extra_objects["arena"]
    assert client_for("other_leader").get(url(world, "arena_edit", arena_id=arena.pk)).status_code == 403
    response = client_for("other_leader").post(
        url(world, "flow_add", unit_id=world.team.pk), {"activity": "x", "transfer": 2}
    )
    assert response.status_code == 403


def test_create_an_arena_through_the_form(world: Any, client_for: Any) -> None:
    client = client_for("coordinator")
    response = client.post(
        url(world, "arena_create"),
        {
            "name": "Veiledningsgruppe MI",
            "unit": world.team.pk,
            "kind": "internal",
            "recurrence": "every_3_weeks",
            "starts_on": "2015-01-13",
            "duration_minutes": "120",
            "purpose": "MI",
            "participant_job_roles": [world.job_role.pk],
            "informal_responsible": world.people["coordinator"].pk,
        },
    )
    arena = Arena.objects.get(name="Veiledningsgruppe MI")
    assert response["Location"] == arena.get_absolute_url()
    assert arena.rrule == "FREQ=WEEKLY;INTERVAL=3"
    assert list(arena.participant_job_roles.all()) == [world.job_role]


def test_arena_form_explains_missing_date(world: Any, client_for: Any) -> None:
    client = _english(client_for("coordinator"))
    response = client.post(
        url(world, "arena_create"),
        {"name": "Kontormøte", "unit": world.team.pk, "kind": "internal", "recurrence": "weekly"},
    )
    assert "Give the date of a meeting" in response.content.decode()
    assert not Arena.objects.filter(name="Kontormøte").exists()


def test_conflicting_edit_shows_the_other_change(world: Any, client_for: Any) -> None:
    arena = world.extra_objects["arena"]
    stale = arena.version
    services.arena_update(
        actor=world.actor("leader"),
        arena=arena,
        version=stale,
        data=services.ArenaInput(name="Teammøte (flyttet)", recurrence="weekly", starts_on=arena.starts_on),
    )
    client = _english(client_for("coordinator"))
    response = client.post(
        url(world, "arena_edit", arena_id=arena.pk),
        {
            "name": "Teammøte (mitt navn)",
            "unit": world.team.pk,
            "kind": "internal",
            "recurrence": "weekly",
            "starts_on": "2026-01-05",
            "version": stale,
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this arena" in content and "Teammøte (flyttet)" in content
    arena.refresh_from_db()
    assert arena.name == "Teammøte (flyttet)"


def test_quick_entry_by_htmx(world: Any, client_for: Any) -> None:
    client = client_for("coordinator")
    response = client.post(
        url(world, "flow_add", unit_id=world.team.pk),
        {"activity": "Lunsj med arbeidsgivere", "transfer": 2},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert "Lunsj med arbeidsgivere" in content
    assert "autofocus" in content
    assert KnowledgeFlow.objects.filter(unit=world.team, transfer=2).count() == 1
    bad = client.post(
        url(world, "flow_add", unit_id=world.team.pk), {"activity": "", "transfer": 2}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 200 and "ds-validation-message" in bad.content.decode()


def test_quick_entry_without_javascript(world: Any, client_for: Any) -> None:
    response = client_for("coordinator").post(
        url(world, "flow_add", unit_id=world.team.pk), {"activity": "Rutineperm", "transfer": 4}
    )
    assert response.status_code == 302


def test_flow_edit_and_delete(world: Any, client_for: Any) -> None:
    flow = world.extra_objects["flow"]
    client = client_for("coordinator")
    client.post(
        url(world, "flow_edit", flow_id=flow.pk),
        {
            "activity": "Fadderordning for nyansatte",
            "transfer": 1,
            "arena": "",
            "arena_text": "Booke i kalender",
            "formal_responsible_text": "Daglig drift",
            "version": flow.version,
        },
    )
    flow.refresh_from_db()
    assert (flow.activity, flow.arena_text, flow.formal_responsible_text) == (
        "Fadderordning for nyansatte",
        "Booke i kalender",
        "Daglig drift",
    )
    client.post(url(world, "flow_delete", flow_id=flow.pk), HTTP_HX_REQUEST="true")
    assert not KnowledgeFlow.objects.filter(pk=flow.pk).exists()


def test_diagram_shows_gaps_with_numbers(world: Any, client_for: Any) -> None:
    content = (
        _english(client_for("employee"))
        .get(url(world, "unit_diagram", unit_id=world.team.pk))
        .content.decode()
    )
    assert 'role="img"' in content and 'data-transfer="1" data-count="1"' in content
    assert "Gaps, and what could fill them" in content
    assert content.count('data-count="0"') == 8


def test_calendar_week_and_half_year(world: Any, client_for: Any) -> None:
    client = client_for("employee")
    week = client.get(url(world, "arena_calendar"), {"view": "week", "start": "2026-01-07"})
    assert [d.isoformat() for d in week.context["days"]][0] == "2026-01-05"
    assert week.context["scheduled"][0].dates == [week.context["days"][0]]
    half = client.get(url(world, "arena_calendar"), {"view": "halfyear", "start": "2026-03-01"})
    assert half.context["start"].isoformat() == "2026-01-01" and len(half.context["scheduled"][0].dates) >= 25
    # Each month's column holds that month's dates, every date once.
    row = half.context["scheduled"][0]
    assert [{(d.year, d.month) for d in dates} for dates in row.by_month] == [
        {(2026, m)} for m in range(1, 7)
    ]
    assert sum(row.by_month, []) == row.dates
    html = half.content.decode()
    first = row.dates[0]
    assert f'<time datetime="{first.isoformat()}">{first.day}</time>' in html
    assert client.get(url(world, "arena_calendar"), {"start": "not-a-date"}).status_code == 200


def test_method_bank_browse_and_hide(world: Any, client_for: Any) -> None:
    method = world.extra_objects["method"]
    from django.utils import translation

    with translation.override("nb"):
        assert method.display_name in client_for("employee").get(url(world, "method_list")).content.decode()
    client_for("admin").post(url(world, "method_hide", method_id=method.pk))
    method.refresh_from_db()
    assert method.is_hidden
    assert client_for("employee").get(url(world, "method_detail", method_id=method.pk)).status_code == 404
    assert client_for("leader").get(url(world, "method_detail", method_id=method.pk)).status_code == 200
    assert Method.objects.for_org(world.organisation).filter(is_hidden=False).count() >= 24


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("arenaer.csv", text.encode("utf-8"), content_type="text/csv")


def test_import_arenas_all_or_nothing(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _english(client_for("coordinator"))
    bad = (
        "navn;hyppighet;dato;varighet;deltakere\n"
        "Kontormøte;hver 14. dag;08.01.2015;90;alle\n"
        ";ukentlig;2015-01-06;;\n"
        "Legemøter;sometimes;;;Fastleger\n"
    )
    response = client.post(url(world, "arena_import"), {"unit": world.team.pk, "file": _csv(bad)})
    lines = [e.line for e in response.context["row_errors"]]
    assert lines == [3, 4] and Arena.objects.filter(unit=world.team).count() == 1
    good = (
        "navn;hyppighet;ganger i året;dato;deltakere;ansvarlig\n"
        "Kontormøte;hver 14. dag;;08.01.2015;alle;Leder NAV Testby\n"
        "Legemøter;;2;2015-03-12;Fastleger i kommunen, Oppfølging;\n"
        "Individuell veiledning;etter behov;;;;\n"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the import runs in a worker
        response = client.post(url(world, "arena_import"), {"unit": world.team.pk, "file": _csv(good)})
    assert response.status_code == 302 and "/arenas/import/" in response["Location"]
    done = client.get(response["Location"]).content.decode()
    assert "The import is done." in done and "3 arenas are imported." in done
    assert f"?unit={world.team.pk}" in done, "on to the unit's arenas"
    office = Arena.objects.get(name="Kontormøte")
    assert office.participants_all and office.responsible == world.people["leader"]
    doctors = Arena.objects.get(name="Legemøter")
    assert doctors.rrule == "FREQ=YEARLY;BYMONTH=3,9"
    assert doctors.participant_groups == "Fastleger i kommunen" and list(doctors.participant_units.all()) == [
        world.team
    ]


def test_import_arenas_from_xlsx(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "recurrence", "starts_on"])
    sheet.append(["SE-møte", "Weekly", "2015-01-05"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("a.xlsx", buffer.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coordinator").post(
            url(world, "arena_import"), {"unit": world.team.pk, "file": upload}
        )
    assert response.status_code == 302
    assert Arena.objects.get(name="SE-møte").rrule == "FREQ=WEEKLY"


def _grow(world: Any, n: int) -> None:
    for i in range(n):
        arena = services.arena_create(
            actor=None,
            unit=world.team,
            data=services.ArenaInput(
                name=f"Arena {i}",
                recurrence="weekly",
                starts_on=world.extra_objects["arena"].starts_on,
                participant_units=[world.team],
                participant_job_roles=[world.job_role],
                participant_people=[world.people["employee"]],
                responsible=world.people["leader"],
            ),
        )
        services.flow_create(
            actor=None,
            unit=world.team,
            data=services.FlowInput(
                transfer=(i % 9) + 1,
                activity=f"Aktivitet {i}",
                arena=arena,
                formal_responsible=world.people["leader"],
                informal_responsible=world.people["employee"],
            ),
        )


@pytest.mark.parametrize(
    "page",
    [
        "arena_list",
        "arena_calendar",
        "flow_overview",
        "unit_flows",
        "unit_diagram",
        "unit_responsibility",
        "method_list",
    ],
)
def test_query_count_does_not_grow_with_the_data(page: str, world: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    spec, _allowed = PAGES[page]
    client = client_for("coordinator")
    target = url(world, page, **_kwargs(world, spec))
    client.get(target)
    with CaptureQueriesContext(connection) as small:
        assert client.get(target).status_code == 200
    _grow(world, 10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(target).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def test_the_demo_arena_page_says_how_often_in_words_not_as_a_rule() -> None:
    call_command("demo", stdout=io.StringIO())
    arena = Arena.objects.get(organisation__slug="nav-royken", name="Veiledningsgrupper MI")
    client = Client()
    assert client.login(email="koordinator@demo.laera.no", password="demo")  # noqa: S106
    _english(client)
    kwargs = {"org_slug": "nav-royken"}
    detail = client.get(reverse("mapping:arena_detail", kwargs={**kwargs, "arena_id": arena.pk}))
    listing = client.get(reverse("mapping:arena_list", kwargs=kwargs))
    for response in (detail, listing):
        content = response.content.decode()
        assert "Every third week on Tuesday, 120 min" in content
        assert "FREQ=" not in content
