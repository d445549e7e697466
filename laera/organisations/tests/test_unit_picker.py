"""The unit picker (laera/organisations/widgets.py) and its search (`organisations:unit_search`).

An organisation with few units ticks them in a list; one with more than `UNIT_CHECKBOXES_UP_TO` gets the
picker, which renders only the units chosen and finds the others by a search among exactly those the field
accepts, so the arena, activity and round forms do not grow with the number of units.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from laera.competences.forms.rounds import RoundForm
from laera.mapping.forms import ArenaForm
from laera.mapping.models import Arena
from laera.organisations.forms import PersonForm
from laera.organisations.models import Unit
from laera.organisations.selectors import PERSON_SEARCH_LIMIT, UNIT_CHECKBOXES_UP_TO
from laera.organisations.widgets import UnitMultipleChoiceField, UnitMultiplePicker
from laera.plans.forms import ActivityForm
from laera.testing.browser import picker_matches
from laera.testing.world import World


def _url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": world.organisation.slug, **kwargs})


def english(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


def departments(world: World, count: int) -> list[Unit]:
    """`count` more units below the office, named "Avdeling 000" onwards, so that the organisation has more
    units than a list of checkboxes is kept for."""
    start = Unit.objects.filter(organisation=world.organisation, name__startswith="Avdeling ").count()
    return Unit.objects.bulk_create(
        Unit(organisation=world.organisation, parent=world.team.parent, name=f"Avdeling {start + n:03}")
        for n in range(count)
    )


def search(client: Client, world: World, query: str, **params: Any) -> Any:
    params.setdefault("field", "all")
    params.setdefault("name", "units")
    return client.get(
        _url(world, "organisations:unit_search"),
        {f"{params['name']}__q": query, **params},
        headers={"HX-Request": "true"},
    )


# The field: checkboxes for a few units, the picker for many ---------------------------------------------


def test_a_small_organisation_ticks_its_units_in_a_list(world: World) -> None:
    form = ArenaForm(actor=world.actor("coordinator"))
    field = form.fields["participant_units"]
    assert isinstance(field, UnitMultipleChoiceField) and not isinstance(field.widget, UnitMultiplePicker)
    html = str(form["participant_units"].as_field_group())
    units = Unit.objects.filter(organisation=world.organisation)
    assert html.count('type="checkbox"') == units.count() <= UNIT_CHECKBOXES_UP_TO
    assert all(f'value="{unit.pk}"' in html for unit in units)
    assert 'type="search"' not in html


def test_a_large_organisation_gets_the_picker_with_only_the_units_chosen(world: World) -> None:
    many = departments(world, UNIT_CHECKBOXES_UP_TO)
    form = ArenaForm(actor=world.actor("coordinator"), initial={"participant_units": [many[5]]})
    field = form.fields["participant_units"]
    assert isinstance(field.widget, UnitMultiplePicker)
    with translation.override("en"):
        html = str(form["participant_units"].as_field_group())
    # The chosen unit, named with the unit it is part of; no other unit, only a search box for them.
    assert f'name="participant_units" value="{many[5].pk}"' in html
    assert "Avdeling 005 (in NAV Testby kontor)" in html and "No unit is chosen." in html
    assert "Avdeling 006" not in html and world.team.name not in html
    assert re.search(r'<input type="search" name="participant_units__q"[^>]*hx-get="[^"]*field=all', html)
    assert "<legend" in html


def test_the_round_form_offers_an_admin_every_unit_and_a_leader_the_units_they_lead(world: World) -> None:
    departments(world, UNIT_CHECKBOXES_UP_TO)
    admin = RoundForm(actor=world.actor("admin"), creating=True)
    assert isinstance(admin.fields["units"].widget, UnitMultiplePicker)
    assert "field=led" in str(admin["units"].as_field_group())
    # The leader leads one unit: a list of one, as before.
    leader = RoundForm(actor=world.actor("leader"), creating=True)
    units: Any = leader.fields["units"]
    assert not isinstance(units.widget, UnitMultiplePicker)
    assert list(units.queryset) == [world.team]


def test_a_new_person_is_placed_by_an_admin_in_any_unit_and_by_a_leader_in_the_units_they_lead(
    world: World,
) -> None:
    many = departments(world, UNIT_CHECKBOXES_UP_TO)
    admin = PersonForm(actor=world.actor("admin"), creating=True)
    assert isinstance(admin.fields["units"].widget, UnitMultiplePicker)
    assert "field=led" in str(admin["units"].as_field_group())
    data = {"full_name": "Nina Ny", "role": "employee", "units": [many[3].pk, world.team.pk]}
    chosen = PersonForm(data=data, actor=world.actor("admin"), creating=True)
    assert chosen.is_valid(), chosen.errors
    assert set(chosen.cleaned_data["units"]) == {many[3], world.team}
    # The leader leads one unit: a list of one; another unit sent is refused.
    leader = PersonForm(actor=world.actor("leader"), creating=True)
    units: Any = leader.fields["units"]
    assert not isinstance(units.widget, UnitMultiplePicker) and list(units.queryset) == [world.team]
    refused = PersonForm(data={**data, "units": [many[3].pk]}, actor=world.actor("leader"), creating=True)
    assert not refused.is_valid() and refused.errors.as_data()["units"][0].code == "invalid_choice"
    # Editing a person leaves memberships to the person's page.
    assert (
        "units"
        not in PersonForm(actor=world.actor("admin"), creating=False, person=world.people["employee"]).fields
    )


def test_a_unit_the_field_does_not_offer_is_refused(world: World, other_world: World) -> None:
    departments(world, UNIT_CHECKBOXES_UP_TO)
    stranger = other_world.team
    activity = ActivityForm(data={"participant_units": [stranger.pk]}, actor=world.actor("admin"))
    assert not activity.is_valid()
    assert activity.errors.as_data()["participant_units"][0].code == "invalid_choice"
    # A leader starts rounds for the units they lead only, whatever they send.
    data = {"name": "x", "units": [world.other_team.pk], "opens_on": "2026-01-01", "deadline": "2026-01-31"}
    leader = RoundForm(data=data, actor=world.actor("leader"), creating=True)
    assert not leader.is_valid() and "units" in leader.errors
    admin = RoundForm(data={**data, "units": [stranger.pk]}, actor=world.actor("admin"), creating=True)
    assert not admin.is_valid() and admin.errors.as_data()["units"][0].code == "invalid_choice"


def test_a_chosen_unit_is_kept(world: World) -> None:
    many = departments(world, UNIT_CHECKBOXES_UP_TO)
    form = ActivityForm(data={"participant_units": [many[0].pk, world.team.pk]}, actor=world.actor("admin"))
    form.is_valid()
    assert "participant_units" not in form.errors
    assert set(form.cleaned_data["participant_units"]) == {many[0], world.team}


# The search ---------------------------------------------------------------------------------------------


def test_search_finds_by_part_of_the_name_sorted_by_name(world: World, client_for: Any) -> None:
    departments(world, 3)
    client = english(client_for("coordinator"))
    assert picker_matches(search(client, world, "avdeling 00")) == [
        "Avdeling 000 (in NAV Testby kontor)",
        "Avdeling 001 (in NAV Testby kontor)",
        "Avdeling 002 (in NAV Testby kontor)",
    ]
    answer = search(client, world, "følg")
    assert picker_matches(answer) == ["Oppfølging (in NAV Testby kontor)"]
    assert 'data-status id="id_units_count"' not in answer.content.decode()
    assert "1 unit found" in answer.content.decode()
    assert picker_matches(search(client, world, "kontor")) == [
        "NAV Testby kontor"
    ]  # the office, part of nothing


def test_search_is_capped_and_says_there_are_more(world: World, client_for: Any) -> None:
    departments(world, PERSON_SEARCH_LIMIT + 5)
    answer = search(english(client_for("admin")), world, "avdeling")
    assert len(picker_matches(answer)) == PERSON_SEARCH_LIMIT
    assert f"More than {PERSON_SEARCH_LIMIT} units found: type more of the name." in answer.content.decode()


def test_search_leaves_out_those_already_chosen(world: World, client_for: Any) -> None:
    many = departments(world, 3)
    answer = search(client_for("admin"), world, "avdeling", units=[many[0].pk, many[2].pk])
    assert [name.split(" (")[0] for name in picker_matches(answer)] == ["Avdeling 001"]


def test_search_stays_in_the_organisation(world: World, other_world: World, client_for: Any) -> None:
    answer = search(english(client_for("admin")), world, other_world.organisation.name)
    assert picker_matches(answer) == [] and "No unit matches." in answer.content.decode()
    assert other_world.team.name.encode() not in answer.content


def test_search_offers_only_what_the_field_offers(world: World, client_for: Any) -> None:
    client = english(client_for("leader"))
    # Every unit for arenas and activities; for rounds only the units the leader leads.
    assert len(picker_matches(search(client, world, "o", field="all"))) == 0  # one letter is too few
    assert picker_matches(search(client, world, "testby kontor", field="all")) == ["NAV Testby kontor"]
    assert picker_matches(search(client, world, "mottak", field="all")) == ["Mottak (in NAV Testby kontor)"]
    assert picker_matches(search(client, world, "mottak", field="led")) == []
    assert picker_matches(search(client, world, "følg", field="led")) == ["Oppfølging (in NAV Testby kontor)"]
    assert "No unit matches." in search(client, world, "mottak", field="led").content.decode()
    admin = english(client_for("admin"))
    assert picker_matches(search(admin, world, "mottak", field="led")) == ["Mottak (in NAV Testby kontor)"]


def test_search_without_enough_letters_gives_a_hint_and_no_list(world: World, client_for: Any) -> None:
    answer = search(english(client_for("admin")), world, " a ")
    html = answer.content.decode()
    assert "Type at least two letters of the unit&#x27;s name." in html and "<ul" not in html


@pytest.mark.parametrize(
    ("role", "params", "status"),
    [
        ("employee", {"field": "all"}, 200),
        ("external", {"field": "all"}, 403),
        ("admin", {"field": "nonsense"}, 404),
    ],
)
def test_search_is_authorised(
    role: str, params: dict[str, str], status: int, world: World, client_for: Any
) -> None:
    assert search(client_for(role), world, "testby", **params).status_code == status


def test_search_answers_only_get_and_opened_as_a_page_is_the_list_of_units(
    world: World, client_for: Any
) -> None:
    client = client_for("admin")
    assert client.post(_url(world, "organisations:unit_search"), {}).status_code == 405
    page = client.get(_url(world, "organisations:unit_search"), {"units__q": "mottak"})
    assert page.status_code == 302 and page["Location"] == _url(world, "organisations:unit_list")
    anonymous = Client().get(_url(world, "organisations:unit_search"), {"units__q": "mottak"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_search_queries_do_not_grow_with_the_organisation(world: World, client_for: Any) -> None:
    client = client_for("leader")
    counts = {}
    for field in ("all", "led"):
        search(client, world, "avdeling", field=field)
        with CaptureQueriesContext(connection) as small:
            search(client, world, "avdeling", field=field)
        counts[field] = len(small)
    departments(world, 300)
    for field, before in counts.items():
        with CaptureQueriesContext(connection) as large:
            answer = search(client, world, "avdeling", field=field)
        assert len(large) == before, [q["sql"] for q in large.captured_queries]
        assert len(answer.content) < 20_000


# Without JavaScript -------------------------------------------------------------------------------------


def test_without_javascript_a_typed_search_comes_back_as_choices(world: World, client_for: Any) -> None:
    many = departments(world, UNIT_CHECKBOXES_UP_TO)
    client = english(client_for("coordinator"))
    data = {
        "name": "Lunsjmøte",
        "unit": world.team.pk,
        "kind": "internal",
        "recurrence": "on_demand",
        "participant_units__q": "avdeling 007",
    }
    response = client.post(_url(world, "mapping:arena_create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Arena.objects.filter(name="Lunsjmøte").exists()
    assert "Choose from the units found for “avdeling 007”." in html
    assert f'type="checkbox" name="participant_units" value="{many[7].pk}"' in html
    assert 'name="participant_units__shown" value="avdeling 007"' in html
    # Ticking the match and sending again saves: the search has been shown.
    data |= {"participant_units": [many[7].pk], "participant_units__shown": "avdeling 007"}
    saved = client.post(_url(world, "mapping:arena_create"), data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert list(Arena.objects.get(name="Lunsjmøte").participant_units.all()) == [many[7]]


def test_the_refusal_is_in_the_users_language(world: World) -> None:
    departments(world, UNIT_CHECKBOXES_UP_TO)
    with translation.override("nb"):
        form = ActivityForm(data={"participant_units__q": "ingenting slikt"}, actor=world.actor("admin"))
        form.is_valid()
        assert form.errors["participant_units"] == ["Ingen enhet passer til «ingenting slikt»."]


# Pages that do not grow with the number of units --------------------------------------------------------

GROWING_PAGES = [
    ("coordinator", "mapping:arena_create", {}),
    ("coordinator", "mapping:arena_edit", {"arena_id": "arena"}),
    ("admin", "competences:round_create", {}),
    ("admin", "organisations:person_create", {}),
]


@pytest.mark.parametrize(("role", "name", "spec"), GROWING_PAGES, ids=[p[1] for p in GROWING_PAGES])
def test_pages_with_a_unit_field_do_not_grow_with_the_organisation(
    role: str, name: str, spec: dict[str, str], world: World, client_for: Any
) -> None:
    kwargs = {key: world.extra_objects[value].pk for key, value in spec.items()}
    client = client_for(role)
    url = _url(world, name, **kwargs)
    departments(world, UNIT_CHECKBOXES_UP_TO)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        before = client.get(url)
    departments(world, 300)
    with CaptureQueriesContext(connection) as large:
        after = client.get(url)
    assert before.status_code == after.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    # 300 more units as checkboxes would add over 90 kB; the page stays the same size.
    assert abs(len(after.content) - len(before.content)) < 200, (len(before.content), len(after.content))
    assert "Avdeling 100" not in after.content.decode()
