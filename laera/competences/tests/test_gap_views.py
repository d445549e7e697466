"""The gap analysis pages as each role: the overview, a unit's report, the profile, gaps sent on to the
input round, competences on learning outcomes, the threshold setting, and query counts."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laera.competences.models import GapSignal
from laera.plans.models import PlanStatus
from laera.plans.policies import PlanAction, plan_policy
from laera.testing.shared import shared_data

from .gap_world import GapWorld, build_gap_world, english

gaps = shared_data("gaps", build_gap_world)


def test_overview_shows_critical_gaps_first_and_the_change(gaps: GapWorld, client_for: Any) -> None:
    html = english(client_for("admin")).get(gaps.url("gap_overview")).content.decode()
    critical = html[html.index('id="critical-heading"') : html.index('id="heatmap-heading"')]
    assert critical.index("Motiverende intervju") >= 0
    assert "Arbeidsrett" not in critical  # nobody is below level 2 in it now
    assert "below −5" in critical  # 11 below in the round before, 6 now
    assert "Compared with Kartlegging høsten 2025" in re.sub(r"<[^>]+>", "", critical)
    assert "Download as spreadsheet" in html


def test_overview_future_view_and_area_filter(gaps: GapWorld, client_for: Any) -> None:
    client = english(client_for("admin"))
    html = client.get(gaps.url("gap_overview"), {"view": "future", "round": gaps.round.pk}).content.decode()
    critical = html[html.index('id="critical-heading"') : html.index('id="heatmap-heading"')]
    assert "Arbeidsrett" in critical  # everyone rated 2 against the level 3 needed by 2027
    assert "Change since the round before" not in critical  # the unticked box turns the change off
    from laera.competences.services import catalogues

    other = catalogues.area_create(actor=None, catalogue=gaps.competence.catalogue, name="Lover")
    html = client.get(gaps.url("gap_overview"), {"area": other.pk, "round": gaps.round.pk}).content.decode()
    numbers = html[html.index('id="numbers-heading"') :]
    assert "Motiverende intervju" not in numbers.split("</table>")[0]


def test_a_units_report_lists_the_competences_of_the_area_chosen(gaps: GapWorld, client_for: Any) -> None:
    from laera.competences.services import catalogues

    client = english(client_for("leader"))
    address = gaps.url("unit_gaps", unit_id=gaps.world.team.pk)
    report = client.get(address, {"round": gaps.round.pk}).context["report"]
    assert {g.column.competence.name for g in report} == {"Motiverende intervju", "Arbeidsrett"}
    area = gaps.competence.area
    chosen = client.get(address, {"round": gaps.round.pk, "area": area.pk}).context["report"]
    assert [g.column.competence.name for g in chosen] == [
        g.column.competence.name for g in report if g.column.area.pk == area.pk
    ]
    other = catalogues.area_create(actor=None, catalogue=gaps.competence.catalogue, name="Lover")
    assert client.get(address, {"round": gaps.round.pk, "area": other.pk}).context["report"] == []


def test_overview_with_an_unknown_round_falls_back_to_the_latest(gaps: GapWorld, client_for: Any) -> None:
    response = client_for("admin").get(gaps.url("gap_overview"), {"round": "999999", "source": "bogus"})
    assert response.status_code == 200
    assert "Kartlegging våren 2026 (alle)" in response.content.decode()


@pytest.mark.parametrize("source", ["self", "leader", "agreed"])
def test_the_source_changes_the_figures(gaps: GapWorld, client_for: Any, source: str) -> None:
    content = (
        client_for("admin").get(gaps.url("gap_export"), {"source": source, "round": gaps.round.pk}).content
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    team = next(row for row in sheet.iter_rows(min_row=6, values_only=True) if row[0] == "Oppfølging")
    # Own ratings: 4 of 8 below level 3; the leader rated two (3 and 4), under five people: suppressed.
    expected = {"self": 4, "leader": None, "agreed": 4}[source]
    assert team[1] == expected


def test_unit_report_sends_a_gap_to_the_input_round_and_withdraws_it(gaps: GapWorld, client_for: Any) -> None:
    client = english(client_for("leader"))
    page = gaps.url("unit_gaps", unit_id=gaps.world.team.pk)
    html = client.get(page).content.decode()
    assert "Send to input round" in html
    response = client.post(
        gaps.url("gap_signal_create"),
        {
            "competence": gaps.competence.pk,
            "round": gaps.round.pk,
            "unit": gaps.world.team.pk,
            "source": "agreed",
            "note": "Tema for våren",
            "next": page,
        },
    )
    assert response.status_code == 302 and response["Location"] == page
    signal = GapSignal.objects.get(round=gaps.round, unit=gaps.world.team)
    assert (signal.people_assessed, signal.people_below, signal.required_level) == (8, 4, 3)
    assert signal.importance == "critical" and signal.note == "Tema for våren"
    html = client.get(page).content.decode()
    assert 'data-color="success">Sent' in html
    listing = client.get(gaps.url("gap_signal_list")).content.decode()
    assert "4 of 8 below level 3" in listing
    assert client.get(gaps.url("gap_signal_withdraw", signal_id=signal.pk)).status_code == 405
    response = client.post(gaps.url("gap_signal_withdraw", signal_id=signal.pk))
    assert response.status_code == 302
    assert not GapSignal.objects.filter(pk=signal.pk).exists()


def test_sending_an_outside_next_url_goes_to_the_list(gaps: GapWorld, client_for: Any) -> None:
    response = client_for("leader").post(
        gaps.url("gap_signal_create"),
        {
            "competence": gaps.competence.pk,
            "round": gaps.round.pk,
            "unit": gaps.world.team.pk,
            "next": "https://evil.test/",
        },
    )
    assert response["Location"] == gaps.url("gap_signal_list")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 302),
        ("leader", 302),
        ("coordinator", 302),
        ("other_leader", 403),
        ("employee", 403),
        ("external", 403),
    ],
)
def test_who_may_send_a_gap_for_the_team(gaps: GapWorld, client_for: Any, role: str, status: int) -> None:
    response = client_for(role).post(
        gaps.url("gap_signal_create"),
        {"competence": gaps.competence.pk, "round": gaps.round.pk, "unit": gaps.world.team.pk},
    )
    assert response.status_code == status
    assert GapSignal.objects.filter(round=gaps.round).exists() is (status == 302)


def test_gap_signal_create_needs_post(gaps: GapWorld, client_for: Any) -> None:
    assert client_for("admin").get(gaps.url("gap_signal_create")).status_code == 405


@pytest.mark.parametrize(
    ("role", "status", "withdraw"),
    [
        ("admin", 200, 302),
        ("leader", 200, 302),
        ("coordinator", 200, 302),
        ("other_leader", 200, 403),
        ("employee", 403, 403),
        ("external", 403, 403),
    ],
)
def test_gap_signal_list_as_each_role(
    world: Any, client_for: Any, role: str, status: int, withdraw: int
) -> None:
    """The test world's signal is for Oppfølging: its leaders, coordinators and admins see and withdraw it."""
    client = client_for(role)
    response = client.get(
        reverse("competences:gap_signal_list", kwargs={"org_slug": world.organisation.slug})
    )
    assert response.status_code == status
    signal = world.extra_objects["signal"]
    if status == 200:
        assert ("Motiverende intervju" in response.content.decode()) is (role != "other_leader")
    target = reverse(
        "competences:gap_signal_withdraw",
        kwargs={"org_slug": world.organisation.slug, "signal_id": signal.pk},
    )
    assert client.post(target).status_code == withdraw


def test_a_signal_taken_up_cannot_be_withdrawn(world: Any, client_for: Any) -> None:
    signal = world.extra_objects["signal"]
    signal.input_round_id = 1
    signal.save()
    client = english(client_for("admin"))
    target = reverse(
        "competences:gap_signal_withdraw",
        kwargs={"org_slug": world.organisation.slug, "signal_id": signal.pk},
    )
    response = client.post(target, follow=True)
    assert "already taken this gap up" in response.content.decode()
    assert GapSignal.objects.filter(pk=signal.pk).exists()


# Competences on learning outcomes -------------------------------------------------------------------------


def _outcome_url(world: Any) -> str:
    return reverse(
        "competences:outcome_competences",
        kwargs={"org_slug": world.organisation.slug, "outcome_id": world.extra["outcome_id"]},
    )


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [
        ("admin", 200, 302),
        ("leader", 200, 302),
        ("coordinator", 200, 302),
        ("other_leader", 404, 404),
        ("employee", 404, 404),
        ("external", 404, 404),
    ],
)
def test_outcome_competences_on_a_draft_plan(
    world: Any, client_for: Any, role: str, get: int, post: int
) -> None:
    """A draft is seen only by those who plan for the unit; they link competences to its outcomes."""
    client = client_for(role)
    competence = world.extra_objects["competence"]
    assert client.get(_outcome_url(world)).status_code == get
    outcome = world.extra_objects["outcome"]
    assert (
        client.post(
            _outcome_url(world), {"competences": [competence.pk], "version": outcome.version}
        ).status_code
        == post
    )
    assert list(outcome.competences.all()) == ([competence] if post == 302 else [])


def test_linked_competences_show_on_the_plan_and_a_published_plan_is_read_only(
    world: Any, client_for: Any
) -> None:
    from laera.plans import services as evidence  # the link is plans' (it moved there)

    outcome = world.extra_objects["outcome"]
    competence = world.extra_objects["competence"]
    evidence.outcome_set_competences(actor=None, outcome=outcome, competences=[competence], version=None)
    plan = world.extra_objects["plan"]
    client = client_for("coordinator")
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Motiverende intervju" in html and _outcome_url(world) in html
    plan.status = PlanStatus.PUBLISHED
    plan.save()
    assert not plan_policy.allows(world.actor("coordinator"), PlanAction.EDIT, plan)  # was services.can_edit
    page = client.get(_outcome_url(world)).content.decode()
    assert 'name="competences"' not in page and "Motiverende intervju" in page
    assert client.post(_outcome_url(world), {"competences": []}).status_code == 403
    assert list(outcome.competences.all()) == [competence]
    employee = client_for("employee").get(_outcome_url(world))
    assert employee.status_code == 200 and 'name="competences"' not in employee.content.decode()


def test_outcome_competences_refuses_a_foreign_competence(
    world: Any, other_world: Any, client_for: Any
) -> None:
    foreign = other_world.extra_objects["competence"]
    response = english(client_for("admin")).post(_outcome_url(world), {"competences": [foreign.pk]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert world.extra_objects["outcome"].competences.count() == 0


# The organisation's setting and the person page -----------------------------------------------------------


def test_admin_sets_the_threshold_with_a_clear_error(world: Any, client_for: Any) -> None:
    client = english(client_for("admin"))
    target = reverse("organisations:settings", kwargs={"org_slug": world.organisation.slug})
    base = {
        "name": world.organisation.name,
        "default_language": "nb",
        "time_zone": "Europe/Oslo",
        "version": world.organisation.version,
    }
    for bad in ("0", "51", "x"):
        response = client.post(target, {**base, "privacy_threshold": bad})
        assert response.status_code == 200
        assert "Choose a number from 1 to 50." in response.content.decode()
    world.organisation.refresh_from_db()
    assert world.organisation.privacy_threshold == 5
    assert client.post(target, {**base, "privacy_threshold": "8"}).status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.privacy_threshold == 8


def test_the_service_refuses_a_threshold_out_of_range(world: Any) -> None:
    from laera.core.errors import ServiceError
    from laera.organisations import services

    with pytest.raises(ServiceError):
        services.organisation_update(
            actor=world.actor("admin"),
            name="X",
            default_language="nb",
            time_zone="Europe/Oslo",
            privacy_threshold=0,
            version=world.organisation.version,
        )


@pytest.mark.parametrize(
    ("viewer", "whose", "shown"),
    [
        ("admin", "employee", True),
        ("leader", "employee", True),
        ("employee", "employee", True),
        ("coordinator", "employee", False),
        ("other_leader", "employee", False),
        ("employee", "leader", False),
    ],
)
def test_person_page_links_the_profile_only_for_those_who_may_see_it(
    world: Any, client_for: Any, viewer: str, whose: str, shown: bool
) -> None:
    person = world.people[whose]
    html = (
        client_for(viewer)
        .get(
            reverse(
                "organisations:person_detail",
                kwargs={"org_slug": world.organisation.slug, "person_id": person.pk},
            )
        )
        .content.decode()
    )
    link = reverse(
        "competences:person_profile", kwargs={"org_slug": world.organisation.slug, "person_id": person.pk}
    )
    assert (link in html) is shown


def test_profile_shows_both_ratings_rounds_and_qualifications(gaps: GapWorld, client_for: Any) -> None:
    html = (
        english(client_for("leader"))
        .get(gaps.url("person_profile", person_id=gaps.world.people["employee"].pk))
        .content.decode()
    )
    assert html.index("Kartlegging våren 2026 (alle)") < html.index("Kartlegging høsten 2025")
    assert "Can guide others" in html and "Can do it independently" in html  # own 4, leader's 3
    assert "Førstehjelpskurs" in html and "expires soon" in html
    # The newest round is shown; an earlier one on request, with its change since the round before it.
    earlier = re.findall(r'href="\?round=(\d+)#round-\d+">Show the answers of this round', html)
    assert len(earlier) == 2 and "+1" not in html
    profile = gaps.url("person_profile", person_id=gaps.world.people["employee"].pk)
    opened = english(client_for("leader")).get(profile, {"round": earlier[0]}).content.decode()
    assert "+1" in opened  # 3 in the first round, 4 in the second
    # One round's answers at a time: the newest is a link now, beside the other earlier one.
    links = re.findall(r'href="\?round=(\d+)#round-\d+">Show the answers of this round', opened)
    newest = re.search(r'id="round-(\d+)"', html)
    assert newest is not None and sorted(links) == sorted([newest[1], earlier[1]])
    assert opened.count("<table") == html.count("<table")
    # A round that is not the person's (or no round at all) shows the newest, as without one.
    unknown = english(client_for("leader")).get(profile, {"round": "999999"}).content.decode()
    assert re.findall(r'href="\?round=(\d+)#round-\d+">Show the answers', unknown) == earlier


def test_beyond_a_screenful_a_profile_shows_one_area_at_a_time(
    gaps: GapWorld, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from laera.competences.selectors import catalogues as catalogue_selectors

    from .gap_world import law_below_required, row_version

    monkeypatch.setattr(catalogue_selectors, "COMPETENCES_AT_ONCE", 1)
    employee = gaps.world.people["employee"]
    law = law_below_required(gaps)
    assert row_version(gaps.round, employee, law) == 1
    client = english(client_for("leader"))
    address = gaps.url("person_profile", person_id=employee.pk)
    html = client.get(address).content.decode()
    newest = html[html.index(f'id="round-{gaps.round.pk}"') :]
    newest = newest[: newest.index("</section>")]
    # The first area with a competence below the requirement opens: Lover, with its one competence.
    assert "One competence area at a time" in newest
    assert '<span aria-current="page"><strong><span lang="nb">Lover</span></strong></span>' in newest
    assert "(1, 1 below the required level)" in newest
    table = newest[newest.index("<table") :]
    assert "Forvaltningsloven" in table and "Motiverende intervju" not in table
    # Another area by its link, which keeps the round.
    other = gaps.competence.area
    link = f"?round={gaps.round.pk}&amp;area={other.pk}#round-{gaps.round.pk}"
    assert f'href="{link}"' in newest
    chosen = client.get(address, {"round": gaps.round.pk, "area": other.pk}).content.decode()
    chosen = chosen[chosen.index(f'id="round-{gaps.round.pk}"') :]
    table = chosen[chosen.index("<table") : chosen.index("</table>")]
    assert "Motiverende intervju" in table and "Forvaltningsloven" not in table
    # An area that is not the round's opens the first with a gap, as without one.
    unknown = client.get(address, {"round": gaps.round.pk, "area": "999999"}).content.decode()
    assert "Forvaltningsloven" in unknown[unknown.index("<table") : unknown.index("</table>")]


# Query counts ---------------------------------------------------------------------------------------------


def _count(client: Any, target: str) -> int:
    client.get(target)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_query_counts_do_not_grow_with_the_data(world: Any, client_for: Any, role: str) -> None:
    small = build_gap_world(world)
    client = client_for(role)
    pages = [
        small.url("gap_overview"),
        small.url("unit_gaps", unit_id=world.team.pk),
        small.url("person_profile", person_id=world.people["employee"].pk),
        small.url("gap_export"),
    ]
    before = [_count(client, page) for page in pages]
    # More people in the team and more units, rated in both rounds.
    from laera.competences.services import rounds
    from laera.competences.tests import gap_world
    from laera.core.permissions import Role
    from laera.organisations import services as org

    for u in range(3):
        # New units beside the team, and more people in the team itself (whose report then counts more).
        unit = org.unit_create(actor=None, organisation=world.organisation, name=f"Mer {u}", parent=world.top)
        for i in range(6):
            person = org.person_create(
                actor=None,
                organisation=world.organisation,
                full_name=f"Ny {u}-{i}",
                email=f"ny{u}-{i}@gaps.test",
                job_role=world.job_role,
                role=Role.EMPLOYEE,
                units=[world.team] if i % 2 else [unit],
            )
            rounds.participants_sync(small.round)
            gap_world._rate(small.round, person, small.competence, 1 + i % 4)
            gap_world._rate(small.round, person, small.law, 2)
    after = [_count(client, page) for page in pages]
    assert after == before
