"""Importing people from an HR-system export (CSV or Excel workbook).

Three steps, usable one by one from a page or the command line:

* `read_people_file` turns the file into `PeopleRow`s, each with its line number in the file;
* `validate_people_rows` checks every row and reports every problem with its line;
* `services.people_import` writes everything in one transaction, or nothing when a single row is wrong.

This module only reads: `make_plan` works out what an import would change, and the service writes it.

People are matched on their e-mail address: someone already in the organisation is updated, everyone
else is added. Units are given by name (found anywhere in the tree) or by path from the top
(``NAV Røyken / Oppfølging``); units and job roles that do not exist yet are created. No one is linked
to an existing account: people who cannot sign in yet get an invitation by e-mail.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any, BinaryIO

from django.conf import settings
from django.contrib.auth.hashers import is_password_usable
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from laera.core import spreadsheets, uploads
from laera.core.errors import ServiceError
from laera.core.limits import excerpt, field_limit, text_problem
from laera.core.models import Job
from laera.core.permissions import Role
from laera.core.services.jobs import JobRefused
from laera.core.uploads import ImportFileError as ImportFileError
from laera.organisations.tenancy import Actor

from .models import Invitation, JobRole, Membership, Organisation, Person, Unit

MAX_ROWS = 20_000

# Column names as HR systems and people write them, in English and the Nordic languages. Compared
# after lower-casing and removing spaces, hyphens, underscores and full stops ("E-post" -> "epost").
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "fullname",
        "navn",
        "fulltnavn",
        "namn",
        "fulltnamn",
        "fullständigtnamn",
        "fuldtnavn",
        "fuldenavn",
    ),
    # A first and a last name column are joined into the name when there is no name column.
    "first_name": ("firstname", "givenname", "fornavn", "førenamn", "fornamn", "förnamn"),
    "last_name": ("lastname", "surname", "familyname", "etternavn", "etternamn", "efternamn", "efternavn"),
    "email": (
        "email",
        "emailaddress",
        "epost",
        "epostadresse",
        "epostadress",
        "mail",
        "mailadresse",
        "mailadress",
        "emailadresse",
        "emailadress",
        "mejl",
        "mejladress",
    ),
    "job_role": (
        "jobrole",
        "jobtitle",
        "position",
        "stilling",
        "stillingsnavn",
        "stillingsnamn",
        "stillingstittel",
        "stillingstitel",
        "stillingsbetegnelse",
        "befattning",
        "titel",
        "tittel",
        "jobbtittel",
        "jobbtitel",
        "yrkestittel",
        "yrkestitel",
    ),
    "units": (
        "units",
        "unit",
        "enhet",
        "enheter",
        "eining",
        "einingar",
        "avdeling",
        "avdelinger",
        "avdelingar",
        "avdelning",
        "avdelningar",
        "afdeling",
        "afdelinger",
        "team",
        "teams",
        "enhed",
        "enheder",
    ),
    "role": ("role", "rolle", "roll", "roleinlæra", "rolleilæra", "rollilæra", "lærarolle", "læraroll"),
}
REQUIRED_COLUMNS = ("name", "email")
COLUMN_ORDER = ("name", "email", "job_role", "units", "role")

# The column names of the template to download, in each language: each is one of the aliases above.
TEMPLATE_HEADINGS: dict[str, tuple[str, str, str, str, str]] = {
    "nb": ("Navn", "E-post", "Stilling", "Enheter", "Rolle i Læra"),
    "nn": ("Namn", "E-post", "Stilling", "Einingar", "Rolle i Læra"),
    "sv": ("Namn", "E-post", "Befattning", "Enheter", "Roll i Læra"),
    "da": ("Navn", "E-mail", "Stilling", "Enheder", "Rolle i Læra"),
    "en": ("Name", "E-mail", "Job role", "Units", "Role in Læra"),
}
# The example row's person, as an HR export in that country would name them.
_EXAMPLE_PEOPLE = {
    "nb": ("Kari Nordmann", "kari.nordmann@example.no"),
    "nn": ("Kari Nordmann", "kari.nordmann@example.no"),
    "sv": ("Anna Andersson", "anna.andersson@example.se"),
    "da": ("Mette Hansen", "mette.hansen@example.dk"),
    "en": ("Kari Nordmann", "kari.nordmann@example.no"),
}


def template_headings(language: str | None = None) -> tuple[str, str, str, str, str]:
    """The template's column names in `language` (the active one when None; English when unknown)."""
    code = (language or translation.get_language() or "en").split("-")[0]
    return TEMPLATE_HEADINGS.get(code, TEMPLATE_HEADINGS["en"])


def template_rows(organisation: Organisation, language: str | None = None) -> list[list[str]]:
    """The people import template: the column names in `language` and one example row, whose unit is
    one of the organisation's teams as a path from its top unit, and whose role is written as the language
    says it."""
    code = (language or translation.get_language() or "en").split("-")[0]
    code = code if code in TEMPLATE_HEADINGS else "en"
    name, email = _EXAMPLE_PEOPLE[code]
    # A team right under a top unit, written as a path, shows how paths work; else a top unit's name.
    team = (
        Unit.objects.for_org(organisation)
        .filter(parent__isnull=False, parent__parent__isnull=True)
        .select_related("parent")
        .order_by("parent__name", "name", "pk")
        .first()
    )
    if team is not None and team.parent is not None:
        units = f"{team.parent.name} / {team.name}"
    else:
        units = (
            Unit.objects.for_org(organisation).order_by("name", "pk").values_list("name", flat=True).first()
            or ""
        )
    job_role = (
        JobRole.objects.for_org(organisation).order_by("name", "pk").values_list("name", flat=True).first()
    )
    with translation.override(code):
        role = str(Role.EMPLOYEE.label)
    return [list(TEMPLATE_HEADINGS[code]), [name, email, job_role or "", units, role]]


# Several units in one cell: "Team A; Team B" or "Team A | Team B" (or one per line inside the cell).
_UNIT_LIST_SEPARATOR = re.compile(r"[;|\n]")
# Levels of a path: "NAV Røyken / Oppfølging" or "NAV Røyken > Oppfølging". A slash without spaces
# around it belongs to the name ("HR/Økonomi").
_PATH_SEPARATOR = re.compile(r"\s*>\s*|\s*(?:^|(?<=\s))/(?=\s|$)\s*")


@dataclass(frozen=True)
class RowError:
    """A problem with one line of the file; `message` is translated into the active language."""

    line: int
    message: str

    @property
    def text(self) -> str:
        """The problem as one line for the user: "Line 12: The e-mail address is missing."."""
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}

    def __str__(self) -> str:
        return self.text


class ImportValidationError(ServiceError):
    """One or more rows are wrong; nothing was written. `errors` lists every problem, by line."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        super().__init__([error.text for error in self.errors])


@dataclass
class PeopleRow:
    """One person as read from the file. Cells are stripped; `units` holds one name or path each."""

    line: int
    name: str
    email: str
    job_role: str = ""
    units: list[str] = field(default_factory=list)
    role: str = ""
    # Non-empty cells to the right of the last column name: usually an unquoted separator in a cell.
    extra_cells: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    units_created: int = 0
    job_roles_created: int = 0
    unchanged: int = 0
    invitations: int = 0  # sent (or, in a dry run, to be sent) to people who cannot sign in yet


# Reading the file ---------------------------------------------------------------------------------


def read_people_file(fileobj: BinaryIO, filename: str) -> list[PeopleRow]:
    """Read a CSV (comma or semicolon, UTF-8 or Windows encoding) or Excel (.xlsx) file of people.

    The first non-blank row names the columns; blank rows are skipped. Raises `ImportFileError`.
    """
    records = read_table(fileobj, filename)
    with contextlib.closing(records):
        return _rows_from_records(records)


def read_table(fileobj: BinaryIO, filename: str) -> Generator[tuple[int, list[str]]]:
    """The rows of a CSV or Excel (.xlsx) file as (line, cells), for every import in Læra.

    Read by `laera.core.uploads` within its limits (file size, unpacked size of a workbook, rows, cell
    length). Raises `ImportFileError` for other kinds of file and for files that cannot be read.
    """
    return uploads.read_table(fileobj, filename)


def _column_key(text: str) -> str:
    return re.sub(r"[\s_.\-]+", "", text.replace("\ufeff", "").lower())


def header_key(text: str) -> str:
    """A column name as the other imports compare it: lower case, without spaces, ``_.-`` or brackets."""
    return re.sub(r"[\s_.\-()]+", "", text.replace("\ufeff", "").lower())


def choice_labels(choices: Any) -> dict[str, str]:
    """Choice values and their labels in every language, lower-cased, to the value: an import accepts
    "ukentlig", "weekly" and "weekly" alike."""
    found: dict[str, str] = {}
    for value, _label in choices:
        found[str(value).lower()] = value
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices:
                found[str(label).lower()] = value
    return found


_ALIAS_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}


def template_csv(organisation: Organisation, language: str | None = None) -> bytes:
    """The template as semicolon-separated UTF-8 with a byte order mark, as Excel in the Nordic countries
    opens it, through the spreadsheet-safe writer."""
    return spreadsheets.csv_bytes(template_rows(organisation, language))


def template_xlsx(organisation: Organisation, language: str | None = None) -> bytes:
    """The template as an Excel workbook: bold, frozen column names and every cell text, written through
    the spreadsheet-safe writer."""
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    code = (language or translation.get_language() or "en").split("-")[0]
    with translation.override(code):
        sheet.title = _("People")[:31]
    for row in template_rows(organisation, language):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (28, 32, 24, 40, 18), strict=True):
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter]:
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    return spreadsheets.workbook_bytes(workbook)


def _column_label(column: str) -> str:
    labels = {
        "name": _("name"),
        "first_name": _("first name"),
        "last_name": _("last name"),
        "email": _("e-mail"),
        "job_role": _("job role"),
        "units": _("units"),
        "role": _("role"),
    }
    return labels[column]


def _read_header(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _ALIAS_TO_COLUMN.get(_column_key(cell))
        if column is None:
            continue  # Other columns (employee number, phone, ...) are ignored.
        if column in columns:
            raise ImportFileError(
                _("The columns %(first)s and %(second)s both give the %(column)s. Remove one of them.")
                % {"first": cells[columns[column]], "second": cell, "column": _column_label(column)}
            )
        columns[column] = index
    if "name" in columns:
        # A full name wins over its parts.
        columns.pop("first_name", None)
        columns.pop("last_name", None)
    missing = [
        _column_label(column)
        for column in REQUIRED_COLUMNS
        if column not in columns and not (column == "name" and "first_name" in columns)
    ]
    if missing:
        raise ImportFileError(
            _(
                "The first row must name the columns. These columns are missing: %(columns)s. "
                "The columns can be: %(expected)s (the last three may be left out)."
            )
            % {"columns": ", ".join(missing), "expected": ", ".join(template_headings())}
        )
    return columns


def split_units(cell: str) -> list[str]:
    """The unit references in a units cell, in order, without blanks or repeats."""
    seen: dict[str, str] = {}
    for part in _UNIT_LIST_SEPARATOR.split(cell):
        part = " ".join(part.split())
        if part and part.lower() not in seen:
            seen[part.lower()] = part
    return list(seen.values())


def _rows_from_records(records: Iterable[tuple[int, list[str]]]) -> list[PeopleRow]:
    columns: dict[str, int] | None = None
    width = 0
    rows: list[PeopleRow] = []
    for line, raw_cells in records:
        cells = [cell.strip() for cell in raw_cells]
        if not any(cells):
            continue
        if columns is None:
            columns, width = _read_header(cells), len(cells)
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s people. Split it into smaller files.") % {"max": MAX_ROWS}
            )

        values = {column: cells[index] if index < len(cells) else "" for column, index in columns.items()}
        rows.append(
            PeopleRow(
                line=line,
                name=" ".join(
                    values["name"].split()
                    if "name" in values
                    else [*values.get("first_name", "").split(), *values.get("last_name", "").split()]
                ),
                email=values["email"],
                job_role=" ".join(values.get("job_role", "").split()),
                units=split_units(values.get("units", "")),
                role=values.get("role", ""),
                extra_cells=[extra for extra in cells[width:] if extra],
            )
        )
    if columns is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has column names but no people."))
    return rows


# Checking the rows --------------------------------------------------------------------------------


class _RowProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(eq=False)
class _UnitNode:
    """A unit of the tree as it will be after the import: existing (`unit` set) or still to create."""

    name: str
    parent: _UnitNode | None
    unit: Unit | None = None
    line: int = 0

    def path(self) -> str:
        names: list[str] = []
        node: _UnitNode | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))


class _UnitTree:
    """The organisation's units, loaded once, and the units the import will create."""

    def __init__(self, units: Iterable[Unit]) -> None:
        units = list(units)
        nodes = {unit.pk: _UnitNode(name=unit.name, parent=None, unit=unit) for unit in units}
        self.children: dict[tuple[_UnitNode | None, str], _UnitNode] = {}
        self.by_name: dict[str, list[_UnitNode]] = defaultdict(list)
        self.tops: list[_UnitNode] = []
        self.new: list[_UnitNode] = []
        for unit in units:
            node = nodes[unit.pk]
            node.parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
            if unit.parent_id is None:
                self.tops.append(node)
            self.children.setdefault((node.parent, unit.name.lower()), node)
            self.by_name[unit.name.lower()].append(node)
        self.max_name_length = Unit._meta.get_field("name").max_length or 200

    def _child(self, parent: _UnitNode | None, name: str, line: int) -> _UnitNode:
        """The unit `name` directly below `parent`, planned for creation when missing."""
        if len(name) > self.max_name_length:
            raise _RowProblem(
                _("The unit name %(name)s is longer than %(max)s characters.")
                % {"name": excerpt(name), "max": self.max_name_length}
            )
        node = self.children.get((parent, name.lower()))
        if node is None:
            problem = text_problem(name, max_length=None)
            if problem is not None:
                raise _RowProblem(problem.message(_("The unit name")))
            node = _UnitNode(name=name, parent=parent, line=line)
            self.children[(parent, name.lower())] = node
            self.by_name[name.lower()].append(node)
            self.new.append(node)
        return node

    def _top_paths(self) -> str:
        return "; ".join(sorted(top.path() for top in self.tops))

    def resolve_path(self, reference: str, segments: list[str], line: int) -> _UnitNode:
        """A path from the top. With a single top unit, its name may be left out."""
        if any(not segment for segment in segments):
            example = " / ".join(segment for segment in segments if segment)
            raise _RowProblem(
                _("The unit path %(path)s has an empty part. Write it like %(example)s.")
                % {"path": reference, "example": example or " / ".join(top.name for top in self.tops[:1])}
            )
        first = segments[0].lower()
        matching_tops = [top for top in self.tops if top.name.lower() == first]
        node: _UnitNode | None
        if len(matching_tops) > 1:
            raise _RowProblem(
                _("There are several top units called %(name)s, so the path %(path)s is ambiguous.")
                % {"name": segments[0], "path": reference}
            )
        if matching_tops:
            node, rest = matching_tops[0], segments[1:]
        elif len(self.tops) == 1:
            node, rest = self.tops[0], segments
        elif not self.tops:
            node, rest = None, segments
        else:
            raise _RowProblem(
                _("The path %(path)s must start with one of the top units: %(units)s.")
                % {"path": reference, "units": self._top_paths()}
            )
        for segment in rest:
            node = self._child(node, segment, line)
        assert node is not None
        return node

    def resolve_name(self, name: str, line: int) -> _UnitNode:
        """A unit by name anywhere in the tree; a new unit below the top unit when there is none."""
        matches = self.by_name.get(name.lower(), [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            paths = sorted(match.path() for match in matches)
            raise _RowProblem(
                _("There are several units called %(name)s: %(paths)s. Write the path to the one you mean.")
                % {"name": name, "paths": "; ".join(paths)}
            )
        if len(self.tops) > 1:
            raise _RowProblem(
                _(
                    "There is no unit called %(name)s, and the organisation has several top units. "
                    "Write the path to where it belongs, starting with one of: %(units)s."
                )
                % {"name": name, "units": self._top_paths()}
            )
        return self._child(self.tops[0] if self.tops else None, name, line)


def role_lookup() -> dict[str, str]:
    """Role codes and role names in every language of Læra (lower case), to the role code."""
    lookup = {str(code).lower(): str(code) for code in Role.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in Role.choices:
                lookup.setdefault(" ".join(str(label).lower().split()), str(code))
    return lookup


@dataclass(eq=False)
class PlannedPerson:
    row: PeopleRow
    email: str
    role: str | None  # None: the cell was empty
    job_role_key: str  # lower case; "" for none
    units: list[_UnitNode]
    existing: Person | None = None


@dataclass
class ImportPlan:
    errors: list[RowError]
    people: list[PlannedPerson]
    tree: _UnitTree
    job_roles: dict[str, JobRole]
    new_job_roles: dict[str, tuple[str, int]]  # lower name -> (name as written, first line)
    memberships: set[tuple[int, int]]  # (person id, unit id) of existing people

    def changes(self, planned: PlannedPerson) -> bool:
        """Whether importing this row changes the existing person it matches."""
        person = planned.existing
        assert person is not None
        if planned.row.name != person.full_name:
            return True
        if planned.role and planned.role != person.role:
            return True
        if planned.job_role_key:
            job_role = self.job_roles.get(planned.job_role_key)
            if job_role is None or job_role.pk != person.job_role_id:
                return True
        return any(
            node.unit is None or (person.pk, node.unit.pk) not in self.memberships for node in planned.units
        )

    def result(self) -> ImportResult:
        result = ImportResult(units_created=len(self.tree.new), job_roles_created=len(self.new_job_roles))
        for planned in self.people:
            if planned.existing is None:
                result.created += 1
            elif self.changes(planned):
                result.updated += 1
            else:
                result.unchanged += 1
        return result


def make_plan(organisation: Organisation, rows: list[PeopleRow], actor: Actor | None) -> ImportPlan:
    """Check every row against the organisation as it is now, loaded with a handful of queries."""
    errors: list[RowError] = []
    tree = _UnitTree(Unit.objects.for_org(organisation).order_by("pk"))
    job_roles = {role.name.lower(): role for role in JobRole.objects.for_org(organisation)}
    existing_people: dict[str, Person] = {}
    admins: set[int] = set()  # Active admins, to keep at least one.
    for person in Person.objects.for_org(organisation).order_by("pk"):
        if person.email:
            existing_people.setdefault(person.email.lower(), person)
        if person.role == Role.ADMIN and person.is_active:
            admins.add(person.pk)
    demoting_rows: list[PeopleRow] = []
    new_admins = 0
    memberships = set(Membership.objects.for_org(organisation).values_list("person_id", "unit_id"))
    roles = role_lookup()
    name_limit = field_limit(Person, "full_name")
    email_max = Person._meta.get_field("email").max_length or 254
    job_role_limit = field_limit(JobRole, "name")
    first_line_of_email: dict[str, int] = {}
    new_job_roles: dict[str, tuple[str, int]] = {}
    people: list[PlannedPerson] = []
    plain_names: list[tuple[PlannedPerson, str]] = []

    def error(row: PeopleRow, message: str) -> None:
        errors.append(RowError(line=row.line, message=message))

    for row in rows:
        if row.extra_cells:
            error(
                row,
                _(
                    "The row has more cells than the first row has column names. Put cells that "
                    "contain the separator (; or ,) in double quotes."
                ),
            )
        if not row.name:
            error(row, _("The name is missing."))
        for message in name_limit.errors(row.name, field=_("The name")):
            error(row, message)

        email = row.email.strip().lower()
        if not email:
            error(row, _("The e-mail address is missing."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                error(row, _("%(email)s is not a valid e-mail address.") % {"email": excerpt(row.email)})
            else:
                if len(email) > email_max:
                    error(
                        row, _("The e-mail address is longer than %(max)s characters.") % {"max": email_max}
                    )
            if email in first_line_of_email:
                error(
                    row,
                    _("The e-mail address %(email)s is also on line %(line)s.")
                    % {"email": excerpt(row.email), "line": first_line_of_email[email]},
                )
            else:
                first_line_of_email[email] = row.line

        role: str | None = None
        if row.role.strip():
            role = roles.get(" ".join(row.role.lower().split()))
            if role is None:
                error(
                    row,
                    _("Unknown role %(role)s. Use one of: %(roles)s.")
                    % {"role": excerpt(row.role), "roles": ", ".join(str(label) for label in Role.labels)},
                )

        job_role_key = row.job_role.lower()
        job_role_problems = job_role_limit.errors(row.job_role, field=_("The job role"))
        for message in job_role_problems:
            error(row, message)
        if not job_role_problems and job_role_key and job_role_key not in job_roles:
            new_job_roles.setdefault(job_role_key, (row.job_role, row.line))

        existing = existing_people.get(email) if email else None
        if existing is not None and existing.pk in admins and role is not None and role != Role.ADMIN:
            admins.discard(existing.pk)
            if actor is not None and existing.pk == actor.person.pk:
                error(row, _("You cannot remove your own admin role."))
            else:
                demoting_rows.append(row)
        elif role == Role.ADMIN and (existing is None or existing.is_active):
            new_admins += 1

        planned = PlannedPerson(
            row=row, email=email, role=role, job_role_key=job_role_key, units=[], existing=existing
        )
        people.append(planned)
        # Paths first, for every row, so that a plain name finds the units paths create whatever the
        # order of the rows.
        for reference in row.units:
            segments = [" ".join(part.split()) for part in _PATH_SEPARATOR.split(reference)]
            if len(segments) == 1:
                plain_names.append((planned, reference))
                continue
            try:
                planned.units.append(tree.resolve_path(reference, segments, row.line))
            except _RowProblem as problem:
                error(row, problem.message)

    if demoting_rows and not admins and not new_admins:
        for row in demoting_rows:
            error(row, _("The organisation would have no admin left. Keep at least one person as admin."))

    for planned, reference in plain_names:
        try:
            planned.units.append(tree.resolve_name(reference, planned.row.line))
        except _RowProblem as problem:
            error(planned.row, problem.message)

    for planned in people:  # The same unit given twice (by name and by path) counts once.
        planned.units = list(dict.fromkeys(planned.units))
        planned.units.sort(key=lambda node: node.path().lower())

    errors.sort(key=lambda row_error: row_error.line)
    return ImportPlan(
        errors=errors,
        people=people,
        tree=tree,
        job_roles=job_roles,
        new_job_roles=new_job_roles,
        memberships=memberships,
    )


def validate_people_rows(
    organisation: Organisation, rows: list[PeopleRow], *, actor: Actor | None = None
) -> list[RowError]:
    """Every problem in every row, by line. People already in the organisation are not problems."""
    return make_plan(organisation, rows, actor).errors


def existing_to_invite(plan: ImportPlan, organisation: Organisation) -> list[Person]:
    """People in the file already in the organisation who cannot sign in yet and have no open
    invitation: no account, or an account without a password. Two queries, whatever the size."""
    can_sign_in = {
        person_id
        for person_id, password in Person.objects.for_org(organisation)
        .filter(user__isnull=False)
        .values_list("pk", "user__password")
        if is_password_usable(password)
    }
    invited = set(
        Invitation.objects.for_org(organisation)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .values_list("person_id", flat=True)
    )
    return [
        planned.existing
        for planned in plan.people
        if planned.existing is not None
        and planned.existing.is_active
        and planned.existing.email
        and planned.existing.pk not in can_sign_in
        and planned.existing.pk not in invited
    ]


# Imports in the background ------------------------------------------------------------------------


def job_actor(job: Job) -> Actor:
    """The person who started the job, acting in its organisation, as they are now (their role may have
    changed since); the job is refused when they have left."""
    starter = Person.objects.filter(
        organisation_id=job.organisation_id, is_active=True, pk=job.started_by_id or 0
    )
    person = starter.select_related("organisation").first()
    if person is None:
        raise JobRefused([], message=_("The person who started the import is no longer in the organisation."))
    return Actor(organisation=person.organisation, person=person)


def import_in_job(job: Job, run: Callable[[Actor], Any]) -> dict[str, Any]:
    """Run an import for its job as the person who started it: its problems by line end the job as
    refused, in their language, with nothing saved; the import's result (a dataclass) is the job's."""
    actor = job_actor(job)
    try:
        result = run(actor)
    except ImportValidationError as exc:
        raise JobRefused([{"line": error.line, "message": error.message} for error in exc.errors]) from exc
    except ServiceError as exc:
        raise JobRefused([], message=" ".join(exc.messages)) from exc
    return asdict(result) if is_dataclass(result) and not isinstance(result, type) else {"count": result}
