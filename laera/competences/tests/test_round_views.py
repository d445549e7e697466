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
from laera.competences.selectors import rounds as selectors
from laera.competences.services import catalogues
from laera.competences.services import rounds as services
from laera.competences.views.rounds import QUALIFICATIONS_PER_PAGE
from laera.core.permissions import Role
from laera.organisations import services as org_services
from laera.organisations.models import Unit
from laera.testing.world import World

from .gap_world import _rate as rate_self
from .gap_world import build_gap_world, row_version
from .round_tree import TreeRound, person_in, tree_round

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


def test_close_and_remind(world: World, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    round_id = world.extra["round_id"]
    assert client_for("employee").post(url(world, "round_remind", round_id=round_id)).status_code == 403
    client = _english(client_for("leader"))
    with django_capture_on_commit_callbacks(execute=True):
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


def test_adding_a_qualification_for_someone_starts_from_a_name_search(world: World, client_for: Any) -> None:
    """The list never offers everyone the actor may add for: it finds them by name, the first few only,
    among the people they lead; the expiring list is paged."""
    leader = _english(client_for("leader"))
    page = leader.get(url(world, "qualification_list")).content.decode()
    assert "<select" not in page.split('id="add-for-form"')[1].split("</form>")[0]
    found = leader.get(url(world, "qualification_list"), {"find": "ansatt"}).content.decode()
    assert world.people["employee"].full_name in found.split('aria-label="People found"')[1]
    outside = leader.get(url(world, "qualification_list"), {"find": "Mottaksleder"}).content.decode()
    assert "No one matches." in outside  # the leader of another unit is not someone this leader leads
    for i in range(selectors.FOUND_SHOWN + 3):
        org_services.person_create(
            actor=None,
            organisation=world.organisation,
            full_name=f"Kari Søk {i:02d}",
            email=f"sok{i}@example.test",
            units=[world.team],
        )
    many = leader.get(url(world, "qualification_list"), {"find": "kari søk"}).content.decode()
    listed = many.split('aria-label="People found"')[1].split("</ul>")[0]
    assert listed.count("<li>") == selectors.FOUND_SHOWN
    assert "type more of the name" in many
    for i in range(QUALIFICATIONS_PER_PAGE + 2):
        Qualification.objects.create(
            organisation=world.organisation,
            person=world.people["employee"],
            name=f"Kurs {i:02d}",
            kind="course",
            expires_on=timezone.localdate() + datetime.timedelta(days=5),
        )
    first = leader.get(url(world, "qualification_list")).content.decode()
    assert (
        "Page 1 of 2" in first and "Kurs 00" in first and f"Kurs {QUALIFICATIONS_PER_PAGE + 1}" not in first
    )
    second = leader.get(url(world, "qualification_list"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second


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


# The progress of a round over a unit tree -----------------------------------------------------------


def _figures(response: Any) -> list[tuple[str, int, int, int, bool]]:
    return [
        (r.unit.name, r.total, r.answered, r.leader_done, r.own) for r in response.context["progress"].units
    ]


def test_progress_opens_at_the_top_with_each_person_counted_once(world: World, client_for: Any) -> None:
    tree = tree_round(world)
    client = _english(client_for("admin"))
    response = client.get(tree.address(world))
    progress = response.context["progress"]
    assert (progress.total, progress.answered, progress.leader_done) == (8, 1, 1)
    # Two top units, one with people in the round.
    assert _figures(response) == [("NAV Testby kontor", 8, 1, 1, False)]
    assert [(c.unit, c.top) for c in progress.crumbs] == [(None, True)]
    text = response.content.decode()
    assert "1 of 8 people have answered" in text and "The leader's rating is done for 1 person" in text
    assert f'href="{tree.address(world, f"?unit={world.top.pk}")}#progress-heading"' in text
    assert "Your units" in text and "8 people" in text and "Page 1 of" not in text
    # One level down: Oppfølging counts its three and the four people below it, Per (in both) once.
    response = client.get(tree.address(world, f"?unit={world.top.pk}"))
    assert _figures(response) == [("Mottak", 2, 0, 0, False), ("Oppfølging", 6, 1, 1, False)]
    assert response.context["progress"].units[1].percent == 17
    text = response.content.decode()
    for unit in (world.team, world.other_team):
        assert f'href="{tree.address(world, f"?unit={unit.pk}")}#progress-heading"' in text
    assert "17 %" in text and "People directly in" not in text


def test_progress_drills_down_and_back_up(world: World, client_for: Any) -> None:
    tree = tree_round(world)
    client = _english(client_for("admin"))
    response = client.get(tree.address(world, f"?unit={world.team.pk}"))
    assert _figures(response) == [
        ("Team nord", 2, 1, 1, False),
        ("Team sør", 2, 1, 1, False),
        ("Oppfølging", 3, 0, 0, True),
    ]
    progress = response.context["progress"]
    assert [(c.unit and c.unit.name, c.top) for c in progress.crumbs] == [
        (None, True),
        ("NAV Testby kontor", False),
        ("Oppfølging", False),
    ]
    text = response.content.decode()
    assert f'<a class="ds-link" href="{tree.address(world)}#progress-heading">All your units</a>' in text
    assert f'href="{tree.address(world, f"?unit={world.top.pk}")}#progress-heading"' in text
    assert '<span aria-current="page"><span lang="nb">Oppfølging</span></span>' in text
    assert "Units in" in text and "People directly in" in text and "People in" in text
    staff = {world.people[role].full_name for role in ("leader", "coordinator", "employee")}
    assert {row.person.full_name for row in progress.rows} == {"Kari Nord", "Siri Sør", "Per Begge", *staff}
    # The overall figures stay those of everyone the admin leads.
    assert progress.total == 8
    # A team without units below it lists only its people.
    leaf = client.get(tree.address(world, f"?unit={tree.south.pk}"))
    assert not leaf.context["progress"].shows_units and "units-heading" not in leaf.content.decode()
    assert {row.person.full_name for row in leaf.context["progress"].rows} == {"Siri Sør", "Per Begge"}
    crumbs = leaf.context["progress"].crumbs
    assert [c.unit and c.unit.name for c in crumbs] == [None, "NAV Testby kontor", "Oppfølging", "Team sør"]


def test_progress_of_a_unit_outside_ones_scope_is_not_found(
    world: World, other_world: World, client_for: Any
) -> None:
    tree = tree_round(world)
    leader = client_for("leader")
    assert leader.get(tree.address(world, f"?unit={tree.north.pk}")).status_code == 200
    for unit_id in (world.other_team.pk, world.top.pk, other_world.team.pk, 999999, "x"):
        assert leader.get(tree.address(world, f"?unit={unit_id}")).status_code == 404, unit_id
    assert client_for("admin").get(tree.address(world, f"?unit={other_world.team.pk}")).status_code == 404


def test_a_leader_sees_only_the_units_they_lead(world: World, client_for: Any) -> None:
    tree = tree_round(world)
    response = _english(client_for("leader")).get(tree.address(world))
    progress = response.context["progress"]
    assert (progress.total, progress.answered) == (6, 1)
    assert _figures(response) == [
        ("Team nord", 2, 1, 1, False),
        ("Team sør", 2, 1, 1, False),
        ("Oppfølging", 3, 0, 0, True),
    ]
    assert [c.unit.name for c in progress.crumbs] == ["Oppfølging"]
    text = response.content.decode()
    assert "Mottak" not in text.split('id="progress-heading"')[1]
    assert "Mona Mottak" not in text and world.people["other_leader"].full_name not in text
    # The other team's leader follows theirs: a round of the whole office is theirs to follow too.
    other = client_for("other_leader").get(tree.address(world))
    assert {row.person.full_name for row in other.context["progress"].rows} == {
        "Mona Mottak",
        world.people["other_leader"].full_name,
    }


def test_progress_search_and_state_filter(world: World, client_for: Any) -> None:
    tree = tree_round(world)
    client = _english(client_for("admin"))

    def names(query: str) -> set[str]:
        response = client.get(tree.address(world, query))
        assert response.status_code == 200
        return {row.person.full_name for row in response.context["progress"].rows}

    assert names("?q=BEGGE") == {"Per Begge"}
    assert names(f"?unit={tree.north.pk}&q=nord") == {"Kari Nord"}
    assert names(f"?unit={tree.south.pk}&q=nord") == set()
    assert names("?state=answered") == {"Per Begge"}
    assert names("?state=in_progress") == {"Siri Sør"}
    assert "Siri Sør" not in names("?state=not_started") and "Kari Nord" in names("?state=not_started")
    assert names(f"?unit={world.team.pk}&state=not_started&q=kari") == {"Kari Nord"}
    # An unknown state is no filter.
    assert len(names("?state=everything")) == 8
    empty = client.get(tree.address(world, "?q=nobody+at+all")).content.decode()
    assert "No one matches." in empty and 'value="nobody at all"' in empty
    form = client.get(tree.address(world, f"?unit={tree.north.pk}&state=answered")).content.decode()
    assert f'<input type="hidden" name="unit" value="{tree.north.pk}">' in form
    assert '<option value="answered" selected>Answered</option>' in form
    assert '<label class="ds-label" for="progress-search">Search by name</label>' in form
    in_progress = client.get(tree.address(world, "?q=siri")).content.decode()
    assert "In progress (1 of 2 competences)" in in_progress


def test_progress_pages_keep_the_unit_search_and_filter(world: World, client_for: Any) -> None:
    tree = tree_round(world)
    for i in range(30):
        person = person_in(world, f"Ansatt nord {i:02}", [tree.north])
        RoundParticipant.objects.create(organisation=world.organisation, round=tree.round, person=person)
    client = _english(client_for("admin"))
    query = f"?unit={world.team.pk}&q=nord&state=not_started"
    first = client.get(tree.address(world, query))
    progress = first.context["progress"]
    assert len(progress.rows) == 25 and progress.page.paginator.count == 31
    text = first.content.decode()
    assert "Page 1 of 2" in text and "31 people" in text and "Previous" not in text
    assert f'href="?unit={world.team.pk}&amp;q=nord&amp;state=not_started&amp;page=2#people-heading"' in text
    second = client.get(tree.address(world, f"{query}&page=2"))
    assert [row.person.full_name for row in second.context["progress"].rows] == [
        "Ansatt nord 25",
        "Ansatt nord 26",
        "Ansatt nord 27",
        "Ansatt nord 28",
        "Ansatt nord 29",
        "Kari Nord",
    ]
    text = second.content.decode()
    assert "Page 2 of 2" in text and "Next" not in text
    assert f'href="?unit={world.team.pk}&amp;q=nord&amp;state=not_started&amp;page=1#people-heading"' in text
    # A page past the end shows the last one; the figures by unit count all of them.
    assert client.get(tree.address(world, f"{query}&page=99")).context["progress"].page.number == 2
    assert ("Team nord", 32, 1, 1, False) in _figures(
        client.get(tree.address(world, f"?unit={world.team.pk}"))
    )


def test_a_participant_who_follows_nothing_sees_no_progress(world: World, client_for: Any) -> None:
    tree = tree_round(world)
    response = _english(client_for("employee")).get(tree.address(world, f"?unit={world.team.pk}"))
    text = response.content.decode()
    assert response.status_code == 200 and "Your answers" in text
    assert "progress-heading" not in text and "progress" not in response.context
    assert "Kari Nord" not in text and "people have answered" not in text


def _grow_tree(world: World, tree: TreeRound, units: int, people: int) -> None:
    """More units below the sub-teams, and more participants spread over them, some in two units."""
    competence = world.extra_objects["competence"]
    parents = [tree.north, tree.south]
    start = Unit.objects.filter(organisation=world.organisation).count()
    for i in range(units):
        parent = parents[i % len(parents)]
        parents.append(
            org_services.unit_create(
                actor=None, organisation=world.organisation, name=f"Lag {start + i}", parent=parent
            )
        )
    for i in range(people):
        homes = [parents[i % len(parents)]] + ([parents[(i + 1) % len(parents)]] if i % 3 == 0 else [])
        person = person_in(world, f"Deltaker {start}-{i}", homes)
        participant = RoundParticipant.objects.create(
            organisation=world.organisation, round=tree.round, person=person
        )
        if i % 2:
            rate_self(tree.round, person, competence, 2)
        if i % 4 == 1:
            participant.leader_done_at = timezone.now()
            participant.save()


def test_round_progress_queries_do_not_grow_with_people_and_units(world: World, client_for: Any) -> None:
    tree = tree_round(world)
    _grow_tree(world, tree, units=2, people=4)
    client = client_for("admin")
    addresses = [
        tree.address(world),
        tree.address(world, f"?unit={world.team.pk}&state=in_progress"),
        tree.address(world, f"?unit={tree.north.pk}&q=deltaker&page=2"),
    ]
    leader = client_for("leader")
    small = [_count(client, a) for a in addresses] + [_count(leader, addresses[1])]
    _grow_tree(world, tree, units=12, people=60)
    large = [_count(client, a) for a in addresses] + [_count(leader, addresses[1])]
    assert small == large


def test_a_large_catalogue_is_answered_and_rated_one_area_at_a_time(
    world: World, client_for: Any, monkeypatch: Any
) -> None:
    """Beyond what a person reads at once, the self-assessment and the leader's rating show one area (the
    first with something left to answer, or the one chosen), count every area, and save the area shown."""
    from laera.competences.selectors import rounds as round_selectors

    monkeypatch.setattr(round_selectors, "COMPETENCES_AT_ONCE", 1)
    laws = catalogues.area_create(actor=None, catalogue=world.extra_objects["catalogue"], name="Lover")
    law = catalogues.competence_create(
        actor=None, area=laws, data=catalogues.CompetenceInput(name="Arbeidsrett", category="knowledge")
    )
    catalogues.requirement_set(
        actor=None, data=catalogues.RequirementInput(competence=law, unit=world.team, level=2)
    )
    round_id = world.extra["round_id"]
    cid = world.extra["competence_id"]  # Motiverende intervju, in the first area
    client = _english(client_for("coordinator"))
    page = client.get(url(world, "self_assessment", round_id=round_id)).content.decode()
    assert f'name="c{cid}-level"' in page and f'name="c{law.pk}-level"' not in page
    assert "One competence area at a time" in page and f"?area={laws.pk}" in page
    assert "You have answered 0 of 2 competences" in page  # both areas counted
    address = url(world, "self_assessment", round_id=round_id) + f"?area={laws.pk}"
    laws_page = client.get(address).content.decode()
    assert f'name="c{law.pk}-level"' in laws_page and f'action="{address}"' in laws_page
    response = client.post(address, {f"c{law.pk}-level": "1", f"c{law.pk}-version": "0"})
    assert response.status_code == 302 and response["Location"] == address
    saved = Assessment.objects.get(person=world.people["coordinator"], competence=law)
    assert saved.self_level == 1
    assert not Assessment.objects.filter(person=world.people["coordinator"], competence_id=cid).exists()
    # With the laws answered, the page opens on the first area with something left: the first one.
    page = client.get(url(world, "self_assessment", round_id=round_id)).content.decode()
    assert f'name="c{cid}-level"' in page and "You have answered 1 of 2 competences" in page
    leader = _english(client_for("leader"))
    rating = url(world, "leader_rating", round_id=round_id, person_id=world.people["coordinator"].pk)
    rated = leader.get(rating + f"?area={laws.pk}").content.decode()
    assert f'name="c{law.pk}-level"' in rated and f'name="c{cid}-level"' not in rated
