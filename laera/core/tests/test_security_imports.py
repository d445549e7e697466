"""Hostile files through every import: over-long and control or direction characters in a cell, NUL
bytes, a workbook whose cell unpacks to 400 MB, millions of blank rows, files over the size limit,
JSON nested 100,000 deep, over-long JSON strings. Each must be refused with a clear message, fast,
with nothing saved — through the import pages, the services and the command line, on SQLite and on
PostgreSQL (where an over-long value or a NUL would otherwise fail the database write).
"""

from __future__ import annotations

import html
import io
import json
import resource
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from laera.core.uploads import DEFAULT_MAX_LINES, DEFAULT_UPLOAD_MAX_BYTES, MAX_CELL_LENGTH, OversizedUpload
from laera.organisations.imports import ImportFileError, ImportValidationError
from laera.testing import bombs
from laera.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024


@pytest.fixture(autouse=True)
def _english(world: World) -> Any:
    """Messages are checked in English, on the pages too."""
    for person in world.people.values():
        person.user.language = "en"
        person.user.save(update_fields=["language"])
    with translation.override("en"):
        yield


# The imports ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    """One import of Læra: its columns, a good row, how to count what it writes, and its three doors."""

    name: str
    header: list[str]
    good: list[str]
    second: list[str]
    url: Callable[[World], str]
    post: Callable[[World], dict[str, Any]]
    count: Callable[[World], int]
    run: Callable[[World, bytes, str], Any]

    def rows(self, name: str) -> list[list[str]]:
        """The header, a good row, and a row whose first cell is `name` (line 3)."""
        return [self.header, self.good, [name, *self.second]]


def _people_count(world: World) -> int:
    from laera.organisations.models import JobRole, Person, Unit

    org = world.organisation
    return sum(m.objects.filter(organisation=org).count() for m in (Person, Unit, JobRole))


def _people_run(world: World, data: bytes, filename: str) -> Any:
    from laera.organisations import imports, services

    rows = imports.read_people_file(io.BytesIO(data), filename)
    return services.people_import(actor=world.actor("admin"), organisation=world.organisation, rows=rows)


def _arena_count(world: World) -> int:
    from laera.mapping.models import Arena

    return Arena.objects.filter(unit__organisation=world.organisation).count()


def _arena_run(world: World, data: bytes, filename: str) -> Any:
    from laera.mapping import imports

    rows = imports.read_arena_file(io.BytesIO(data), filename)
    return imports.arenas_import(actor=world.actor("admin"), unit=world.team, rows=rows)


def _catalogue_count(world: World) -> int:
    from laera.competences.models import Area, Competence

    catalogue = world.extra_objects["catalogue"]
    return (
        Competence.objects.filter(catalogue=catalogue).count()
        + Area.objects.filter(catalogue=catalogue).count()
    )


def _catalogue_run(world: World, data: bytes, filename: str) -> Any:
    from laera.competences import imports

    rows = imports.read_catalogue_file(io.BytesIO(data), filename)
    return imports.catalogue_import(
        actor=world.actor("admin"), catalogue=world.extra_objects["catalogue"], rows=rows
    )


def _org_url(name: str, **kwargs: Any) -> Callable[[World], str]:
    def url(world: World) -> str:
        values = {key: value(world) for key, value in kwargs.items()}
        return reverse(name, kwargs={"org_slug": world.organisation.slug, **values})

    return url


IMPORTS = [
    Import(
        name="people",
        header=["name", "email", "job role", "units"],
        good=["Kari Nordmann", "kari@example.org", "Veileder", "Oppfølging"],
        second=["ola@example.org", "Veileder", "Oppfølging"],
        url=_org_url("organisations:people_import"),
        post=lambda world: {},
        count=_people_count,
        run=_people_run,
    ),
    Import(
        name="arenas",
        header=["name", "recurrence", "purpose"],
        good=["Fagmøte", "on demand", "Dele erfaringer"],
        second=["on demand", ""],
        url=_org_url("mapping:arena_import"),
        post=lambda world: {"unit": world.team.pk},
        count=_arena_count,
        run=_arena_run,
    ),
    Import(
        name="catalogue",
        header=["competence", "area", "description"],
        good=["Jobbsøk", "Metoder", "Hjelpe med jobbsøk"],
        second=["Metoder", ""],
        url=_org_url("competences:catalogue_import", catalogue_id=lambda w: w.extra_objects["catalogue"].pk),
        post=lambda world: {},
        count=_catalogue_count,
        run=_catalogue_run,
    ),
]


def _csv(rows: list[list[str]]) -> bytes:
    return "\r\n".join(";".join(cells) for cells in rows).encode("utf-8")


# The hostile files ----------------------------------------------------------------------------------

GENERIC_HEADER = ["name", "email", "competence", "area"]


@cache
def _cell_bomb() -> bytes:
    return bombs.xlsx_cell_bomb(GENERIC_HEADER, megabytes=400)


@cache
def _written_blank_rows() -> bytes:
    return bombs.xlsx_written_blank_rows(GENERIC_HEADER, 2_000_000)


@cache
def _sized_blank_rows() -> bytes:
    return bombs.xlsx_written_blank_rows(GENERIC_HEADER, 2_000_000, sized=True)


@dataclass(frozen=True)
class Hostile:
    """A file for an import, and what the refusal says (a row problem or a refusal of the whole file)."""

    name: str
    make: Callable[[Import], tuple[bytes, str]]
    message: str
    whole_file: bool


HOSTILE = [
    Hostile(
        "over-long name (CSV)",
        lambda imp: (_csv(imp.rows("N" * 10_000)), "file.csv"),
        "is longer than 200 characters",
        False,
    ),
    Hostile(
        "over-long name (XLSX)",
        lambda imp: (bombs.xlsx(imp.rows("N" * 10_000)), "file.xlsx"),
        "is longer than 200 characters",
        False,
    ),
    Hostile(
        "direction override",
        lambda imp: (_csv(imp.rows("Kari \u202egnirts")), "file.csv"),
        "changes the direction of the text (U+202E RIGHT-TO-LEFT OVERRIDE)",
        False,
    ),
    Hostile(
        "direction isolate (XLSX)",
        lambda imp: (bombs.xlsx(imp.rows("Kari \u2067x\u2069")), "file.xlsx"),
        "changes the direction of the text (U+2067 RIGHT-TO-LEFT ISOLATE)",
        False,
    ),
    Hostile(
        "control character",
        lambda imp: (_csv(imp.rows("Kari\x1b[31m")), "file.csv"),
        "contains a control character (U+001B)",
        False,
    ),
    Hostile("NUL byte", lambda imp: (_csv(imp.rows("Kari\x00")), "file.csv"), "could not be read", True),
    Hostile("cell bomb", lambda imp: (_cell_bomb(), "bomb.xlsx"), "unpacks to far more", True),
    Hostile(
        "two million blank rows (XLSX, rows left out)",
        lambda imp: (bombs.xlsx_blank_rows(GENERIC_HEADER, GENERIC_HEADER, 2_000_000), "blank.xlsx"),
        f"more than {DEFAULT_MAX_LINES} rows",
        True,
    ),
    Hostile(
        "two million blank rows (XLSX, rows written)",
        lambda imp: (_written_blank_rows(), "blank.xlsx"),
        f"more than {DEFAULT_MAX_LINES} rows",
        True,
    ),
    Hostile(
        "two million blank rows (XLSX, size stated)",
        lambda imp: (_sized_blank_rows(), "blank.xlsx"),
        f"more than {DEFAULT_MAX_LINES} rows",
        True,
    ),
    Hostile(
        "two million blank rows (CSV)",
        lambda imp: (bombs.csv_blank_rows(";".join(imp.header)), "blank.csv"),
        f"more than {DEFAULT_MAX_LINES} rows",
        True,
    ),
    Hostile(
        "a cell longer than any field (CSV)",
        lambda imp: (_csv([imp.header, imp.good, ["x" * (MAX_CELL_LENGTH + 1), *imp.good[1:]]]), "long.csv"),
        f"Line 3 has a cell longer than {MAX_CELL_LENGTH} characters",
        True,
    ),
    Hostile(
        "a cell longer than the CSV reader takes",
        lambda imp: (_csv([imp.header, ["x" * 200_000, *imp.good[1:]]]), "long.csv"),
        f"Line 2 has a cell longer than {MAX_CELL_LENGTH} characters",
        True,
    ),
    Hostile(
        "a cell longer than any field (XLSX)",
        lambda imp: (bombs.xlsx_long_cell(imp.header, 200_000), "long.xlsx"),
        f"a cell longer than {MAX_CELL_LENGTH} characters",
        True,
    ),
    Hostile(
        "a file over the size limit",
        lambda imp: (
            bombs.csv_of_size(";".join(imp.header), ";".join(imp.good), DEFAULT_UPLOAD_MAX_BYTES + 1),
            "big.csv",
        ),
        "larger than",
        True,
    ),
]


def _peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.name)
@pytest.mark.parametrize("imp", IMPORTS, ids=lambda i: i.name)
def test_the_service_refuses_and_saves_nothing(world: World, imp: Import, hostile: Hostile) -> None:
    data, filename = hostile.make(imp)
    before = imp.count(world)
    peak = _peak_megabytes()
    error = ImportFileError if hostile.whole_file else ImportValidationError
    with pytest.raises(error) as refused:
        imp.run(world, data, filename)
    assert any(hostile.message in message for message in refused.value.messages), refused.value.messages
    if not hostile.whole_file:
        assert [e.line for e in refused.value.errors] == [3]  # type: ignore[attr-defined]
    assert imp.count(world) == before
    # The refusal reads no more than a slice of the file: memory stays far below what it unpacks to.
    assert _peak_megabytes() - peak < 100


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.name)
@pytest.mark.parametrize("imp", IMPORTS, ids=lambda i: i.name)
def test_the_page_refuses_with_the_message_and_saves_nothing(
    world: World, imp: Import, hostile: Hostile
) -> None:
    data, filename = hostile.make(imp)
    client = Client()
    assert client.login(email=world.user("admin").email, password=PASSWORD)
    before = imp.count(world)
    response = client.post(imp.url(world), {**imp.post(world), "file": SimpleUploadedFile(filename, data)})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert hostile.message in page
    assert imp.count(world) == before


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("imp", IMPORTS, ids=lambda i: i.name)
def test_good_files_still_import(world: World, imp: Import, kind: str) -> None:
    """The same files with a good third row go through every import, as CSV and as XLSX."""
    rows = imp.rows("Ola Nordmann")
    data = _csv(rows) if kind == "csv" else bombs.xlsx(rows)
    before = imp.count(world)
    imp.run(world, data, f"file.{kind}")
    assert imp.count(world) > before


COLUMN_CASES = [
    (
        "people",
        ["name", "email", "job role", "units"],
        ["Kari", "kari@example.org", "J" * 121, "NAV Testby kontor / Ny \u202eenhet"],
        ["The job role is longer than 120 characters.", "The unit name contains an invisible character"],
    ),
    (
        "arenas",
        ["name", "purpose", "responsible", "participants"],
        ["Fagmøte", "Formål\u2066", "R" * 201, ", ".join(["Gruppe"] * 60)],
        [
            "The purpose contains an invisible character",
            "The responsible person is longer than 200 characters.",
            "The external groups among the participants is longer than 300 characters.",
        ],
    ),
    (
        "catalogue",
        ["area", "competence", "description"],
        ["A" * 201, "Jobbsøk", "Beskri\x07velse"],
        [
            "The area's name is longer than 200 characters.",
            "The description contains a control character (U+0007)",
        ],
    ),
]


@pytest.mark.parametrize(
    ("name", "header", "row", "messages"), COLUMN_CASES, ids=[c[0] for c in COLUMN_CASES]
)
def test_every_text_column_follows_the_rules(
    world: World, name: str, header: list[str], row: list[str], messages: list[str]
) -> None:
    imp = next(i for i in IMPORTS if i.name == name)
    before = imp.count(world)
    with pytest.raises(ImportValidationError) as refused:
        imp.run(world, _csv([header, row]), "file.csv")
    found = refused.value.messages
    assert all(any(message in text for text in found) for message in messages), found
    assert imp.count(world) == before


def test_an_upload_over_the_limit_is_not_kept(world: World, settings: Any) -> None:
    """Past the limit the upload handler keeps nothing, and the page says the file is too large."""
    settings.LAERA_UPLOAD_MAX_BYTES = 1000
    client = Client()
    assert client.login(email=world.user("admin").email, password=PASSWORD)
    imp = IMPORTS[0]
    data = bombs.csv_of_size(";".join(imp.header), ";".join(imp.good), 5000)
    response = client.post(imp.url(world), {"file": SimpleUploadedFile("people.csv", data)})
    page = html.unescape(response.content.decode())
    assert "The file is larger than 1000" in page
    upload = response.context["form"].files["file"]
    assert isinstance(upload, OversizedUpload) and upload.size > 1000


# The command line -----------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.name)
def test_import_people_refuses(world: World, hostile: Hostile, tmp_path: Path) -> None:
    imp = IMPORTS[0]
    data, filename = hostile.make(imp)
    path = tmp_path / filename
    path.write_bytes(data)
    before = imp.count(world)
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import-people", str(path), "--org", world.organisation.slug, "--language", "en", stderr=err
        )
    assert hostile.message in str(refused.value) + err.getvalue()
    assert imp.count(world) == before


def _plan_json(world: World) -> dict[str, Any]:
    from laera.documents.exchange import plan_to_json
    from laera.plans.documents import document_for
    from laera.plans.selectors import plan_tree_queryset

    plan = plan_tree_queryset().get(pk=world.extra_objects["plan"].pk)
    return json.loads(plan_to_json(document_for(plan)))


def _plans(world: World) -> int:
    from laera.plans.models import Plan

    return Plan.objects.filter(organisation=world.organisation).count()


def _with(data: dict[str, Any], path: str, value: Any) -> bytes:
    """`data` with the value at `path` ("themes.0.title") replaced, as JSON."""
    node = data
    *parents, last = path.split(".")
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[int(last) if last.isdigit() else last] = value
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


JSON_CASES: list[tuple[str, Callable[[dict[str, Any]], bytes], str]] = [
    ("nested 100,000 deep", lambda data: bombs.deep_json(100_000), "more than 32 levels deep"),
    (
        "deep inside a string does not count",
        lambda data: _with(data, "introduction", "[" * 100_000),
        "introduction: The text is longer than 20000 characters",
    ),
    ("a NUL byte", lambda data: _with(data, "title", "Plan").replace(b"Plan", b"Pl\x00an", 1), "NUL"),
    (
        "an escaped NUL",
        lambda data: _with(data, "title", "Pl\x00an"),
        "title: The text contains a control character",
    ),
    (
        "a direction override",
        lambda data: _with(data, "themes.0.title", "Tema \u202eevil"),
        "themes[0].title: The text contains an invisible character",
    ),
    (
        "a title longer than a plan's title may be",
        lambda data: _with(data, "title", "T" * 10_000),
        "title: The text is longer than 300 characters",
    ),
    (
        "a theme longer than a theme may be",
        lambda data: _with(data, "themes.0.title", "T" * 201),
        "themes[0].title: The text is longer than 200 characters",
    ),
    (
        "a line break in a one-line field",
        lambda data: _with(data, "name", "Våren\n2026"),
        "name: The text must be on one line",
    ),
    (
        "an activity's place longer than a place may be",
        lambda data: _with(data, "themes.0.outcomes.0.activities.0.arena", "A" * 201),
        "themes[0].outcomes[0].activities[0].arena: The text is longer than 200 characters",
    ),
    (
        "a string longer than any field",
        lambda data: _with(data, "leader", "L" * 30_000),
        "leader: The text is longer than 20000 characters",
    ),
    (
        "a file over the size limit",
        lambda data: _with(data, "introduction", "x" * 19_000)[:-1] + b" " * DEFAULT_UPLOAD_MAX_BYTES + b"}",
        "larger than",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_import_plan_refuses(world: World, case: str, make: Any, message: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(make(_plan_json(world)))
    before = _plans(world)
    with pytest.raises(CommandError) as refused:
        call_command("import-plan", str(path), "--org", world.organisation.slug, stdout=io.StringIO())
    assert message in str(refused.value)
    assert _plans(world) == before


@pytest.mark.parametrize(("case", "make", "message"), JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_the_plan_services_refuse(world: World, case: str, make: Any, message: str) -> None:
    from laera.core.errors import ServiceError
    from laera.documents.exchange import ExchangeError, plan_from_json
    from laera.plans.services import plan_import

    before = _plans(world)
    with pytest.raises((ExchangeError, ServiceError)) as refused:
        plan_import(actor=None, unit=world.team, doc=plan_from_json(make(_plan_json(world))))
    error = refused.value
    messages = error.errors if isinstance(error, ExchangeError) else error.messages
    assert any(message in text for text in messages), messages
    assert _plans(world) == before


def test_the_plan_file_as_exported_imports(world: World, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(json.dumps(_plan_json(world)).encode("utf-8"))
    before = _plans(world)
    call_command("import-plan", str(path), "--org", world.organisation.slug, stdout=io.StringIO())
    assert _plans(world) == before + 1
