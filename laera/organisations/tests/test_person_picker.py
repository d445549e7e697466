"""The person picker (laera/organisations/widgets.py) and its search (`organisations:person_search`).

A field renders only the people chosen, the search finds the others among exactly those the field accepts,
and neither the pages nor the search grow with the number of people in the organisation.
"""

from __future__ import annotations

import re
from typing import Any

import factory
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laera.mapping.forms import ArenaForm
from laera.mapping.models import Arena
from laera.organisations.forms import AddPersonForm, AuditFilterForm, UnitForm, WorkingGroupForm
from laera.organisations.models import Membership, Person
from laera.organisations.selectors import PERSON_SEARCH_LIMIT
from laera.organisations.widgets import PersonChoiceField, PersonMultipleChoiceField
from laera.plans.forms import ActivityForm
from laera.testing.browser import picker_matches
from laera.testing.factories import MembershipFactory, PersonFactory
from laera.testing.world import World


def _url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": world.organisation.slug, **kwargs})


def english(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


def search(client: Client, world: World, query: str, **params: Any) -> Any:
    params.setdefault("field", "active")
    params.setdefault("name", "person")
    return client.get(
        _url(world, "organisations:person_search"),
        {f"{params['name']}__q": query, **params},
        headers={"HX-Request": "true"},
    )


def crowd(world: World, count: int, name: str = "Kari Crowd") -> list[Person]:
    """`count` more active people in the organisation, in the other team, all matching `name`."""
    people = PersonFactory.create_batch(
        count,
        organisation=world.organisation,
        full_name=factory.Sequence(lambda n: f"{name} {n:04}"),
        email=factory.Sequence(lambda n: f"{name.lower().replace(' ', '.')}.{n}@crowd.test"),
        role="employee",
    )
    for person in people:
        MembershipFactory(organisation=world.organisation, person=person, unit=world.other_team)
    return people


# The widget -----------------------------------------------------------------------------------------


def test_a_field_renders_only_the_people_chosen(world: World) -> None:
    crowd(world, 20)
    form = UnitForm(actor=world.actor("admin"), initial={"leader": world.people["leader"]})
    html = str(form["leader"].as_field_group())
    assert world.people["leader"].full_name in html
    assert f'value="{world.people["leader"].pk}"' in html
    # Nor the other leaders the field accepts, nor anyone else: only a search box for them.
    assert world.people["other_leader"].full_name not in html
    assert "Kari Crowd" not in html and "<select" not in html and "<option" not in html
    assert 'type="search"' in html and 'hx-get="/o/testby/people/search/?field=leaders' in html


def test_named_people_render_those_chosen_with_a_way_to_remove_them(world: World) -> None:
    arena = world.extra_objects["arena"]
    form = ArenaForm(
        actor=world.actor("admin"),
        initial={**ArenaForm.initial_for(arena), "participant_people": [world.people["employee"]]},
    )
    field = form.fields["participant_people"]
    assert isinstance(field, PersonMultipleChoiceField)
    html = str(form["participant_people"].as_field_group())
    employee = world.people["employee"]
    # Without JavaScript a ticked checkbox; with it, the hidden input and remove button of its template.
    assert f'type="checkbox" name="participant_people" value="{employee.pk}"' in html
    assert f'<input type="hidden" name="participant_people" value="{employee.pk}">' in html
    assert "data-picker-remove" in html
    assert world.people["coordinator"].full_name not in html


def test_the_search_box_is_labelled_and_linked_from_the_error_summary(world: World) -> None:
    form = AddPersonForm(data={}, actor=world.actor("admin"), unit=world.team)
    assert not form.is_valid()
    html = str(form)
    assert '<label class="ds-label" data-weight="regular" for="id_person">' in html
    assert '<legend class="ds-label">' in html
    assert 'href="#id_person"' in html  # the summary's link goes to the search box
    assert re.search(r'<input type="search" name="person__q"[^>]*aria-invalid="true"', html)
    assert re.search(r'<input type="search" name="person__q"[^>]*aria-describedby="id_person_error"', html)
    assert " required" not in html.split('name="person__q"')[1].split(">")[0]


# Validation: what the field accepted before, and nothing else ------------------------------------------


def test_a_person_of_another_organisation_is_refused_with_the_fields_error(
    world: World, other_world: World
) -> None:
    stranger = other_world.people["employee"]
    for form in (
        UnitForm(data={"name": "x", "leader": stranger.pk}, actor=world.actor("admin")),
        ActivityForm(data={"participant_people": [stranger.pk]}, actor=world.actor("admin")),
    ):
        assert not form.is_valid()
        name = "leader" if isinstance(form, UnitForm) else "participant_people"
        assert form.errors.as_data()[name][0].code in ("invalid_choice", "invalid_pk_value")


def test_someone_the_field_does_not_offer_is_refused(world: World) -> None:
    form = UnitForm(data={"name": "x", "leader": world.people["employee"].pk}, actor=world.actor("admin"))
    assert not form.is_valid()
    assert form.errors.as_data()["leader"][0].code == "invalid_choice"
    # A leader places only people ranking below them: another leader is not a choice.
    add = AddPersonForm(
        data={"person": world.people["leader"].pk}, actor=world.actor("other_leader"), unit=world.other_team
    )
    assert not add.is_valid()
    # The lead of a working group is one of its members.
    group = WorkingGroupForm(
        data={"lead": world.people["employee"].pk, "version": world.group.version},
        actor=world.actor("admin"),
        group=world.group,
    )
    assert not group.is_valid() and "lead" in group.errors


def test_the_refusal_is_in_the_users_language(world: World, client_for: Any) -> None:
    client = english(client_for("admin"))
    response = client.post(
        _url(world, "organisations:unit_create"), {"name": "Ny", "leader": world.people["employee"].pk}
    )
    assert response.status_code == 200
    assert (
        "Select a valid choice. That choice is not one of the available choices." in response.content.decode()
    )


def test_named_people_accept_any_active_person_of_the_organisation(world: World) -> None:
    outsider = world.people["other_leader"]  # in Mottak, not in the arena's unit
    form = ActivityForm(data={"participant_people": [str(outsider.pk)]}, actor=world.actor("admin"))
    form.is_valid()
    assert "participant_people" not in form.errors


def test_the_fields_offer_what_they_offered_before(world: World) -> None:
    admin = world.actor("admin")
    leaders = UnitForm(actor=admin).fields["leader"]
    assert isinstance(leaders, PersonChoiceField)
    assert set(leaders.queryset) == {world.people[k] for k in ("admin", "leader", "other_leader")}
    who = AuditFilterForm(actor=admin).fields["who"]
    assert isinstance(who, PersonChoiceField)
    assert set(who.queryset) == set(world.people.values())
    group = WorkingGroupForm(actor=admin, group=world.group).fields["lead"]
    assert isinstance(group, PersonChoiceField)
    assert set(group.queryset) == {world.people["leader"], world.people["coordinator"]}
    placeable = AddPersonForm(actor=world.actor("other_leader"), unit=world.other_team).fields["person"]
    assert isinstance(placeable, PersonChoiceField)
    names = {p.full_name for p in placeable.queryset}
    assert world.people["employee"].full_name in names  # an employee, not in Mottak yet
    assert world.people["other_leader"].full_name not in names  # already in it
    assert world.people["leader"].full_name not in names and world.people["admin"].full_name not in names


# The search -----------------------------------------------------------------------------------------


def test_search_finds_by_part_of_the_name_or_e_mail_sorted_by_name(world: World, client_for: Any) -> None:
    client = client_for("coordinator")
    response = search(client, world, "testby")
    assert response.status_code == 200
    names = picker_matches(response)
    assert names == sorted(names) and len(names) == len(world.people)
    assert picker_matches(search(client, world, "ANSATT")) == [world.people["employee"].full_name]
    assert picker_matches(search(client, world, "coordinator@")) == [world.people["coordinator"].full_name]
    assert picker_matches(search(client, world, "testby mottaks")) == [world.people["other_leader"].full_name]


def test_search_is_capped_and_says_there_are_more(world: World, client_for: Any) -> None:
    people = crowd(world, PERSON_SEARCH_LIMIT + 5)
    client = english(client_for("coordinator"))
    answer = search(client, world, "kari crowd")
    assert picker_matches(answer) == sorted(p.full_name for p in people)[:PERSON_SEARCH_LIMIT]
    assert f"More than {PERSON_SEARCH_LIMIT} people found: type more of the name." in answer.content.decode()
    one = search(client, world, people[3].full_name)
    assert picker_matches(one) == [people[3].full_name] and "1 person found" in one.content.decode()


def test_search_stays_in_the_organisation(world: World, other_world: World, client_for: Any) -> None:
    names = picker_matches(search(client_for("admin"), world, "ansatt"))
    assert world.people["employee"].full_name in names
    assert other_world.people["employee"].full_name not in names


def test_search_offers_only_what_the_field_offers(world: World, client_for: Any) -> None:
    admin = client_for("admin")
    leaders = picker_matches(search(admin, world, "testby", field="leaders"))
    assert world.people["employee"].full_name not in leaders and world.people["leader"].full_name in leaders
    group = picker_matches(search(admin, world, "testby", field="group", unit=world.team.pk))
    assert set(group) == {world.people["leader"].full_name, world.people["coordinator"].full_name}
    candidates = picker_matches(search(admin, world, "testby", field="group-candidate", unit=world.team.pk))
    assert world.people["coordinator"].full_name not in candidates
    assert world.people["employee"].full_name in candidates
    junior = picker_matches(
        search(client_for("other_leader"), world, "testby", field="unit-member", unit=world.other_team.pk)
    )
    assert world.people["employee"].full_name in junior
    assert world.people["leader"].full_name not in junior  # ranks as high as they do
    assert world.people["admin"].full_name not in junior


def test_search_leaves_out_those_already_chosen(world: World, client_for: Any) -> None:
    employee = world.people["employee"]
    answer = search(
        client_for("admin"), world, "testby", name="participant_people", participant_people=employee.pk
    )
    assert employee.full_name not in picker_matches(answer) and picker_matches(answer)
    assert f'name="participant_people" value="{world.people["leader"].pk}"' in answer.content.decode()


def test_search_without_enough_letters_gives_a_hint_and_no_list(world: World, client_for: Any) -> None:
    client = english(client_for("admin"))
    for query in ("", "a", "  a "):
        answer = search(client, world, query)
        html = answer.content.decode()
        assert answer.status_code == 200
        assert "Type at least two letters of the name." in html and "data-picker-choose" not in html
    nobody = search(client, world, "zzqq").content.decode()
    assert "No one matches." in nobody and "data-picker-choose" not in nobody


@pytest.mark.parametrize(
    ("role", "params", "status"),
    [
        ("external", {"field": "active"}, 403),
        ("employee", {"field": "accounts"}, 403),
        ("leader", {"field": "accounts"}, 403),
        ("admin", {"field": "accounts"}, 200),
        ("employee", {"field": "unit-member", "unit": "team"}, 403),
        ("other_leader", {"field": "unit-member", "unit": "team"}, 403),
        ("leader", {"field": "unit-member", "unit": "team"}, 200),
        ("employee", {"field": "group", "unit": "team"}, 403),
        ("coordinator", {"field": "group", "unit": "team"}, 200),
        ("admin", {"field": "nonsense"}, 404),
        ("admin", {"field": "group"}, 404),
        ("admin", {"field": "group", "unit": "x"}, 404),
    ],
)
def test_search_is_authorised_as_the_form_it_serves(
    role: str, params: dict[str, str], status: int, world: World, client_for: Any
) -> None:
    if params.get("unit") == "team":
        params = {**params, "unit": str(world.team.pk)}
    assert search(client_for(role), world, "testby", **params).status_code == status


def test_search_refuses_a_unit_of_another_organisation(
    world: World, other_world: World, client_for: Any
) -> None:
    answer = search(client_for("admin"), world, "testby", field="unit-member", unit=other_world.team.pk)
    assert answer.status_code == 404
    assert other_world.people["employee"].full_name.encode() not in answer.content


def test_search_answers_only_get(world: World, client_for: Any) -> None:
    assert client_for("admin").post(_url(world, "organisations:person_search"), {}).status_code == 405


def test_search_opened_as_a_page_is_the_people_lists_search(world: World, client_for: Any) -> None:
    answer = client_for("leader").get(_url(world, "organisations:person_search"), {"person__q": "ansatt"})
    assert answer.status_code == 302
    assert answer["Location"] == _url(world, "organisations:person_list") + "?q=ansatt"
    # Still authorised as the form: no redirect for a field one may not use.
    refused = client_for("leader").get(_url(world, "organisations:person_search"), {"field": "accounts"})
    assert refused.status_code == 403


def test_search_sends_anonymous_visitors_to_sign_in(world: World) -> None:
    answer = Client().get(_url(world, "organisations:person_search"), {"person__q": "ansatt"})
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_search_queries_do_not_grow_with_the_organisation(world: World, client_for: Any) -> None:
    client = client_for("leader")
    cases = [
        {"field": "active"},
        {"field": "unit-member", "unit": world.team.pk},
        {"field": "group", "unit": world.team.pk},
    ]
    for params in cases:
        search(client, world, "kari", **params)
    counts = []
    for params in cases:
        with CaptureQueriesContext(connection) as small:
            search(client, world, "kari", **params)
        counts.append(len(small))
    crowd(world, 300)
    for params, before in zip(cases, counts, strict=True):
        with CaptureQueriesContext(connection) as large:
            answer = search(client, world, "kari", **params)
        assert len(large) == before, (params, [q["sql"] for q in large.captured_queries])
        assert len(answer.content) < 20_000


# Without JavaScript ---------------------------------------------------------------------------------


def test_without_javascript_a_typed_search_comes_back_as_choices(world: World, client_for: Any) -> None:
    client = english(client_for("coordinator"))
    data = {
        "name": "Lunsjmøte",
        "unit": world.team.pk,
        "kind": "internal",
        "recurrence": "on_demand",
        "responsible__q": "Ansatt",
        "participant_people__q": "koordinator",
    }
    response = client.post(_url(world, "mapping:arena_create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Arena.objects.filter(name="Lunsjmøte").exists()
    assert "Choose from the people found for “Ansatt”." in html
    employee, coordinator = world.people["employee"], world.people["coordinator"]
    assert f'type="radio" name="responsible" value="{employee.pk}"' in html
    assert f'type="checkbox" name="participant_people" value="{coordinator.pk}"' in html
    assert 'name="responsible__shown" value="Ansatt"' in html
    # Ticking the matches and sending again saves: the search has been shown.
    data |= {
        "responsible": employee.pk,
        "responsible__shown": "Ansatt",
        "participant_people": [coordinator.pk],
        "participant_people__shown": "koordinator",
    }
    saved = client.post(_url(world, "mapping:arena_create"), data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    arena = Arena.objects.get(name="Lunsjmøte")
    assert arena.responsible == employee and list(arena.participant_people.all()) == [coordinator]


def test_without_javascript_the_unit_page_shows_the_matches_to_add(world: World, client_for: Any) -> None:
    client = english(client_for("leader"))
    before = Membership.objects.count()
    response = client.post(
        _url(world, "organisations:membership_add", unit_id=world.team.pk), {"person__q": "brukerrepr"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and Membership.objects.count() == before
    assert f'type="radio" name="person" value="{world.people["external"].pk}"' in html
    response = client.post(
        _url(world, "organisations:membership_add", unit_id=world.team.pk),
        {"person__q": "brukerrepr", "person__shown": "brukerrepr", "person": world.people["external"].pk},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(unit=world.team, person=world.people["external"]).exists()


def test_without_javascript_the_working_group_page_shows_the_matches(world: World, client_for: Any) -> None:
    client = english(client_for("leader"))
    response = client.post(
        _url(world, "organisations:working_group_member_add", unit_id=world.team.pk), {"person__q": "ansatt"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<h1" in html
    assert f'type="radio" name="person" value="{world.people["employee"].pk}"' in html


# Pages that do not grow with the organisation ----------------------------------------------------------

GROWING_PAGES = [
    ("coordinator", "mapping:arena_create", {}),
    ("coordinator", "mapping:arena_edit", {"arena_id": "arena"}),
    ("coordinator", "mapping:flow_edit", {"flow_id": "flow"}),
    ("leader", "organisations:unit_detail", {"unit_id": "team"}),
    ("leader", "organisations:unit_edit", {"unit_id": "team"}),
    ("leader", "organisations:working_group_detail", {"unit_id": "team"}),
    ("leader", "organisations:working_group_edit", {"unit_id": "team"}),
    ("admin", "organisations:unit_create", {}),
]


@pytest.mark.parametrize(("role", "name", "spec"), GROWING_PAGES, ids=[p[1] for p in GROWING_PAGES])
def test_pages_with_a_person_field_do_not_grow_with_the_organisation(
    role: str, name: str, spec: dict[str, str], world: World, client_for: Any
) -> None:
    kwargs = {
        key: (world.extra_objects[value].pk if value in world.extra_objects else getattr(world, value).pk)
        for key, value in spec.items()
    }
    client = client_for(role)
    url = _url(world, name, **kwargs)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        before = client.get(url)
    crowd(world, 300)
    with CaptureQueriesContext(connection) as large:
        after = client.get(url)
    assert before.status_code == after.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    # 300 more people as <option>s would add over 10 kB; the page stays the same size.
    assert abs(len(after.content) - len(before.content)) < 200, (len(before.content), len(after.content))
    assert "Kari Crowd" not in after.content.decode()
