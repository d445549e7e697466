"""The people import reads column names in every language Læra speaks, says which it expects when one is
missing, and offers a template in the reader's language to start from."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from laera.organisations.imports import (
    TEMPLATE_HEADINGS,
    ImportFileError,
    read_people_file,
    template_csv,
    template_rows,
    template_xlsx,
)
from laera.organisations.models import Person
from laera.organisations.services import people_import
from laera.testing.world import World

HEADINGS = {
    "nb": "Navn;E-post;Stilling;Enhet;Rolle",
    "nn": "Namn;E-post;Stilling;Eining;Rolle",
    "sv": "Namn;E-postadress;Befattning;Avdelning;Roll",
    "da": "Navn;E-mail;Stillingsbetegnelse;Afdeling;Rolle",
    "en": "Name;E-mail address;Job title;Unit;Role",
}


def _read(text: str) -> list[Any]:
    return read_people_file(io.BytesIO(text.encode("utf-8")), "people.csv")


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_column_names_in_each_language(language: str, db: Any) -> None:
    [row] = _read(f"{HEADINGS[language]}\nKari Nordmann;kari@example.org;Veileder;Team A;leader\n")
    assert (row.name, row.email, row.job_role, row.units, row.role) == (
        "Kari Nordmann",
        "kari@example.org",
        "Veileder",
        ["Team A"],
        "leader",
    )


@pytest.mark.parametrize(
    "header",
    ["  NAVN ; e-POST ", "Full name;E-Mail-Adresse", "namn;E POST ADRESS", "Fuldt navn;e_mail"],
)
def test_column_names_ignore_case_spaces_and_punctuation(header: str, db: Any) -> None:
    [row] = _read(f"{header}\nKari;kari@example.org\n")
    assert (row.name, row.email) == ("Kari", "kari@example.org")


@pytest.mark.parametrize(
    "header", ["Fornavn;Etternavn;E-post", "Förnamn;Efternamn;E-post", "First name;Last name;Email"]
)
def test_first_and_last_name_columns_make_the_name(header: str, db: Any) -> None:
    [row] = _read(f"{header}\nKari  ; Nordmann ;kari@example.org\n")
    assert row.name == "Kari Nordmann"


def test_a_missing_column_is_named_with_the_columns_expected_in_the_readers_language(db: Any) -> None:
    with translation.override("en"), pytest.raises(ImportFileError) as excinfo:
        _read("Navn;Stilling\nKari;Veileder\n")
    message = excinfo.value.messages[0]
    assert "These columns are missing: e-mail." in message
    assert "Name, E-mail, Job role, Units, Role in Læra" in message


def test_the_template_lists_the_columns_in_each_language_and_reads_back(world: World) -> None:
    for language, headings in TEMPLATE_HEADINGS.items():
        rows = template_rows(world.organisation, language)
        assert rows[0] == list(headings)
        [row] = read_people_file(io.BytesIO(template_csv(world.organisation, language)), "template.csv")
        assert row.email == rows[1][1] and row.units == [rows[1][3]] and " / " in rows[1][3]
        [row] = read_people_file(io.BytesIO(template_xlsx(world.organisation, language)), "template.xlsx")
        assert row.name == rows[1][0]


def test_the_template_imports_as_it_is(world: World) -> None:
    rows = read_people_file(io.BytesIO(template_csv(world.organisation, "nn")), "mal.csv")
    people_import(actor=None, organisation=world.organisation, rows=rows, invitations=False)
    person = Person.objects.get(organisation=world.organisation, email="kari.nordmann@example.no")
    assert person.role == "employee" and person.job_role == world.job_role


@pytest.mark.parametrize(("fmt", "content_type"), [("csv", "text/csv"), ("xlsx", "spreadsheetml")])
def test_the_admin_downloads_the_template_in_their_language(
    world: World, client_for: Any, fmt: str, content_type: str
) -> None:
    client = client_for("admin")
    client.post(reverse("accounts:language"), {"language": "sv"})
    url = reverse(f"organisations:people_import_template_{fmt}", kwargs={"org_slug": world.organisation.slug})
    response = client.get(url)
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"] and f".{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert text.splitlines()[0] == ";".join(TEMPLATE_HEADINGS["sv"])
        assert "Anna Andersson" in text
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[1]] == list(TEMPLATE_HEADINGS["sv"])
    # Only admins import people.
    assert client_for("leader").get(url).status_code == 403
    assert client.get(url.rsplit(".", 1)[0] + ".ods").status_code == 404


def test_the_template_is_formula_safe(world: World) -> None:
    world.job_role.name = '=HYPERLINK("http://evil.example")'
    world.job_role.save()
    world.top.name = "+Kontor"
    world.top.save()
    csv_text = template_csv(world.organisation, "nb").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ";'+Kontor" in csv_text
    sheet = load_workbook(io.BytesIO(template_xlsx(world.organisation, "nb"))).active
    cells = list(sheet[2])
    assert all(cell.data_type == "s" for cell in cells if cell.value)
    assert cells[2].value == '=HYPERLINK("http://evil.example")' and cells[2].quotePrefix


def test_the_command_line_import_reads_the_same_headings(world: World, tmp_path: Any) -> None:
    path = tmp_path / "ansatte.csv"
    path.write_text("Namn;E-post;Stilling;Einingar\nOla Nordmann;ola@example.org;Rettleiar;Mottak\n", "utf-8")
    call_command(
        "import-people",
        str(path),
        "--org",
        world.organisation.slug,
        "--language",
        "nn",
        "--no-invitations",
        stdout=io.StringIO(),
    )
    person = Person.objects.get(organisation=world.organisation, email="ola@example.org")
    assert person.full_name == "Ola Nordmann" and person.job_role.name == "Rettleiar"  # type: ignore[union-attr]
    assert list(person.memberships.values_list("unit__name", flat=True)) == ["Mottak"]


def test_the_import_page_names_the_columns_and_offers_the_template(world: World, client_for: Any) -> None:
    client = client_for("admin")
    client.post(reverse("accounts:language"), {"language": "en"})
    content = client.get(
        reverse("organisations:people_import", kwargs={"org_slug": world.organisation.slug})
    ).content.decode()
    assert "<code>Name</code>" in content and "<code>Role in Læra</code>" in content
    for fmt in ("csv", "xlsx"):
        assert (
            reverse(
                f"organisations:people_import_template_{fmt}", kwargs={"org_slug": world.organisation.slug}
            )
            in content
        )


def test_the_import_result_counts_with_plural_forms(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("admin")
    client.post(reverse("accounts:language"), {"language": "en"})
    upload = SimpleUploadedFile("people.csv", b"Name;E-mail;Unit\nNy Person;ny@example.org;Mottak\n")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("organisations:people_import", kwargs={"org_slug": world.organisation.slug}),
            {"file": upload},
        )
    response = client.get(started["Location"])
    content = " ".join(response.content.decode().split())
    assert "1 new person</li>" in content and "0 people updated" in content
    assert "0 new units" in content and "1 new people" not in content
