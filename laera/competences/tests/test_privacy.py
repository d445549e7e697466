"""Privacy of the gap analysis, as each role: individual assessments only for the person, their leaders
and admins; group figures only for admins, leaders and coordinators of the units; groups under the
organisation's threshold suppressed in the page, the SVG, the numbers table and the XLSX export."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from django.test import Client

from laera.testing.shared import shared_data
from laera.testing.world import PASSWORD

from .gap_world import GapWorld, build_gap_world, english

gaps = shared_data("gaps", build_gap_world)


def _sheet_rows(content: bytes, sheet: int) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[sheet].iter_rows(values_only=True))


def _matrix(content: bytes) -> tuple[dict[str, tuple[Any, ...]], Any]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=6) if row[0].value}
    return {name: tuple(c.value for c in cells) for name, cells in rows.items()}, rows


def _table_row(html: str, label: str) -> str:
    """The <tr> of the numbers table whose row header holds `label`."""
    match = re.search(r'<table class="ds-table gap-numbers".*?</table>', html, re.S)
    assert match, "no numbers table"
    for row in re.findall(r"<tr>.*?</tr>|<tr class=\"gap-total\">.*?</tr>", match.group(0), re.S):
        if label in row:
            return str(row)
    raise AssertionError(f"no row for {label}")


def _svg(html: str, prefix: str = "units") -> str:
    match = re.search(rf'<svg[^>]*aria-labelledby="{prefix}-title.*?</svg>', html, re.S)
    assert match, "no SVG"
    return match.group(0)


# Individual assessments ---------------------------------------------------------------------------------

PROFILE_ACCESS = [
    # (viewer, whose profile, status)
    ("admin", "employee", 200),
    ("admin", "m1", 200),
    ("leader", "employee", 200),
    ("leader", "e1", 200),
    ("leader", "m1", 403),
    ("other_leader", "employee", 403),
    ("other_leader", "m1", 200),
    ("coordinator", "employee", 403),
    ("coordinator", "coordinator", 200),
    ("employee", "employee", 200),
    ("employee", "e1", 403),
    ("external", "employee", 403),
    ("external", "external", 200),
]


@pytest.mark.parametrize(("viewer", "whose", "status"), PROFILE_ACCESS)
def test_who_sees_a_persons_assessments(
    gaps: GapWorld, client_for: Any, viewer: str, whose: str, status: int
) -> None:
    person = gaps.people.get(whose) or gaps.world.people[whose]
    response = client_for(viewer).get(gaps.url("person_profile", person_id=person.pk))
    assert response.status_code == status
    if status == 200 and whose in ("employee", "e1"):
        assert "Motiverende intervju" in response.content.decode()


def test_another_organisations_user_gets_404_everywhere(gaps: GapWorld, other_world: Any) -> None:
    client = Client()
    assert client.login(email=other_world.people["admin"].user.email, password=PASSWORD)
    team = gaps.world.team.pk
    for name, kwargs in [
        ("gap_overview", {}),
        ("gap_export", {}),
        ("unit_gaps", {"unit_id": team}),
        ("unit_gap_export", {"unit_id": team}),
        ("person_profile", {"person_id": gaps.world.people["employee"].pk}),
        ("gap_signal_list", {}),
    ]:
        assert client.get(gaps.url(name, **kwargs)).status_code == 404, name
    # Their own organisation's pages with this organisation's ids: 404, never a 403 or a page.
    from django.urls import reverse

    for name, kwargs in [
        ("unit_gaps", {"unit_id": team}),
        ("person_profile", {"person_id": gaps.world.people["employee"].pk}),
        ("unit_gap_export", {"unit_id": team}),
    ]:
        target = reverse(f"competences:{name}", kwargs={"org_slug": other_world.organisation.slug, **kwargs})
        assert client.get(target).status_code == 404, name


# Group figures ------------------------------------------------------------------------------------------

GROUP_ACCESS = [
    ("admin", 200, 200, 200),
    ("leader", 200, 200, 403),
    ("other_leader", 200, 403, 200),
    ("coordinator", 200, 200, 403),
    ("employee", 403, 403, 403),
    ("external", 403, 403, 403),
]


@pytest.mark.parametrize(("role", "overview", "team", "other"), GROUP_ACCESS)
def test_who_sees_group_figures(
    gaps: GapWorld, client_for: Any, role: str, overview: int, team: int, other: int
) -> None:
    client = client_for(role)
    assert client.get(gaps.url("gap_overview")).status_code == overview
    assert client.get(gaps.url("gap_export")).status_code == overview
    assert client.get(gaps.url("unit_gaps", unit_id=gaps.world.team.pk)).status_code == team
    assert client.get(gaps.url("unit_gap_export", unit_id=gaps.world.team.pk)).status_code == team
    assert client.get(gaps.url("unit_gaps", unit_id=gaps.world.other_team.pk)).status_code == other


def test_leader_sees_only_own_units_rows(gaps: GapWorld, client_for: Any) -> None:
    html = english(client_for("leader")).get(gaps.url("gap_overview")).content.decode()
    numbers = re.search(r'<table class="ds-table gap-numbers".*?</table>', html, re.S)
    assert numbers is not None
    assert "Oppfølging" in numbers.group(0)
    assert "Mottak" not in numbers.group(0) and "Småteam" not in numbers.group(0)
    assert "4 of 8" in _table_row(html, "Oppfølging")


@pytest.mark.parametrize(
    ("role", "names_shown"),
    [("admin", True), ("leader", True), ("coordinator", False), ("other_leader", False)],
)
def test_who_could_teach_others_names_only_for_their_leaders(
    gaps: GapWorld, client_for: Any, role: str, names_shown: bool
) -> None:
    """Person e1 (Oppfølging) is above the requirement: their name is for their leaders and admins."""
    client = english(client_for(role))
    html = client.get(gaps.url("gap_overview"), {"who": gaps.competence.pk}).content.decode()
    hidden = html[html.index('id="hidden-heading"') :]
    assert ("Person e1" in hidden) is names_shown
    if role == "coordinator":
        assert "1 person" in hidden  # the count, without the name


@pytest.mark.parametrize(("role", "individual"), [("admin", True), ("leader", True), ("coordinator", False)])
def test_people_heatmap_only_for_the_units_leaders(
    gaps: GapWorld, client_for: Any, role: str, individual: bool
) -> None:
    html = english(client_for(role)).get(gaps.url("unit_gaps", unit_id=gaps.world.team.pk)).content.decode()
    assert ('aria-labelledby="people-title' in html) is individual
    assert ("own 4 / leader 3" in html) is individual
    assert ("Person e3" in html) is individual


def test_small_group_is_suppressed_in_page_svg_table_and_xlsx(gaps: GapWorld, client_for: Any) -> None:
    client = english(client_for("admin"))
    html = client.get(gaps.url("gap_overview"), {"unit": gaps.world.top.pk}).content.decode()
    small = _table_row(html, "Småteam")
    assert "fewer than 5 people" in small
    assert " of 2" not in small
    assert "1 of 2" not in html
    svg = _svg(html)
    assert "url(#units-hatch)" in svg
    assert "Fewer than 5 people: not shown" in svg
    # Mottak has exactly five: shown.
    assert "1 of 5" in _table_row(html, "Mottak")
    content = client.get(gaps.url("gap_export")).content
    values, cells = _matrix(content)
    assert values["Småteam"][1] is None and values["Småteam"][2] is None
    assert cells["Småteam"][1].comment is not None
    assert "fewer than 5" in cells["Småteam"][1].comment.text
    assert values["Mottak"][1] == 1
    assert values["Oppfølging"][1] == 4
    figures = [row for row in _sheet_rows(content, 1) if row and row[0] == "Småteam"]
    assert figures, "no figures for Småteam"
    for row in figures:
        assert all(value is None for value in row[5:13]), row
        assert row[13] == "fewer than 5"


def test_threshold_changes_take_effect(gaps: GapWorld, client_for: Any) -> None:
    organisation = gaps.world.organisation
    client = english(client_for("admin"))
    organisation.privacy_threshold = 2
    organisation.save()
    html = client.get(gaps.url("gap_overview"), {"unit": gaps.world.top.pk}).content.decode()
    assert "1 of 2" in _table_row(html, "Småteam")
    values, _cells = _matrix(client.get(gaps.url("gap_export")).content)
    assert values["Småteam"][1] == 1
    organisation.privacy_threshold = 9
    organisation.save()
    html = client.get(gaps.url("gap_overview"), {"unit": gaps.world.top.pk}).content.decode()
    assert "fewer than 9 people" in _table_row(html, "Oppfølging")
    assert "4 of 8" not in html
    assert "15" in _table_row(html, "All units shown")  # the whole organisation still shows
    values, _cells = _matrix(client.get(gaps.url("gap_export")).content)
    assert values["Oppfølging"][1] is None
    report = client.get(gaps.url("unit_gaps", unit_id=gaps.world.team.pk)).content.decode()
    assert "Fewer than 9 people: hidden to protect privacy" in report
    rows = _sheet_rows(client.get(gaps.url("unit_gap_export", unit_id=gaps.world.team.pk)).content, 0)
    data = [row for row in rows[4:] if row and row[0] == "Oppfølging"]
    assert data and all(row[5] is None and row[7] is None and row[13] == "fewer than 9" for row in data)


def test_suppressed_gap_is_sent_without_figures(gaps: GapWorld, client_for: Any) -> None:
    from laera.competences.models import GapSignal

    organisation = gaps.world.organisation
    organisation.privacy_threshold = 9
    organisation.save()
    client = client_for("leader")
    response = client.post(
        gaps.url("gap_signal_create"),
        {"competence": gaps.competence.pk, "round": gaps.round.pk, "unit": gaps.world.team.pk},
    )
    assert response.status_code == 302
    signal = GapSignal.objects.filter(round=gaps.round, unit=gaps.world.team).get()
    assert signal.people_assessed == 0 and signal.people_below == 0 and signal.average_level is None
    assert signal.required_level == 3


def test_coordinator_sees_no_individual_values_in_the_unit_export(gaps: GapWorld, client_for: Any) -> None:
    content = client_for("coordinator").get(gaps.url("unit_gap_export", unit_id=gaps.world.team.pk)).content
    text = " ".join(str(v) for row in _sheet_rows(content, 0) for v in row if v is not None)
    assert "Person e1" not in text and "Ansatt" not in text
    assert "Motiverende intervju" in text


def test_a_small_group_cannot_be_worked_out_from_the_total(gaps: GapWorld, client_for: Any) -> None:
    """The coordinator plans for Oppfølging and a new two-person team under it: the total less the
    Oppfølging row would give the small team's figures, so the total is suppressed for them (not for the
    admin, who may see every individual value anyway)."""
    from laera.competences.services import rounds
    from laera.core.permissions import Role
    from laera.organisations import services as org

    from .gap_world import _rate

    world = gaps.world
    sub = org.unit_create(actor=None, organisation=world.organisation, name="Ungdomsteam", parent=world.team)
    for i, level in enumerate((1, 1)):
        person = org.person_create(
            actor=None,
            organisation=world.organisation,
            full_name=f"Ung {i}",
            email=f"ung{i}@gaps.test",
            job_role=world.job_role,
            role=Role.EMPLOYEE,
            units=[sub],
        )
        rounds.participants_sync(gaps.round)
        _rate(gaps.round, person, gaps.competence, level)
    coordinator = english(client_for("coordinator"))
    html = coordinator.get(gaps.url("gap_overview")).content.decode()
    assert "4 of 8" in _table_row(html, "Oppfølging")
    total = _table_row(html, "All units shown")
    assert "6 of 10" not in total and "fewer than 5 people" in total
    values, _cells = _matrix(coordinator.get(gaps.url("gap_export")).content)
    assert values["All units shown"][1] is None
    admin = english(client_for("admin")).get(gaps.url("gap_overview")).content.decode()
    assert "8 of 17" in _table_row(admin, "All units shown")


def _report_row(html: str, competence: str) -> str:
    """The <tr> of the unit's gap report whose row header holds the competence's name."""
    match = re.search(r'<table class="ds-table gap-table".*?</table>', html, re.S)
    assert match, "no gap report"
    for row in re.findall(r"<tr[ >].*?</tr>", match.group(0), re.S):
        if competence in row and '<th scope="row">' in row:
            return str(row)
    raise AssertionError(f"no row for {competence}")


def _small_sub_unit(gaps: GapWorld, round: Any) -> Any:
    """A two-person team under Oppfølging, both rated 1 in Motiverende intervju (required 3) in `round`."""
    from laera.competences.services import rounds
    from laera.core.permissions import Role
    from laera.organisations import services as org

    from .gap_world import _rate

    world = gaps.world
    sub = org.unit_create(actor=None, organisation=world.organisation, name="Ungdomsteam", parent=world.team)
    for i in range(2):
        person = org.person_create(
            actor=None,
            organisation=world.organisation,
            full_name=f"Ung {i}",
            email=f"ung{i}@gaps.test",
            job_role=world.job_role,
            role=Role.EMPLOYEE,
            units=[sub],
        )
        rounds.participants_sync(round)
        _rate(round, person, gaps.competence, 1)
    return sub


def test_a_small_sub_unit_cannot_be_worked_out_from_the_unit_report(gaps: GapWorld, client_for: Any) -> None:
    """Oppfølging's report counts the people of the units below it too. With a two-person team under it,
    the report less the Oppfølging row of the heatmap would give the small team's figures: for the
    coordinator, who plans for Oppfølging but does not lead it, the report's figure is suppressed (page and
    export). The unit's leader, who may see every individual value, still gets the figures."""
    world = gaps.world
    _small_sub_unit(gaps, gaps.round)
    coordinator = english(client_for("coordinator"))
    overview = coordinator.get(gaps.url("gap_overview")).content.decode()
    assert "4 of 8" in _table_row(overview, "Oppfølging")  # the unit's own members, shown
    assert "fewer than 5 people" in _table_row(overview, "Ungdomsteam")
    report = coordinator.get(gaps.url("unit_gaps", unit_id=world.team.pk)).content.decode()
    row = _report_row(report, "Motiverende intervju")
    assert "Fewer than 5 people: hidden to protect privacy" in row
    assert "<td>10</td>" not in row and "<td>6</td>" not in row  # 10 assessed, 6 below: 2 of 2 by subtraction
    # Arbeidsrett was rated by Oppfølging's own members only: nothing to work out, so it is shown.
    assert "<td>8</td>" in _report_row(report, "Arbeidsrett")
    rows = _sheet_rows(coordinator.get(gaps.url("unit_gap_export", unit_id=world.team.pk)).content, 0)
    data = {row[2]: row for row in rows[4:] if row and row[0] == "Oppfølging"}
    assert data["Motiverende intervju"][5] is None and data["Motiverende intervju"][7] is None
    assert data["Motiverende intervju"][13] == "fewer than 5"
    assert data["Arbeidsrett"][5] == 8
    leader = english(client_for("leader")).get(gaps.url("unit_gaps", unit_id=world.team.pk)).content.decode()
    row = _report_row(leader, "Motiverende intervju")
    assert "<td>10</td><td>6</td>" in row and "hidden to protect privacy" not in row


def test_a_gap_sent_on_does_not_give_away_a_small_sub_unit(gaps: GapWorld, client_for: Any) -> None:
    """A gap sent to the input round keeps the figures of the page it was sent from: for the coordinator,
    Oppfølging's figures (10 people, 6 below) less its heatmap row (8 people, 4 below) would give the
    two-person team's, so the gap goes without figures, for the unit and for all their units alike."""
    from laera.competences.models import GapSignal
    from laera.competences.selectors import gaps as selectors

    world = gaps.world
    _small_sub_unit(gaps, gaps.round)
    coordinator = english(client_for("coordinator"))
    for unit in (world.team.pk, ""):
        response = coordinator.post(
            gaps.url("gap_signal_create"),
            {"competence": gaps.competence.pk, "round": gaps.round.pk, "unit": unit},
        )
        assert response.status_code == 302
    signals = list(GapSignal.objects.filter(round=gaps.round, competence=gaps.competence))
    assert {s.unit_id for s in signals} == {world.team.pk, None}
    for signal in signals:
        assert (signal.people_assessed, signal.people_below, signal.average_level) == (0, 0, None)
        assert signal.required_level == 3
    listing = coordinator.get(gaps.url("gap_signal_list")).content.decode()
    assert "6 of 10" not in listing and "the group is too small to show figures" in listing
    # Those who lead the unit may see every value behind the figures: theirs are not suppressed.
    for role in ("leader", "admin"):
        figures = selectors.gap_figures(world.actor(role), gaps.round, gaps.competence, unit=world.team)
        assert (figures.assessed, figures.below, figures.suppressed) == (10, 6, False)


def test_the_change_since_the_round_before_does_not_give_away_a_small_sub_unit(
    gaps: GapWorld, client_for: Any
) -> None:
    """The two-person team was rated in the round before only. That round's total (10 people, 8 below) is
    suppressed for the coordinator, since less its Oppfølging row (8 people, 6 below) it gives the team's
    figures; the change since that round would give it back from this round's total (8 people, 4 below),
    so the change is not shown either — on the page or in the export."""
    _small_sub_unit(gaps, gaps.before)
    coordinator = english(client_for("coordinator"))
    query = {"round": gaps.round.pk, "compare": "1"}
    before = coordinator.get(gaps.url("gap_overview"), {"round": gaps.before.pk}).content.decode()
    assert "6 of 8" in _table_row(before, "Oppfølging")
    assert "fewer than 5 people" in _table_row(before, "All units shown")
    html = coordinator.get(gaps.url("gap_overview"), query).content.decode()
    assert "4 of 8" in _table_row(html, "All units shown")  # this round's total is shown
    critical = html[html.index('id="critical-heading"') : html.index('id="heatmap-heading"')]
    assert "Motiverende intervju" in critical
    assert "below −4" not in critical and "fewer than 5" in critical
    content = coordinator.get(gaps.url("gap_export"), query).content
    total = next(
        row
        for row in _sheet_rows(content, 1)
        if row and row[0] == "All units shown" and row[2] == "Motiverende intervju"
    )
    assert total[5] == 8 and total[7] == 4
    assert total[11] is None and total[12] is None  # the change: not shown
    # The admin may see every value: the change shows.
    admin = english(client_for("admin")).get(gaps.url("gap_overview"), query).content.decode()
    critical = admin[admin.index('id="critical-heading"') : admin.index('id="heatmap-heading"')]
    assert "below −" in critical
