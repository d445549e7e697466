"""Importing people from HR-system exports: reading CSV and Excel, checking rows, all-or-nothing."""

from __future__ import annotations

import io
import re
from collections import deque
from pathlib import Path

import polib
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import translation
from openpyxl import Workbook

from laera.core.models import AuditEntry
from laera.core.permissions import Role
from laera.organisations import services
from laera.organisations.imports import (
    MAX_ROWS,
    ImportFileError,
    ImportValidationError,
    read_people_file,
    validate_people_rows,
)
from laera.organisations.models import JobRole, Membership, Person, Unit
from laera.organisations.services import people_import
from laera.organisations.tenancy import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English; the command tests choose their language with --language."""
    with translation.override("en"):
        yield


@pytest.fixture
def organisation():
    organisation, _admin, _password = services.organisation_create(
        name="NAV Røyken", admin_email="admin@example.org", admin_name="Ada Admin"
    )
    return organisation


@pytest.fixture
def admin(organisation):
    return Person.objects.get(organisation=organisation, email="admin@example.org")


def top_unit(organisation):
    return Unit.objects.get(organisation=organisation, parent=None)


def csv_file(text: str, *, encoding: str = "utf-8", bom: bool = False) -> io.BytesIO:
    data = text.encode(encoding)
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + data)


def xlsx_file(rows: list[list[object]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def read(text: str, **kwargs) -> list:
    return read_people_file(csv_file(text, **kwargs), "people.csv")


def import_text(organisation, text: str, actor=None):
    return people_import(actor=actor, organisation=organisation, rows=read(text))


def messages(organisation, text: str) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in validate_people_rows(organisation, read(text))]


# Reading ------------------------------------------------------------------------------------------


def test_reads_comma_separated_csv_with_english_headers():
    rows = read(
        "Name,Email,Job role,Units,Role\n"
        "Kari Nordmann,kari@example.org,Veileder,Oppfølging,leader\n"
        "\n"
        "Ola Nordmann,OLA@example.org,,,\n"
    )

    assert [(row.line, row.name, row.email) for row in rows] == [
        (2, "Kari Nordmann", "kari@example.org"),
        (4, "Ola Nordmann", "OLA@example.org"),
    ]
    assert rows[0].job_role == "Veileder"
    assert rows[0].units == ["Oppfølging"]
    assert rows[0].role == "leader"
    assert rows[1].units == [] and rows[1].role == ""


def test_reads_semicolon_csv_with_bom_nordic_headers_and_quoted_unit_list():
    rows = read(
        "Navn;E-post;Stillingstittel;Enheter;Rolle\r\n"
        'Kari Nordmann;kari@example.org;Veileder;"Team A; Team B";\r\n',
        bom=True,
    )

    assert len(rows) == 1
    assert rows[0].name == "Kari Nordmann"
    assert rows[0].email == "kari@example.org"
    assert rows[0].job_role == "Veileder"
    assert rows[0].units == ["Team A", "Team B"]


def test_reads_windows_encoded_csv():
    rows = read("namn;e-post\nÅsa Öberg;asa@example.org\n", encoding="cp1252")

    assert rows[0].name == "Åsa Öberg"


@pytest.mark.parametrize(
    "header",
    [
        "navn;epost;stilling;enhet;rolle",  # Norwegian
        "namn;e-post;befattning;avdelning;roll",  # Swedish
        "navn;e-mail;titel;enhed;rolle",  # Danish
        "NAME;E-MAIL;JOB_ROLE;TEAM;ROLE",
    ],
)
def test_accepts_header_names_in_the_nordic_languages(header):
    rows = read(f"{header}\nKari;kari@example.org;Veileder;Team A;leader\n")

    assert (rows[0].name, rows[0].email, rows[0].job_role, rows[0].units, rows[0].role) == (
        "Kari",
        "kari@example.org",
        "Veileder",
        ["Team A"],
        "leader",
    )


def test_reads_xlsx_first_sheet_with_line_numbers_skipping_blank_rows():
    buffer = xlsx_file(
        [
            ["Navn", "E-post", "Stilling", "Enhet", "Rolle"],
            ["Kari Nordmann", "kari@example.org", "Veileder", "NAV Røyken / Oppfølging", "Leder"],
            [None, None, None, None, None],
            ["Ola Nordmann", "ola@example.org", None, "Team A | Team B", None],
            ["Per Hansen", "per@example.org", 1234.0, None, None],
        ]
    )

    rows = read_people_file(buffer, "Ansatte.XLSX")

    assert [row.line for row in rows] == [2, 4, 5]
    assert rows[0].units == ["NAV Røyken / Oppfølging"]
    assert rows[1].units == ["Team A", "Team B"]
    assert rows[1].job_role == ""
    assert rows[2].job_role == "1234"


def test_unknown_file_type_is_refused():
    with pytest.raises(ImportFileError, match=r"\.xlsx"):
        read_people_file(io.BytesIO(b"whatever"), "people.xls")


def test_unreadable_xlsx_is_refused():
    with pytest.raises(ImportFileError, match="could not be read"):
        read_people_file(io.BytesIO(b"this is not a workbook"), "people.xlsx")


def test_workbook_saved_with_a_csv_name_is_refused():
    with pytest.raises(ImportFileError, match="could not be read"):
        read_people_file(xlsx_file([["name", "email"]]), "people.csv")


def test_missing_required_columns_are_named():
    with pytest.raises(ImportFileError) as excinfo:
        read("Fornavn;Stilling\nKari;Veileder\n")

    assert "name" in excinfo.value.messages[0]
    assert "e-mail" in excinfo.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(ImportFileError, match="empty"):
        read("\n \n")
    with pytest.raises(ImportFileError, match="no people"):
        read("name;email\n")


def test_too_many_rows_are_refused():
    text = "name;email\n" + "".join(f"P{n};p{n}@example.org\n" for n in range(MAX_ROWS + 1))

    with pytest.raises(ImportFileError, match="more than"):
        read(text)


# Checking -----------------------------------------------------------------------------------------


def test_valid_rows_have_no_errors(organisation):
    assert messages(organisation, "name,email\nKari,kari@example.org\n") == []


def test_every_problem_is_reported_with_its_line(organisation):
    errors = messages(
        organisation,
        "name;email;role\n"
        ";kari@example.org;\n"
        "Ola;not-an-address;\n"
        "Per;;boss\n"
        f"{'x' * 201};long@example.org;\n",
    )

    assert [line for line, _message in errors] == [2, 3, 4, 4, 5]
    assert "name is missing" in errors[0][1]
    assert "not-an-address is not a valid e-mail address" in errors[1][1]
    assert "e-mail address is missing" in errors[2][1]
    assert "Unknown role boss" in errors[3][1]
    assert "longer than 200" in errors[4][1]


def test_same_email_twice_is_reported_on_the_second_line_with_the_first(organisation):
    errors = messages(
        organisation, "name,email\nKari,kari@example.org\nOla,x@example.org\nK,KARI@example.org\n"
    )

    assert errors == [(4, "The e-mail address KARI@example.org is also on line 2.")]


def test_unknown_role_is_an_error(organisation):
    errors = messages(organisation, "name,email,role\nKari,kari@example.org,chief\n")

    assert len(errors) == 1 and errors[0][0] == 2
    assert "chief" in errors[0][1]


def test_ambiguous_unit_name_asks_for_the_path(organisation):
    top = top_unit(organisation)
    for parent_name in ("Avdeling Øst", "Avdeling Vest"):
        parent = services.unit_create(actor=None, organisation=organisation, name=parent_name, parent=top)
        services.unit_create(actor=None, organisation=organisation, name="Oppfølging", parent=parent)

    errors = messages(organisation, "name;email;units\nKari;kari@example.org;oppfølging\n")

    assert len(errors) == 1 and errors[0][0] == 2
    assert "several units called oppfølging" in errors[0][1]
    assert "NAV Røyken / Avdeling Vest / Oppfølging" in errors[0][1]


def test_empty_part_of_a_unit_path_is_an_error(organisation):
    errors = messages(organisation, "name;email;units\nKari;kari@example.org;NAV Røyken /  / Team A\n")

    assert len(errors) == 1 and "empty part" in errors[0][1]


def test_new_unit_name_with_several_top_units_asks_for_a_path(organisation):
    Unit.objects.create(organisation=organisation, name="Second top")

    errors = messages(organisation, "name;email;units\nKari;kari@example.org;Team A\n")

    assert len(errors) == 1 and "several top units" in errors[0][1]


def test_extra_cells_from_an_unquoted_separator_are_an_error(organisation):
    errors = messages(organisation, "name;email;units\nKari;kari@example.org;Team A;Team B\n")

    assert len(errors) == 1 and "double quotes" in errors[0][1]


# Importing ----------------------------------------------------------------------------------------


def test_import_creates_people_job_roles_units_and_memberships(organisation):
    result = import_text(
        organisation,
        "Navn;E-post;Stilling;Enhet;Rolle\n"
        "Kari Nordmann;Kari@Example.org;Veileder;NAV Røyken / Oppfølging / Team Nord;leader\n"
        "Ola Nordmann;ola@example.org;veileder;Oppfølging;\n"
        "Per Hansen;per@example.org;Rådgiver;Team Nord | Marked;external\n",
    )

    assert (result.created, result.updated, result.units_created, result.job_roles_created) == (3, 0, 3, 2)
    top = top_unit(organisation)
    follow_up = Unit.objects.get(organisation=organisation, name="Oppfølging")
    north = Unit.objects.get(organisation=organisation, name="Team Nord")
    market = Unit.objects.get(organisation=organisation, name="Marked")
    assert follow_up.parent == top and north.parent == follow_up and market.parent == top
    kari = Person.objects.get(organisation=organisation, email="kari@example.org")
    assert kari.role == Role.LEADER and kari.job_role.name == "Veileder"
    # No account is created or linked: each new person is invited to sign in.
    assert kari.user is None and kari.invitations.get().email == "kari@example.org"
    assert result.invitations == 3
    assert list(kari.units.all()) == [north]
    ola = Person.objects.get(organisation=organisation, email="ola@example.org")
    assert ola.role == Role.EMPLOYEE and ola.job_role == kari.job_role
    assert list(ola.units.all()) == [follow_up]
    per = Person.objects.get(organisation=organisation, email="per@example.org")
    assert per.role == Role.EXTERNAL
    assert set(per.units.all()) == {north, market}
    assert JobRole.objects.filter(organisation=organisation).count() == 2
    assert AuditEntry.objects.filter(organisation=organisation, action="people.import").count() == 1


def test_path_below_the_only_top_unit_may_leave_out_the_top(organisation):
    import_text(organisation, "name;email;units\nKari;kari@example.org;Oppfølging > Team Nord\n")

    north = Unit.objects.get(organisation=organisation, name="Team Nord")
    assert north.parent.name == "Oppfølging"
    assert north.parent.parent == top_unit(organisation)


def test_existing_unit_is_matched_by_name_anywhere_in_the_tree(organisation):
    top = top_unit(organisation)
    department = services.unit_create(actor=None, organisation=organisation, name="Avdeling Øst", parent=top)
    team = services.unit_create(actor=None, organisation=organisation, name="Team Nord", parent=department)

    result = import_text(organisation, "name;email;units\nKari;kari@example.org;team nord\n")

    assert result.units_created == 0
    assert Unit.objects.filter(organisation=organisation).count() == 3
    assert list(Person.objects.get(email="kari@example.org").units.all()) == [team]


def test_a_plain_name_finds_a_unit_created_by_a_path_on_a_later_line(organisation):
    result = import_text(
        organisation,
        "name;email;units\nOla;ola@example.org;Team Nord\nKari;kari@example.org;Oppfølging / Team Nord\n",
    )

    assert result.units_created == 2
    north = Unit.objects.get(organisation=organisation, name="Team Nord")
    assert north.parent.name == "Oppfølging"
    assert list(Person.objects.get(email="ola@example.org").units.all()) == [north]


def test_existing_person_is_updated_not_duplicated(organisation):
    top = top_unit(organisation)
    team = services.unit_create(actor=None, organisation=organisation, name="Team A", parent=top)
    kari = services.person_create(
        actor=None, organisation=organisation, full_name="Kari N.", email="kari@example.org", units=[team]
    )
    before = Person.objects.count()

    result = import_text(
        organisation,
        "name;email;job role;units;role\nKari Nordmann;KARI@example.org;Veileder;Team B;coordinator\n",
    )

    assert (result.created, result.updated) == (0, 1)
    assert Person.objects.count() == before
    kari.refresh_from_db()
    assert kari.full_name == "Kari Nordmann"
    assert kari.role == Role.COORDINATOR
    assert kari.job_role.name == "Veileder"
    assert {unit.name for unit in kari.units.all()} == {"Team A", "Team B"}  # Team A kept.


def test_empty_role_cell_keeps_an_existing_persons_role(organisation, admin):
    result = import_text(organisation, "name;email;role\nAda Admin;admin@example.org;\n")

    assert (result.updated, result.unchanged) == (0, 1)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_one_bad_row_imports_nothing(organisation):
    people, units, roles = Person.objects.count(), Unit.objects.count(), JobRole.objects.count()

    with pytest.raises(ImportValidationError) as excinfo:
        import_text(
            organisation,
            "name;email;job role;units\n"
            "Kari;kari@example.org;Veileder;Team A\n"
            "Ola;ola@@example.org;Veileder;Team B\n"
            "Per;per@example.org;Rådgiver;Team C\n",
        )

    assert [error.line for error in excinfo.value.errors] == [3]
    assert excinfo.value.messages == ["Line 3: ola@@example.org is not a valid e-mail address."]
    assert (Person.objects.count(), Unit.objects.count(), JobRole.objects.count()) == (people, units, roles)


def test_failure_while_writing_rolls_everything_back(organisation, monkeypatch):
    people, units = Person.objects.count(), Unit.objects.count()
    real_person_create = services.person_create

    def person_create(**kwargs):
        if kwargs["email"] == "per@example.org":
            raise services.ServiceError("Simulated clash")
        return real_person_create(**kwargs)

    monkeypatch.setattr(services, "person_create", person_create)

    with pytest.raises(ImportValidationError) as excinfo:
        import_text(
            organisation,
            "name;email;units\n"
            "Kari;kari@example.org;Team A\nOla;ola@example.org;Team B\nPer;per@example.org;\n",
        )

    assert excinfo.value.messages == ["Line 4: Simulated clash"]
    assert (Person.objects.count(), Unit.objects.count()) == (people, units)


def test_dry_run_counts_and_writes_nothing(organisation):
    people = Person.objects.count()

    result = people_import(
        actor=None,
        organisation=organisation,
        rows=read(
            "name;email;job role;units\nKari;kari@example.org;Veileder;A / B\nAda;admin@example.org;;\n"
        ),
        dry_run=True,
    )

    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)  # Ada's name changes.
    assert (result.units_created, result.job_roles_created) == (2, 1)
    assert Person.objects.count() == people


def test_only_an_admin_may_import(organisation, admin):
    employee = services.person_create(
        actor=None, organisation=organisation, full_name="Ola", email="ola@example.org"
    )

    with pytest.raises(PermissionDenied):
        import_text(organisation, "name;email\nKari;kari@example.org\n", actor=Actor(organisation, employee))

    result = import_text(
        organisation,
        "name;email;units\nKari;kari@example.org;Oppfølging / Team Nord\n",
        actor=Actor(organisation, admin),
    )
    assert result.created == 1 and result.units_created == 2
    entry = AuditEntry.objects.filter(organisation=organisation, action="person.create").latest("id")
    assert entry.actor == admin.user


def test_admin_cannot_remove_their_own_admin_role(organisation, admin):
    with pytest.raises(ImportValidationError) as excinfo:
        import_text(
            organisation,
            "name;email;role\nAda;admin@example.org;employee\n",
            actor=Actor(organisation, admin),
        )

    assert "own admin role" in excinfo.value.messages[0]


def test_the_last_admin_cannot_be_removed(organisation):
    with pytest.raises(ImportValidationError) as excinfo:
        import_text(organisation, "name;email;role\nAda Admin;admin@example.org;employee\n")

    assert excinfo.value.messages == [
        "Line 2: The organisation would have no admin left. Keep at least one person as admin."
    ]

    result = import_text(
        organisation,
        "name;email;role\nAda Admin;admin@example.org;employee\nBo Berg;bo@example.org;admin\n",
    )
    assert (result.created, result.updated) == (1, 1)


def test_a_large_csv_file_is_refused(settings):
    settings.LAERA_UPLOAD_MAX_BYTES = 100

    with pytest.raises(ImportFileError, match="larger than"):
        read("name;email\n" + "Kari;kari@example.org\n" * 10)


# Role names in the languages of Læra ---------------------------------------------------------------


@pytest.fixture
def role_translations(settings, tmp_path: Path):
    """Catalogs that translate "Leader" into Norwegian and Swedish, standing in for the real ones."""
    for language, leader in (("nb", "Leder"), ("sv", "Ledare")):
        catalog = polib.POFile()
        catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language}
        catalog.append(polib.POEntry(msgid="Leader", msgstr=leader))
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        catalog.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path]  # Resets Django's translation caches, here and afterwards.


@pytest.mark.parametrize("label", ["Leder", "ledare", "LEADER", "leader"])
def test_role_may_be_given_by_its_name_in_any_language(organisation, role_translations, label):
    import_text(organisation, f"navn;e-post;rolle\nKari;kari@example.org;{label}\n")

    assert Person.objects.get(email="kari@example.org").role == Role.LEADER


# The command --------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "people.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_command_imports_and_prints_counts(organisation, tmp_path):
    path = write(tmp_path, "Navn;E-post;Enhet\nKari;kari@example.org;Team A\nOla;ola@example.org;Team A\n")
    out = io.StringIO()

    call_command("import-people", path, "--org", organisation.slug, "--language", "en", stdout=out)

    assert Person.objects.filter(organisation=organisation).count() == 3
    assert "Imported 2 rows into NAV Røyken." in out.getvalue()
    assert "New people: 2" in out.getvalue()
    assert "New units: 1" in out.getvalue()


def test_command_reads_xlsx(organisation, tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx_file([["Name", "Email"], ["Kari", "kari@example.org"]]).getvalue())

    call_command("import-people", str(path), "--org", organisation.slug, stdout=io.StringIO())

    assert Person.objects.filter(email="kari@example.org").exists()


def test_command_reports_every_problem_in_english_and_imports_nothing(organisation, tmp_path):
    path = write(tmp_path, "name,email\nKari,kari@example.org\nOla,nope\nPer,kari@example.org\n")
    people = Person.objects.count()
    err = io.StringIO()

    with pytest.raises(CommandError) as excinfo:
        call_command(
            "import-people",
            path,
            "--org",
            organisation.slug,
            "--language",
            "en",
            stdout=io.StringIO(),
            stderr=err,
        )

    assert err.getvalue().splitlines() == [
        "Line 3: nope is not a valid e-mail address.",
        "Line 4: The e-mail address kari@example.org is also on line 2.",
    ]
    assert "Nothing was imported" in str(excinfo.value)
    assert Person.objects.count() == people


def test_command_errors_in_norwegian_keep_the_line_prefix(organisation, tmp_path):
    path = write(tmp_path, "navn;e-post\nKari;kari@example.org\nOla;nope\n")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import-people",
            path,
            "--org",
            organisation.slug,
            "--language",
            "nb",
            stdout=io.StringIO(),
            stderr=err,
        )

    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert re.match(r"^\w+ 3: \S", lines[0])  # "Line 3: ..." until translated, then "Linje 3: ...".


def test_command_dry_run_saves_nothing(organisation, tmp_path):
    path = write(tmp_path, "name,email\nKari,kari@example.org\n")
    out = io.StringIO()

    call_command(
        "import-people", path, "--org", organisation.slug, "--dry-run", "--language", "en", stdout=out
    )

    assert "Dry run" in out.getvalue() and "New people: 1" in out.getvalue()
    assert not Person.objects.filter(email="kari@example.org").exists()


def test_command_refuses_an_unknown_organisation(tmp_path):
    path = write(tmp_path, "name,email\nKari,kari@example.org\n")

    with pytest.raises(CommandError, match="no organisation with the short name nowhere"):
        call_command("import-people", path, "--org", "nowhere", "--language", "en")


def test_command_refuses_a_file_without_the_required_columns(organisation, tmp_path):
    path = write(tmp_path, "fornavn;etternavn\nKari;Nordmann\n")

    with pytest.raises(CommandError, match="columns are missing"):
        call_command("import-people", path, "--org", organisation.slug, "--language", "en")


# Size ---------------------------------------------------------------------------------------------


def test_two_thousand_people_import_with_a_bounded_number_of_queries_per_row(
    organisation, django_assert_max_num_queries, monkeypatch
):
    # Django logs at most 9,000 queries, which would cap the count below the limit; log them all.
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "queries_log", deque(maxlen=100_000))
    lines = ["name;email;job role;units;role"]
    for n in range(2000):
        role = "leader" if n % 100 == 0 else ""
        lines.append(
            f"Person {n};person{n}@example.org;Role {n % 40};Avdeling {n % 5} / Team {n % 50};{role}"
        )
    rows = read("\n".join(lines) + "\n")

    with django_assert_max_num_queries(2000 * 15) as captured:
        result = people_import(actor=None, organisation=organisation, rows=rows)
    assert len(captured) > 9000  # The whole import was counted (about nine queries a person).

    assert result.created == 2000
    assert result.job_roles_created == 40
    assert result.units_created == 5 + 50
    assert Membership.objects.filter(organisation=organisation).count() == 2000

    # A second run finds everyone: no new people, and the lookups stay a handful of queries.
    with django_assert_max_num_queries(20):
        again = people_import(actor=None, organisation=organisation, rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2000)


@pytest.mark.empty_database  # counts the organisations there are
@pytest.mark.django_db
def test_command_needs_no_org_when_there_is_only_one(tmp_path: Path) -> None:
    organisation, _admin, _password = services.organisation_create(
        name="NAV Eneste", admin_email="a@eneste.no"
    )
    path = tmp_path / "people.csv"
    path.write_text("name,email\nEn Person,en@eneste.no\n", encoding="utf-8")
    call_command("import-people", str(path), "--language", "en", stdout=io.StringIO())
    assert Person.objects.filter(organisation=organisation, email="en@eneste.no").exists()
    services.organisation_create(name="NAV Andre", admin_email="a@andre.no")
    with pytest.raises(CommandError, match="several organisations"):
        call_command("import-people", str(path), "--language", "en", stdout=io.StringIO())
