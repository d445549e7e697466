"""The gap overview at a level of detail: units at one level of the tree (each with everything below it,
each person once), areas or competences as columns, drill-down and the way back, names for one
competence at a time, and the figures from the stored summary (`selectors.overview`)."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from laera.competences.forms import gaps as gap_forms
from laera.competences.models import MappingRound, RoundFiguresState
from laera.competences.selectors import gaps as selectors
from laera.competences.services import catalogues, figures, progress
from laera.competences.views import gaps as gap_views
from laera.organisations import services as org
from laera.organisations.models import Unit
from laera.testing.shared import shared_data

from .gap_world import GapWorld, build_gap_world, commit_fixtures, english
from .test_complementary import _assert_not_computable, _numbers, _pair
from .test_privacy import _small_sub_unit

pytestmark = pytest.mark.django_db


gw = shared_data("gw", build_gap_world)


def _build(gw: GapWorld) -> None:
    for round in (gw.round, gw.before):
        for source in selectors.Source:
            figures.figures_ensure_current(round, source=source)


def _rows(html: str) -> dict[str, list[tuple[int, int] | None]]:
    rows = _numbers(html)
    rows.pop("Unit", None)
    return {
        " ".join(name.split()).replace(" :", ":"): [_pair(c) for c in cells] for name, cells in rows.items()
    }


def test_the_admin_opens_at_the_top_and_drills_down_and_back(gw: GapWorld, client_for: Any) -> None:
    """The test organisation has two top units: the admin sees both, opens the office, then Oppfølging."""
    _small_sub_unit(gw, gw.round)
    _build(gw)
    client = english(client_for("admin"))
    top = client.get(gw.url("gap_overview")).content.decode()
    rows = _rows(top)
    office = gw.world.top.name
    assert office in rows and "Oppfølging" not in rows  # the units below wait for a click
    link = re.search(rf'<a class="ds-link" href="(\?[^"]*unit={gw.world.top.pk}[^"]*)">', top)
    assert link, "the office's row opens the units below it"
    office_page = client.get(gw.url("gap_overview") + link.group(1).replace("&amp;", "&")).content.decode()
    rows = _rows(office_page)
    assert {"Oppfølging", "Mottak", "Småteam"} <= set(rows)
    assert f"{office}: members directly in it" not in rows  # nobody directly in the office is assessed
    # Oppfølging holds its own eight and the two-person team below it: ten people, each once.
    assert rows["Oppfølging"][0] == (6, 10)
    path = office_page[
        office_page.index('class="gap-level"') : office_page.index(
            "</nav>", office_page.index('class="gap-level"')
        )
    ]
    assert "All your units" in path and 'aria-current="page"' in path
    team = client.get(gw.url("gap_overview"), {"unit": gw.world.team.pk}).content.decode()
    rows = _rows(team)
    assert rows["Oppfølging: members directly in it"][0] == (4, 8)
    assert "Ungdomsteam" in rows
    crumbs = team[team.index('class="gap-level"') : team.index("</nav>", team.index('class="gap-level"'))]
    assert f"unit={gw.world.top.pk}" in crumbs  # back up to the office


def test_a_person_in_two_units_counts_once_in_the_unit_above(gw: GapWorld, client_for: Any) -> None:
    org.membership_add(actor=None, unit=gw.world.other_team, person=gw.people["e5"])
    _build(gw)
    office = (
        english(client_for("admin")).get(gw.url("gap_overview"), {"unit": gw.world.top.pk}).content.decode()
    )
    rows = _rows(office)
    people = selectors.group_figures(
        gw.round,
        source="agreed",
        proficient=3,
        unit_ids=[gw.world.top.pk, gw.world.team.pk, gw.world.other_team.pk, gw.small.pk],
    )
    total = rows["All units shown"][0]
    assert total == (people[gw.competence.pk].below, people[gw.competence.pk].assessed)
    shown = [row[0] for name, row in rows.items() if name != "All units shown" and row[0]]
    assert rows["Småteam"][0] is None  # two people, hidden
    assert sum(a for _b, a in shown) + 2 == total[1] + 1  # e5 is in two of the rows, once in the total


def test_a_large_catalogue_opens_with_its_areas_and_drills_into_one(
    gw: GapWorld, client_for: Any, monkeypatch: Any
) -> None:
    """With more competences than fit as columns, each cell adds up an area's competences whose figures
    are shown; the area's heading opens its competences one by one."""
    monkeypatch.setattr(gap_forms, "COMPETENCES_AS_COLUMNS", 1)
    _build(gw)
    client = english(client_for("admin"))
    html = client.get(gw.url("gap_overview"), {"unit": gw.world.top.pk}).content.decode()
    assert "Heatmap: units and competence areas" in html
    rows = _rows(html)
    by_competence = (
        english(client_for("admin"))
        .get(gw.url("gap_overview"), {"unit": gw.world.top.pk, "area": gw.world.extra_objects["area"].pk})
        .content.decode()
    )
    competences = _rows(by_competence)
    for name, cells in rows.items():
        shown = [c for c in competences[name] if c is not None]
        if cells[0] is None:
            assert not shown, name
        else:
            assert cells[0] == (sum(b for b, _a in shown), sum(a for _b, a in shown)), name
    assert rows["Småteam"][0] is None  # both of its competences hidden: the area is too
    assert f"area={gw.world.extra_objects['area'].pk}" in html
    assert "Back to all competence areas" in by_competence


def test_units_outside_what_one_may_see_are_refused(gw: GapWorld, client_for: Any, other_world: Any) -> None:
    leader = client_for("leader")
    assert leader.get(gw.url("gap_overview"), {"unit": gw.world.other_team.pk}).status_code == 403
    assert leader.get(gw.url("gap_overview"), {"unit": other_world.team.pk}).status_code == 404
    assert leader.get(gw.url("gap_overview"), {"unit": "x"}).status_code == 200  # ignored: the default


def test_another_leader_cannot_work_out_the_small_team_from_their_top_level(
    gw: GapWorld, client_for: Any
) -> None:
    """The leader of Mottak sits in Oppfølging's working group: at their top level the rows are Mottak and
    Oppfølging with everything below it, where the hidden two-person team hides inside the row."""
    _small_sub_unit(gw, gw.round)
    org.working_group_member_add(actor=None, unit=gw.world.team, person=gw.world.people["other_leader"])
    _build(gw)
    html = english(client_for("other_leader")).get(gw.url("gap_overview")).content.decode()
    rows = _rows(html)
    assert set(rows) == {"Mottak", "Oppfølging", "All units shown"}
    total = rows.pop("All units shown")
    assert rows["Oppfølging"][0] is None  # 10 people, but 8 of them shown a level down: 2 by subtraction
    _assert_not_computable(rows, total, {"Ungdomsteam": 2})
    assert "All your units" in html


def test_names_for_one_competence_only_when_asked(gw: GapWorld, client_for: Any) -> None:
    _build(gw)
    client = english(client_for("leader"))
    plain = client.get(gw.url("gap_overview")).content.decode()
    assert "Person e1" not in plain
    assert f"who={gw.competence.pk}" in plain
    named = client.get(gw.url("gap_overview"), {"who": gw.competence.pk}).content.decode()
    assert 'id="who-heading"' in named and "Person e1" in named
    coordinator = client_for("coordinator").get(gw.url("gap_overview"), {"who": gw.competence.pk})
    assert coordinator.status_code == 200 and "Person e1" not in coordinator.content.decode()


def test_the_page_says_when_the_figures_are_being_updated(gw: GapWorld, client_for: Any) -> None:
    _build(gw)
    client = english(client_for("admin"))
    assert "being updated" not in client.get(gw.url("gap_overview")).content.decode()
    # A change of memberships whose rebuild has not run yet (it runs after the writing transaction).
    org.membership_add(actor=None, unit=gw.world.other_team, person=gw.people["e5"])
    html = client.get(gw.url("gap_overview"), {"unit": gw.world.top.pk}).content.decode()
    assert "The figures are being updated" in html
    built = RoundFiguresState.objects.get(round=gw.round, source="agreed").built_at
    with timezone.override(gw.world.organisation.time_zone), translation.override("en"):
        shown = date_format(timezone.localtime(built), "SHORT_DATETIME_FORMAT")
    assert f"These are the figures of {shown}." in html
    assert "Oppfølging" in _rows(html)  # the last figures built are still shown


def test_a_worker_rebuilds_the_figures_after_the_change_and_the_page_follows(
    gw: GapWorld, client_for: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With the database queue, a change of memberships queues one rebuild and returns: the page shows
    the last figures as being updated until a worker has run the rebuild."""
    commit_fixtures()
    _build(gw)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = english(client_for("admin"))
    with django_capture_on_commit_callbacks(execute=True):
        org.membership_add(actor=None, unit=gw.world.other_team, person=gw.people["e5"])
        org.membership_add(actor=None, unit=gw.world.other_team, person=gw.people["e4"])
    # One rebuild of the figures (and one of the rounds' progress) for both changes.
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        figures.figures_refresh_task.module_path,
        progress.progress_refresh_task.module_path,
    ]
    queued = DBTaskResult.objects.get(task_path=figures.figures_refresh_task.module_path)
    assert queued.args_kwargs["kwargs"] == {"organisation_id": gw.world.organisation.pk}
    page = {"unit": gw.world.top.pk}
    assert "The figures are being updated" in client.get(gw.url("gap_overview"), page).content.decode()
    task = queued.task
    task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])  # what a worker runs
    assert "being updated" not in client.get(gw.url("gap_overview"), page).content.decode()


def test_the_drill_down_pages_read_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    gw = build_gap_world(world)
    _build(gw)
    client = client_for("admin")
    pages = [
        {},
        {"unit": world.top.pk},
        {"unit": world.team.pk},
        {"unit": world.top.pk, "who": gw.competence.pk},
    ]

    def count(params: dict[str, Any]) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(gw.url("gap_overview"), params).status_code == 200
        return len(queries)

    before = [count(p) for p in pages]
    for u in range(3):
        unit = org.unit_create(
            actor=None, organisation=world.organisation, name=f"Mer {u}", parent=world.team
        )
        for i in range(4):
            org.person_create(
                actor=None,
                organisation=world.organisation,
                full_name=f"Ny {u}-{i}",
                email=f"ny{u}-{i}@levels.test",
                job_role=world.job_role,
                units=[unit],
            )
    other = catalogues.area_create(actor=None, catalogue=gw.competence.catalogue, name="Mer")
    catalogues.competence_create(
        actor=None, area=other, data=catalogues.CompetenceInput(name="Ny", category="knowledge")
    )
    _build(gw)
    assert [count(p) for p in pages] == before


def test_a_unit_with_units_below_names_who_could_teach_on_request(gw: GapWorld, client_for: Any) -> None:
    """A team's report names its people beside each competence; a larger unit's, for the competence asked
    for, so that the report of an office of thousands never ranks them all."""
    _build(gw)
    client = english(client_for("admin"))
    team = client.get(gw.url("unit_gaps", unit_id=gw.world.team.pk)).content.decode()
    assert "Could teach others:" in team and "Person e1" in team
    office_url = gw.url("unit_gaps", unit_id=gw.world.top.pk)
    office = client.get(office_url).content.decode()
    assert "Could teach others:" not in office and "Who could teach others?" in office
    named = client.get(office_url, {"who": gw.competence.pk}).content.decode()
    who = named[named.index('id="who-heading"') : named.index('id="report-heading"') + 2000]
    assert "Person e1" in who and "Motiverende intervju" in who


def test_a_large_catalogue_shows_one_area_of_people_at_a_time(
    gw: GapWorld, client_for: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(gap_forms, "COMPETENCES_AS_COLUMNS", 1)
    monkeypatch.setattr(gap_views, "GAPS_SHOWN", 1)
    _build(gw)
    html = english(client_for("leader")).get(gw.url("unit_gaps", unit_id=gw.world.team.pk)).content.decode()
    area = gw.world.extra_objects["area"].name
    assert f'The competences of <span lang="nb">{area}</span> are shown' in html or (
        f"The competences of {area} are shown" in html
    )
    assert "The first 1 of 2 competences are listed" in html
    # The spreadsheet keeps every competence.
    content = client_for("leader").get(gw.url("unit_gap_export", unit_id=gw.world.team.pk)).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    names = {row[2] for row in sheet.iter_rows(values_only=True) if row and len(row) > 2}
    assert {"Motiverende intervju", "Arbeidsrett"} <= names


def test_a_unit_with_units_below_shows_only_its_own_people_by_name(gw: GapWorld, client_for: Any) -> None:
    _build(gw)
    client = english(client_for("admin"))
    office = client.get(gw.url("unit_gaps", unit_id=gw.world.top.pk)).content.decode()
    people = office[office.index('id="people-heading"') :]
    assert "the people of the units below it are on each unit's own report" in people
    assert "Person e1" not in people and "Nobody directly in this unit has been assessed" in people
    team = client.get(gw.url("unit_gaps", unit_id=gw.world.team.pk)).content.decode()
    assert "Person e1" in team[team.index('id="people-heading"') :]


def test_the_people_of_a_team_are_shown_a_page_at_a_time(gw: GapWorld, client_for: Any) -> None:
    _build(gw)
    client = english(client_for("leader"))
    report = gw.url("unit_gaps", unit_id=gw.world.team.pk)
    first = client.get(report).content.decode()
    people = first[first.index('id="people-heading"') :]
    assert "Page" not in people and "Person e1" in people  # eight people: one page
    from laera.competences.selectors import gaps as gap_selectors

    heatmap = gap_selectors.people_heatmap(gw.world.actor("leader"), gw.world.team, gw.round, limit=3, page=2)
    assert (heatmap.total_people, heatmap.pages, heatmap.page, heatmap.first, heatmap.last) == (8, 3, 2, 4, 6)
    names = [row.name for row in heatmap.rows]
    assert names == sorted(names) and len(names) == 3
    last = gap_selectors.people_heatmap(gw.world.actor("leader"), gw.world.team, gw.round, limit=3, page=99)
    assert (last.page, last.first, last.last) == (3, 7, 8)


def test_who_could_teach_at_one_of_two_top_units_names_only_its_people(gw: GapWorld, client_for: Any) -> None:
    """The test organisation has two top units; an admin who opens one of them is shown the people of
    that one only."""
    _build(gw)
    client = english(client_for("admin"))
    root = Unit.objects.filter(organisation=gw.world.organisation, parent__isnull=True).exclude(
        pk=gw.world.top.pk
    )[0]
    html = client.get(gw.url("gap_overview"), {"unit": root.pk, "who": gw.competence.pk}).content.decode()
    assert "Person e1" not in html  # in the office, not under the other top unit
    office = client.get(gw.url("gap_overview"), {"unit": gw.world.top.pk, "who": gw.competence.pk})
    assert "Person e1" in office.content.decode()


@pytest.mark.parametrize("role", ["admin", "leader", "other_leader", "coordinator"])
def test_the_round_compared_with_is_read_for_its_total_only_and_gives_the_same_change(
    gw: GapWorld, role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The round compared with needs only the level's total (and the units' own figures for those who do
    not lead everything below): reading its rows too, as for the round shown, gives the same change."""
    from laera.competences.selectors import overview

    before = selectors.previous_round(gw.round)
    assert before is not None
    # A two-person team rated in the round compared with, and the leader of Mottak in Oppfølging's working
    # group: their total of that round must stay hidden against the teams' own figures.
    closed = {"closed_at": before.closed_at, "opens_on": before.opens_on, "deadline": before.deadline}
    today = timezone.localdate()
    MappingRound.objects.filter(pk=before.pk).update(closed_at=None, opens_on=today, deadline=today)
    _small_sub_unit(gw, MappingRound.objects.get(pk=before.pk))  # rated while it was open
    MappingRound.objects.filter(pk=before.pk).update(**closed)
    org.working_group_member_add(actor=None, unit=gw.world.team, person=gw.world.people["other_leader"])
    _build(gw)
    actor = gw.world.actor(role)
    columns = selectors.catalogue_columns(gw.round.catalogue_id)
    levels = [None, *(u for u in (gw.world.top, gw.world.team, gw.world.other_team) if actor.leads(u.pk))]

    def changes(level: Any) -> list[Any]:
        shown = overview.gap_overview(actor, gw.round, columns=columns, unit=level, compare=before)
        return [(g.column.competence.pk, g.before) for g in shown.gaps]

    found = {level: changes(level) for level in levels}
    assert any(before for pairs in found.values() for _pk, before in pairs), "some change is shown"
    with monkeypatch.context() as patch:
        patch.setattr(overview, "_read_total", lambda a, reader, frame: overview._read(a, reader, frame)[1])
        assert {level: changes(level) for level in levels} == found
