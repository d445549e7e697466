"""The round, self-assessment, leader-rating and qualification pages as each role; autosave; query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laera.competences.models import Assessment, MappingRound, Qualification, RoundParticipant
from laera.competences.services import catalogues
from laera.competences.services import rounds as services
from laera.core.permissions import Role
from laera.organisations import services as org_services
from laera.testing.world import World

from .gap_world import _rate as rate_self
from .gap_world import build_gap_world, row_version

pytestmark = pytest.mark.django_db
ROLES = ["admin", "leader", "coordinator", "employee", "external", "other_leader"]
MEMBERS = {"admin", "leader", "coordinator", "employee", "other_leader"}
HTMX = {"HX-Request": "true"}


def url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(f"competences:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


def _english(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


def _ids(world: World) -> dict[str, int]:
    return {
        "round": world.extra["round_id"],
        "employee": world.people["employee"].pk,
        "competence": world.extra["competence_id"],
        "qualification": world.extra["qualification_id"],
    }


PAGES: dict[str, tuple[dict[str, str], dict[str, int]]] = {
    # page: (url keywords, {role: expected status}); roles not named get 403.
    "home": ({}, dict.fromkeys(MEMBERS, 200)),
    "round_list": ({}, dict.fromkeys(MEMBERS, 200)),
    "round_create": ({}, {"admin": 200, "leader": 200, "other_leader": 200}),
    "round_detail": (
        {"round_id": "round"},
        {"admin": 200, "leader": 200, "coordinator": 200, "employee": 200},
    ),
    "round_edit": ({"round_id": "round"}, {"admin": 200, "leader": 200}),
    "self_assessment": (
        {"round_id": "round"},
        {"admin": 302, "leader": 200, "coordinator": 200, "employee": 200},
    ),
    "leader_rating": ({"round_id": "round", "person_id": "employee"}, {"admin": 200, "leader": 200}),
    "qualification_list": ({}, dict.fromkeys(MEMBERS, 200)),
    "qualification_create": ({"person_id": "employee"}, {"admin": 200, "leader": 200, "employee": 200}),
    "qualification_edit": (
        {"qualification_id": "qualification"},
        {"admin": 200, "leader": 200, "employee": 200},
    ),
    "qualification_delete": (
        {"qualification_id": "qualification"},
        {"admin": 200, "leader": 200, "employee": 200},
    ),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(page: str, role: str, world: World, client_for: Any) -> None:
    spec, allowed = PAGES[page]
    ids = _ids(world)
    response = client_for(role).get(url(world, page, **{k: ids[v] for k, v in spec.items()}))
    assert response.status_code == allowed.get(role, 403), (page, role)


@pytest.mark.parametrize(
    "page,kwargs",
    [
        ("round_close", {"round_id": "round"}),
        ("round_remind", {"round_id": "round"}),
        ("self_assessment_save", {"round_id": "round", "competence_id": "competence"}),
        ("leader_rating_save", {"round_id": "round", "person_id": "employee", "competence_id": "competence"}),
        ("leader_rating_done", {"round_id": "round", "person_id": "employee"}),
    ],
)
def test_post_only_pages(page: str, kwargs: dict[str, str], world: World, client_for: Any) -> None:
    ids = _ids(world)
    address = url(world, page, **{k: ids[v] for k, v in kwargs.items()})
    assert client_for("leader").get(address).status_code == 405
    assert client_for("external").post(address).status_code == 403


def test_home_shows_my_round_with_a_button_and_leaders_their_rounds(world: World, client_for: Any) -> None:
    employee = _english(client_for("employee"))
    page = employee.get(url(world, "home")).content.decode()
    assert "Kartlegging våren 2026" in page
    assert url(world, "self_assessment", round_id=world.extra["round_id"]) in page
    assert url(world, "round_create") not in page
    leader = _english(client_for("leader")).get(url(world, "home")).content.decode()
    assert url(world, "round_create") in leader and url(world, "gap_overview") in leader


def test_round_create_by_a_leader_only_for_their_units(world: World, client_for: Any) -> None:
    client = client_for("leader")
    today = timezone.localdate()
    data = {
        "name": "Høst",
        "catalogue": world.extra["catalogue_id"],
        "units": [world.other_team.pk],
        "opens_on": today.isoformat(),
        "deadline": (today + datetime.timedelta(days=10)).isoformat(),
        "reminder_days": 2,
        "message": "",
    }
    response = client.post(url(world, "round_create"), data)
    assert response.status_code == 200 and not MappingRound.objects.filter(name="Høst").exists()
    data["units"] = [world.team.pk]
    response = client.post(url(world, "round_create"), data)
    round = MappingRound.objects.get(name="Høst")
    assert response.status_code == 302 and response["Location"] == round.get_absolute_url()
    assert round.participants.count() == 3


def test_round_detail_shows_progress_to_the_leader_only(world: World, client_for: Any) -> None:
    leader = _english(client_for("leader")).get(url(world, "round_detail", round_id=world.extra["round_id"]))
    text = leader.content.decode()
    assert "1 of 3 people have answered" in text
    assert world.people["employee"].full_name in text and "Not started" in text
    rate = url(
        world, "leader_rating", round_id=world.extra["round_id"], person_id=world.people["employee"].pk
    )
    assert rate in text
    own = url(world, "leader_rating", round_id=world.extra["round_id"], person_id=world.people["leader"].pk)
    assert own not in text
    employee = _english(client_for("employee")).get(
        url(world, "round_detail", round_id=world.extra["round_id"])
    )
    assert "people have answered" not in employee.content.decode()
    assert world.people["coordinator"].full_name not in employee.content.decode()


def test_close_and_remind(world: World, client_for: Any) -> None:
    round_id = world.extra["round_id"]
    assert client_for("employee").post(url(world, "round_remind", round_id=round_id)).status_code == 403
    client = _english(client_for("leader"))
    response = client.post(url(world, "round_remind", round_id=round_id), follow=True)
    assert "Reminders sent to 2 people" in response.content.decode()
    assert len(mail.outbox) == 2
    assert client_for("coordinator").post(url(world, "round_close", round_id=round_id)).status_code == 403
    assert client.post(url(world, "round_close", round_id=round_id)).status_code == 302
    assert MappingRound.objects.get(pk=round_id).closed_at is not None


def test_self_assessment_form_shows_the_scale_and_not_the_requirement(world: World, client_for: Any) -> None:
    client = _english(client_for("coordinator"))
    page = client.get(url(world, "self_assessment", round_id=world.extra["round_id"])).content.decode()
    cid = world.extra["competence_id"]
    assert "Motiverende intervju" in page
    assert f'name="c{cid}-level"' in page and "Can do it independently" in page
    assert "I want to learn this" in page and "You have answered 0 of 1 competence" in page
    assert "Required" not in page
    assert 'hx-trigger="change' in page and 'aria-live="polite"' in page


def test_htmx_autosave_returns_the_partial_and_saves(world: World, client_for: Any) -> None:
    client = _english(client_for("coordinator"))
    cid = world.extra["competence_id"]
    address = url(world, "self_assessment_save", round_id=world.extra["round_id"], competence_id=cid)
    response = client.post(
        address, {f"c{cid}-level": "3", f"c{cid}-wants_to_learn": "on", f"c{cid}-version": "0"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Saved" in body and 'hx-swap-oob="true"' in body and "You have answered 1 of 1 competence" in body
    row = Assessment.objects.get(person=world.people["coordinator"], competence_id=cid)
    assert (row.self_level, row.wants_to_learn) == (3, True)
    # The row's form gets its new version, so the next change saves on top of this one.
    assert f'id="c{cid}-version" value="{row.version}" hx-swap-oob="true"' in body
    response = client.post(
        address,
        {f"c{cid}-level": "3", f"c{cid}-comment": "Trenger øving", f"c{cid}-version": row.version},
        headers=HTMX,
    )
    row.refresh_from_db()
    assert (row.self_level, row.wants_to_learn, row.self_comment) == (3, False, "Trenger øving")
    # A level outside the scale is refused and nothing changes.
    response = client.post(address, {f"c{cid}-level": "7", f"c{cid}-version": row.version}, headers=HTMX)
    assert "Choose a step of the scale" in response.content.decode()
    row.refresh_from_db()
    assert row.self_level == 3
    # Another person's round answer is not theirs to make.
    assert client_for("other_leader").post(address, {f"c{cid}-level": "1"}, headers=HTMX).status_code == 403


def test_full_page_submit_without_javascript_saves_everything(world: World, client_for: Any) -> None:
    second = catalogues.competence_create(
        actor=None,
        area=world.extra_objects["area"],
        data=catalogues.CompetenceInput(name="Arbeidsrett", category="knowledge"),
    )
    catalogues.requirement_set(
        actor=None, data=catalogues.RequirementInput(competence=second, unit=world.team, level=2)
    )
    client = _english(client_for("coordinator"))
    cid = world.extra["competence_id"]
    address = url(world, "self_assessment", round_id=world.extra["round_id"])
    # One bad value: nothing at all is saved.
    versions = {f"c{cid}-version": "0", f"c{second.pk}-version": "0"}
    response = client.post(address, {f"c{cid}-level": "2", f"c{second.pk}-level": "8", **versions})
    assert response.status_code == 200 and "Please correct this" in response.content.decode()
    assert not Assessment.objects.filter(person=world.people["coordinator"]).exists()
    response = client.post(
        address,
        {f"c{cid}-level": "2", f"c{second.pk}-level": "4", f"c{second.pk}-wants_to_learn": "on", **versions},
    )
    assert response.status_code == 302 and response["Location"] == address
    levels = dict(
        Assessment.objects.filter(person=world.people["coordinator"]).values_list(
            "competence_id", "self_level"
        )
    )
    assert levels == {cid: 2, second.pk: 4}
    participant = RoundParticipant.objects.get(
        round_id=world.extra["round_id"], person=world.people["coordinator"]
    )
    assert participant.submitted_at is not None


def test_leader_rating_page_and_autosave(world: World, client_for: Any) -> None:
    round_id, cid = world.extra["round_id"], world.extra["competence_id"]
    employee = world.people["employee"]
    client = _english(client_for("leader"))
    page = client.get(url(world, "leader_rating", round_id=round_id, person_id=employee.pk)).content.decode()
    assert (
        "Can do it with support" in page
        and "wants to learn this" in page
        and "Required of their role: 3" in page
    )
    address = url(world, "leader_rating_save", round_id=round_id, person_id=employee.pk, competence_id=cid)
    row = Assessment.objects.get(person=employee, competence_id=cid)
    response = client.post(
        address,
        {
            f"c{cid}-level": "3",
            f"c{cid}-agreed_level": "2",
            f"c{cid}-comment": "OK",
            f"c{cid}-version": row.version,
        },
        headers=HTMX,
    )
    assert response.status_code == 200 and "Saved" in response.content.decode()
    row.refresh_from_db()
    assert (row.self_level, row.leader_level, row.agreed_level, row.leader_comment) == (2, 3, 2, "OK")
    assert client_for("coordinator").post(address, {f"c{cid}-level": "1"}, headers=HTMX).status_code == 403
    assert client_for("other_leader").post(address, {f"c{cid}-level": "1"}, headers=HTMX).status_code == 403
    # Without JavaScript, the whole page.
    response = client.post(
        url(world, "leader_rating", round_id=round_id, person_id=employee.pk),
        {
            f"c{cid}-level": "4",
            f"c{cid}-agreed_level": "3",
            f"c{cid}-comment": "OK",
            f"c{cid}-version": row.version,
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.leader_level, row.agreed_level) == (4, 3)
    response = client.post(url(world, "leader_rating_done", round_id=round_id, person_id=employee.pk))
    assert response.status_code == 302
    assert RoundParticipant.objects.get(round_id=round_id, person=employee).leader_done_at is not None
    # A leader does not rate themself.
    own = url(world, "leader_rating", round_id=round_id, person_id=world.people["leader"].pk)
    assert client.get(own).status_code == 403


def test_qualification_pages(world: World, client_for: Any) -> None:
    leader = _english(client_for("leader"))
    page = leader.get(url(world, "qualification_list")).content.decode()
    assert "Førstehjelpskurs" in page and world.people["employee"].full_name in page
    assert (
        "Førstehjelpskurs"
        not in _english(client_for("coordinator")).get(url(world, "qualification_list")).content.decode()
    )
    # Expired ones are marked.
    Qualification.objects.filter(pk=world.extra["qualification_id"]).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "Expired" in leader.get(url(world, "qualification_list") + "?days=10").content.decode()
    employee = client_for("employee")
    response = employee.post(
        url(world, "qualification_create", person_id=world.people["employee"].pk),
        {"name": "Sertifikat klasse B", "kind": "certificate", "expires_on": "2030-01-01"},
    )
    assert response.status_code == 302
    created = Qualification.objects.get(name="Sertifikat klasse B")
    assert created.person == world.people["employee"]
    response = employee.post(
        url(world, "qualification_edit", qualification_id=created.pk),
        {
            "name": "Sertifikat klasse B",
            "kind": "certificate",
            "obtained_on": "2030-01-02",
            "expires_on": "2030-01-01",
        },
    )
    assert response.status_code == 200
    response = employee.post(url(world, "qualification_delete", qualification_id=created.pk))
    assert response.status_code == 302 and not Qualification.objects.filter(pk=created.pk).exists()
    assert (
        client_for("other_leader")
        .post(url(world, "qualification_delete", qualification_id=world.extra["qualification_id"]))
        .status_code
        == 403
    )
    redirect = leader.get(url(world, "qualification_list") + f"?person={world.people['employee'].pk}")
    assert redirect["Location"] == url(world, "qualification_create", person_id=world.people["employee"].pk)


def _grow(world: World, count: int) -> None:
    competence = world.extra_objects["competence"]
    round = world.extra_objects["round"]
    for i in range(count):
        person = org_services.person_create(
            actor=None,
            organisation=world.organisation,
            full_name=f"Ansatt {i}",
            job_role=world.job_role,
            units=[world.team],
        )
        RoundParticipant.objects.create(organisation=world.organisation, round=round, person=person)
        if i % 2:
            Assessment.objects.create(
                organisation=world.organisation,
                round=round,
                person=person,
                competence=competence,
                self_level=2,
                self_at=timezone.now(),
            )


def _count(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_round_progress_queries_do_not_grow_with_participants(world: World, client_for: Any) -> None:
    client = client_for("admin")
    address = url(world, "round_detail", round_id=world.extra["round_id"])
    _grow(world, 2)
    small = _count(client, address)
    _grow(world, 45)
    large = _count(client, address)
    assert small == large
    list_small = _count(client, url(world, "round_list"))
    for i in range(5):
        services.round_create(
            actor=None,
            organisation=world.organisation,
            data=services.RoundInput(
                name=f"Runde {i}",
                catalogue=world.extra_objects["catalogue"],
                units=[world.team],
                opens_on=timezone.localdate(),
                deadline=timezone.localdate(),
            ),
        )
    assert _count(client, url(world, "round_list")) == list_small


SECOND_PERSON_ABOUT_THEIR_RATING = (
    "Your rating",
    "Your comment",
    "Their own rating",
    "They have rated",
    "They answered",
    "and yours",
)


def test_leader_rating_names_the_person_and_counts_only_the_leaders_own_ratings(
    world: World, client_for: Any
) -> None:
    gaps = build_gap_world(world)
    employee, leader = gaps.people["employee"], gaps.people["leader"]
    page_url = gaps.url("leader_rating", round_id=gaps.round.pk, person_id=employee.pk)
    # Another leader of the person (an admin leads every unit) opens the page the team's leader rated.
    page = _english(client_for("admin")).get(page_url).content.decode()
    name = f'<span lang="nb">{employee.full_name}</span>'
    assert f"Rating of {name}" in page
    assert f"{name}'s rating:" in page
    assert f"{name} answered on" in page
    assert "You have rated 0 of 2 competences" in page
    assert f'Rated by <span lang="nb">{leader.full_name}</span> on' in page
    assert "Leader's rating" in page
    for phrase in (*SECOND_PERSON_ABOUT_THEIR_RATING, "You rated this"):
        assert phrase not in page
    # The team's leader sees what they rated as theirs.
    client = _english(client_for("leader"))
    page = client.get(page_url).content.decode()
    assert "You have rated 1 of 2 competences" in page and "You rated this on" in page
    assert "Rated by" not in page
    for phrase in SECOND_PERSON_ABOUT_THEIR_RATING:
        assert phrase not in page
    client.post(gaps.url("leader_rating_done", round_id=gaps.round.pk, person_id=employee.pk))
    page = _english(client_for("admin")).get(page_url).content.decode()
    assert "The leader's rating was marked as done on" in page
    assert "Your rating was marked" not in page


def test_leader_rating_progress_of_a_person_who_has_not_answered_everything(
    world: World, client_for: Any
) -> None:
    gaps = build_gap_world(world)
    newcomer = org_services.person_create(
        actor=None,
        organisation=world.organisation,
        full_name="Kari Nykommer",
        email="kari@gaps.test",
        job_role=world.job_role,
        role=Role.EMPLOYEE,
        units=[world.team],
    )
    services.participants_sync(gaps.round)
    rate_self(gaps.round, newcomer, gaps.competence, 2)
    client = _english(client_for("leader"))
    page = client.get(
        gaps.url("leader_rating", round_id=gaps.round.pk, person_id=newcomer.pk)
    ).content.decode()
    assert '<span lang="nb">Kari Nykommer</span> has answered 1 of 2 competences so far.' in page
    assert "You have rated 0 of 2 competences" in page
    # In the organisation's own language the name needs no marking.
    client.post(reverse("accounts:language"), {"language": "nb"})
    norwegian = client.get(gaps.url("leader_rating", round_id=gaps.round.pk, person_id=newcomer.pk))
    assert (
        "Kari Nykommer" in norwegian.content.decode() and 'lang="nb">Kari' not in norwegian.content.decode()
    )
    _english(client)
    # Saving by HTMX updates the leader's own count, not the person's.
    response = client.post(
        gaps.url(
            "leader_rating_save", round_id=gaps.round.pk, person_id=newcomer.pk, competence_id=gaps.law.pk
        ),
        {f"c{gaps.law.pk}-level": "2", f"c{gaps.law.pk}-version": "0"},
        headers=HTMX,
    )
    assert "You have rated 1 of 2 competences" in response.content.decode()


def test_self_assessment_still_speaks_to_the_person(world: World, client_for: Any) -> None:
    gaps = build_gap_world(world)
    client = _english(client_for("employee"))
    page = client.get(gaps.url("self_assessment", round_id=gaps.round.pk)).content.decode()
    assert "You have answered 2 of 2 competences" in page
    assert "You have rated" not in page and "has answered" not in page
    response = client.post(
        gaps.url("self_assessment_save", round_id=gaps.round.pk, competence_id=gaps.law.pk),
        {
            f"c{gaps.law.pk}-level": "3",
            f"c{gaps.law.pk}-version": row_version(gaps.round, gaps.people["employee"], gaps.law),
        },
        headers=HTMX,
    )
    assert "You have answered 2 of 2 competences" in response.content.decode()
