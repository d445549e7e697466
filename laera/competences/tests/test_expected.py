"""What is expected of me: the selector, its summary for the start page, and the competence start page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from laera.competences import selectors as package
from laera.competences.selectors.expected import expected_of_me, expected_of_me_summary
from laera.organisations.tenancy import Actor
from laera.testing.shared import shared_data

from .gap_world import GapWorld, build_gap_world, english, more_required

gaps = shared_data("gaps", build_gap_world)


def _actor(gaps: GapWorld, key: str) -> Actor:
    person = gaps.people[key]
    return Actor(organisation=person.organisation, person=person)


def test_expected_lists_required_levels_critical_first_with_both_ratings(gaps: GapWorld) -> None:
    with translation.override("en"):
        mine = expected_of_me(_actor(gaps, "employee"))
    assert [e.competence.name for e in mine] == ["Motiverende intervju", "Arbeidsrett"]
    critical, law = mine
    assert (critical.need.level, critical.need.importance) == (3, "critical")
    # Own rating 4 and the leader's 3, from the newest round: the leader's counts, which meets the level.
    assert (critical.self_level, critical.leader_level, critical.current, critical.below) == (4, 3, 3, False)
    assert (law.need.level, law.self_level, law.leader_level, law.below) == (2, 2, None, False)
    assert critical.required_label == "Can do it independently"


def test_summary_counts_what_is_below_and_the_rounds_to_answer(gaps: GapWorld) -> None:
    from laera.competences.models import RoundParticipant

    summary = expected_of_me_summary(_actor(gaps, "e3"))  # rated 1 where 3 is required (critical)
    assert (summary.required, summary.below, summary.critical_below, summary.unrated) == (2, 1, 1, 0)
    assert summary.rounds_to_answer == 0  # every competence answered: the round is done
    RoundParticipant.objects.filter(round=gaps.round, person=gaps.people["e3"]).update(submitted_at=None)
    summary = expected_of_me_summary(_actor(gaps, "e3"))
    assert summary.rounds_to_answer == 1
    assert summary.next_deadline == timezone.localdate() + datetime.timedelta(days=14)
    # The package-level entry point the start page calls gives the same.
    assert package.expected_of_me_summary(_actor(gaps, "e3")) == summary


def test_the_summary_counts_exactly_what_the_full_list_shows(gaps: GapWorld) -> None:
    """The start page's summary reads plain values, the competence page builds the list: for every person
    of the test world they must agree, number by number, and the summary must not read every row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from laera.competences.models import Importance

    checked = 0
    for key in gaps.people:
        actor = _actor(gaps, key)
        listed = expected_of_me(actor)
        with CaptureQueriesContext(connection) as queries:
            summary = expected_of_me_summary(actor)
        assert (summary.required, summary.below, summary.unrated, summary.critical_below) == (
            len(listed),
            sum(e.below for e in listed),
            sum(e.unrated for e in listed),
            sum(e.below and e.need.importance == Importance.CRITICAL for e in listed),
        ), key
        assert len(queries) <= 10, [q["sql"] for q in queries]
        checked += bool(listed)
    assert checked >= 10


def test_summary_for_someone_with_no_requirements_is_all_zero(gaps: GapWorld) -> None:
    from laera.core.permissions import Role
    from laera.organisations import services as org

    person = org.person_create(
        actor=None,
        organisation=gaps.world.organisation,
        full_name="Uten krav",
        email="none@gaps.test",
        role=Role.EMPLOYEE,
        units=[],
    )
    summary = expected_of_me_summary(Actor(organisation=person.organisation, person=person))
    assert (summary.required, summary.below, summary.unrated, summary.rounds_to_answer) == (0, 0, 0, 0)
    assert summary.next_deadline is None


def test_a_rating_never_given_counts_as_unrated(gaps: GapWorld) -> None:
    from laera.competences.models import Assessment

    Assessment.objects.filter(person=gaps.people["e2"], competence=gaps.law).update(self_level=None)
    summary = expected_of_me_summary(_actor(gaps, "e2"))
    assert summary.unrated == 1


@pytest.mark.parametrize(("role", "gap_link"), [("employee", False), ("leader", True), ("coordinator", True)])
def test_start_page_shows_what_is_expected_first(
    gaps: GapWorld, client_for: Any, role: str, gap_link: bool
) -> None:
    html = english(client_for(role)).get(gaps.url("home")).content.decode()
    expected = html.index('id="expected-heading"')
    assert expected < html.index('id="my-rounds-heading"')
    section = html[expected : html.index('id="my-rounds-heading"')]
    assert "What is expected of me" in section and "Motiverende intervju" in section
    assert "Your rating" in section and "Leader&#x27;s rating" in section or "Leader's rating" in section
    gaps_url = gaps.url("gap_overview")
    assert (gaps_url in html) is gap_link
    if gap_link:
        assert html.index(gaps_url) < expected  # a primary link at the top, not under "More"
        more = html[html.index('id="more-heading"') :]
        assert gaps_url not in more


def test_start_page_marks_a_level_below_the_requirement(gaps: GapWorld, client_for: Any) -> None:
    from django.test import Client

    client = Client()
    client.force_login(gaps.people["e3"].user)
    html = english(client).get(gaps.url("home")).content.decode()
    section = html[html.index('id="expected-heading"') : html.index('id="my-rounds-heading"')]
    assert "Below the required level" in section
    assert "2 competences have a level required of you" in section


def test_beyond_six_the_start_page_lists_every_competence_in_a_table(gaps: GapWorld, client_for: Any) -> None:
    more_required(gaps, 8)
    actor = _actor(gaps, "employee")
    everything = expected_of_me(actor)
    assert len(everything) > 6
    html = english(client_for("employee")).get(gaps.url("home")).content.decode()
    section = html[html.index('id="expected-heading"') : html.index('id="my-rounds-heading"')]
    # The first six as cards, the rest only in the table of every one of them, behind "Show all".
    assert section.count('class="laera-expected__item') == 6
    assert f"Show all ({len(everything)})" in section
    table = section[section.index("<table") : section.index("</table>")]
    assert table.count("<tr") == len(everything) + 1  # and the heading row
    assert [item.competence.name in table for item in everything] == [True] * len(everything)
    assert table.count("Not rated yet") == sum(item.unrated for item in everything) > 0
    rows = table.split("<tr")[2:]
    assert [('row--below"' in row) for row in rows] == [item.below for item in everything]
    assert 'class="laera-expected__item' not in table
