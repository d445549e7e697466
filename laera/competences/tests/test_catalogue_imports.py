"""Catalogue import and export: good CSV and XLSX files, every kind of bad row, all-or-nothing, and an
export that imports again unchanged."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook, load_workbook

from laera.competences import imports
from laera.competences.models import Area, Catalogue, Competence
from laera.competences.services import catalogues as services
from laera.organisations.imports import ImportFileError, ImportValidationError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _csv(text: str) -> list[imports.CatalogueRow]:
    return imports.read_catalogue_file(io.BytesIO(text.encode("utf-8")), "katalog.csv")


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _import(world: Any, rows: list[imports.CatalogueRow], catalogue: Catalogue | None = None) -> Any:
    return imports.catalogue_import(
        actor=world.actor("admin"), catalogue=catalogue or world.extra_objects["catalogue"], rows=rows
    )


def _state(catalogue: Catalogue) -> list[tuple[str, str, str, str, str]]:
    return sorted(
        (c.area.name, c.name, c.description, c.category, c.nkr_level)
        for c in Competence.objects.filter(catalogue=catalogue).select_related("area")
    )


def test_a_nordic_csv_adds_areas_and_competences_and_updates_by_name(world: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    rows = _csv(
        "Område;Kompetanse;Beskrivelse;Kategori;NKR-nivå\n"
        "Metoder;motiverende intervju;Samtaleteknikk;Ferdigheter;6\n"
        "Lovverk;Arbeidsmarkedsloven;Kjenne loven;Kunnskap;\n"
        "Lovverk;Forvaltningsloven;;generell kompetanse;NKR 5,1\n"
        "\n"
        "Digitalt;Digital dialog;Bruke Modia;;4a\n"
    )
    result = _import(world, rows)
    assert (result.created, result.updated, result.areas_created) == (3, 1, 2)
    competence = Competence.objects.get(catalogue=catalogue, name__iexact="motiverende intervju")
    assert (competence.name, competence.description, competence.category) == (
        "motiverende intervju",
        "Samtaleteknikk",
        "skills",
    )
    law = Competence.objects.get(catalogue=catalogue, name="Forvaltningsloven")
    assert (law.category, law.nkr_level, law.area.name) == ("general_competence", "5.1", "Lovverk")
    digital = Competence.objects.get(catalogue=catalogue, name="Digital dialog")
    assert (digital.category, digital.nkr_level) == ("knowledge", "4A")


@pytest.mark.parametrize(
    ("header", "category"),
    [
        ("area,competence,description,category,nkr_level", "Skills"),
        ("Område,Kompetens,Beskrivning,Kategori,Nivå", "Färdigheter"),
        ("Område,Kompetence,Beskrivelse,Kategori,Niveau", "Færdigheder"),
        ("Kompetanseområde,Namn,Skildring,Kategori,NKR", "Ferdigheiter"),
    ],
)
def test_headers_and_categories_in_every_language(world: Any, header: str, category: str) -> None:
    rows = _csv(f"{header}\nSamtaler,Dialogmøter,Lede møtene,{category},7\n")
    _import(world, rows)
    competence = Competence.objects.get(name="Dialogmøter")
    assert (competence.area.name, competence.description, competence.category, competence.nkr_level) == (
        "Samtaler",
        "Lede møtene",
        "skills",
        "7",
    )


def test_category_labels_of_every_interface_language_are_understood(world: Any) -> None:
    from laera.core.nkr import Category

    with translation.override("sv"):
        label = str(Category.GENERAL_COMPETENCE.label)
    rows = _csv(f"area;competence;category\nA;B;{label}\n")
    _import(world, rows)
    assert Competence.objects.get(name="B").category == "general_competence"


def test_a_good_xlsx_file(world: Any) -> None:
    data = _xlsx(
        [
            ["Area", "Competence", "Description", "Category", "NKR level"],
            ["Oppfølging", "Arbeidsevnevurdering", "Vurdere arbeidsevne", "skills", 6],
            ["Oppfølging", "Supported Employment", None, "Knowledge", 5.2],
        ]
    )
    rows = imports.read_catalogue_file(io.BytesIO(data), "katalog.xlsx")
    result = _import(world, rows)
    assert (result.created, result.areas_created) == (2, 1)
    assert Competence.objects.get(name="Arbeidsevnevurdering").nkr_level == "6"
    assert Competence.objects.get(name="Supported Employment").nkr_level == "5.2"


BAD_ROWS = [
    (";Uten område;;;", "The area is missing."),
    ("Metoder;;;;", "The competence's name is missing."),
    (f"{'A' * 201};Lang;;;", "The area's name is longer than 200 characters."),
    (f"Metoder;{'B' * 201};;;", "The competence's name is longer than 200 characters."),
    ("Metoder;Ny;;holdning;", "Unknown category holdning: write knowledge, skills or general competence."),
    ("Metoder;Ny;;;9", "9 is not an NKR level. Use 2, 3, 4A, 4B, 5.1, 5.2, 6, 7 or 8."),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_every_kind_of_bad_row_is_reported_by_line_and_nothing_is_saved(
    world: Any, row: str, message: str
) -> None:
    catalogue = world.extra_objects["catalogue"]
    before = _state(catalogue)
    rows = _csv(f"area;competence;description;category;nkr_level\nNytt område;God rad;;;\n{row}\n")
    with pytest.raises(ImportValidationError) as caught:
        _import(world, rows)
    assert [(e.line, e.message) for e in caught.value.errors] == [(3, message)]
    assert _state(catalogue) == before
    assert not Area.objects.filter(name="Nytt område").exists()


def test_a_name_twice_in_the_file_and_several_problems_on_one_line(world: Any) -> None:
    rows = _csv("area;competence;category;nkr_level\nA;Samme;;\nB;samme;;\n;;feil;1\n")
    with pytest.raises(ImportValidationError) as caught:
        _import(world, rows)
    assert [(e.line, e.message) for e in caught.value.errors] == [
        (3, "The competence samme is also on line 2."),
        (4, "The area is missing."),
        (4, "The competence's name is missing."),
        (4, "Unknown category feil: write knowledge, skills or general competence."),
        (4, "1 is not an NKR level. Use 2, 3, 4A, 4B, 5.1, 5.2, 6, 7 or 8."),
    ]
    assert "Line 3:" in caught.value.errors[0].text


def test_problems_are_reported_in_the_users_language(world: Any) -> None:
    rows = _csv("area;competence\n;X\n")
    with translation.override("nb"), pytest.raises(ImportValidationError) as caught:
        _import(world, rows)
    with translation.override("nb"):
        expected = translation.gettext("The area is missing.")
    assert caught.value.errors[0].message == expected


def test_a_failure_while_writing_rolls_everything_back(world: Any, monkeypatch: Any) -> None:
    catalogue = world.extra_objects["catalogue"]
    before = _state(catalogue)
    original = services.competence_create
    calls = {"n": 0}

    def failing(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise services.ServiceError("boom")
        return original(**kwargs)

    monkeypatch.setattr(services, "competence_create", failing)
    rows = _csv("area;competence\nNytt;En\nNytt;To\n")
    with pytest.raises(services.ServiceError):
        _import(world, rows)
    assert _state(catalogue) == before
    assert not Area.objects.filter(catalogue=catalogue, name="Nytt").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "tom.csv", "The file is empty."),
        (b"navn;beskrivelse\nA;B\n", "feil.csv", "two of them must be area and competence"),
        (b"area;competence\n", "bare.csv", "no competences"),
        (b"area;competence\nA;B\n", "katalog.txt", "Only CSV"),
        (b"PK\x03\x04not really", "katalog.csv", "could not be read"),
    ],
)
def test_files_that_cannot_be_imported(world: Any, content: bytes, name: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        rows = imports.read_catalogue_file(io.BytesIO(content), name)
        _import(world, rows)


def test_only_admins_import(world: Any) -> None:
    rows = _csv("area;competence\nA;B\n")
    for role in ("leader", "coordinator", "employee"):
        with pytest.raises(PermissionDenied):
            imports.catalogue_import(
                actor=world.actor(role), catalogue=world.extra_objects["catalogue"], rows=rows
            )


def _rich_catalogue(world: Any) -> Catalogue:
    admin = world.actor("admin")
    catalogue = services.catalogue_create(actor=admin, organisation=world.organisation, name="Rundtur")
    first = services.area_create(actor=admin, catalogue=catalogue, name="Samtaler; og møter")
    second = services.area_create(actor=admin, catalogue=catalogue, name="Lovverk")
    for area, name, description, category, level in [
        (first, "Motiverende intervju", 'Spørsmål, "refleksjoner"\nog oppsummering', "skills", "6"),
        (first, "Dialogmøter", "=SUM(A1:A2) er ikke en formel", "general_competence", "5.1"),
        (second, "Forvaltningsloven", "- punkt én\n- punkt to", "knowledge", ""),
        (second, "Personvern", "", "knowledge", "4B"),
    ]:
        services.competence_create(
            actor=admin,
            area=area,
            data=services.CompetenceInput(
                name=name, description=description, category=category, nkr_level=level
            ),
        )
    return catalogue


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "nb", "sv"])
def test_export_then_import_round_trips(world: Any, kind: str, language: str) -> None:
    source = _rich_catalogue(world)
    with translation.override(language):
        data = imports.export_csv(source) if kind == "csv" else imports.export_xlsx(source)
        target = services.catalogue_create(actor=None, organisation=world.organisation, name="Mål")
        rows = imports.read_catalogue_file(io.BytesIO(data), f"eksport.{kind}")
        result = _import(world, rows, catalogue=target)
    assert (result.created, result.areas_created) == (4, 2)
    assert _state(target) == _state(source)
    assert list(target.areas.values_list("name", flat=True)) == ["Samtaler; og møter", "Lovverk"]
    # Importing the same file into the source changes nothing.
    with translation.override(language):
        again = _import(
            world, imports.read_catalogue_file(io.BytesIO(data), f"eksport.{kind}"), catalogue=source
        )
    assert (again.created, again.updated, again.areas_created) == (0, 0, 0)


def test_the_export_keeps_spreadsheet_formulas_inert(world: Any) -> None:
    source = _rich_catalogue(world)
    text = imports.export_csv(source).decode("utf-8-sig")
    assert "'=SUM(A1:A2)" in text
    assert text.splitlines()[0] == "area;competence;description;category;nkr_level"
    # In the workbook the text is a text cell, marked to show as typed, never a formula.
    sheet = load_workbook(io.BytesIO(imports.export_xlsx(source))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    (formula_text,) = [cell for cell in cells if cell.value == "=SUM(A1:A2) er ikke en formel"]
    assert formula_text.data_type == "s" and formula_text.quotePrefix
    assert not any(cell.data_type == "f" for cell in cells)
