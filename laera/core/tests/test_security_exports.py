"""A formula payload in every name and title, through every spreadsheet export Læra has.

The exports are found by walking every URL of the project as an admin (and every format of the plan's
download), so an export added later is checked without editing this file: each response that is a
spreadsheet (CSV or XLSX, by content type, file name or content) must hold no formula cell, and the
payloads must still be there as text, exactly as they were written.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from laera.core.spreadsheets import csv_unescape, formula_like
from laera.testing.routes import Route, all_routes, route_url
from laera.testing.world import PASSWORD, World, url_objects

pytestmark = pytest.mark.django_db

# Exports that exist today (route name, format for the plan's download). The walk must find at least
# these, so that it cannot silently check nothing.
KNOWN_EXPORTS = {
    ("plans:plan_download", "xlsx"),
    ("competences:gap_export", ""),
    ("competences:unit_gap_export", ""),
    ("competences:catalogue_export_csv", ""),
    ("competences:catalogue_export_xlsx", ""),
}

# The ways a cell can start a formula or a DDE call: ASCII and full-width signs, after spaces, a tab.
TEMPLATES = (
    '=HYPERLINK("http://x.example/{key}","click")',
    "=cmd|' /C calc'!A0 {key}",
    "+1+cmd|' /C calc'!A0 {key}",
    "-2+3+cmd|' /C calc'!A0 {key}",
    "@SUM(1+1)*cmd|' /C calc'!A0 {key}",
    '\uff1dHYPERLINK("http://x.example/{key}") {key}',
    "  =1+1 {key}",
    "\t=1+1 {key}",
)


def _payload(index: int, key: str) -> str:
    return TEMPLATES[index % len(TEMPLATES)].format(key=f"#{key}#")


@dataclass
class FormulaWorld:
    world: World
    payloads: dict[str, str] = field(default_factory=dict)

    def rename(self, queryset: Any, **fields: str) -> None:
        """Give each column in `fields` the payload of its key, through the queryset (no form rules)."""
        for key in fields.values():
            self.payloads[key] = _payload(len(self.payloads), key)
        queryset.update(**{column: self.payloads[key] for column, key in fields.items()})


@pytest.fixture
def formula_world(world: World) -> FormulaWorld:
    from laera.competences.models import Area, Catalogue, Competence, MappingRound, Qualification
    from laera.mapping.models import Arena, KnowledgeFlow, Method
    from laera.organisations.models import JobRole, Organisation, Person, Unit
    from laera.plans.models import Activity, Outcome, Plan, Theme

    fw = FormulaWorld(world)
    extra = world.extra_objects
    fw.rename(Organisation.objects.filter(pk=world.organisation.pk), name="organisation")
    for key, unit in (("top-unit", world.top), ("team", world.team), ("other-team", world.other_team)):
        fw.rename(Unit.objects.filter(pk=unit.pk), name=key, description=f"{key}-description")
    for role, person in world.people.items():
        fw.rename(Person.objects.filter(pk=person.pk), full_name=f"person-{role}")
    fw.rename(JobRole.objects.filter(pk=world.job_role.pk), name="job-role")
    fw.rename(
        Arena.objects.filter(pk=extra["arena"].pk),
        name="arena",
        purpose="arena-purpose",
        participant_groups="arena-groups",
        responsible_external="arena-responsible",
    )
    fw.rename(Method.objects.filter(pk=extra["method"].pk), name="method")
    fw.rename(KnowledgeFlow.objects.filter(pk=extra["flow"].pk), activity="flow")
    fw.rename(Plan.objects.filter(pk=extra["plan"].pk), name="plan-name", title="plan-title")
    fw.rename(
        Theme.objects.filter(pk=extra["theme"].pk),
        title="theme",
        description="theme-description",
        why="theme-why",
    )
    fw.rename(Outcome.objects.filter(pk=extra["outcome"].pk), text="outcome")
    fw.rename(
        Activity.objects.filter(pk=extra["activity"].pk),
        responsible_external="activity-responsible",
        participants_text="activity-participants",
        time_text="activity-time",
    )
    fw.rename(Catalogue.objects.filter(pk=extra["catalogue"].pk), name="catalogue")
    fw.rename(Area.objects.filter(pk=extra["area"].pk), name="area")
    fw.rename(
        Competence.objects.filter(pk=extra["competence"].pk),
        name="competence",
        description="competence-description",
    )
    fw.rename(MappingRound.objects.filter(pk=extra["round"].pk), name="round")
    fw.rename(Qualification.objects.filter(pk=extra["qualification"].pk), name="qualification")
    return fw


# Reading what came back -----------------------------------------------------------------------------


@dataclass
class Sheet:
    """A spreadsheet response: its cells' texts as a person would see them, and its formula cells."""

    texts: list[str]
    formulas: list[str]


XLSX_TYPES = ("spreadsheetml", "ms-excel")


def _is_spreadsheet(response: Any) -> str:
    """ "xlsx", "csv" or "" for a response, by content type, file name or content."""
    content_type = response.get("Content-Type", "").lower()
    disposition = response.get("Content-Disposition", "").lower()
    if any(kind in content_type for kind in XLSX_TYPES) or re.search(r"\.xlsx?\"?$", disposition):
        return "xlsx"
    if "csv" in content_type or re.search(r"\.csv\"?$", disposition):
        return "csv"
    if getattr(response, "streaming", False):
        return ""
    content = response.content
    if content.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except zipfile.BadZipFile:
            return ""
        return "xlsx" if "xl/workbook.xml" in names else ""
    return ""


def _read_xlsx(content: bytes) -> Sheet:
    archive = zipfile.ZipFile(io.BytesIO(content))
    formulas: list[str] = []
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = archive.read(name).decode("utf-8")
            formulas += [f"{name}: {match}" for match in re.findall(r"<f[\s>/][^<]*", xml)]
    workbook = load_workbook(io.BytesIO(content))
    texts: list[str] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{sheet.title}!{cell.coordinate}: {cell.value}")
                elif isinstance(cell.value, str):
                    if formula_like(cell.value) and not cell.quotePrefix:
                        formulas.append(
                            f"{sheet.title}!{cell.coordinate} is not marked as text: {cell.value}"
                        )
                    texts.append(cell.value)
    return Sheet(texts=texts, formulas=formulas)


def _read_csv(content: bytes) -> Sheet:
    text = content.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    formulas: list[str] = []
    texts: list[str] = []
    for line, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        for cell in row:
            if formula_like(cell):
                formulas.append(f"line {line}: {cell}")
            texts.append(csv_unescape(cell))
    return Sheet(texts=texts, formulas=formulas)


# The walk -------------------------------------------------------------------------------------------


def _routes_with_urls(world: World) -> list[tuple[Route, str, str]]:
    """Every route the world has objects for, with each format of the plan's download."""
    from laera.plans.documents import FORMATS

    known = set(url_objects(world)) | {"org_slug"}
    found: list[tuple[Route, str, str]] = []
    for route in all_routes():
        if not set(route.kwargs) <= known:
            continue  # reached by a token or a code sent by e-mail, not an export
        formats = list(FORMATS) if "fmt" in route.kwargs else [""]
        for fmt in formats:
            values = {"fmt": fmt} if fmt else {}
            found.append((route, fmt, route_url(route, world, **values)))
    return found


def test_no_export_holds_a_formula_and_every_payload_stays_as_text(formula_world: FormulaWorld) -> None:
    world = formula_world.world
    client = Client()
    assert client.login(email=world.people["admin"].user.email, password=PASSWORD)
    exports: dict[tuple[str, str], Sheet] = {}
    for route, fmt, url in _routes_with_urls(world):
        response = client.get(url)
        kind = _is_spreadsheet(response) if response.status_code == 200 else ""
        if not kind:
            continue
        exports[(route.name, fmt)] = (
            _read_xlsx(response.content) if kind == "xlsx" else _read_csv(response.content)
        )

    missing = KNOWN_EXPORTS - set(exports)
    assert not missing, f"The walk did not find these spreadsheet exports: {sorted(missing)}"
    assert len(exports) >= len(KNOWN_EXPORTS)

    payloads = formula_world.payloads
    for (name, fmt), sheet in exports.items():
        assert sheet.formulas == [], f"{name} {fmt}: formula cells {sheet.formulas}"
        shown = [key for key in payloads if any(f"#{key}#" in text for text in sheet.texts)]
        assert shown, f"{name} {fmt} shows none of the payloads"
        for key in shown:
            # Where a cell shows a payload, it holds it exactly as written: nothing dropped or added.
            cells = [text for text in sheet.texts if f"#{key}#" in text]
            assert any(payloads[key] in text for text in cells), (name, fmt, key, cells)

    everything = [text for sheet in exports.values() for text in sheet.texts]
    for key in (
        "plan-title",
        "theme",
        "outcome",
        "arena",
        "method",
        "activity-participants",
        "activity-time",
        "team",
        "area",
        "competence",
        "competence-description",
    ):
        assert any(formula_world.payloads[key] in text for text in everything), f"{key} is in no export"


def test_the_payloads_are_real_formulas_without_the_writer() -> None:
    """The checks above find every payload when it is written as it is, without the shared writer."""
    from openpyxl import Workbook

    keys = [f"x{index}" for index in range(len(TEMPLATES))]
    workbook = Workbook()
    for index, key in enumerate(keys):
        workbook.active.append([_payload(index, key)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    found = _read_xlsx(buffer.getvalue()).formulas
    assert all(any(f"#{key}#" in formula for formula in found) for key in keys), found

    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";")
    for index, key in enumerate(keys):
        writer.writerow([_payload(index, key)])
    found = _read_csv(text.getvalue().encode("utf-8")).formulas
    assert all(any(f"#{key}#" in formula for formula in found) for key in keys), found
