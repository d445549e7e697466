"""The catalogue, scale, import/export and requirement pages as each role, and their query counts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from laera.competences.catalogue_templates import TEMPLATES
from laera.competences.models import Area, Catalogue, Competence, Importance, Requirement
from laera.competences.services import catalogues as services

pytestmark = pytest.mark.django_db
ROLES = ["admin", "leader", "coordinator", "employee", "external", "other_leader"]
MEMBERS = {"admin", "leader", "coordinator", "employee", "other_leader"}
ADMIN = {"admin"}


def url(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"competences:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


def _english(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


PAGES = {
    "catalogue_list": ({}, MEMBERS),
    "catalogue_create": ({}, ADMIN),
    "catalogue_detail": ({"catalogue_id": "catalogue"}, MEMBERS),
    "catalogue_edit": ({"catalogue_id": "catalogue"}, ADMIN),
    "catalogue_scale": ({"catalogue_id": "catalogue"}, ADMIN),
    "catalogue_import": ({"catalogue_id": "catalogue"}, ADMIN),
    "catalogue_export_csv": ({"catalogue_id": "catalogue"}, MEMBERS),
    "catalogue_export_xlsx": ({"catalogue_id": "catalogue"}, MEMBERS),
    "area_create": ({"catalogue_id": "catalogue"}, ADMIN),
    "area_edit": ({"area_id": "area"}, ADMIN),
    "area_delete": ({"area_id": "area"}, ADMIN),
    "competence_create": ({"catalogue_id": "catalogue"}, ADMIN),
    "competence_detail": ({"competence_id": "competence"}, MEMBERS),
    "competence_edit": ({"competence_id": "competence"}, ADMIN),
    "competence_delete": ({"competence_id": "competence"}, ADMIN),
    "requirements": ({"catalogue_id": "catalogue"}, MEMBERS),
}


def _kwargs(world: Any, spec: dict[str, str]) -> dict[str, int]:
    return {key: world.extra_objects[value].pk for key, value in spec.items()}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(page: str, role: str, world: Any, client_for: Any) -> None:
    spec, allowed = PAGES[page]
    response = client_for(role).get(url(world, page, **_kwargs(world, spec)))
    assert response.status_code == (200 if role in allowed else 403), (page, role)


@pytest.mark.parametrize("role", ["leader", "coordinator", "employee", "external"])
def test_writes_are_refused_to_non_admins(role: str, world: Any, client_for: Any) -> None:
    client = client_for(role)
    catalogue = world.extra_objects["catalogue"]
    area = world.extra_objects["area"]
    competence = world.extra_objects["competence"]
    posts = [
        (url(world, "catalogue_create"), {"name": "X"}),
        (url(world, "catalogue_edit", catalogue_id=catalogue.pk), {"name": "X"}),
        (url(world, "catalogue_copy", catalogue_id=catalogue.pk), {}),
        (url(world, "catalogue_scale", catalogue_id=catalogue.pk), {}),
        (url(world, "area_create", catalogue_id=catalogue.pk), {"name": "X"}),
        (url(world, "area_edit", area_id=area.pk), {"name": "X"}),
        (url(world, "area_delete", area_id=area.pk), {}),
        (url(world, "competence_create", catalogue_id=catalogue.pk), {"name": "X", "area": area.pk}),
        (url(world, "competence_edit", competence_id=competence.pk), {"name": "X", "area": area.pk}),
        (url(world, "competence_delete", competence_id=competence.pk), {}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403, target
    assert Catalogue.objects.filter(organisation=world.organisation).count() == 1
    assert Competence.objects.get(pk=competence.pk).name == "Motiverende intervju"


def test_list_shows_new_catalogue_to_admins_only(world: Any, client_for: Any) -> None:
    admin = _english(client_for("admin")).get(url(world, "catalogue_list"))
    employee = _english(client_for("employee")).get(url(world, "catalogue_list"))
    assert b"Kompetanse i NAV" in admin.content and b"Kompetanse i NAV" in employee.content
    assert b"New catalogue" in admin.content
    assert b"New catalogue" not in employee.content


def test_admin_creates_a_blank_catalogue(world: Any, client_for: Any) -> None:
    response = client_for("admin").post(url(world, "catalogue_create"), {"template": "", "name": "Lederskap"})
    catalogue = Catalogue.objects.get(organisation=world.organisation, name="Lederskap")
    assert response.status_code == 302 and response["Location"] == url(
        world, "catalogue_detail", catalogue_id=catalogue.pk
    )
    assert catalogue.levels.count() == 5


def test_a_blank_catalogue_needs_a_name(world: Any, client_for: Any) -> None:
    response = _english(client_for("admin")).post(
        url(world, "catalogue_create"), {"template": "", "name": ""}
    )
    assert response.status_code == 200
    assert b"Give the catalogue a name, or choose a template." in response.content


def test_admin_creates_a_catalogue_from_a_template(world: Any, client_for: Any) -> None:
    key = next(iter(TEMPLATES))
    response = client_for("admin").post(
        url(world, "catalogue_create"), {"template": key, "name": "", "language": "nb"}
    )
    assert response.status_code == 302
    catalogue = Catalogue.objects.filter(organisation=world.organisation, template_key=key).get()
    assert catalogue.competences.exists()
    renamed = client_for("admin").post(
        url(world, "catalogue_create"), {"template": key, "name": "Vår katalog", "language": "en"}
    )
    assert renamed.status_code == 302
    assert Catalogue.objects.filter(
        organisation=world.organisation, name="Vår katalog", template_key=key
    ).exists()


def test_detail_shows_areas_scale_and_admin_tools(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    admin = _english(client_for("admin")).get(url(world, "catalogue_detail", catalogue_id=catalogue.pk))
    body = admin.content.decode()
    assert "Motiverende intervju" in body and "Skills" in body and ">6<" in body
    assert "laera-scale__step--proficient" in body and "proficient" in body
    assert "Add competence" in body and url(world, "catalogue_import", catalogue_id=catalogue.pk) in body
    employee = _english(client_for("employee")).get(url(world, "catalogue_detail", catalogue_id=catalogue.pk))
    assert b"Add competence" not in employee.content
    assert url(world, "requirements", catalogue_id=catalogue.pk).encode() in employee.content


def test_catalogue_edit_saves_and_shows_a_conflict(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    client = _english(client_for("admin"))
    target = url(world, "catalogue_edit", catalogue_id=catalogue.pk)
    assert client.post(target, {"name": "Ny", "description": "", "version": 1}).status_code == 302
    stale = client.post(target, {"name": "Eldre", "description": "", "version": 1})
    assert stale.status_code == 200 and b"Someone else saved this catalogue" in stale.content
    assert Catalogue.objects.get(pk=catalogue.pk).name == "Ny"


def _scale_post(catalogue: Catalogue, **changes: Any) -> dict[str, Any]:
    """The scale form as the page would send it now, with `changes`."""
    data: dict[str, Any] = {
        "proficient_level": catalogue.proficient_level,
        "action": "save",
        "version": Catalogue.objects.get(pk=catalogue.pk).scale_version,
    }
    for level in catalogue.levels.all():
        for code in ("nb", "nn", "sv", "da", "en"):
            data[f"label_{level.value}_{code}"] = getattr(level, f"label_{code}")
    data.update(changes)
    return data


def test_scale_page_saves_labels_and_proficient_step(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    target = url(world, "catalogue_scale", catalogue_id=catalogue.pk)
    client = _english(client_for("admin"))
    page = client.get(target)
    assert page.content.count(b'type="radio"') == 4 and page.content.count(b'lang="sv"') >= 5
    response = client.post(target, _scale_post(catalogue, label_3_da="Kan selv", proficient_level=2))
    assert response.status_code == 302
    catalogue.refresh_from_db()
    assert catalogue.proficient_level == 2 and catalogue.levels.get(value=3).label_da == "Kan selv"
    empty = client.post(target, _scale_post(catalogue, label_1_nn=""))
    assert empty.status_code == 200 and catalogue.levels.get(value=1).label_nn != ""


def test_scale_page_adds_a_step_and_refuses_removing_a_used_one(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    target = url(world, "catalogue_scale", catalogue_id=catalogue.pk)
    client = _english(client_for("admin"))
    assert client.post(target, _scale_post(catalogue, action="add")).status_code == 302
    assert catalogue.levels.count() == 6
    assert client.post(target, _scale_post(catalogue, action="remove")).status_code == 302
    services.requirement_set(
        actor=None,
        data=services.RequirementInput(
            competence=world.extra_objects["competence"], unit=world.team, level=4
        ),
    )
    refused = client.post(target, _scale_post(catalogue, action="remove"))
    assert refused.status_code == 200 and b"Step 4 cannot be removed" in refused.content
    assert catalogue.levels.count() == 5


def test_copy_is_post_only_and_leads_to_the_copy(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    target = url(world, "catalogue_copy", catalogue_id=catalogue.pk)
    client = client_for("admin")
    assert client.get(target).status_code == 405
    response = client.post(target)
    copy = Catalogue.objects.exclude(pk=catalogue.pk).get(organisation=world.organisation)
    assert response["Location"] == url(world, "catalogue_edit", catalogue_id=copy.pk)
    assert copy.competences.count() == 1


def test_import_page_imports_a_good_file(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    catalogue = world.extra_objects["catalogue"]
    upload = SimpleUploadedFile(
        "k.csv", "Område;Kompetanse;Kategori\nLovverk;Arbeidsrett;Kunnskap\n".encode()
    )
    client = _english(client_for("admin"))
    with django_capture_on_commit_callbacks(execute=True):  # the import runs in a worker
        response = client.post(url(world, "catalogue_import", catalogue_id=catalogue.pk), {"file": upload})
    assert response.status_code == 302 and "/import/" in response["Location"]
    assert Competence.objects.filter(catalogue=catalogue, name="Arbeidsrett", area__name="Lovverk").exists()
    done = " ".join(client.get(response["Location"]).content.decode().split())
    assert "The import is done." in done and "1 competence added" in done and "1 new area" in done


def test_import_page_lists_every_bad_row_and_saves_nothing(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    upload = SimpleUploadedFile("k.csv", b"area;competence;nkr_level\nLovverk;Arbeidsrett;\n;Uten;\nA;B;11\n")
    response = _english(client_for("admin")).post(
        url(world, "catalogue_import", catalogue_id=catalogue.pk), {"file": upload}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 problems in the file" in body
    assert "<td>3</td><td>The area is missing.</td>" in body
    assert "<td>4</td><td>11 is not an NKR level" in body
    assert not Area.objects.filter(catalogue=catalogue, name="Lovverk").exists()


def test_import_page_reports_a_wrong_file(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    upload = SimpleUploadedFile("k.pdf", b"%PDF-1.4")
    response = _english(client_for("admin")).post(
        url(world, "catalogue_import", catalogue_id=catalogue.pk), {"file": upload}
    )
    assert response.status_code == 200 and b"Only CSV (.csv) and Excel (.xlsx) files" in response.content


def test_exports_download_the_catalogue(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    client = _english(client_for("employee"))
    csv_response = client.get(url(world, "catalogue_export_csv", catalogue_id=catalogue.pk))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert 'filename="kompetanse-i-nav.csv"' in csv_response["Content-Disposition"]
    assert (
        csv_response.content.decode("utf-8-sig").splitlines()[1] == "Metoder;Motiverende intervju;;Skills;6"
    )
    xlsx = client.get(url(world, "catalogue_export_xlsx", catalogue_id=catalogue.pk))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]] == ["Metoder", "Motiverende intervju", None, "Skills", "6"]


def test_area_pages(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    client = _english(client_for("admin"))
    response = client.post(url(world, "area_create", catalogue_id=catalogue.pk), {"name": "Lovverk"})
    area = Area.objects.get(catalogue=catalogue, name="Lovverk")
    assert response["Location"].endswith(f"#area-{area.pk}")
    edit = url(world, "area_edit", area_id=area.pk)
    clash = client.post(edit, {"name": "metoder", "version": area.version})
    assert b"already has an area called metoder" in clash.content
    assert client.post(edit, {"name": "Lover", "version": area.version}).status_code == 302
    assert client.post(url(world, "area_delete", area_id=area.pk)).status_code == 302
    assert not Area.objects.filter(pk=area.pk).exists()
    refused = client.post(url(world, "area_delete", area_id=world.extra_objects["area"].pk))
    assert refused.status_code == 200 and b"cannot be deleted" in refused.content


def test_competence_pages(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    area = world.extra_objects["area"]
    client = _english(client_for("admin"))
    created = client.post(
        url(world, "competence_create", catalogue_id=catalogue.pk),
        {"name": "Dialogmøter", "area": area.pk, "category": "skills", "nkr_level": "5.1"},
    )
    competence = Competence.objects.get(catalogue=catalogue, name="Dialogmøter")
    assert created["Location"].endswith(f"#area-{area.pk}")
    assert (competence.category, competence.nkr_level) == ("skills", "5.1")
    duplicate = client.post(
        url(world, "competence_create", catalogue_id=catalogue.pk),
        {"name": "dialogmøter", "area": area.pk, "category": "skills"},
    )
    assert duplicate.status_code == 200 and b"already has a competence called" in duplicate.content
    edit = url(world, "competence_edit", competence_id=competence.pk)
    data = {"name": "Dialogmøter", "area": area.pk, "category": "knowledge", "nkr_level": "", "version": 1}
    assert client.post(edit, data).status_code == 302
    stale = client.post(edit, {**data, "name": "Eldre"})
    conflict = stale.content.decode().split('id="conflict"')[1].split("</dl>")[0]
    assert "Someone else saved this competence" in conflict and "Dialogmøter" in conflict
    assert client.post(url(world, "competence_delete", competence_id=competence.pk)).status_code == 302
    assert not Competence.objects.filter(pk=competence.pk).exists()
    refused = client.post(url(world, "competence_delete", competence_id=world.extra_objects["competence"].pk))
    assert refused.status_code == 200 and b"has 1 assessment from" in refused.content


def test_competence_create_refuses_an_area_of_another_catalogue(world: Any, client_for: Any) -> None:
    other = services.catalogue_create(actor=None, organisation=world.organisation, name="Annen")
    foreign = services.area_create(actor=None, catalogue=other, name="Fremmed")
    response = client_for("admin").post(
        url(world, "competence_create", catalogue_id=world.extra_objects["catalogue"].pk),
        {"name": "X", "area": foreign.pk, "category": "skills"},
    )
    assert response.status_code == 200
    assert not Competence.objects.filter(name="X").exists()


def test_competence_detail_shows_requirements_and_outcomes(world: Any, client_for: Any) -> None:
    competence = world.extra_objects["competence"]
    outcome = world.extra_objects["outcome"]
    outcome.competences.add(competence)
    response = _english(client_for("coordinator")).get(
        url(world, "competence_detail", competence_id=competence.pk)
    )
    body = response.content.decode()
    assert "NAV-veileder" in body and "Critical" in body and "3 Can do it independently" in body
    assert outcome.text in body
    assert (
        reverse(
            "plans:plan_detail",
            kwargs={"org_slug": world.organisation.slug, "plan_id": outcome.theme.plan_id},
        )
        in body
    )
    assert "1 qualification or certificate" in body


def test_competence_detail_hides_outcomes_of_draft_plans_from_others(world: Any, client_for: Any) -> None:
    competence = world.extra_objects["competence"]
    outcome = world.extra_objects["outcome"]
    outcome.competences.add(competence)
    assert outcome.theme.plan.status == "draft"
    employee = client_for("employee").get(url(world, "competence_detail", competence_id=competence.pk))
    coordinator = client_for("coordinator").get(url(world, "competence_detail", competence_id=competence.pk))
    assert outcome.text.encode() not in employee.content
    assert outcome.text.encode() in coordinator.content


# Requirements ------------------------------------------------------------------------------------------


def _matrix_post(competence: Competence, **values: Any) -> dict[str, Any]:
    """One competence's row of the requirement matrix, and the matrix's version as the page sends it now."""
    pk = competence.pk
    data: dict[str, Any] = {
        "version": Catalogue.objects.get(pk=competence.catalogue_id).requirements_version,
        f"level_{pk}": 0,
        f"importance_{pk}": "important",
        f"future_level_{pk}": "",
        f"future_by_{pk}": "",
    }
    data.update({f"{key}_{pk}": value for key, value in values.items()})
    return data


def test_requirements_page_lists_profiles_and_shows_a_matrix(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    client = _english(client_for("employee"))
    overview = client.get(url(world, "requirements", catalogue_id=catalogue.pk))
    assert (
        b"NAV-veileder" in overview.content and f"?job_role={world.job_role.pk}".encode() in overview.content
    )
    matrix = client.get(
        url(world, "requirements", catalogue_id=catalogue.pk), {"job_role": world.job_role.pk}
    )
    body = matrix.content.decode()
    # The job role's name is the organisation's bokmål, marked as such on the English page.
    assert 'Requirements for <span lang="nb">NAV-veileder</span>' in body
    assert "3 Can do it independently" in body
    assert "<select" not in body.split("matrix-heading")[1]  # read-only for employees


def test_admin_saves_a_requirement_matrix(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    competence = world.extra_objects["competence"]
    target = url(world, "requirements", catalogue_id=catalogue.pk) + f"?job_role={world.job_role.pk}"
    client = _english(client_for("admin"))
    page = client.get(target)
    assert f'name="level_{competence.pk}"'.encode() in page.content
    response = client.post(
        target, _matrix_post(competence, level=4, importance="useful", future_level=4, future_by="2027-01-01")
    )
    assert response.status_code == 302 and response["Location"] == target
    requirement = Requirement.objects.get(competence=competence, job_role=world.job_role, unit=None)
    assert (requirement.level, requirement.importance, str(requirement.future_by)) == (
        4,
        "useful",
        "2027-01-01",
    )


def test_a_large_catalogues_requirements_are_set_one_area_at_a_time(
    world: Any, client_for: Any, monkeypatch: Any
) -> None:
    """Beyond what a person reads at once, the matrix shows one area's competences (the first until
    another is chosen); saving it leaves the other areas' requirements as they are."""
    from laera.competences.selectors import catalogues as catalogue_selectors

    monkeypatch.setattr(catalogue_selectors, "COMPETENCES_AT_ONCE", 1)
    catalogue = world.extra_objects["catalogue"]
    competence = world.extra_objects["competence"]  # in the first area
    laws = services.area_create(actor=None, catalogue=catalogue, name="Lover og regler")
    law = services.competence_create(actor=None, area=laws, data=services.CompetenceInput(name="Arbeidsrett"))
    target = url(world, "requirements", catalogue_id=catalogue.pk)
    client = _english(client_for("admin"))
    first = client.get(target, {"job_role": world.job_role.pk}).content.decode()
    assert f'name="level_{competence.pk}"' in first and f'name="level_{law.pk}"' not in first
    assert "One competence area at a time" in first and f"area={laws.pk}" in first
    page = f"{target}?job_role={world.job_role.pk}&area={laws.pk}"
    second = client.get(page).content.decode()
    assert f'name="level_{law.pk}"' in second and f'name="level_{competence.pk}"' not in second
    before = Requirement.objects.get(competence=competence, job_role=world.job_role, unit=None).level
    response = client.post(page, _matrix_post(law, level=2))
    assert response.status_code == 302 and response["Location"] == page
    assert Requirement.objects.get(competence=law, job_role=world.job_role, unit=None).level == 2
    assert Requirement.objects.get(competence=competence, job_role=world.job_role, unit=None).level == before


def test_a_bad_matrix_saves_nothing(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    competence = world.extra_objects["competence"]
    second = services.competence_create(
        actor=None, area=world.extra_objects["area"], data=services.CompetenceInput(name="Arbeidsrett")
    )
    target = url(world, "requirements", catalogue_id=catalogue.pk) + f"?unit={world.team.pk}"
    data = {**_matrix_post(competence, level=2), **_matrix_post(second, level=1, future_level=3)}
    response = _english(client_for("admin")).post(target, data)
    assert response.status_code == 200
    assert b"Say by when the later level is needed." in response.content
    assert not Requirement.objects.filter(unit=world.team).exists()


def test_leaders_edit_requirements_of_their_units_only(world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    competence = world.extra_objects["competence"]
    base = url(world, "requirements", catalogue_id=catalogue.pk)
    leader = _english(client_for("leader"))
    page = leader.get(base)
    unit_select = page.content.decode().split('name="unit"')[1].split("</select>")[0]
    assert "Oppfølging" in unit_select and "Mottak" not in unit_select
    ok = leader.post(f"{base}?unit={world.team.pk}", _matrix_post(competence, level=2, importance="critical"))
    assert ok.status_code == 302
    assert Requirement.objects.get(unit=world.team).importance == Importance.CRITICAL
    assert (
        leader.post(f"{base}?job_role={world.job_role.pk}", _matrix_post(competence, level=1)).status_code
        == 403
    )
    assert (
        leader.post(f"{base}?unit={world.other_team.pk}", _matrix_post(competence, level=1)).status_code
        == 403
    )
    other = client_for("other_leader")
    assert other.post(f"{base}?unit={world.team.pk}", _matrix_post(competence, level=4)).status_code == 403
    for role in ("coordinator", "employee"):
        refused = client_for(role).post(f"{base}?unit={world.team.pk}", _matrix_post(competence, level=4))
        assert refused.status_code == 403
    assert Requirement.objects.get(unit=world.team).level == 2


def test_requirements_page_ignores_another_organisations_unit(
    world: Any, other_world: Any, client_for: Any
) -> None:
    catalogue = world.extra_objects["catalogue"]
    response = client_for("admin").get(
        url(world, "requirements", catalogue_id=catalogue.pk), {"unit": other_world.team.pk}
    )
    assert response.status_code == 200
    assert b"matrix-heading" not in response.content
    assert f'value="{other_world.team.pk}"'.encode() not in response.content


# Query counts ------------------------------------------------------------------------------------------


def _grow(world: Any, areas: int, per_area: int, tag: str) -> None:
    catalogue = world.extra_objects["catalogue"]
    for a in range(areas):
        area = services.area_create(actor=None, catalogue=catalogue, name=f"Område {tag}{a}")
        for c in range(per_area):
            competence = services.competence_create(
                actor=None, area=area, data=services.CompetenceInput(name=f"Kompetanse {tag}{a}-{c}")
            )
            Requirement.objects.create(
                organisation=world.organisation, competence=competence, job_role=world.job_role, level=2
            )
            Requirement.objects.create(
                organisation=world.organisation, competence=competence, unit=world.team, level=1
            )
    other = services.catalogue_create(actor=None, organisation=world.organisation, name=f"Katalog {tag}")
    services.area_create(actor=None, catalogue=other, name="Tom")


def _count(client: Client, target: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page",
    ["catalogue_list", "catalogue_detail", "requirements", "requirements_matrix", "competence_detail"],
)
def test_query_counts_do_not_grow_with_the_catalogue(page: str, world: Any, client_for: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    client = client_for("admin")
    targets = {
        "catalogue_list": url(world, "catalogue_list"),
        "catalogue_detail": url(world, "catalogue_detail", catalogue_id=catalogue.pk),
        "requirements": url(world, "requirements", catalogue_id=catalogue.pk),
        "requirements_matrix": url(world, "requirements", catalogue_id=catalogue.pk)
        + f"?job_role={world.job_role.pk}",
        "competence_detail": url(
            world, "competence_detail", competence_id=world.extra_objects["competence"].pk
        ),
    }
    _grow(world, 1, 2, "a")
    small = _count(client, targets[page])
    _grow(world, 4, 6, "b")
    assert _count(client, targets[page]) == small
